"""django-axes' hooks: whose address a failure counts against, and what a locked-out caller sees."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from send_cms.accounts.middleware import API_PREFIX

LOCKED_OUT = (
    "Sign-in is locked after too many failed attempts. Try again in {minutes} minutes, "
    "or ask an administrator to unlock it."
)


def client_address(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the address the nearest trusted proxy appended.

    Only the last TRUSTED_PROXY_COUNT entries of X-Forwarded-For were written by our proxies;
    anything to their left came from the caller, who could write any address there.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < trusted:
        return remote
    return str(forwarded[-trusted])


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return LOCKED_OUT.format(minutes=minutes)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """429, as JSON for the API and as a page for people."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)
