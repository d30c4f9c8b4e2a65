"""pytest: PostgreSQL when it can be reached (always in CI), otherwise SQLite, said out loud.

DATABASE_URL wins; without it the machine's local PostgreSQL is tried. REQUIRE_POSTGRES=1 (CI)
turns a missing PostgreSQL into an error instead of a quiet fallback to SQLite.
"""

import socket
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from send_cms.settings.base import *  # noqa: F403
from send_cms.settings.base import BASE_DIR, IN_PROCESS_BROKER_URL, env, postgres_without_jit

LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/send_cms"


def _local_postgres_listening() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
elif _local_postgres_listening():
    DATABASES = {"default": env.db_url_config(LOCAL_POSTGRES_URL)}
else:
    DATABASES = {"default": env.db_url_config(f"sqlite:///{BASE_DIR / 'test.sqlite3'}")}
    # A file, not SQLite's default in-memory test database, so that the tests that run two
    # writers at once (the nightly refresh, the digest) wait for each other instead of failing.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

DATABASES["default"] = postgres_without_jit(DATABASES["default"])

if (
    env.bool("REQUIRE_POSTGRES", default=False)
    and "postgresql" not in DATABASES["default"]["ENGINE"]
):
    raise ImproperlyConfigured(
        "REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: set DATABASE_URL or start PostgreSQL."
    )

SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests sign in with the password alone unless a test turns the second factor on.
OTP_REQUIRED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process unless a test starts a real worker on purpose.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("REDIS_URL", default="") or IN_PROCESS_BROKER_URL
# Serve static files straight from the finders (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Uploaded files of a test run go to a folder of their own, never into the repository (tests
# that upload also point MEDIA_ROOT at their own temporary folder).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="send-cms-test-media-"))
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}  # noqa: F405
