"""Fixtures for the deadlines tests: a frozen "today", and reading the stored rows back."""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import models

from send_cms.deadlines.models import Deadline

LONDON = ZoneInfo("Europe/London")


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=LONDON)


@pytest.fixture
def travel() -> Iterator[object]:
    """`travel(day)` freezes the clock at noon, London time, on `day` until the test ends."""
    travellers: list[time_machine.travel] = []

    def go(day: dt.date) -> None:
        while travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(at_noon(day), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    while travellers:
        travellers.pop().stop()


def rows_of(subject: models.Model) -> dict[str, Deadline]:
    """The stored deadlines of one subject, by rule."""
    return {
        row.rule: row
        for row in Deadline.objects.filter(
            subject_type=subject._meta.label_lower, subject_id=subject.pk
        )
    }


def summary(subject: models.Model) -> dict[str, tuple[dt.date, dt.date | None, str]]:
    """(due, met, status) per rule: what a caseworker sees in the deadlines table."""
    return {rule: (row.due_on, row.met_on, row.status) for rule, row in rows_of(subject).items()}
