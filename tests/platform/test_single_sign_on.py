"""Single sign-on by OpenID Connect: off by default; when on, the identity provider's groups give
the roles (OIDC_GROUP_ROLES), someone in none of them is refused, and each sign-in is recorded.

The identity provider is not called: the backend's three network steps (token, its signature,
the user's claims) are replaced, so the test covers everything this service decides.
"""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from send_cms.accounts.models import User
from send_cms.accounts.oidc import CouncilOIDCBackend
from send_cms.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
IDP = "https://login.example.invalid/council"


@pytest.fixture
def sso(settings, monkeypatch) -> dict[str, Any]:
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Example Council account"
    settings.OIDC_RP_CLIENT_ID = "send-cms"
    settings.OIDC_RP_CLIENT_SECRET = "not-a-real-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{IDP}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{IDP}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{IDP}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{IDP}/keys"
    settings.OIDC_GROUP_ROLES = {"SEND-Caseworkers": "caseworker", "SEND-Managers": "manager"}
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "send_cms.accounts.oidc.CouncilOIDCBackend",
    ]
    claims: dict[str, Any] = {}
    monkeypatch.setattr(CouncilOIDCBackend, "get_token", lambda self, payload: {"id_token": "x"})
    monkeypatch.setattr(CouncilOIDCBackend, "verify_token", lambda self, token, **kw: {"sub": "1"})
    monkeypatch.setattr(CouncilOIDCBackend, "get_userinfo", lambda self, *args: claims)
    return claims


def round_trip(client: Client) -> Any:
    """To the identity provider and back with a code, as a browser would."""
    started = client.get("/sign-in/sso/", {"next": "/cases/"})
    state = parse_qs(urlsplit(started["Location"]).query)["state"][0]
    return client.get("/sign-in/sso/callback/", {"code": "abc", "state": state})


def test_single_sign_on_is_off_by_default() -> None:
    client = Client()

    assert client.get("/sign-in/sso/").status_code == 404
    assert client.get("/sign-in/sso/callback/").status_code == 404
    assert "Sign in with" not in client.get("/sign-in/").content.decode()


@pytest.mark.usefixtures("sso")
def test_the_sign_in_page_offers_the_council_account() -> None:
    client = Client()
    html = client.get("/sign-in/").content.decode()
    started = client.get("/sign-in/sso/")
    query = parse_qs(urlsplit(started["Location"]).query)

    assert "Sign in with Example Council account" in html
    assert started["Location"].startswith(f"{IDP}/authorize?")
    assert query["client_id"] == ["send-cms"]
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert query["redirect_uri"] == ["http://testserver/sign-in/sso/callback/"]


def test_a_first_sign_in_makes_the_account_with_the_mapped_roles(sso) -> None:
    sso.update(
        preferred_username="jo.bloggs",
        given_name="Jo",
        family_name="Bloggs",
        email="jo@example.invalid",
        groups=["Everyone", "SEND-Managers"],
    )
    client = Client()

    response = round_trip(client)

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    jo = User.objects.get(username="jo.bloggs")
    assert (jo.get_full_name(), jo.has_usable_password()) == ("Jo Bloggs", False)
    assert sorted(jo.groups.values_list("name", flat=True)) == ["manager"]
    assert client.get("/").status_code == 200
    created = AuditEvent.objects.get(action="accounts.user_created")
    assert created.actor_name == "identity provider (single sign-on)"
    roles = AuditEvent.objects.get(action="accounts.roles_changed")
    assert roles.changes == {"before": [], "after": ["manager"], "reason": "single sign-on"}
    signed_in = AuditEvent.objects.get(action="auth.signed_in")
    assert (signed_in.actor, signed_in.changes["method"]) == (jo, "single sign-on")


def test_the_groups_set_the_roles_at_every_sign_in(sso, caseworker) -> None:
    sso.update(preferred_username="caseworker", groups=["SEND-Managers"])

    round_trip(Client())

    caseworker.refresh_from_db()
    assert list(caseworker.groups.values_list("name", flat=True)) == ["manager"]
    roles = AuditEvent.objects.get(action="accounts.roles_changed")
    assert roles.changes == {
        "before": ["caseworker"],
        "after": ["manager"],
        "reason": "single sign-on",
    }


def test_someone_in_no_mapped_group_is_refused_and_recorded(sso) -> None:
    sso.update(preferred_username="visitor", groups=["Everyone"])
    client = Client()

    response = round_trip(client)

    assert response["Location"] == "/sign-in/?reason=sso-failed"
    assert not User.objects.filter(username="visitor").exists()
    assert "Single sign-on did not sign you in" in client.get(response["Location"]).content.decode()
    failed = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert failed.actor_name == 'not signed in (tried "visitor")'
    assert failed.changes["method"] == "single sign-on"
    assert failed.changes["reason"] == "no group of the identity provider maps to a role"


def test_the_second_factor_applies_after_single_sign_on_too(settings, sso) -> None:
    settings.OTP_REQUIRED = True
    sso.update(preferred_username="boss", groups=["SEND-Managers"])
    client = Client()

    round_trip(client)

    assert client.get("/")["Location"] == "/account/second-factor/?next=%2F"
