"""The case timeline reads in the order things happened: by each step's date, then its entry.

A case opened for a request received earlier starts where the case did (the demo's history, a
case brought over from paper), and a step recorded late sits on its own date.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from cases import selectors, services
from cases.models import Child
from send_cms.accounts.models import User
from tests.cases.conftest import RECEIVED_AT, take_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def _titles(child: Child) -> list[tuple[dt.date, str]]:
    return [(e.occurred_on, e.title) for e in selectors.timeline_for(child=child)]


def test_a_case_opened_when_its_request_came_is_the_oldest_step(
    caseworker: User, new_child: Callable[..., Child]
) -> None:
    child = new_child(opened_on=RECEIVED_AT.date())
    take_to("assessing", actor=caseworker, child=child)
    assert _titles(child) == [
        (dt.date(2025, 10, 13), "Decided to assess"),
        (dt.date(2025, 9, 8), "Request for an EHC needs assessment received"),
        (dt.date(2025, 9, 8), "Case opened"),
    ]


def test_a_case_opened_today_for_an_older_request_reads_so(
    caseworker: User, child: Child, today: dt.date
) -> None:
    take_to("received", actor=caseworker, child=child)
    assert _titles(child) == [
        (today, "Case opened"),
        (dt.date(2025, 9, 8), "Request for an EHC needs assessment received"),
    ]


def test_steps_on_one_day_read_latest_entry_first(caseworker: User, child: Child) -> None:
    for title in ("First", "Second", "Third"):
        services.timeline_record(
            actor=caseworker,
            child=child,
            event="note",
            title=title,
            occurred_on=dt.date(2026, 1, 5),
        )
    services.timeline_record(
        actor=caseworker,
        child=child,
        event="note",
        title="Earlier",
        occurred_on=dt.date(2026, 1, 4),
    )
    assert [title for _, title in _titles(child)][1:] == ["Third", "Second", "First", "Earlier"]


def test_a_case_cannot_open_in_the_future(new_child: Callable[..., Child], today: dt.date) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(opened_on=today + dt.timedelta(days=1))
    assert caught.value.message_dict == {
        "opened_on": ["The date the case opened cannot be in the future."]
    }
