"""Health check and error pages (JSON under /api/, where callers are programs)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import Role

API_PREFIX = "/api/"
API_ERRORS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "Server error. The error has been logged with this response's X-Request-ID.",
}


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from send_cms.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "unavailable"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker: 200 while the database answers, else 503.

    Anyone gets only "ok" or "unavailable"; an administrator also sees the database and the
    broker, which a stranger has no business probing.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "unavailable"
    body = {"status": database}
    if Role.ADMIN in user_roles(request.user):
        body.update(database=database, broker=_broker_status())
    return JsonResponse(body, status=200 if database == "ok" else 503)


def _api_error(request: HttpRequest, status: int, detail: str = "") -> JsonResponse | None:
    if not request.path_info.startswith(API_PREFIX):
        return None
    return JsonResponse({"detail": detail or API_ERRORS[status]}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 400) or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return _api_error(request, 403, message) or render(
        request, "403.html", {"message": message}, status=403
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 404) or render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _api_error(request, 500) or render(request, "500.html", status=500)
