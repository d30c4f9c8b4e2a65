"""Service and council names, and the navigation the signed-in user's roles may use."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from send_cms.accounts.permissions import user_roles
from send_cms.common.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    roles = user_roles(getattr(request, "user", None))
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "navigation": navigation_for(roles, request.path),
        "user_roles": roles,
    }
