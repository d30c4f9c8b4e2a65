"""API tokens: hashed at rest, expiring after API_TOKEN_HOURS, revocable by their owner and an
administrator, revoked by POST /api/v1/auth/logout/ and by a password change; no administrator
can read another person's token."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from send_cms.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.platform.auth_helpers import START

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def issue(username: str = "caseworker") -> str:
    response = Client().post(TOKEN_URL, {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    status = api(token).get("/api/v1/schema/").status_code
    assert status in (200, 401)
    return status == 200


def test_a_token_is_stored_only_as_its_hash(caseworker) -> None:
    token = issue()

    [row] = AuthToken.objects.filter(user=caseworker)
    assert len(token) == 64
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()
    stored = " ".join(str(v) for v in AuthToken.objects.values_list(flat=False).get())
    assert token not in stored
    assert works(token)


def test_a_token_expires_after_api_token_hours(caseworker) -> None:
    with time_machine.travel(START, tick=False) as clock:
        response = Client().post(TOKEN_URL, {"username": "caseworker", "password": PASSWORD})
        token = response.json()["token"]
        assert response.json()["expiry"] == "2026-03-02T17:00:00Z"
        clock.shift(dt.timedelta(hours=7, minutes=59))
        assert works(token)
        clock.shift(dt.timedelta(minutes=2))
        assert not works(token)


def test_the_lifetime_is_a_setting(settings, caseworker) -> None:
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(hours=1)}
    with time_machine.travel(START, tick=False) as clock:
        token = issue()
        clock.shift(dt.timedelta(minutes=61))
        assert not works(token)


def test_logout_revokes_the_calling_token_only(caseworker) -> None:
    first, second = issue(), issue()

    response = api(first).post("/api/v1/auth/logout/")

    assert response.status_code == 204
    assert not works(first)
    assert works(second)
    event = AuditEvent.objects.get(action="auth.token_revoked")
    assert event.actor == caseworker
    assert event.changes["reason"] == "signed out"


def test_logout_needs_a_token(caseworker_client) -> None:
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401
    assert caseworker_client.post("/api/v1/auth/logout/").status_code == 401


def test_a_password_change_revokes_every_token(caseworker) -> None:
    first, second = issue(), issue()

    caseworker.set_password("a-brand-new-password-2026")
    caseworker.save()

    assert not works(first)
    assert not works(second)
    event = AuditEvent.objects.get(action="auth.token_revoked")
    assert event.changes == {"reason": "password changed", "tokens": 2}


def test_an_administrator_changing_a_password_revokes_tokens_and_is_recorded(
    caseworker, admin_client_
) -> None:
    token = issue()

    response = admin_client_.post(
        f"/admin/accounts/user/{caseworker.pk}/password/",
        {
            "password1": "another-long-password-77",
            "password2": "another-long-password-77",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert not works(token)
    changed = AuditEvent.objects.get(action="accounts.password_changed")
    assert (changed.actor_name, changed.object_id) == ("Alex Morgan", str(caseworker.pk))


def test_issuing_is_recorded(caseworker) -> None:
    issue()

    event = AuditEvent.objects.get(action="auth.token_issued")
    assert event.actor == caseworker
    assert event.changes["via"] == "api"


def test_a_person_makes_and_revokes_tokens_on_their_account_page(caseworker, caseworker_client):
    made = caseworker_client.post("/account/api-tokens/", {"action": "create"})
    token = made.context["new_token"]
    listing = caseworker_client.get("/account/api-tokens/").content.decode()
    row = AuthToken.objects.get(user=caseworker)

    assert made.status_code == 200
    assert "Copy it now: it is not shown again" in made.content.decode()
    assert works(token)
    assert token not in listing
    assert token[:8] in listing  # the start, so its owner can tell tokens apart
    revoked = caseworker_client.post(
        "/account/api-tokens/", {"action": "revoke", "token": row.digest}
    )
    assert revoked.status_code == 302
    assert not works(token)
    assert AuditEvent.objects.get(action="auth.token_revoked").changes["reason"] == (
        "revoked by its owner"
    )


def test_a_person_cannot_revoke_someone_elses_token(caseworker, manager_client) -> None:
    token = issue()
    row = AuthToken.objects.get(user=caseworker)

    manager_client.post("/account/api-tokens/", {"action": "revoke", "token": row.digest})

    assert works(token)


def test_revoke_all_on_the_account_page(caseworker, caseworker_client) -> None:
    first, second = issue(), issue()

    caseworker_client.post("/account/api-tokens/", {"action": "revoke-all"})

    assert not works(first)
    assert not works(second)


def test_an_administrator_revokes_but_cannot_read_a_token(caseworker, admin_client_) -> None:
    token = issue()
    row = AuthToken.objects.get(user=caseworker)

    listing = admin_client_.get("/admin/knox/authtoken/").content.decode()
    detail = admin_client_.get(f"/admin/knox/authtoken/{row.pk}/change/").content.decode()
    adding = admin_client_.get("/admin/knox/authtoken/add/")
    revoked = admin_client_.post(
        "/admin/knox/authtoken/", {"action": "revoke", "_selected_action": [row.pk]}
    )

    assert "Sam Okafor" in listing
    assert token not in listing
    assert token not in detail
    assert token[:15] not in listing + detail  # not even the stored start of it
    assert adding.status_code == 403
    assert revoked.status_code == 302
    assert not works(token)
    event = AuditEvent.objects.get(action="auth.token_revoked")
    assert (event.actor_name, event.changes["reason"]) == (
        "Alex Morgan",
        "revoked by an administrator",
    )


def test_an_administrator_revokes_every_token_of_a_user(caseworker, admin_client_) -> None:
    token = issue()

    admin_client_.post(
        "/admin/accounts/user/",
        {"action": "revoke_api_tokens", "_selected_action": [caseworker.pk]},
    )

    assert not works(token)


def test_a_deactivated_account_token_stops_working(caseworker) -> None:
    token = issue()
    caseworker.is_active = False
    caseworker.save()

    assert not works(token)
