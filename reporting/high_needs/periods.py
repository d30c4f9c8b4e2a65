"""Return periods: financial-year quarters, `FY2025-Q2` (July to September 2025).

DSG and safety-valve returns are made on the financial year (1 April to 31 March), quarterly, so
a figure finance enters belongs to one quarter of one financial year; the key sorts as text in
date order. Pure Python.
"""

import datetime as dt
import re
from dataclasses import dataclass

from reporting.periods import FIRST_YEAR, LAST_YEAR, MONTH_NAMES, month_end

RETURN_PERIOD_HELP = (
    "Enter a return period like FY2025-Q2: quarter 2 of the financial year from 1 April 2025 "
    "(July to September 2025)."
)
_KEY = re.compile(r"FY(\d{4})-Q([1-4])")


class ReturnPeriodError(ValueError):
    """Not a financial-year quarter, or out of range."""


@dataclass(frozen=True, order=True)
class ReturnPeriod:
    """Quarter `quarter` (1 = April to June) of the financial year starting 1 April `year`."""

    year: int
    quarter: int

    @property
    def key(self) -> str:
        return f"FY{self.year}-Q{self.quarter}"

    @property
    def start(self) -> dt.date:
        year, month = _first_month(self.year, self.quarter)
        return dt.date(year, month, 1)

    @property
    def end(self) -> dt.date:
        year, month = _first_month(self.year, self.quarter)
        return month_end(year, month + 2)

    @property
    def label(self) -> str:
        """`July to September 2025 (quarter 2 of 2025 to 2026)`."""
        first, last = self.start, self.end
        return (
            f"{MONTH_NAMES[first.month - 1]} to {MONTH_NAMES[last.month - 1]} {last.year} "
            f"(quarter {self.quarter} of {self.year} to {self.year + 1})"
        )

    def previous(self) -> "ReturnPeriod":
        if self.quarter == 1:
            return ReturnPeriod(self.year - 1, 4)
        return ReturnPeriod(self.year, self.quarter - 1)

    def next(self) -> "ReturnPeriod":
        if self.quarter == 4:
            return ReturnPeriod(self.year + 1, 1)
        return ReturnPeriod(self.year, self.quarter + 1)


def _first_month(year: int, quarter: int) -> tuple[int, int]:
    """Q1 starts in April, Q4 in January of the next calendar year."""
    if quarter == 4:
        return year + 1, 1
    return year, 3 * quarter + 1


def parse_return_period(text: str) -> ReturnPeriod:
    """`FY2025-Q2` (any case, surrounding spaces ignored); ReturnPeriodError otherwise."""
    value = (text or "").strip().upper()
    match = _KEY.fullmatch(value)
    if not match:
        raise ReturnPeriodError(
            f"{text or 'An empty period'} is not a return period. {RETURN_PERIOD_HELP}"
        )
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReturnPeriodError(f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.")
    return ReturnPeriod(year, int(match.group(2)))


def return_period_of(day: dt.date) -> ReturnPeriod:
    """The quarter `day` falls in."""
    year = day.year if day.month >= 4 else day.year - 1
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(day.month, 4)
    return ReturnPeriod(year, quarter)


def financial_year_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the financial year `day` falls in."""
    year = day.year if day.month >= 4 else day.year - 1
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def academic_year_of(day: dt.date) -> int:
    """The first calendar year of the academic year `day` falls in (1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def census_age_date(day: dt.date) -> dt.date:
    """31 August before `day`'s school year: the date the DSG age bands take ages on."""
    return dt.date(academic_year_of(day), 8, 31)
