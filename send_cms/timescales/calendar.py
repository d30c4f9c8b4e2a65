"""The working-day calendar the statutory rules count on.

English and Welsh bank holidays come from the `holidays` package (nothing is fetched at run
time); the council's own closure days are passed in by the caller. Three notions of a day:

* working day (the SEND Regulations 2014 and rule 12(4) of the Tribunal Procedure Rules):
  Monday to Friday and not a bank holiday. Christmas Day and Good Friday are in the package.
  A council's closure days do not change statutory working days.
* office day: a working day on which the council is open. Used only for a practical target.
* tribunal working day (rule 12(3)(b)): a working day that is not 25 December to 1 January
  inclusive and not in August.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class WorkingCalendar:
    """Bank holidays for England (lazy, any year) plus the council's closure days.

    Immutable once built, so one instance can be shared between threads and requests.
    """

    __slots__ = ("_by_year", "_closures", "_holidays", "_lock")

    _by_year: dict[int, frozenset[date]]
    _closures: frozenset[date]
    _holidays: holidays.HolidayBase
    _lock: threading.Lock

    def __init__(self, closures: Iterable[date] = (), *, years: Iterable[int] = ()) -> None:
        """Build the calendar; `years` only warms the cache, any other year loads on demand."""
        closure_set = frozenset(closures)
        for day in closure_set:
            if not isinstance(day, date):
                raise TypeError(f"closures must be dates, got {day!r}")
        object.__setattr__(self, "_closures", closure_set)
        object.__setattr__(
            self,
            "_holidays",
            holidays.country_holidays("GB", subdiv="ENG", years=tuple(years), expand=True),
        )
        object.__setattr__(self, "_by_year", {})
        object.__setattr__(self, "_lock", threading.Lock())

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse changes: a calendar that changed under a computation would give two answers."""
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(closures={len(self._closures)} days)"

    @property
    def closures(self) -> frozenset[date]:
        """The council's closure days, as given."""
        return self._closures

    # --- bank holidays ----------------------------------------------------------------------

    def _weekday_holidays(self, year: int) -> frozenset[date]:
        """Bank holidays of one year that fall Monday to Friday, loaded once per year."""
        cached = self._by_year.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._by_year.get(year)
            if cached is None:
                # Asking for a date of the year makes the package expand to that year.
                self._holidays.get(date(year, 1, 1))
                cached = frozenset(
                    day for day in self._holidays if day.year == year and day.weekday() < _SATURDAY
                )
                self._by_year[year] = cached
        return cached

    def bank_holidays(self, year: int) -> tuple[date, ...]:
        """The days off in England and Wales in `year`, in order.

        A holiday that falls on a weekend (Boxing Day on a Saturday) is replaced by its
        substitute day, which the package lists; the weekend date itself gives no day off and
        is left out, so the list matches the one the government publishes.
        """
        return tuple(sorted(self._weekday_holidays(year)))

    def bank_holiday_name(self, d: date) -> str | None:
        """The holiday's name, for explanations ("Boxing Day (observed)"), or None."""
        if not self.is_bank_holiday(d):
            return None
        name = self._holidays.get(d)
        return str(name) if name is not None else None

    def is_bank_holiday(self, d: date) -> bool:
        """True on a weekday that is a bank holiday in England and Wales."""
        return d in self._weekday_holidays(d.year)

    # --- statutory working days ----------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a bank holiday: the Regulations' meaning."""
        return d.weekday() < _SATURDAY and not self.is_bank_holiday(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        day = d + _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d`, counting from the day after `d` (0 gives `d`)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = d
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    # --- tribunal working days -----------------------------------------------------------------

    @staticmethod
    def is_tribunal_recess(d: date) -> bool:
        """True from 25 December to 1 January inclusive and on every day in August."""
        return d.month == 8 or (d.month == 12 and d.day >= 25) or (d.month == 1 and d.day == 1)

    def is_tribunal_working_day(self, d: date) -> bool:
        """A working day outside 25 December to 1 January and August (rule 12(3)(b))."""
        return self.is_working_day(d) and not self.is_tribunal_recess(d)

    def next_tribunal_working_day(self, d: date) -> date:
        """The first tribunal working day strictly after `d`."""
        day = d + _ONE_DAY
        while not self.is_tribunal_working_day(day):
            day += _ONE_DAY
        return day

    def add_tribunal_working_days(self, d: date, n: int) -> date:
        """The n-th tribunal working day after `d`, counting from the day after `d`."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = d
        for _ in range(n):
            day = self.next_tribunal_working_day(day)
        return day

    # --- the council's office days -------------------------------------------------------------

    def is_closure(self, d: date) -> bool:
        """True on one of the council's own closure days."""
        return d in self._closures

    def is_office_day(self, d: date) -> bool:
        """A working day on which the council is open: used only for a practical target."""
        return self.is_working_day(d) and d not in self._closures

    def previous_office_day(self, d: date) -> date:
        """The last office day strictly before `d`."""
        day = d - _ONE_DAY
        while not self.is_office_day(day):
            day -= _ONE_DAY
        return day


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """A shared calendar with bank holidays only (no council closures)."""
    return WorkingCalendar()
