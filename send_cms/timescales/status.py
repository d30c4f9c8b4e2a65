"""Where a deadline stands today: the badge a caseworker sees beside each due date."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class DeadlineStatus(StrEnum):
    """The statuses of timescales.md section 5."""

    upcoming = "upcoming"
    due_soon = "due_soon"
    overdue = "overdue"
    met = "met"
    met_late = "met_late"
    not_applicable = "not_applicable"

    @property
    def label(self) -> str:
        """The badge text."""
        return _LABELS[self]


_LABELS = {
    DeadlineStatus.upcoming: "Upcoming",
    DeadlineStatus.due_soon: "Due soon",
    DeadlineStatus.overdue: "Overdue",
    DeadlineStatus.met: "Met",
    DeadlineStatus.met_late: "Met late",
    DeadlineStatus.not_applicable: "Not applicable",
}

#: A deadline this many days away or fewer is "due soon".
DUE_SOON_DAYS = 7


def deadline_status(
    *,
    due: date | None,
    met_on: date | None,
    today: date,
    applicable: bool = True,
) -> DeadlineStatus:
    """The status of one deadline on `today`.

    Order matters: not applicable (or no due date to measure against), then met on or before
    the due date, met after it, overdue once `today` is past it, due soon within
    `DUE_SOON_DAYS` (a deadline due today is due soon, not overdue), else upcoming. `today` is
    passed in, never read from the clock, so the answer is the same in tests and reports.
    """
    if not applicable or due is None:
        return DeadlineStatus.not_applicable
    if met_on is not None:
        return DeadlineStatus.met if met_on <= due else DeadlineStatus.met_late
    if today > due:
        return DeadlineStatus.overdue
    if (due - today).days <= DUE_SOON_DAYS:
        return DeadlineStatus.due_soon
    return DeadlineStatus.upcoming
