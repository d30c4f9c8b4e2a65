"""Shared fixtures of the tribunals tests."""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

LONDON = ZoneInfo("Europe/London")
#: "Today" in most tribunals tests: after every worked example, so none is in the future.
TODAY = dt.date(2026, 9, 10)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


@pytest.fixture
def today() -> Iterator[dt.date]:
    with time_machine.travel(at(TODAY), tick=False):
        yield TODAY
