"""Single sign-on with the council's identity provider by OpenID Connect (mozilla-django-oidc).

Off unless OIDC_ENABLED. The identity provider's groups are the source of roles for people who
sign in this way: OIDC_GROUP_ROLES maps each group to a role, the roles are set at every
sign-in (and recorded when they change), and someone in none of the groups is refused.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from send_cms.accounts import services
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role

NO_ROLE = "no group of the identity provider maps to a role"
SSO = "single sign-on"


def roles_from_claims(claims: dict[str, Any]) -> set[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping: dict[str, str] = settings.OIDC_GROUP_ROLES
    return {mapping[g] for g in groups if g in mapping and mapping[g] in Role.values}


def username_from_claims(claims: dict[str, Any]) -> str:
    return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()


class CouncilOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Matches people by username (OIDC_USERNAME_CLAIM), makes an account on first sign-in,
    and sets roles from the groups claim each time."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        username = username_from_claims(claims)
        if not username or not roles_from_claims(claims):
            request = getattr(self, "request", None)
            if request is not None:
                request.sso_refusal = (username, NO_ROLE if username else "no username claim")
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(username__iexact=username_from_claims(claims))

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        user = User(username=username_from_claims(claims))
        user.set_unusable_password()
        self._copy_names(user, claims)
        user.save()
        services.record_account_created(user=user, via=SSO)
        services.user_set_roles(actor=None, user=user, roles=roles_from_claims(claims), reason=SSO)
        return user

    @transaction.atomic
    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        self._copy_names(user, claims)
        user.save(update_fields=["first_name", "last_name", "email"])
        services.user_set_roles(actor=None, user=user, roles=roles_from_claims(claims), reason=SSO)
        return user

    @staticmethod
    def _copy_names(user: User, claims: dict[str, Any]) -> None:
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]


def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404("Single sign-on is not turned on.")


@login_not_required
@require_GET
def oidc_authenticate(request: HttpRequest) -> HttpResponse:
    """Off to the identity provider (with state, nonce and PKCE)."""
    _enabled()
    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


@login_not_required
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the identity provider: signed in and recorded, or refused and recorded."""
    _enabled()
    was = request.user.pk if request.user.is_authenticated else None
    response: HttpResponse = OIDCAuthenticationCallbackView.as_view()(request)
    user: Any = request.user
    if user.is_authenticated and user.pk != was:
        services.sign_in_succeeded(request=request, user=user, method=SSO)
    elif not user.is_authenticated and ("code" in request.GET or "error" in request.GET):
        username, reason = getattr(request, "sso_refusal", ("", "refused by the identity provider"))
        services.sign_in_failed(request=request, username=username, reason=reason, method=SSO)
    return response
