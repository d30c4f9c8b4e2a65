"""Settings shared by every environment; every value that differs by place comes from `env`."""

from datetime import time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import django_stubs_ext
import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets classes like ModelAdmin[Model] and QuerySet[Model] be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL, or "" (for a CSP source list)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _time_of_day(name: str, text: str) -> time:
    """A 24-hour "HH:MM" setting as a time, or a clear error at start-up."""
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a 24-hour time like 17:00, not {text!r}"
        ) from None


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
# After this time (London) on a working day a request counts from the next working day; the
# law's day ends at 5pm (timescales.md), and a council may set an earlier office close.
REQUEST_CUT_OFF = _time_of_day("REQUEST_CUT_OFF", env("REQUEST_CUT_OFF", default="17:00"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",  # Content-Security-Policy (the middleware below sets it)
    "django.forms",  # the form renderer finds Django's own widget templates
    "rest_framework",
    "knox",  # API tokens: hashed at rest, expiring
    "axes",  # sign-in throttling and lockout
    "django_otp",
    "django_otp.plugins.otp_totp",  # the second factor: an authenticator app
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "send_cms.accounts",
    "send_cms.audit",
    "send_cms.common",
    "send_cms.deadlines",
    "send_cms.retention",
    "cases",
    "panels",
    "reviews",
    "tribunals",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "send_cms.audit.middleware.RequestIdMiddleware",
    # Below WhiteNoise, so static files stay cacheable; pages, the API and downloads do not.
    "send_cms.common.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "send_cms.accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "send_cms.accounts.middleware.SecondFactorMiddleware",
    "send_cms.accounts.middleware.LoginRequiredMiddleware",
    # Reporting's and exports' reads on the read replica, when there is one.
    "send_cms.common.replica.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the request into the response.
    "axes.middleware.AxesMiddleware",
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


def with_replica(databases: dict[str, Any]) -> dict[str, Any]:
    """The read replica that reporting and exports read from (`send_cms/common/replica.py`),
    when DATABASE_REPLICA_URL is set. In tests it mirrors the primary."""
    url = env("DATABASE_REPLICA_URL", default="")
    if url:
        replica = postgres_without_jit(env.db_url_config(url))
        replica["CONN_MAX_AGE"] = databases["default"]["CONN_MAX_AGE"]
        replica["TEST"] = {"MIRROR": "default"}
        databases["replica"] = replica
    return databases


DATABASES = with_replica(DATABASES)
DATABASE_ROUTERS = ["send_cms.common.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in: lockout, second factor, sessions, single sign-on --------------------------------
# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures are counted per account and, separately, per address; either reaching the limit
# refuses sign-in (the page, the admin and the token endpoint) for the cool-off, or until an
# administrator unlocks it. A wrong second-factor code counts as a failure too.
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # a right password must not wipe an address's failures
AXES_CLIENT_IP_CALLABLE = "send_cms.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "send_cms.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False  # accounts.admin registers its own, with an audited unlock
AXES_DISABLE_ACCESS_LOG = True  # the audit trail records each sign-in and sign-out
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]
# How many proxies in front of the app append the caller's address to X-Forwarded-For. 0 uses
# REMOTE_ADDR alone, so a caller cannot choose the address its failures are counted against.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The second factor (an authenticator app) is required of managers and administrators while
# OTP_REQUIRED is on (production's default), and asked of anyone who has set one up.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = COUNCIL_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Signed out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE
# seconds after signing in whatever the activity: children's records are special-category data.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_TIMEOUT", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Single sign-on with the council's identity provider by OpenID Connect (off by default).
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your council account")
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_USERNAME_CLAIM = env("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# The identity provider's group (name or id) for each role: "SEND-Caseworkers=caseworker,...".
# Someone in none of these groups is refused; roles are set from the groups at each sign-in.
OIDC_GROUP_ROLES: dict[str, str] = env.dict("OIDC_GROUP_ROLES", default={})
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?reason=sso-failed"
if OIDC_ENABLED:
    _oidc_missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_GROUP_ROLES",
        )
        if not globals()[name]
    ]
    if _oidc_missing:
        raise ImproperlyConfigured("OIDC_ENABLED needs: " + ", ".join(_oidc_missing))
    AUTHENTICATION_BACKENDS.append("send_cms.accounts.oidc.CouncilOIDCBackend")

# API tokens (django-rest-knox): only a hash is stored, and each expires after API_TOKEN_HOURS.
API_TOKEN_HOURS = env.int("API_TOKEN_HOURS", default=8)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

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
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The council's retention periods, in whole years, where they differ from the schedule's
# defaults (send_cms/retention/schedule.py): "sen_file=35,tribunal_file=10".
RETENTION_YEARS: dict[str, str] = env.dict("RETENTION_YEARS", default={})

# Uploaded documents: the largest file accepted, and where they are kept. "filesystem" keeps
# them under MEDIA_ROOT (never served as static files: only the audited download view sends
# them); "s3" keeps them in an S3-compatible bucket through django-storages (credentials from
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
DOCUMENT_STORAGE = env("DOCUMENT_STORAGE", default="filesystem")
if DOCUMENT_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("DOCUMENT_S3_BUCKET"),
            "endpoint_url": env("DOCUMENT_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("DOCUMENT_S3_REGION", default="") or None,
            "location": env("DOCUMENT_S3_PREFIX", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif DOCUMENT_STORAGE != "filesystem":
    raise ImproperlyConfigured("DOCUMENT_STORAGE must be filesystem or s3")

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="send-casework@example.invalid")

# --- Celery: a broker when REDIS_URL is set, otherwise tasks run in-process -------------------
REDIS_URL = env("REDIS_URL", default="")
# In-process (eager) tasks still pass through a producer: the memory transport, named with a host
# so kombu has nothing to warn about ("No hostname was supplied").
IN_PROCESS_BROKER_URL = "memory://localhost/"
CELERY_BROKER_URL = REDIS_URL or IN_PROCESS_BROKER_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- What browsers may do with the pages -----------------------------------------------------
# No inline script or style anywhere (GOV.UK Frontend's start-up script is a file), so an
# injected <script> or style attribute does nothing. A form may post only to the site itself,
# and to the council's identity provider when single sign-on is on.
_SIGN_IN_ELSEWHERE = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *filter(None, [_origin(_SIGN_IN_ELSEWHERE)])],
    }
}
# Nothing in the service uses these browser features; nobody's page may turn them on.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "clipboard-read",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous API call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["send_cms.accounts.permissions.HasRole"],
    "DEFAULT_PAGINATION_CLASS": "send_cms.common.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "send_cms.common.api.exception_handler",
    # JSON only: the browsable API (HTML forms over live data) is for development (local.py).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
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
        "DocumentKindEnum": "cases.models.DocumentKind",
        "EstablishmentKindEnum": "cases.codes.EstablishmentKind",
        "IssueDecisionEnum": "cases.models.IssueDecision",
        "LetterKindEnum": "cases.models.LetterKind",
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

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "send_cms.audit.middleware.RequestIdLogFilter"},
        "quiet_forbidden": {"()": "send_cms.common.log_filters.QuietForbidden"},
    },
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
    "loggers": {
        # Django's lines reach the console above, once (its own console handler would print
        # them a second time under DEBUG, without the request id).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A 403 is one INFO line, without a traceback.
        "django.request": {"filters": ["quiet_forbidden"]},
    },
}

# Demo data: `manage.py seed_demo` calls each of these in order (see that command).
DEMO_SEEDERS: list[str] = [
    "cases.demo.seed",  # first: children and their casework at every stage, for the others
    "cases.demo.letters.seed",  # the families' letters for its decisions, and advice reports
    "panels.demo.seed",  # after the cases seeder: it puts that casework on agendas
    "reviews.demo.seed",  # after the cases seeder: reviews of the plans it issued
    "tribunals.demo.seed",  # after the cases seeder: mediation and appeals on its decisions
    "reporting.demo.seed",  # last: high-needs rates, places and a return, on the placements made
]
