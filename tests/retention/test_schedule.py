"""The retention schedule: its defaults, the council's periods by setting, and the date maths."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from send_cms.retention.schedule import (
    AUDIT_TRAIL,
    SEN_FILE,
    TRIBUNAL_FILE,
    Action,
    add_years,
    latest_start,
    rule,
    schedule,
)


def test_defaults_sen_file_31_years_from_birth_tribunal_6_audit_kept(
    settings: Any,
) -> None:
    settings.RETENTION_YEARS = {}
    by_id = {r.id: r for r in schedule()}
    assert (by_id[SEN_FILE].years, by_id[SEN_FILE].action) == (31, Action.ANONYMISE)
    assert "IRMS" in by_id[SEN_FILE].source
    assert (by_id[TRIBUNAL_FILE].years, by_id[TRIBUNAL_FILE].action) == (6, Action.ANONYMISE)
    assert by_id[AUDIT_TRAIL].action == Action.KEEP


def test_the_councils_periods_replace_the_defaults(settings: Any) -> None:
    settings.RETENTION_YEARS = {"sen_file": "35"}
    assert rule(SEN_FILE).years == 35
    assert rule(TRIBUNAL_FILE).years == 6


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sen_files": "35"}, "'sen_files', which is not in the retention schedule"),
        ({"sen_file": "thirty"}, "gives 'sen_file' 'thirty' years"),
        ({"sen_file": "0"}, "gives 'sen_file' '0' years"),
    ],
)
def test_a_mistyped_setting_stops_the_service_rather_than_dispose_early(
    settings: Any, overrides: dict[str, str], message: str
) -> None:
    settings.RETENTION_YEARS = overrides
    with pytest.raises(ImproperlyConfigured, match=message):
        schedule()


@pytest.mark.parametrize(
    ("start", "years", "ends"),
    [
        (dt.date(1995, 12, 7), 31, dt.date(2026, 12, 7)),
        (dt.date(1996, 2, 29), 31, dt.date(2027, 3, 1)),  # no 29 Feb 2027: 1 March
        (dt.date(1996, 2, 29), 32, dt.date(2028, 2, 29)),
        (dt.date(2019, 12, 31), 6, dt.date(2025, 12, 31)),
    ],
)
def test_add_years(start: dt.date, years: int, ends: dt.date) -> None:
    assert add_years(start, years) == ends


@pytest.mark.parametrize(
    "today",
    [dt.date(2027, 2, 28), dt.date(2027, 3, 1), dt.date(2028, 2, 29), dt.date(2026, 12, 7)],
)
def test_due_exactly_when_the_period_has_ended(today: dt.date) -> None:
    """For every birthday around the edges: listed iff its period ended on or before today."""
    cutoff = latest_start(today, 31)
    day = dt.date(1995, 11, 1)
    while day < dt.date(1997, 4, 1):
        assert (day <= cutoff) == (add_years(day, 31) <= today), day
        day += dt.timedelta(days=1)
