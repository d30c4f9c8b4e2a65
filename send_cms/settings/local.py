"""The demo and development: SQLite, tasks in-process, DEBUG on. Never used in production."""

from send_cms.settings.base import *  # noqa: F403
from send_cms.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The demo's printed logins sign in with the password alone; OTP_REQUIRED=true tries the
# second factor here too (anyone may still set one up from their account page).
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
# Serve static files straight from the finders (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tasks run in-process here: one "task succeeded" line per deadline recompute drowns the server log.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
# The browsable API, for development only.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
