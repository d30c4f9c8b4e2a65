"""The second factor: an authenticator app, required of managers and administrators (OTP_REQUIRED,
on in production) and asked of anyone who has set one up."""

import datetime as dt
from base64 import b32encode

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from send_cms.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.platform.auth_helpers import KNOWN_KEY, START, authenticator, code_now, sign_in
from tests.platform.test_settings import PROD, _manage

pytestmark = pytest.mark.django_db
WRONG = "The code is not right"


@pytest.fixture
def required(settings) -> None:
    settings.OTP_REQUIRED = True


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("occurred_at").values_list("action", flat=True))


@pytest.mark.usefixtures("required")
def test_a_manager_without_an_app_must_set_one_up_before_anything_else(manager) -> None:
    client = Client()
    sign_in(client, "manager")

    home = client.get("/")
    caseload = client.get("/cases/")
    api = client.get("/api/v1/children/")

    assert home.status_code == 302
    assert home["Location"] == "/account/second-factor/?next=%2F"
    assert caseload["Location"] == "/account/second-factor/?next=%2Fcases%2F"
    assert api.status_code == 403
    assert api.json() == {
        "detail": "Finish signing in with the code from your authenticator app before using "
        "the API."
    }
    setup = client.get("/account/second-factor/")
    html = setup.content.decode()
    assert setup.status_code == 200
    assert "Managers and administrators must use a second factor" in html
    assert '<svg class="app-qr-code" width="200" height="200" role="img"' in html


@pytest.mark.usefixtures("required")
def test_setting_up_shows_the_secret_and_a_right_code_confirms_it(manager, clock) -> None:
    client = Client()
    sign_in(client, "manager")
    html = client.get("/account/second-factor/").content.decode()
    device = TOTPDevice.objects.get(user=manager)
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in html
    assert not device.confirmed

    wrong = client.post("/account/second-factor/", {"otp_token": "000000", "next": "/cases/"})
    clock.shift(dt.timedelta(seconds=2))  # django-otp waits a second after a wrong code
    right = client.post(
        "/account/second-factor/", {"otp_token": code_now(device), "next": "/cases/"}
    )

    assert wrong.status_code == 200
    assert WRONG in wrong.content.decode()
    assert right.status_code == 302
    assert right["Location"] == "/cases/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 200
    assert actions() == [
        "auth.signed_in",
        "auth.sign_in_failed",
        "auth.second_factor_enrolled",
    ]


@pytest.mark.usefixtures("required")
def test_a_manager_with_an_app_gives_its_code_after_the_password(manager, clock) -> None:
    device = authenticator(manager)
    client = Client()

    signed_in = sign_in(client, "manager")
    assert client.get("/")["Location"] == "/sign-in/second-factor/?next=%2F"
    page = client.get("/sign-in/second-factor/", {"next": "/"})
    wrong = client.post("/sign-in/second-factor/", {"otp_token": "123456", "next": "/"})
    clock.shift(dt.timedelta(seconds=2))  # django-otp waits a second after a wrong code
    right = client.post("/sign-in/second-factor/", {"otp_token": code_now(device), "next": "/"})

    assert signed_in.status_code == 302
    assert "Enter the code from your authenticator app" in page.content.decode()
    assert WRONG in wrong.content.decode()
    assert right.status_code == 302
    assert right["Location"] == "/"
    assert client.get("/").status_code == 200
    signed_in_event = AuditEvent.objects.get(action="auth.signed_in")
    assert signed_in_event.changes["second_factor"] == "pending"
    failed = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert failed.changes["reason"] == "wrong second-factor code"
    assert AuditEvent.objects.get(action="auth.second_factor_verified").actor == manager


@pytest.mark.usefixtures("required")
def test_a_code_cannot_be_used_twice(manager) -> None:
    device = authenticator(manager)
    code = code_now(device)
    first, second = Client(), Client()
    sign_in(first, "manager")
    sign_in(second, "manager")

    assert first.post("/sign-in/second-factor/", {"otp_token": code}).status_code == 302
    assert WRONG in second.post("/sign-in/second-factor/", {"otp_token": code}).content.decode()


@pytest.mark.usefixtures("required")
def test_an_administrator_needs_the_code_for_the_admin_too(admin_user) -> None:
    authenticator(admin_user)
    client = Client()
    sign_in(client, "admin")

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/second-factor/?next=%2Fadmin%2F"


