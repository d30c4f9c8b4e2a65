"""The working-day calendar: bank holidays, working days, tribunal days and closures."""

from datetime import date

import pytest

from send_cms.timescales import WorkingCalendar, default_calendar

# The lists in timescales.md section 1 (days off; a weekend holiday gives its substitute).
BANK_HOLIDAYS = {
    2025: [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ],
    2026: [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    ],
    2027: [
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),
        date(2027, 12, 28),
    ],
}


@pytest.fixture
def cal():
    return WorkingCalendar()


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_bank_holidays_match_the_published_list(cal, year):
    assert list(cal.bank_holidays(year)) == BANK_HOLIDAYS[year]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 3), True),  # Good Friday
        (date(2026, 4, 6), True),  # Easter Monday
        (date(2026, 4, 7), False),
        (date(2026, 12, 26), False),  # Boxing Day on a Saturday: the day off is the 28th
        (date(2026, 12, 28), True),  # Boxing Day substitute
        (date(2027, 12, 27), True),  # Christmas Day substitute
        (date(2040, 12, 25), True),  # any year loads on demand
        (date(2025, 12, 31), False),
    ],
)
def test_is_bank_holiday(cal, day, expected):
    assert cal.is_bank_holiday(day) is expected


def test_bank_holiday_name_for_a_substitute_day(cal):
    assert "Boxing Day" in (cal.bank_holiday_name(date(2026, 12, 28)) or "")
    assert cal.bank_holiday_name(date(2026, 12, 29)) is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 9, 8), True),  # Monday
        (date(2025, 9, 13), False),  # Saturday
        (date(2025, 9, 14), False),  # Sunday
        (date(2025, 12, 25), False),
        (date(2025, 12, 29), True),  # no Christmas relief under the Regulations
        (date(2026, 8, 3), True),  # nor August relief
        (date(2026, 8, 31), False),  # late summer bank holiday
    ],
)
def test_is_working_day(cal, day, expected):
    assert cal.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 8), 0, date(2025, 9, 8)),
        (date(2025, 9, 8), 1, date(2025, 9, 9)),
        (date(2025, 9, 12), 1, date(2025, 9, 15)),  # Friday -> Monday
        (date(2025, 9, 13), 1, date(2025, 9, 15)),  # from a Saturday
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Easter 2026 (3 and 6 Apr)
        (date(2026, 4, 2), 2, date(2026, 4, 8)),
        (date(2025, 12, 24), 1, date(2025, 12, 29)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # 25 Dec and the 28 Dec substitute
        (date(2025, 12, 1), 30, date(2026, 1, 15)),
    ],
)
def test_add_working_days(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


def test_add_working_days_refuses_a_negative_count(cal):
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(date(2025, 9, 8), -1)
    with pytest.raises(ValueError, match="negative"):
        cal.add_tribunal_working_days(date(2025, 9, 8), -1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 12, 24), date(2025, 12, 29)),
        (date(2025, 12, 26), date(2025, 12, 29)),
        (date(2026, 4, 2), date(2026, 4, 7)),
        (date(2026, 8, 28), date(2026, 9, 1)),  # over the 31 Aug 2026 bank holiday
    ],
)
def test_next_working_day_is_strictly_after(cal, day, expected):
    assert cal.next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 12, 24), True),
        (date(2025, 12, 29), False),  # a working day, but in the Christmas recess
        (date(2025, 12, 31), False),
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), True),
        (date(2026, 7, 31), True),
        (date(2026, 8, 3), False),  # August
        (date(2026, 8, 31), False),
        (date(2026, 9, 1), True),
        (date(2026, 9, 5), False),  # Saturday
    ],
)
def test_is_tribunal_working_day(cal, day, expected):
    assert cal.is_tribunal_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 12, 24), 1, date(2026, 1, 2)),
        (date(2026, 7, 31), 1, date(2026, 9, 1)),
        (date(2026, 7, 1), 30, date(2026, 9, 10)),  # 22 days in July, 8 in September
        (date(2025, 12, 1), 30, date(2026, 1, 20)),
    ],
)
def test_add_tribunal_working_days(cal, start, n, expected):
    assert cal.add_tribunal_working_days(start, n) == expected


def test_closures_change_office_days_but_not_working_days():
    closed = date(2025, 12, 24)
    cal = WorkingCalendar(closures=[closed, date(2025, 12, 29)])

    assert cal.is_working_day(closed)
    assert not cal.is_office_day(closed)
    assert cal.is_closure(closed)
    assert cal.add_working_days(date(2025, 12, 23), 1) == closed
    assert cal.closures == frozenset({closed, date(2025, 12, 29)})


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 9, 9), date(2025, 9, 8)),
        (date(2025, 9, 15), date(2025, 9, 12)),  # Monday -> Friday
        (date(2026, 4, 6), date(2026, 4, 2)),  # Easter Monday -> Thursday before Good Friday
        (date(2025, 12, 30), date(2025, 12, 23)),  # past the closures and Christmas
    ],
)
def test_previous_office_day(day, expected):
    cal = WorkingCalendar(closures=[date(2025, 12, 24), date(2025, 12, 29)])

    assert cal.previous_office_day(day) == expected


def test_calendar_is_immutable(cal):
    with pytest.raises(AttributeError, match="immutable"):
        cal._closures = frozenset()


def test_closures_must_be_dates():
    with pytest.raises(TypeError, match="closures must be dates"):
        WorkingCalendar(closures=["2025-12-24"])  # type: ignore[list-item]


def test_years_warm_the_cache_without_changing_answers():
    warmed = WorkingCalendar(years=[2025, 2026])

    assert warmed.bank_holidays(2026) == WorkingCalendar().bank_holidays(2026)


def test_default_calendar_is_shared_and_has_no_closures():
    assert default_calendar() is default_calendar()
    assert default_calendar().closures == frozenset()
