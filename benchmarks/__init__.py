"""Benchmarks: scripts that print figures (`make benchmark`), never timed tests."""