@pytest.mark.usefixtures("required")
def test_a_caseworker_is_not_asked_unless_they_set_up_an_app(caseworker) -> None:
    client = Client()
    sign_in(client, "caseworker")

    assert client.get("/").status_code == 200


def test_anyone_who_set_up_an_app_is_asked_even_when_not_required(caseworker) -> None:
    device = authenticator(caseworker)
    client = Client()
    sign_in(client, "caseworker")

    assert client.get("/")["Location"] == "/sign-in/second-factor/?next=%2F"
    client.post("/sign-in/second-factor/", {"otp_token": code_now(device)})
    assert client.get("/").status_code == 200


def test_the_demo_and_tests_sign_managers_in_with_the_password_alone(manager) -> None:
    client = Client()
    sign_in(client, "manager")

    assert client.get("/").status_code == 200


def test_a_password_alone_cannot_replace_an_app_that_is_set_up(caseworker) -> None:
    authenticator(caseworker)
    client = Client()
    sign_in(client, "caseworker")

    response = client.get("/account/second-factor/", {"replace": "1"})
    posted = client.post("/account/second-factor/", {"otp_token": "123456"})

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/second-factor/")
    assert posted.status_code == 302
    assert list(TOTPDevice.objects.filter(user=caseworker).values_list("key", flat=True)) == [
        KNOWN_KEY
    ]


def test_wrong_codes_count_towards_the_lockout(settings, caseworker, clock) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    authenticator(caseworker)
    client = Client()
    sign_in(client, "caseworker")
    statuses = []
    for _ in range(3):
        clock.shift(dt.timedelta(minutes=1))  # past django-otp's own back-off
        statuses.append(client.post("/sign-in/second-factor/", {"otp_token": "000000"}).status_code)

    assert statuses == [200, 200, 429]
    assert client.get("/").status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="auth.locked_out").count() == 1
    assert AuditEvent.objects.get(action="auth.signed_out").changes == {"reason": "locked out"}
    assert sign_in(Client(), "caseworker").status_code == 429


@pytest.mark.usefixtures("required")
def test_the_token_endpoint_asks_for_the_code(manager, clock) -> None:
    url = "/api/v1/auth/token/"
    client = Client()
    without_app = client.post(url, {"username": "manager", "password": PASSWORD})
    device = authenticator(manager)
    without_code = client.post(url, {"username": "manager", "password": PASSWORD})
    wrong = client.post(url, {"username": "manager", "password": PASSWORD, "otp_token": "000000"})
    clock.shift(dt.timedelta(seconds=2))
    right = client.post(
        url, {"username": "manager", "password": PASSWORD, "otp_token": code_now(device)}
    )

    assert without_app.status_code == 400
    assert without_app.json() == {
        "non_field_errors": [
            "Your account needs a second factor: sign in to the website once to set up an "
            "authenticator app, then ask for a token with its code."
        ]
    }
    assert without_code.json() == {
        "otp_token": ["Enter the 6-digit code from your authenticator app."]
    }
    assert wrong.json() == {"otp_token": ["The code is not right."]}
    assert right.status_code == 200
    assert set(right.json()) == {"token", "expiry"}


def test_an_administrator_resets_a_lost_app(caseworker, admin_client_) -> None:
    authenticator(caseworker)

    response = admin_client_.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [caseworker.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    event = AuditEvent.objects.get(action="auth.second_factor_reset")
    assert (event.actor_name, event.object_id) == ("Alex Morgan", str(caseworker.pk))


def test_the_admin_never_shows_an_apps_secret(caseworker, admin_client_) -> None:
    device = authenticator(caseworker)
    secret = b32encode(device.bin_key).decode()

    listing = admin_client_.get("/admin/otp_totp/totpdevice/").content.decode()
    detail = admin_client_.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")

    assert "Sam Okafor" in listing
    assert KNOWN_KEY not in listing
    assert secret not in listing
    assert detail.status_code == 200
    assert KNOWN_KEY not in detail.content.decode()
    assert "otpauth" not in listing + detail.content.decode()
    assert admin_client_.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_production_requires_the_second_factor_and_the_demo_does_not() -> None:
    code = "from django.conf import settings; print(settings.OTP_REQUIRED)"
    production = _manage("shell", "-c", code, env=PROD)
    local = _manage("shell", "-c", code, env={"DJANGO_SETTINGS_MODULE": "send_cms.settings.local"})

    assert production.stdout.strip().splitlines()[-1] == "True", production.stderr
    assert local.stdout.strip().splitlines()[-1] == "False", local.stderr
