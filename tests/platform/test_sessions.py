"""Sessions end after SESSION_IDLE_TIMEOUT without a request (30 minutes by default) and
SESSION_COOKIE_AGE after signing in (8 hours) however busy; the page carries the GOV.UK timeout
warning, whose status check is not activity."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from send_cms.audit.models import AuditEvent
from tests.platform.auth_helpers import START, sign_in

pytestmark = pytest.mark.django_db
IDLE_BANNER = "You were signed out because you had not used the service for a while."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(caseworker, clock) -> Client:
    client = Client()
    sign_in(client, "caseworker")
    return client


def test_the_defaults_are_30_minutes_idle_and_8_hours_in_all() -> None:
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_a_session_ends_after_30_minutes_without_a_request(signed_in, clock) -> None:
    clock.shift(dt.timedelta(minutes=29))
    assert signed_in.get("/").status_code == 200
    clock.shift(dt.timedelta(minutes=30, seconds=1))

    response = signed_in.get("/cases/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?reason=idle&next=%2Fcases%2F"
    assert IDLE_BANNER in signed_in.get(response["Location"]).content.decode()
    event = AuditEvent.objects.get(action="auth.signed_out")
    assert event.changes == {"reason": "idle timeout"}
    assert signed_in.get("/").status_code == 302


def test_activity_keeps_a_session_going_until_the_absolute_limit(signed_in, clock) -> None:
    for _ in range(15):  # a request every 25 minutes: 6 h 15 min
        clock.shift(dt.timedelta(minutes=25))
        assert signed_in.get("/").status_code == 200
    for _ in range(7):  # to 9 h 10 min
        clock.shift(dt.timedelta(minutes=25))
        response = signed_in.get("/")
        if response.status_code == 302:
            break

    assert response["Location"] == "/sign-in/?reason=limit&next=%2F"
    assert AuditEvent.objects.get(action="auth.signed_out").changes == {
        "reason": "session time limit"
    }


def test_the_idle_timeout_is_a_setting(settings, signed_in, clock) -> None:
    settings.SESSION_IDLE_TIMEOUT = 10 * 60
    clock.shift(dt.timedelta(minutes=11))

    assert signed_in.get("/")["Location"] == "/sign-in/?reason=idle&next=%2F"


def test_asking_how_long_is_left_is_not_activity(signed_in, clock) -> None:
    clock.shift(dt.timedelta(minutes=20))
    status = signed_in.get("/session/status/")
    clock.shift(dt.timedelta(minutes=10, seconds=1))

    assert status.json() == {"seconds_left": 600}
    assert signed_in.get("/").status_code == 302


def test_stay_signed_in_starts_the_idle_clock_again(signed_in, clock) -> None:
    clock.shift(dt.timedelta(minutes=29))
    kept = signed_in.post("/session/keep-alive/", HTTP_ACCEPT="application/json")
    clock.shift(dt.timedelta(minutes=29))

    assert kept.json() == {"seconds_left": 1800}
    assert signed_in.get("/").status_code == 200


def test_without_javascript_stay_signed_in_returns_to_the_page(signed_in) -> None:
    response = signed_in.post("/session/keep-alive/", {"next": "/cases/"})

    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_each_page_carries_the_timeout_warning(signed_in, clock) -> None:
    clock.shift(dt.timedelta(minutes=5))
    html = signed_in.get("/").content.decode()

    assert 'data-seconds-left="1800"' in html
    assert "about to be signed out" in html
    assert "/static/js/timeout-warning.js" in html
    assert "timeout-warning" not in Client().get("/sign-in/").content.decode()


def test_the_warning_signs_out_when_its_countdown_ends(signed_in) -> None:
    response = signed_in.post("/sign-out/", {"timed_out": "1"})

    assert response["Location"] == "/sign-in/?reason=idle"
    assert AuditEvent.objects.get(action="auth.signed_out").changes == {"reason": "idle timeout"}


def test_the_api_goes_on_as_anonymous_after_the_idle_timeout(signed_in, clock) -> None:
    clock.shift(dt.timedelta(minutes=31))

    assert signed_in.get("/api/v1/children/").status_code in (401, 403)
