"""Settings shared by every environment; every value that differs by place comes from `env`."""

from pathlib import Path
from typing import Any

import django_stubs_ext
import environ

# Lets classes like ModelAdmin[Model] and QuerySet[Model] be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

COUNCIL_NAME = env("COUNCIL_NAME", default="Demo Borough Council")
SERVICE_NAME = env("SERVICE_NAME", default="SEND case management")
# The council's three-digit DfE LA code, used in references and the SEN2 return.
LA_CODE = env("LA_CODE", default="999")
# The site's address for links in emails (the published scorecard), e.g.
# https://send.example.gov.uk; empty: emails give the path only.
SITE_URL = env("SITE_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the form renderer finds Django's own widget templates
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "send_cms.accounts",
    "send_cms.audit",
    "send_cms.common",
    "send_cms.deadlines",
    "cases",
    "panels",
    "reviews",
    "tribunals",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "send_cms.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "send_cms.accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "send_cms.urls"
WSGI_APPLICATION = "send_cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "send_cms.common.context_processors.service",
            ],
        },
    },
]
# GOV.UK markup for every Django form rendered with {{ form }} or {{ field.as_field_group }}.
FORM_RENDERER = "send_cms.common.forms.GovukFormRenderer"


def postgres_without_jit(database: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL's JIT compiler costs more than it saves on this app's short list queries (the
    manager's caseload over 20,000 children: 1,060 ms with it, 200 ms without; see
    benchmarks/caseload.py). POSTGRES_JIT=true keeps the server's setting, e.g. behind a pooler
    that refuses startup options."""
    if "postgresql" in database["ENGINE"] and not env.bool("POSTGRES_JIT", default=False):
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return database


DATABASES = {
    "default": postgres_without_jit(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="send-casework@example.invalid")

# --- Celery: a broker when REDIS_URL is set, otherwise tasks run in-process -------------------
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous API call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["send_cms.accounts.permissions.HasRole"],
    "DEFAULT_PAGINATION_CLASS": "send_cms.common.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "send_cms.common.api.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SEND case management API",
    "DESCRIPTION": "Version 1 of the public API: children, assessment requests, plans, "
    "panels, annual reviews, mediation and appeals, and the statutory timescale calculator.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The schema and docs need a signed-in user with a role, like every other endpoint.
    "SERVE_PERMISSIONS": ["send_cms.accounts.permissions.HasRole"],
    # One schema name per code list, where fields in several apps share a name ("kind", "outcome").
    "ENUM_NAME_OVERRIDES": {
        "AdviceKindEnum": "cases.codes.AdviceKind",
        "AppealOutcomeEnum": "tribunals.codes.Outcome",
        "AssessmentDecisionEnum": "cases.models.AssessmentDecision",
        "CeaseReasonEnum": "cases.codes.CeaseReason",
        "EstablishmentKindEnum": "cases.codes.EstablishmentKind",
        "IssueDecisionEnum": "cases.models.IssueDecision",
        "MediationOutcomeEnum": "tribunals.codes.MediationOutcome",
        "OrderKindEnum": "tribunals.codes.OrderKind",
        "PanelDecisionOutcomeEnum": "panels.models.Outcome",
        "PanelItemKindEnum": "panels.models.ItemKind",
        "PlanStatusEnum": "cases.models.PlanStatus",
        "RecommendationKindEnum": "tribunals.codes.RecommendationKind",
        "RequestStatusEnum": "cases.models.RequestStatus",
        "ReviewDecisionEnum": "reviews.models.Decision",
        "SenTypeEnum": "cases.codes.SenType",
        "SettingRankEnum": "cases.codes.SETTING_RANKS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "send_cms.audit.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Demo data: `manage.py seed_demo` calls each of these in order (see that command).
DEMO_SEEDERS: list[str] = [
    "cases.demo.seed",  # first: children and their casework at every stage, for the others
    "panels.demo.seed",  # after the cases seeder: it puts that casework on agendas
    "reviews.demo.seed",  # after the cases seeder: reviews of the plans it issued
    "tribunals.demo.seed",  # after the cases seeder: mediation and appeals on its decisions
    "reporting.demo.seed",  # last: high-needs rates, places and a return, on the placements made
]
