"""A request that arrives after hours: the time it arrived beside the date it counts from, and
why; the cut-off is the council's setting, kept on each request (issue 13, item 9)."""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from cases import services
from cases.models import Child
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.settings.base import _time_of_day

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FRIDAY_EVENING = dt.datetime(2025, 12, 5, 16, 30, tzinfo=LONDON)  # Fri 5 Dec 2025, 4:30pm


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def child(caseworker: User) -> Child:
    return services.child_create(
        actor=caseworker,
        first_name="Noah",
        last_name="Baker",
        date_of_birth=dt.date(2016, 5, 4),
        sex="M",
        upn_unknown="UN5",
        caseworker=caseworker,
    )


@override_settings(REQUEST_CUT_OFF=dt.time(16, 0))
def test_the_councils_cut_off_decides_the_day_and_is_kept_on_the_request(
    caseworker: User, child: Child
) -> None:
    request = services.assessment_request_create(
        actor=caseworker,
        child=child,
        received_at=FRIDAY_EVENING,
        channel="email",
        source="parent_or_young_person",
    )

    assert request.received_on == dt.date(2025, 12, 8)  # Monday: 4:30pm is after 4pm
    request.refresh_from_db()
    assert request.received_cut_off == dt.time(16, 0)
    event = AuditEvent.objects.get(action="assessment_request.created")
    assert event.changes["cut_off"] == "16:00:00"


def test_the_law_s_5pm_when_the_council_sets_nothing(caseworker: User, child: Child) -> None:
    request = services.assessment_request_create(
        actor=caseworker,
        child=child,
        received_at=FRIDAY_EVENING,
        channel="email",
        source="parent_or_young_person",
    )

    assert request.received_on == dt.date(2025, 12, 5)


@override_settings(REQUEST_CUT_OFF=dt.time(11, 0))
def test_a_request_known_only_by_its_date_counts_from_that_date(
    caseworker: User, child: Child
) -> None:
    request = services.assessment_request_create_on(
        actor=caseworker, child=child, received_on=dt.date(2025, 12, 5), source="school"
    )

    assert request.received_on == dt.date(2025, 12, 5)
    assert request.received_cut_off is None


@override_settings(REQUEST_CUT_OFF=dt.time(16, 0))
def test_the_case_shows_when_it_arrived_beside_the_date_it_counts_from_and_why(
    caseworker_client: Client, caseworker: User, child: Child
) -> None:
    services.assessment_request_create(
        actor=caseworker,
        child=child,
        received_at=FRIDAY_EVENING,
        channel="email",
        source="parent_or_young_person",
    )

    page = caseworker_client.get(reverse("cases:child-detail", args=[child.pk])).content.decode()

    assert "Friday 5 Dec 2025 at 4:30pm (email, from parent or young person)" in page
    counts = page.split('id="received-on">', 1)[1].split("</dd>", 1)[0]
    assert "8 Dec 2025" in counts
    assert (
        "Arrived after the council&#x27;s 4pm cut-off: it counts from the next working day."
        in counts
    )


def test_the_reason_keeps_the_cut_off_the_date_was_derived_with(
    caseworker_client: Client, caseworker: User, child: Child
) -> None:
    with override_settings(REQUEST_CUT_OFF=dt.time(16, 0)):
        services.assessment_request_create(
            actor=caseworker,
            child=child,
            received_at=FRIDAY_EVENING,
            channel="email",
            source="parent_or_young_person",
        )
    # The council later moves its cut-off back to 5pm: the date and its reason still agree.
    page = caseworker_client.get(reverse("cases:child-detail", args=[child.pk])).content.decode()

    counts = page.split('id="received-on">', 1)[1].split("</dd>", 1)[0]
    assert "8 Dec 2025" in counts
    assert "4pm cut-off" in counts


def test_a_date_only_request_says_its_time_was_not_recorded(
    caseworker_client: Client, caseworker: User, child: Child
) -> None:
    services.assessment_request_create_on(
        actor=caseworker, child=child, received_on=dt.date(2025, 12, 5), source="school"
    )

    page = caseworker_client.get(reverse("cases:child-detail", args=[child.pk])).content.decode()

    assert "Friday 5 Dec 2025 (email, from school or education setting)" in page
    assert "The time it arrived was not recorded: it counts from the day it arrived." in page


@override_settings(REQUEST_CUT_OFF=dt.time(16, 0))
def test_the_request_form_hint_gives_the_councils_cut_off(caseworker_client: Client) -> None:
    page = caseworker_client.get(reverse("cases:request-create")).content.decode()

    assert "After 4pm on a working day counts from the next working day." in page


@pytest.mark.parametrize("text", ["5pm", "25:00", ""])
def test_a_cut_off_that_is_not_a_time_stops_the_start(text: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="REQUEST_CUT_OFF must be a 24-hour time"):
        _time_of_day("REQUEST_CUT_OFF", text)


def test_a_cut_off_setting_reads_as_a_time() -> None:
    assert _time_of_day("REQUEST_CUT_OFF", " 16:30 ") == dt.time(16, 30)
