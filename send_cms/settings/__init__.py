"""Settings: base (shared), local (the demo), test (pytest), production (environment only)."""
