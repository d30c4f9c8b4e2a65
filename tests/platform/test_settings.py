"""Production settings fail fast without their essentials, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD = {
    "DJANGO_SETTINGS_MODULE": "send_cms.settings.production",
    "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789-abcdefghij",
    "DATABASE_URL": "sqlite://:memory:",  # never a file in the checkout
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "send.example.invalid",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never would.
    clean = {
        k: v for k, v in os.environ.items() if k not in PROD and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PROD.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Production settings need these environment variables" in result.stderr
    assert missing in result.stderr


def test_production_passes_the_deploy_checks() -> None:
    databases = set(ROOT.glob("*.sqlite3"))
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert set(ROOT.glob("*.sqlite3")) == databases  # no stray database file left behind


@pytest.mark.parametrize(("jit", "options"), [("", "-c jit=off"), ("true", None)])
def test_production_turns_postgres_jit_off_unless_asked(jit: str, options: str | None) -> None:
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    )
    env = {**PROD, "DATABASE_URL": "postgres://send@db.invalid:5432/send_cms", "POSTGRES_JIT": jit}
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(options)
