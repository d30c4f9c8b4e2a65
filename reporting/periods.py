"""Reporting periods (api.md "Reporting"): a month, quarter, year, academic or financial year,
or the rolling 12 months to a month. Each is a pair of inclusive dates and a key for URLs.

Pure Python: the scorecard, the API and the snapshots parse and label periods the same way.
"""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

FIRST_YEAR, LAST_YEAR = 2000, 2100
PERIOD_HELP = (
    "Enter a period like 2025-08 (a month), 2025-Q3 (a quarter), 2025 (a year), AY2024 (the "
    "academic year from 1 September 2024), FY2024 (the financial year from 1 April 2024) or "
    "R12-2025-08 (the 12 months to August 2025)."
)
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ACADEMIC_YEAR = "academic_year"
    FINANCIAL_YEAR = "financial_year"
    ROLLING_12 = "rolling_12"


class PeriodError(ValueError):
    """A period key that is not one of api.md's forms, or out of range."""


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """Inclusive dates `start`..`end`; `key` is the canonical text (`2025-08`, `AY2024`...)."""

    start: dt.date
    end: dt.date
    kind: PeriodKind
    key: str

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        match self.kind:
            case PeriodKind.MONTH:
                return f"{MONTH_NAMES[s.month - 1]} {s.year}"
            case PeriodKind.QUARTER:
                return f"{MONTH_NAMES[s.month - 1][:3]} to {MONTH_NAMES[e.month - 1][:3]} {s.year}"
            case PeriodKind.YEAR:
                return str(s.year)
            case PeriodKind.ACADEMIC_YEAR:
                return f"Academic year {s.year} to {e.year}"
            case PeriodKind.FINANCIAL_YEAR:
                return f"Financial year {s.year} to {e.year}"
            case PeriodKind.ROLLING_12:
                return f"12 months to {MONTH_NAMES[e.month - 1]} {e.year}"
        raise AssertionError(self.kind)  # pragma: no cover

    @property
    def short_label(self) -> str:
        """Column headings: `Aug 25`, `Q3 25`, `2025`."""
        if self.kind in (PeriodKind.MONTH, PeriodKind.ROLLING_12):
            return f"{MONTH_NAMES[self.end.month - 1][:3]} {self.end:%y}"
        if self.kind == PeriodKind.QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start:%y}"
        return self.key

    def previous(self) -> "Period":
        """The period of the same kind just before this one (direction of travel)."""
        # A rolling year's previous period is the rolling year to the month before.
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.ROLLING_12: 1}.get(
            self.kind, 12
        )
        year, month = _shift_month(self.end.year, self.end.month, -months)
        return _from_kind_and_end(self.kind, year, month)

    def months(self) -> list["Period"]:
        """The calendar months inside the period, oldest first."""
        out = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(month_period(year, month))
            year, month = _shift_month(year, month, 1)
        return out


def month_period(year: int, month: int) -> Period:
    _check_year(year)
    start = dt.date(year, month, 1)
    return Period(start, month_end(year, month), PeriodKind.MONTH, f"{year:04d}-{month:02d}")


def month_of(day: dt.date) -> Period:
    return month_period(day.year, day.month)


def last_months(*, ending: Period, count: int) -> list[Period]:
    """`count` months ending with the month `ending` ends in, oldest first (chart columns)."""
    year, month = ending.end.year, ending.end.month
    out = []
    for back in range(count - 1, -1, -1):
        y, m = _shift_month(year, month, -back)
        out.append(month_period(y, m))
    return out


def _from_kind_and_end(kind: PeriodKind, year: int, month: int) -> Period:
    """The period of `kind` that ends in the month (year, month)."""
    if kind == PeriodKind.MONTH:
        return month_period(year, month)
    if kind == PeriodKind.QUARTER:
        return parse_period(f"{year}-Q{(month - 1) // 3 + 1}")
    if kind == PeriodKind.YEAR:
        return parse_period(str(year))
    if kind == PeriodKind.ACADEMIC_YEAR:
        return parse_period(f"AY{year - 1 if month <= 8 else year}")
    if kind == PeriodKind.FINANCIAL_YEAR:
        return parse_period(f"FY{year - 1 if month <= 3 else year}")
    return parse_period(f"R12-{year:04d}-{month:02d}")


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.")


_FORMS: tuple[tuple[re.Pattern[str], PeriodKind], ...] = (
    (re.compile(r"(\d{4})-(\d{2})"), PeriodKind.MONTH),
    (re.compile(r"(\d{4})-Q([1-4])"), PeriodKind.QUARTER),
    (re.compile(r"(\d{4})"), PeriodKind.YEAR),
    (re.compile(r"AY(\d{4})"), PeriodKind.ACADEMIC_YEAR),
    (re.compile(r"FY(\d{4})"), PeriodKind.FINANCIAL_YEAR),
    (re.compile(r"R12-(\d{4})-(\d{2})"), PeriodKind.ROLLING_12),
)


def parse_period(text: str) -> Period:
    """`2025-08`, `2025-Q3`, `2025`, `AY2024`, `FY2024` or `R12-2025-08`; PeriodError otherwise."""
    value = (text or "").strip().upper()
    for pattern, kind in _FORMS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        year = int(match.group(1))
        _check_year(year)
        if kind == PeriodKind.MONTH:
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise PeriodError(f"{text} is not a real month. {PERIOD_HELP}")
            return month_period(year, month)
        if kind == PeriodKind.QUARTER:
            quarter = int(match.group(2))
            first = 3 * quarter - 2
            return Period(
                dt.date(year, first, 1), month_end(year, first + 2), kind, f"{year}-Q{quarter}"
            )
        if kind == PeriodKind.YEAR:
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), kind, str(year))
        if kind == PeriodKind.ACADEMIC_YEAR:
            return Period(dt.date(year, 9, 1), dt.date(year + 1, 8, 31), kind, f"AY{year}")
        if kind == PeriodKind.FINANCIAL_YEAR:
            return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31), kind, f"FY{year}")
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"{text} is not a real month. {PERIOD_HELP}")
        first_year, first_month = _shift_month(year, month, -11)
        return Period(
            dt.date(first_year, first_month, 1),
            month_end(year, month),
            kind,
            f"R12-{year:04d}-{month:02d}",
        )
    raise PeriodError(f"{text or 'An empty period'} is not a period. {PERIOD_HELP}")


def last_complete_month(today: dt.date) -> Period:
    """The month before today's: what the 1st-of-the-month scorecard reports."""
    year, month = _shift_month(today.year, today.month, -1)
    return month_period(year, month)
