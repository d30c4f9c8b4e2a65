"""Deadline status at its boundaries."""

from datetime import date

import pytest

from send_cms.timescales import DUE_SOON_DAYS, DeadlineStatus, deadline_status

TODAY = date(2026, 1, 10)


@pytest.mark.parametrize(
    ("due", "met_on", "applicable", "expected"),
    [
        (date(2026, 1, 10), None, True, DeadlineStatus.due_soon),  # due today
        (date(2026, 1, 17), None, True, DeadlineStatus.due_soon),  # due in 7 days
        (date(2026, 1, 18), None, True, DeadlineStatus.upcoming),  # due in 8 days
        (date(2026, 1, 9), None, True, DeadlineStatus.overdue),  # due yesterday
        (date(2026, 1, 9), date(2026, 1, 9), True, DeadlineStatus.met),  # met on the due date
        (date(2026, 1, 9), date(2026, 1, 10), True, DeadlineStatus.met_late),  # a day late
        (date(2026, 1, 20), date(2026, 1, 5), True, DeadlineStatus.met),  # met early
        (date(2025, 6, 1), date(2025, 5, 1), True, DeadlineStatus.met),  # met, long past
        (date(2026, 1, 9), None, False, DeadlineStatus.not_applicable),
        (date(2026, 1, 9), date(2026, 1, 20), False, DeadlineStatus.not_applicable),
        (None, None, True, DeadlineStatus.not_applicable),
    ],
)
def test_deadline_status(due, met_on, applicable, expected):
    status = deadline_status(due=due, met_on=met_on, today=TODAY, applicable=applicable)

    assert status is expected


def test_due_soon_is_seven_days():
    assert DUE_SOON_DAYS == 7


def test_labels():
    assert DeadlineStatus.met_late.label == "Met late"
    assert DeadlineStatus.due_soon == "due_soon"
    assert {s.label for s in DeadlineStatus} >= {"Upcoming", "Overdue", "Not applicable"}
