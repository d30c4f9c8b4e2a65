"""The council's working calendar: bank holidays (from the engine) plus its own closure days.

`council_calendar()` reads the closure days (a handful of rows, one query) and returns the
calendar built for exactly that set. Calendars are cached per process by that set, so a change
made anywhere (the admin, another process) is picked up by the next call, and an unchanged set
reuses the calendar whose bank holidays are already loaded.

Within one web request the closure days are read once: a list page that computes each row's
deadlines asks for the calendar per row, and must not cost a query per row. A closure day saved
or deleted during the request (`forget_council_calendar`) is read again.
"""

import datetime as dt
from functools import lru_cache
from typing import Any

from asgiref.local import Local
from django.core.signals import request_finished, request_started

from send_cms.deadlines.models import ClosureDay
from send_cms.timescales import WorkingCalendar

_request = Local()


@lru_cache(maxsize=8)
def _calendar_for(closures: frozenset[dt.date]) -> WorkingCalendar:
    return WorkingCalendar(closures)


def council_calendar() -> WorkingCalendar:
    """The calendar every stored and shown deadline and the calculator count on."""
    calendar: WorkingCalendar | None = getattr(_request, "calendar", None)
    if calendar is not None:
        return calendar
    calendar = _calendar_for(frozenset(ClosureDay.objects.values_list("date", flat=True)))
    if getattr(_request, "open", False):
        _request.calendar = calendar
    return calendar


def forget_council_calendar() -> None:
    """Read the closure days again on the next call (they have just changed)."""
    _request.calendar = None


def _request_started(**kwargs: Any) -> None:
    _request.open = True
    _request.calendar = None


def _request_finished(**kwargs: Any) -> None:
    _request.open = False
    _request.calendar = None


def connect_request_signals() -> None:
    """Read the closure days once a request (called by the app's `ready`)."""
    request_started.connect(_request_started, dispatch_uid="deadlines-calendar-request-started")
    request_finished.connect(_request_finished, dispatch_uid="deadlines-calendar-request-finished")
