"""Who may do what, for pages (a mixin) and the API (a permission class). One rule for both."""

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from rest_framework import permissions

from send_cms.accounts.roles import ALL_ROLES, describe

if TYPE_CHECKING:  # DRF imports this module while loading its settings: no run-time import
    from rest_framework.request import Request
    from rest_framework.views import APIView


def user_roles(user: Any) -> frozenset[str]:
    if not user or not user.is_authenticated:
        return frozenset()
    return frozenset(getattr(user, "roles", frozenset()))


class RoleRequiredMixin(AccessMixin):
    """Pages: `allowed_roles` says who may open the view; anyone else gets a 403 naming the role."""

    allowed_roles: ClassVar[frozenset[str]] = ALL_ROLES

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_roles(request.user) & self.allowed_roles:
            raise PermissionDenied(
                f"You need {describe(set(self.allowed_roles))} to use this page."
            )
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class HasRole(permissions.BasePermission):
    """API: authenticated, with a role the view allows.

    Views may set `read_roles` (safe methods) and `write_roles` (everything else); both default
    to any role, so an endpoint is never open to a user the council has not given a role.
    """

    message = "Your account has no role that may use this endpoint."

    def has_permission(self, request: "Request", view: "APIView") -> bool:
        roles = user_roles(request.user)
        if not roles:
            return False
        if request.method in permissions.SAFE_METHODS:
            allowed = getattr(view, "read_roles", ALL_ROLES)
        else:
            allowed = getattr(view, "write_roles", ALL_ROLES)
        if roles & allowed:
            return True
        self.message = f"You need {describe(set(allowed))} for this."
        return False
