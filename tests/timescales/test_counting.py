"""The counting conventions W, D, M, Y, B and L at month ends, leap years and holidays."""

from datetime import date

import pytest

from send_cms.timescales import (
    LodgingAdjustment,
    WorkingCalendar,
    add_months,
    add_weeks,
    adjust_lodging_date,
    appeal_lodging_deadline,
    appeal_lodging_raw,
    day_before,
    last_day_of_window,
    months_period_end,
    twelve_month_period_end,
)


@pytest.fixture
def cal():
    return WorkingCalendar()


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 8), 20, date(2026, 1, 26)),
        (date(2025, 9, 8), 0, date(2025, 9, 8)),
        (date(2026, 1, 29), -2, date(2026, 1, 15)),
        (date(2028, 2, 15), 2, date(2028, 2, 29)),  # leap year
    ],
)
def test_add_weeks(start, n, expected):
    assert add_weeks(start, n) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 9, 1), 15, date(2025, 9, 15)),
        (date(2025, 9, 1), 1, date(2025, 9, 1)),
        (date(2025, 12, 20), 15, date(2026, 1, 3)),
        (date(2028, 2, 20), 15, date(2028, 3, 5)),  # through 29 Feb
    ],
)
def test_last_day_of_window(start, days, expected):
    assert last_day_of_window(start, days) == expected


def test_window_needs_at_least_one_day():
    with pytest.raises(ValueError, match="at least 1"):
        last_day_of_window(date(2025, 9, 1), 0)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 10, 27), 2, date(2025, 12, 27)),
        (date(2025, 12, 4), 1, date(2026, 1, 4)),  # across the year end
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2025, 6, 15), 0, date(2025, 6, 15)),
        # Backwards ("5 months before").
        (date(2027, 7, 31), -5, date(2027, 2, 28)),
        (date(2028, 7, 31), -5, date(2028, 2, 29)),
        (date(2026, 3, 15), -3, date(2025, 12, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -13, date(2024, 12, 10)),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 3, 10), date(2026, 3, 9)),
        (date(2026, 2, 23), date(2027, 2, 22)),
        (date(2028, 2, 29), date(2029, 2, 28)),  # 29 Feb 2029 does not exist
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2027, 2, 28), date(2028, 2, 27)),
        (date(2028, 2, 28), date(2029, 2, 27)),
        (date(2027, 3, 1), date(2028, 2, 29)),  # the period ends on a leap day
        (date(2028, 3, 1), date(2029, 2, 28)),
        (date(2026, 1, 31), date(2027, 1, 30)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2025, 12, 31), date(2026, 12, 30)),
    ],
)
def test_twelve_month_period_end(start, expected):
    assert twelve_month_period_end(start) == expected


def test_months_period_end_other_lengths():
    assert months_period_end(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert months_period_end(date(2025, 9, 1), 1) == date(2025, 9, 30)
    with pytest.raises(ValueError, match="at least 1"):
        months_period_end(date(2025, 9, 1), 0)


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2026, 2, 15, date(2026, 2, 14)),
        (2026, 3, 31, date(2026, 3, 30)),
        (2028, 3, 1, date(2028, 2, 29)),
        (2026, 1, 1, date(2025, 12, 31)),
    ],
)
def test_day_before(year, month, day, expected):
    assert day_before(year, month, day) == expected


@pytest.mark.parametrize(
    ("raw", "expected", "adjustment"),
    [
        (date(2025, 11, 7), date(2025, 11, 7), LodgingAdjustment.none),  # a Friday stands
        (date(2025, 11, 8), date(2025, 11, 10), LodgingAdjustment.non_working_day),  # Saturday
        (date(2026, 4, 3), date(2026, 4, 7), LodgingAdjustment.non_working_day),  # Good Friday
        (date(2026, 4, 6), date(2026, 4, 7), LodgingAdjustment.non_working_day),  # Easter Mon
        (date(2025, 12, 24), date(2025, 12, 24), LodgingAdjustment.none),
        (date(2025, 12, 25), date(2026, 1, 2), LodgingAdjustment.christmas),
        (date(2025, 12, 29), date(2026, 1, 2), LodgingAdjustment.christmas),  # a weekday
        (date(2026, 1, 1), date(2026, 1, 2), LodgingAdjustment.christmas),
        (date(2026, 12, 25), date(2027, 1, 4), LodgingAdjustment.christmas),  # 1 Jan is a Fri
        (date(2027, 1, 1), date(2027, 1, 4), LodgingAdjustment.christmas),
        (date(2026, 8, 1), date(2026, 9, 1), LodgingAdjustment.august),  # a Saturday in August
        (date(2026, 8, 10), date(2026, 9, 1), LodgingAdjustment.august),
        (date(2027, 8, 30), date(2027, 9, 1), LodgingAdjustment.august),  # bank holiday too
        (date(2027, 8, 31), date(2027, 9, 1), LodgingAdjustment.august),
        (date(2026, 9, 1), date(2026, 9, 1), LodgingAdjustment.none),
        # r.12(2) then stops: a raw date on a weekend just before a recess moves only to the
        # next working day (r.12(4) has no recess), even if that day is in the recess.
        (date(2022, 12, 24), date(2022, 12, 28), LodgingAdjustment.non_working_day),
        (date(2027, 7, 31), date(2027, 8, 2), LodgingAdjustment.non_working_day),
    ],
)
def test_adjust_lodging_date(cal, raw, expected, adjustment):
    assert adjust_lodging_date(raw, cal) == (expected, adjustment)


@pytest.mark.parametrize(
    ("notice", "certificate", "raw", "deadline"),
    [
        (date(2025, 10, 27), date(2025, 12, 4), date(2026, 1, 4), date(2026, 1, 5)),
        (date(2026, 6, 10), None, date(2026, 8, 10), date(2026, 9, 1)),
        # A certificate whose month ends before notice + 2 months changes nothing.
        (date(2025, 9, 1), date(2025, 9, 15), date(2025, 11, 1), date(2025, 11, 3)),
        # A certificate later than notice + 2 months wins.
        (date(2025, 9, 1), date(2025, 10, 20), date(2025, 11, 20), date(2025, 11, 20)),
        (date(2025, 12, 1), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 2)),
        (date(2025, 12, 31), None, date(2026, 2, 28), date(2026, 3, 2)),
        (date(2026, 10, 25), None, date(2026, 12, 25), date(2027, 1, 4)),
    ],
)
def test_appeal_lodging(cal, notice, certificate, raw, deadline):
    assert appeal_lodging_raw(notice, certificate) == raw
    assert appeal_lodging_deadline(notice, cal, certificate) == deadline
