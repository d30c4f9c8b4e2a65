"""How the law counts time: one small function per convention of timescales.md section 1.

W weeks, D days beginning with, M months after, Y 12-month period starting with, B before a
date, R working days (Regulations), T tribunal working days, L appeal lodging. Each takes dates
and returns a date, so a rule is a choice of convention plus a number.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from enum import StrEnum

from send_cms.timescales.calendar import WorkingCalendar


def _last_day_of_month(year: int, month: int) -> int:
    return _stdlib_calendar.monthrange(year, month)[1]


def add_weeks(start: date, n: int) -> date:
    """W: "within N weeks of X" ends on X + 7N days; the day of X is not counted.

    A negative `n` gives a date before X ("at least 2 weeks' notice" of a meeting).
    """
    return start + timedelta(weeks=n)


def add_days(start: date, n: int) -> date:
    """Calendar days, counted like W: "within N days of X" ends on X + N."""
    return start + timedelta(days=n)


def last_day_of_window(start: date, days: int) -> date:
    """D: "at least N days beginning with the day X" is X .. X+N-1; this returns X+N-1.

    The next step (a final plan) may happen from the day after.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    return start + timedelta(days=days - 1)


def add_months(start: date, n: int) -> date:
    """M: the same day-number N months later (or earlier, for negative N).

    If that day does not exist, the last day of that month: 31 Dec + 2 months = 28/29 Feb,
    31 Jul - 5 months = 28/29 Feb.
    """
    index = start.year * 12 + (start.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(start.day, _last_day_of_month(year, month)))


def months_period_end(start: date, months: int) -> date:
    """Y generalised: the last day of the period of N months starting with `start`.

    The day before the same date N months on; if that date does not exist, the last day of
    that month (the period starting 29 Feb 2028 ends 28 Feb 2029).
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = _last_day_of_month(year, month)
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def twelve_month_period_end(start: date) -> date:
    """Y: the last day of "the period of 12 months starting with" `start` (CFA s.44).

    10 Mar 2025 -> 9 Mar 2026; 29 Feb 2028 -> 28 Feb 2029; 31 Jan 2026 -> 30 Jan 2027. This
    is the strict reading; many councils use the anniversary, one day later.
    """
    return months_period_end(start, 12)


def day_before(year: int, month: int, day: int) -> date:
    """B: the last day on which something done "before 15 February" is in time (14 Feb)."""
    return date(year, month, day) - timedelta(days=1)


def add_working_days(start: date, n: int, calendar: WorkingCalendar) -> date:
    """R: N working days, counted from the day after `start`; no Christmas or August relief."""
    return calendar.add_working_days(start, n)


def add_tribunal_working_days(start: date, n: int, calendar: WorkingCalendar) -> date:
    """T: N tribunal working days, skipping 25 December to 1 January and August (r.12(3)(b))."""
    return calendar.add_tribunal_working_days(start, n)


class LodgingAdjustment(StrEnum):
    """Why an appeal deadline moved off its raw date (r.12), for the explanation."""

    none = "none"
    christmas = "christmas"
    august = "august"
    non_working_day = "non_working_day"


def appeal_lodging_raw(
    notice_sent: date,
    certificate: date | None = None,
    *,
    months: int = 2,
    certificate_months: int = 1,
) -> date:
    """L, first step: the later of notice + 2 months and certificate + 1 month (both M)."""
    raw = add_months(notice_sent, months)
    if certificate is not None:
        raw = max(raw, add_months(certificate, certificate_months))
    return raw


def adjust_lodging_date(raw: date, calendar: WorkingCalendar) -> tuple[date, LodgingAdjustment]:
    """L, second step: move a raw appeal deadline as rule 12 of the Tribunal Rules says.

    25 Dec-1 Jan -> the first working day after 1 January (r.12(3)(a)); August -> the first
    working day after 31 August (r.12(3)(a)); otherwise a weekend or bank holiday -> the next
    working day (r.12(2)). Working day here is r.12(4)'s: no Christmas or August relief, so a
    raw date on Saturday 31 July moves only to Monday 2 August.
    """
    if (raw.month == 12 and raw.day >= 25) or (raw.month == 1 and raw.day == 1):
        new_year = date(raw.year + 1 if raw.month == 12 else raw.year, 1, 1)
        return calendar.next_working_day(new_year), LodgingAdjustment.christmas
    if raw.month == 8:
        return calendar.next_working_day(date(raw.year, 8, 31)), LodgingAdjustment.august
    if not calendar.is_working_day(raw):
        return calendar.next_working_day(raw), LodgingAdjustment.non_working_day
    return raw, LodgingAdjustment.none


def appeal_lodging_deadline(
    notice_sent: date,
    calendar: WorkingCalendar,
    certificate: date | None = None,
    *,
    months: int = 2,
    certificate_months: int = 1,
) -> date:
    """L: the last day the tribunal can receive an appeal (rules 20 and 12)."""
    raw = appeal_lodging_raw(
        notice_sent, certificate, months=months, certificate_months=certificate_months
    )
    return adjust_lodging_date(raw, calendar)[0]
