"""Signing in and out: each attempt recorded, repeated failures locked per account and per address
(the sign-in page, the admin and the token endpoint), and an administrator's unlock."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory, override_settings

from send_cms.accounts.lockout import client_address
from send_cms.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.platform.auth_helpers import START, sign_in

pytestmark = pytest.mark.django_db
LOCKED = "Sign-in is locked after too many failed attempts. Try again in 30 minutes"


@pytest.fixture(autouse=True)
def _three_failures_lock(settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("occurred_at"))


def test_signing_in_is_recorded_with_the_method_and_address(caseworker) -> None:
    response = sign_in(Client(), "caseworker")

    assert response.status_code == 302
    assert response["Location"] == "/"
    [event] = events("auth.signed_in")
    assert event.actor == caseworker
    assert event.changes == {
        "method": "password",
        "address": "127.0.0.1",
        "second_factor": "not required",
    }


def test_a_failed_sign_in_is_recorded_with_the_username_tried(caseworker) -> None:
    response = sign_in(Client(), "caseworker", "not-the-password")
    sign_in(Client(), "no-such-person", "whatever-it-is")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    known, unknown = events("auth.sign_in_failed")
    assert known.actor is None
    assert known.actor_name == 'not signed in (tried "caseworker")'
    assert known.object_id == str(caseworker.pk)
    assert known.changes == {
        "username": "caseworker",
        "address": "127.0.0.1",
        "page": "/sign-in/",
        "method": "password",
        "reason": "wrong username or password",
    }
    assert unknown.actor_name == 'not signed in (tried "no-such-person")'
    assert unknown.object_id == ""


def test_signing_out_is_recorded(caseworker) -> None:
    client = Client()
    sign_in(client, "caseworker")

    response = client.post("/sign-out/")

    assert response.status_code == 302
    [event] = events("auth.signed_out")
    assert event.actor == caseworker
    assert event.changes == {"reason": "signed out"}
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account_even_with_the_right_password(caseworker) -> None:
    client = Client()
    first = sign_in(client, "caseworker", "wrong-1")
    second = sign_in(client, "caseworker", "wrong-2")
    third = sign_in(client, "caseworker", "wrong-3")
    right = sign_in(client, "caseworker")

    assert (first.status_code, second.status_code) == (200, 200)
    assert third.status_code == 429
    assert LOCKED in third.content.decode()
    assert right.status_code == 429
    assert client.get("/").status_code == 302  # not signed in
    [lockout] = events("auth.locked_out")
    assert lockout.actor_name == 'not signed in (tried "caseworker")'
    assert lockout.changes == {"username": "caseworker", "address": "127.0.0.1", "failures": 3}
    reasons = [e.changes["reason"] for e in events("auth.sign_in_failed")]
    assert reasons == ["wrong username or password"] * 3 + ["refused: locked out"]


def test_the_account_is_locked_from_every_address(caseworker) -> None:
    for n in range(3):
        sign_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), "caseworker", f"wrong-{n}")

    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "caseworker").status_code == 429


def test_failures_from_one_address_lock_it_for_every_account(caseworker, manager) -> None:
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for name in ("alice", "bob", "carol"):
        sign_in(attacker, name, "guess-guess-guess")

    assert sign_in(attacker, "caseworker").status_code == 429
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "caseworker").status_code == 302
    [lockout] = events("auth.locked_out")
    assert lockout.changes["address"] == "198.51.100.7"


def test_the_lock_lifts_after_the_cool_off(caseworker) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(3):
            sign_in(Client(), "caseworker", f"wrong-{n}")
        traveller.shift(dt.timedelta(minutes=29))
        assert sign_in(Client(), "caseworker").status_code == 429
        traveller.shift(dt.timedelta(minutes=31))  # 30 minutes after the last failure
        assert sign_in(Client(), "caseworker").status_code == 302


def lock(username: str) -> None:
    for n in range(3):
        sign_in(Client(), username, f"wrong-{n}")
    assert sign_in(Client(), username).status_code == 429


def test_an_administrator_unlocks_from_the_failed_sign_ins(caseworker, admin_client_) -> None:
    lock("caseworker")
    attempt = AccessAttempt.objects.get(username="caseworker")

    response = admin_client_.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [attempt.pk]}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    [event] = events("auth.unlocked")
    assert event.actor_name == "Alex Morgan"
    assert event.changes == {"username": "caseworker", "address": "127.0.0.1", "failures": 4}
    assert sign_in(Client(), "caseworker").status_code == 302


def test_an_administrator_unlocks_a_user_from_the_users_list(
    caseworker, admin_user, admin_client_
) -> None:
    lock("caseworker")

    response = admin_client_.post(
        "/admin/accounts/user/", {"action": "unlock_sign_in", "_selected_action": [caseworker.pk]}
    )

    assert response.status_code == 302
    assert len(events("auth.unlocked")) == 1
    assert sign_in(Client(), "caseworker").status_code == 302


def test_failed_sign_ins_cannot_be_deleted_in_the_admin(caseworker, admin_client_) -> None:
    lock("caseworker")
    attempt = AccessAttempt.objects.get(username="caseworker")

    delete = admin_client_.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert delete.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    html = admin_client_.get("/admin/axes/accessattempt/").content.decode()
    assert "Unlock: clear the selected failed sign-ins" in html
    assert "Delete selected" not in html


def test_the_admin_signs_in_through_the_site_sign_in_page(admin_user) -> None:
    client = Client()

    response = client.get("/admin/login/", {"next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2Fadmin%2F"
    posted = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert posted.status_code == 405
    signed_in = sign_in(client, "admin", next="/admin/")
    assert signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_is_locked_like_the_sign_in_page(admin_user) -> None:
    lock("admin")

    client = Client()
    assert client.get("/admin/login/", {"next": "/admin/"}).status_code == 302
    assert sign_in(client, "admin").status_code == 429


def test_the_admin_refuses_a_signed_in_user_without_the_role(caseworker_client) -> None:
    response = caseworker_client.get("/admin/login/", {"next": "/admin/"})

    assert response.status_code == 403
    assert "You need the administrator role to use the admin." in response.content.decode()


def test_the_admin_sign_out_is_recorded(admin_user, admin_client_) -> None:
    response = admin_client_.post("/admin/logout/")

    assert response.status_code == 302
    [event] = events("auth.signed_out")
    assert event.actor == admin_user


def test_the_token_endpoint_is_locked_after_repeated_failures(caseworker) -> None:
    client = Client()
    url = "/api/v1/auth/token/"
    wrong = [
        client.post(url, {"username": "caseworker", "password": f"wrong-{n}"}) for n in range(3)
    ]
    right = client.post(url, {"username": "caseworker", "password": PASSWORD})

    assert [r.status_code for r in wrong] == [400, 400, 429]
    assert right.status_code == 429
    assert right.json() == {
        "detail": "Sign-in is locked after too many failed attempts. Try again in 30 minutes, "
        "or ask an administrator to unlock it."
    }
    assert [e.changes["method"] for e in events("auth.sign_in_failed")] == ["api token"] * 4
    assert len(events("auth.locked_out")) == 1


def test_failures_at_the_token_endpoint_and_the_page_count_together(caseworker) -> None:
    client = Client()
    client.post("/api/v1/auth/token/", {"username": "caseworker", "password": "wrong-1"})
    client.post("/api/v1/auth/token/", {"username": "caseworker", "password": "wrong-2"})

    assert sign_in(client, "caseworker", "wrong-3").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_failures_count_against_the_address_the_proxy_saw() -> None:
    request = RequestFactory().post(
        "/sign-in/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5",
    )
    assert client_address(request) == "203.0.113.5"  # the caller wrote 6.6.6.6 themselves


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored() -> None:
    request = RequestFactory().post(
        "/sign-in/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="6.6.6.6"
    )
    assert client_address(request) == "198.51.100.1"


def test_passwords_need_at_least_12_characters(caseworker) -> None:
    with pytest.raises(ValidationError) as error:
        validate_password("Tr1cky-pass", caseworker)  # 11 characters
    assert error.value.messages == [
        "This password is too short. It must contain at least 12 characters."
    ]
    validate_password("Tr1cky-passw", caseworker)


def test_a_username_with_a_nul_character_is_refused_not_an_error() -> None:
    response = sign_in(Client(), "bad\x00name", "whatever-it-is")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.changes["username"] == "badname"


def test_a_form_sent_with_an_empty_box_is_not_an_attempt(caseworker) -> None:
    response = sign_in(Client(), "caseworker", "")

    assert "This field is required." in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.sign_in_failed").exists()
    assert not AccessAttempt.objects.exists()
