"""Who may reach a page: signed in (deny by default), within the session's time limits, and past
the second factor where one is needed."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse

from send_cms.accounts.roles import Role
from send_cms.accounts.sessions import (
    ACTIVITY_RESOLUTION,
    HAS_SECOND_FACTOR,
    LAST_ACTIVITY,
    SIGNED_IN_AT,
)

API_PREFIX = "/api/"
SIGNED_OUT_IDLE = "idle"
SIGNED_OUT_LIMIT = "limit"
SECOND_FACTOR_PENDING = (
    "Finish signing in with the code from your authenticator app before using the API."
)
# Pages a signed-in person may reach before giving the second factor: to give it, to set one
# up, to sign out, and to keep the session alive while doing so.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "second-factor-verify",
        "accounts:second-factor-setup",
        "logout",
        "admin-sign-out",
        "session-keep-alive",
        "session-status",
    }
)
# Asking how long is left is not activity: the timeout warning asks before it signs out.
STATUS_PATH = "/session/status/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's middleware, except the API: DRF answers 401 there rather than redirecting.

    The API is not open: its default permission class requires an authenticated user with a role.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if request.path_info.startswith(API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionTimeoutMiddleware:
    """Signs out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE
    seconds after signing in however busy the session (Django alone renews the cookie's age on
    every save, so its own limit is not absolute).

    Sets `request.session_seconds_left` for the timeout warning on the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.check(request) or self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponseBase | None:
        if not request.user.is_authenticated:
            return None
        session = request.session
        now = time.time()
        started = session.get(SIGNED_IN_AT)
        last = session.get(LAST_ACTIVITY)
        if started is None or last is None:  # a session from before these were kept
            session[SIGNED_IN_AT] = started = started or now
            session[LAST_ACTIVITY] = last = now
        reason = None
        if now - started > settings.SESSION_COOKIE_AGE:
            reason = SIGNED_OUT_LIMIT
        elif now - last > settings.SESSION_IDLE_TIMEOUT:
            reason = SIGNED_OUT_IDLE
        if reason is not None:
            from send_cms.accounts.services import sign_out

            sign_out(request=request, reason=reason)
            if request.path_info.startswith(API_PREFIX):
                return None  # the API goes on as anonymous, and answers 401 or 403
            params = {"reason": reason}
            if request.method == "GET":
                params["next"] = request.get_full_path()
            return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode(params)}")
        if now - last >= ACTIVITY_RESOLUTION and request.path_info != STATUS_PATH:
            session[LAST_ACTIVITY] = now
        request.session_seconds_left = seconds_left(request)  # type: ignore[attr-defined]
        return None


def seconds_left(request: HttpRequest) -> int:
    """Until the session ends: the idle timeout or the absolute limit, whichever comes first."""
    now = time.time()
    last = request.session.get(LAST_ACTIVITY, now)
    started = request.session.get(SIGNED_IN_AT, now)
    idle_left = settings.SESSION_IDLE_TIMEOUT - max(0.0, now - last)
    absolute_left = settings.SESSION_COOKIE_AGE - max(0.0, now - started)
    return max(0, int(min(idle_left, absolute_left)))


def second_factor_needed(request: HttpRequest) -> bool:
    """Anyone who has set up an authenticator app; managers and administrators when required."""
    user: Any = request.user
    if request.session.get(HAS_SECOND_FACTOR):
        return True
    return bool(settings.OTP_REQUIRED and user.has_role(Role.MANAGER, Role.ADMIN))


class SecondFactorMiddleware:
    """Until the second factor is given, a signed-in person reaches only the pages that take it.

    Runs after django-otp's OTPMiddleware, which says whether this session gave it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified() or not second_factor_needed(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": SECOND_FACTOR_PENDING}, status=403)
        step = (
            "second-factor-verify"
            if request.session.get(HAS_SECOND_FACTOR)
            else "accounts:second-factor-setup"
        )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")
