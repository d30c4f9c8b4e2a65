"""Each child's next deadline, stored with the recompute and kept by the nightly refresh: what
the caseloads sort, filter and count by."""

import datetime as dt
import uuid
from collections.abc import Callable

import pytest

from cases.models import AssessmentRequest, RequestStatus
from send_cms.deadlines.models import Deadline, NextDeadline
from send_cms.deadlines.services import (
    recompute_for_children,
    refresh_statuses,
    store_next_deadlines,
)
from tests.deadlines.conftest import rows_of
from tests.factories import AssessmentRequestFactory

D = dt.date

pytestmark = pytest.mark.django_db


def next_of(child_id: uuid.UUID) -> tuple[str, dt.date, str] | None:
    found = NextDeadline.objects.select_related("deadline").filter(child_id=child_id).first()
    return (found.deadline.rule, found.due_on, found.status) if found else None


def soonest_to_meet(child_id: uuid.UUID) -> tuple[str, dt.date, str] | None:
    """What the caseload showed before it was stored: the soonest unmet row, then the lowest id."""
    row = (
        Deadline.objects.filter(
            child_id=child_id,
            case_open=True,
            met_on__isnull=True,
            status__in=["overdue", "due_soon", "upcoming"],
        )
        .order_by("due_on", "id")
        .first()
    )
    return (row.rule, row.due_on, row.status) if row else None


def test_the_recompute_stores_the_soonest_deadline_to_meet() -> None:
    request = AssessmentRequestFactory.create(received_on=D(2025, 9, 8))
    recompute_for_children([request.child_id], today=D(2025, 9, 8))

    assert next_of(request.child_id) == ("decision_to_assess", D(2025, 10, 20), "upcoming")
    assert next_of(request.child_id) == soonest_to_meet(request.child_id)


def test_meeting_the_next_deadline_moves_it_on_in_the_same_recompute() -> None:
    request = AssessmentRequestFactory.create(received_on=D(2025, 9, 8))
    recompute_for_children([request.child_id], today=D(2025, 9, 8))
    AssessmentRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.ASSESSING,
        decision="assess",
        decided_on=D(2025, 10, 13),
        decision_letter_sent_on=D(2025, 10, 13),
    )

    changed = recompute_for_children([request.child_id], today=D(2025, 10, 13))

    assert changed
    assert rows_of(request)["decision_to_assess"].met_on == D(2025, 10, 13)
    assert next_of(request.child_id)[0] == "decision_not_to_issue"  # type: ignore[index]
    assert next_of(request.child_id) == soonest_to_meet(request.child_id)


def test_a_closed_case_has_no_next_deadline() -> None:
    request = AssessmentRequestFactory.create(received_on=D(2025, 9, 8))
    recompute_for_children([request.child_id], today=D(2025, 9, 8))
    AssessmentRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.WITHDRAWN,
        withdrawn_on=D(2025, 9, 20),
        withdrawal_reason="The family moved to independent provision.",
    )

    recompute_for_children([request.child_id], today=D(2025, 9, 20))

    assert next_of(request.child_id) is None
    assert soonest_to_meet(request.child_id) is None


def test_storing_again_changes_nothing() -> None:
    request = AssessmentRequestFactory.create(received_on=D(2025, 9, 8))
    recompute_for_children([request.child_id], today=D(2025, 9, 8))

    assert store_next_deadlines([request.child_id]) == 0
    assert recompute_for_children([request.child_id], today=D(2025, 9, 8)) == 0


def test_the_nightly_refresh_carries_the_new_status_to_the_next_deadline(
    travel: Callable[[dt.date], None],
) -> None:
    request = AssessmentRequestFactory.create(received_on=D(2025, 9, 8))
    recompute_for_children([request.child_id], today=D(2025, 9, 8))

    travel(D(2025, 10, 21))
    refresh_statuses(batch_size=1)

    assert next_of(request.child_id) == ("decision_to_assess", D(2025, 10, 20), "overdue")
    assert next_of(request.child_id) == soonest_to_meet(request.child_id)


def test_a_family_window_that_closes_overnight_hands_on_the_next_deadline(
    travel: Callable[[dt.date], None],
) -> None:
    request = AssessmentRequestFactory.create(draft_issued=True)
    recompute_for_children([request.child_id], today=D(2025, 12, 8))
    assert next_of(request.child_id) == soonest_to_meet(request.child_id)
    assert next_of(request.child_id)[0] == "draft_representations"  # type: ignore[index]

    travel(D(2025, 12, 23))
    refresh_statuses()

    assert rows_of(request)["draft_representations"].status == "met"
    assert next_of(request.child_id) == ("final_plan", D(2026, 1, 26), "upcoming")
    assert next_of(request.child_id) == soonest_to_meet(request.child_id)

    # Refreshed for an earlier day (a rerun after the clock was wrong), the window reopens.
    refresh_statuses(today=D(2025, 12, 10))
    assert next_of(request.child_id)[0] == "draft_representations"  # type: ignore[index]
    assert next_of(request.child_id) == soonest_to_meet(request.child_id)
