"""The council's working calendar: bank holidays (from the engine) plus its own closure days.

`council_calendar()` reads the closure days (a handful of rows, one query) and returns the
calendar built for exactly that set. Calendars are cached per process by that set, so a change
made anywhere (the admin, another process) is picked up by the next call, and an unchanged set
reuses the calendar whose bank holidays are already loaded.
"""

import datetime as dt
from functools import lru_cache

from send_cms.deadlines.models import ClosureDay
from send_cms.timescales import WorkingCalendar


@lru_cache(maxsize=8)
def _calendar_for(closures: frozenset[dt.date]) -> WorkingCalendar:
    return WorkingCalendar(closures)


def council_calendar() -> WorkingCalendar:
    """The calendar every stored deadline and the calculator count on."""
    closures = frozenset(ClosureDay.objects.values_list("date", flat=True))
    return _calendar_for(closures)
