"""Tribunal deadlines count on the council's calendar, as every other deadline does: a council
closure day on the due date moves the practical target (the statutory date stands), on the
appeal page, in the API and on the stored deadline alike."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from send_cms.deadlines.models import ClosureDay, Deadline
from send_cms.deadlines.services import recompute_for_children
from tribunals.deadlines import appeal_deadline_rows

from .conftest import at
from .factories import make_child, register_appeal

pytestmark = pytest.mark.django_db
D = dt.date
#: Received Mon 1 Dec 2025: the response is due Tue 20 Jan 2026 (30 tribunal working days).
RECEIVED = D(2025, 12, 1)
DUE = D(2026, 1, 20)


@pytest.fixture
def appeal(caseworker):
    with time_machine.travel(at(D(2025, 12, 2)), tick=False):
        return register_appeal(
            caseworker, child=make_child(caseworker=caseworker), received_by_la_on=RECEIVED
        )


def _response(appeal):
    return next(
        r
        for r in appeal_deadline_rows(appeal, today=D(2026, 1, 5))
        if r.rule == ("tribunal_response")
    )


def test_without_a_closure_the_practical_target_is_the_due_date(appeal):
    row = _response(appeal)
    assert (row.due, row.practical_target) == (DUE, DUE)


def test_a_closure_day_on_the_due_date_moves_the_tribunal_deadlines_practical_target(
    appeal, caseworker_client
):
    ClosureDay.objects.create(date=DUE, reason="Office move")

    row = _response(appeal)
    assert (row.due, row.practical_target) == (DUE, D(2026, 1, 19))

    recompute_for_children([appeal.child_id], today=D(2026, 1, 5))
    stored = Deadline.objects.get(subject_id=appeal.pk, rule="tribunal_response")
    assert (stored.due_on, stored.practical_target_on) == (DUE, D(2026, 1, 19))

    with time_machine.travel(at(D(2026, 1, 5)), tick=False):
        html = caseworker_client.get(
            reverse("tribunals:appeal-detail", args=[appeal.pk])
        ).content.decode()
    assert "20 Jan 2026" in html
    assert "Practical target 19 Jan 2026" in html
