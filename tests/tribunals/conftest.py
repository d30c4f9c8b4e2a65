"""Shared fixtures of the tribunals tests."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")
#: "Today" in most tribunals tests: after every worked example, so none is in the future.
TODAY = dt.date(2026, 9, 10)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


@pytest.fixture
def frozen_at() -> dt.datetime:
    """`today` (tests/conftest.py) is TODAY, 10:00 in London."""
    return at(TODAY)
