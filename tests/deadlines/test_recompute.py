"""Recomputing stored deadlines from an assessment request's dates, at every stage."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import AdviceRequest, AssessmentRequest, RequestStatus
from send_cms.accounts.models import User
from send_cms.deadlines import registry
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import recompute_for_children
from tests.deadlines.conftest import rows_of, summary
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    TimescaleExceptionFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 12, 16)  # Tuesday: the draft's window (ends 22 Dec) is 6 days away

DECISION = D(2025, 10, 20)  # 6 weeks from Mon 8 Sep 2025
NOT_ISSUE = D(2025, 12, 29)  # 16 weeks
FINAL = D(2026, 1, 26)  # 20 weeks
WINDOW_END = D(2025, 12, 22)  # 15 days beginning with Mon 8 Dec 2025

NA = "not_applicable"
STAGES = {
    "received": (
        {},
        {
            "decision_to_assess": (DECISION, None, "overdue"),
            "decision_not_to_issue": (NOT_ISSUE, None, "upcoming"),
            "final_plan": (FINAL, None, "upcoming"),
        },
    ),
    "not_assessing": (
        {"not_assessing": True},
        {
            "decision_to_assess": (DECISION, D(2025, 10, 13), "met"),
            "decision_not_to_issue": (NOT_ISSUE, None, NA),
            "final_plan": (FINAL, None, NA),
        },
    ),
    "assessing": (
        {"assessing": True},
        {
            "decision_to_assess": (DECISION, D(2025, 10, 13), "met"),
            "decision_not_to_issue": (NOT_ISSUE, None, "upcoming"),
            "final_plan": (FINAL, None, "upcoming"),
        },
    ),
    "not_issuing": (
        {"not_issuing": True},
        {
            "decision_to_assess": (DECISION, D(2025, 10, 13), "met"),
            "decision_not_to_issue": (NOT_ISSUE, D(2025, 12, 1), "met"),
            "final_plan": (FINAL, None, NA),
        },
    ),
    "issuing": (
        {"issuing": True},
        {
            "decision_to_assess": (DECISION, D(2025, 10, 13), "met"),
            "decision_not_to_issue": (NOT_ISSUE, None, NA),
            "final_plan": (FINAL, None, "upcoming"),
        },
    ),
    "draft_issued": (
        {"draft_issued": True},
        {
            "decision_to_assess": (DECISION, D(2025, 10, 13), "met"),
            "decision_not_to_issue": (NOT_ISSUE, None, NA),
            "final_plan": (FINAL, None, "upcoming"),
            "draft_representations": (WINDOW_END, None, "due_soon"),
        },
    ),
    "final_issued": (
        {"final_issued": True},
        {
            "decision_to_assess": (DECISION, D(2025, 10, 13), "met"),
            "decision_not_to_issue": (NOT_ISSUE, None, NA),
            "final_plan": (FINAL, D(2026, 1, 12), "met"),
            "draft_representations": (WINDOW_END, D(2026, 1, 12), "met"),
        },
    ),
    "withdrawn": (
        {"withdrawn": True},
        {
            "decision_to_assess": (DECISION, None, NA),
            "decision_not_to_issue": (NOT_ISSUE, None, NA),
            "final_plan": (FINAL, None, NA),
        },
    ),
    "transferred_out": (
        {"transferred_out": True},
        {
            "decision_to_assess": (DECISION, None, NA),
            "decision_not_to_issue": (NOT_ISSUE, None, NA),
            "final_plan": (FINAL, None, NA),
        },
    ),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_each_stage_stores_the_right_rows_and_statuses(stage: str, caseworker: User) -> None:
    traits, expected = STAGES[stage]
    request = AssessmentRequestFactory.create(child__caseworker=caseworker, **traits)

    recompute_for_children([request.child_id], today=TODAY)

    assert summary(request) == expected
    rows = rows_of(request).values()
    assert {row.owner_id for row in rows} == {caseworker.pk}
    assert {row.case_open for row in rows} == {request.is_open}
    assert {row.child_id for row in rows} == {request.child_id}
    assert {row.trigger_on for row in rows if row.rule != "draft_representations"} == {
        D(2025, 9, 8)
    }


def test_a_row_carries_the_engines_words(caseworker: User) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)
    recompute_for_children([request.child_id], today=TODAY)

    row = rows_of(request)["final_plan"]
    assert row.subject_type == "cases.assessmentrequest"
    assert row.title == "Final EHC plan due"
    assert row.regulation == "SEND Regulations 2014, regulation 13(2)"
    assert row.explanation == (
        "20 weeks from the request received on 8 Sep 2025, regulation 13(2)."
    )
    assert row.practical_target_on == FINAL
    assert not row.due_overridden
    assert not row.excused


def test_a_final_plan_after_20_weeks_is_met_late() -> None:
    request = AssessmentRequestFactory.create(final_issued=True, final_issued_on=D(2026, 2, 2))
    recompute_for_children([request.child_id], today=TODAY)

    assert summary(request)["final_plan"] == (FINAL, D(2026, 2, 2), "met_late")
    # The family's window was respected: the final came after it.
    assert summary(request)["draft_representations"] == (WINDOW_END, D(2026, 2, 2), "met")


def test_a_closed_draft_window_is_met_not_overdue() -> None:
    request = AssessmentRequestFactory.create(draft_issued=True)
    recompute_for_children([request.child_id], today=D(2025, 12, 23))

    assert summary(request)["draft_representations"] == (WINDOW_END, None, "met")
    assert summary(request)["final_plan"] == (FINAL, None, "upcoming")


def test_advice_has_one_row_per_advice_request() -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    outstanding = AdviceRequestFactory.create(request=request)
    on_time = AdviceRequestFactory.create(
        request=request, kind="health", received_on=D(2025, 11, 20)
    )
    late = AdviceRequestFactory.create(
        request=request, kind="social_care", received_on=D(2025, 12, 1)
    )

    recompute_for_children([request.child_id], today=TODAY)

    due = D(2025, 11, 25)  # 6 weeks from Tue 14 Oct 2025
    assert summary(outstanding) == {"advice": (due, None, "overdue")}
    assert summary(on_time) == {"advice": (due, D(2025, 11, 20), "met")}
    assert summary(late) == {"advice": (due, D(2025, 12, 1), "met_late")}
    row = rows_of(outstanding)["advice"]
    assert row.subject_type == "cases.advicerequest"
    assert row.title == "Educational psychology advice due (Educational Psychology Service)"
    assert "advice" not in rows_of(request)


def test_advice_outstanding_when_the_request_is_withdrawn_is_not_applicable() -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    advice = AdviceRequestFactory.create(request=request)
    request.status = RequestStatus.WITHDRAWN
    request.withdrawn_on = D(2025, 11, 1)
    request.save()

    recompute_for_children([request.child_id], today=TODAY)

    assert summary(advice) == {"advice": (D(2025, 11, 25), None, NA)}
    assert rows_of(advice)["advice"].case_open is False


def test_a_reassessment_counts_14_weeks_from_the_decision_letter() -> None:
    request = AssessmentRequestFactory.create(
        is_reassessment=True, assessing=True, decision_letter_sent_on=D(2025, 10, 20)
    )
    recompute_for_children([request.child_id], today=TODAY)

    rows = summary(request)
    assert rows["reassessment_final_plan"] == (D(2026, 1, 26), None, "upcoming")
    assert rows_of(request)["reassessment_final_plan"].trigger_on == D(2025, 10, 20)
    # The 6 weeks of an initial request are not the reassessment decision's limit.
    assert "decision_to_assess" not in rows
    assert "final_plan" not in rows


def test_a_reassessment_not_yet_decided_has_no_plan_deadline() -> None:
    request = AssessmentRequestFactory.create(is_reassessment=True)
    recompute_for_children([request.child_id], today=TODAY)

    assert set(summary(request)) == {"decision_not_to_issue"}


def test_exceptions_excuse_only_their_own_rule(caseworker: User) -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    advice = AdviceRequestFactory.create(request=request)
    other_advice = AdviceRequestFactory.create(request=request, kind="health")
    TimescaleExceptionFactory.create(request=request, rule="final_plan", applied_by=caseworker)
    TimescaleExceptionFactory.create(
        request=request,
        rule="advice",
        kind="missed_appointment",
        advice_request=advice,
        applied_by=caseworker,
    )

    recompute_for_children([request.child_id], today=TODAY)

    excused = {rule: row.excused for rule, row in rows_of(request).items()}
    assert excused == {
        "decision_to_assess": False,
        "decision_not_to_issue": False,
        "final_plan": True,
    }
    assert rows_of(advice)["advice"].excused is True
    assert rows_of(other_advice)["advice"].excused is False
    # An exception never moves the due date.
    assert rows_of(request)["final_plan"].due_on == FINAL


def test_recompute_is_idempotent() -> None:
    request = AssessmentRequestFactory.create(draft_issued=True)
    AdviceRequestFactory.create(request=request)

    assert recompute_for_children([request.child_id], today=TODAY) == 5
    before = {row.pk: (row.updated_at, row.status) for row in Deadline.objects.order_by("pk")}
    assert recompute_for_children([request.child_id], today=TODAY) == 0
    after = {row.pk: (row.updated_at, row.status) for row in Deadline.objects.order_by("pk")}
    assert after == before


def test_a_changed_date_updates_the_row_in_place() -> None:
    request = AssessmentRequestFactory.create()
    recompute_for_children([request.child_id], today=TODAY)
    row = rows_of(request)["decision_to_assess"]

    request.received_on = D(2025, 11, 21)
    request.save()
    assert recompute_for_children([request.child_id], today=TODAY) == 3

    updated = rows_of(request)["decision_to_assess"]
    assert updated.pk == row.pk
    assert (updated.due_on, updated.status) == (D(2026, 1, 2), "upcoming")


def test_rows_whose_step_no_longer_exists_are_deleted() -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    advice = AdviceRequestFactory.create(request=request)
    other_child = AssessmentRequestFactory.create()
    recompute_for_children([request.child_id, other_child.child_id], today=TODAY)
    assert "advice" in rows_of(advice)

    AdviceRequest.objects.filter(pk=advice.pk).delete()
    assert recompute_for_children([request.child_id], today=TODAY) == 1

    assert rows_of(advice) == {}
    assert set(rows_of(request)) == {"decision_to_assess", "decision_not_to_issue", "final_plan"}
    # Another child's rows are not touched by a recompute of this one.
    assert len(rows_of(other_child)) == 3


def test_a_step_that_has_not_started_stores_nothing() -> None:
    request = AssessmentRequestFactory.create(issuing=True)
    recompute_for_children([request.child_id], today=TODAY)

    assert "draft_representations" not in rows_of(request)


def _extra_provider(request_id: uuid.UUID, steps: Iterable[registry.Step]) -> registry.Provider:
    stored = list(steps)

    def provider(child_ids: Sequence[uuid.UUID]) -> list[registry.Step]:
        return [step for step in stored if step.child_id in child_ids]

    return provider


def test_a_due_date_set_on_the_case_replaces_the_computed_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = AssessmentRequestFactory.create()
    step = registry.Step(
        child_id=request.child_id,
        subject=request,
        rule="tribunal_response",
        start=D(2025, 12, 1),
        due_override=D(2026, 1, 24),  # a Saturday, as a tribunal letter might say
    )
    monkeypatch.setattr(
        registry, "_providers", [*registry.providers(), _extra_provider(request.pk, [step])]
    )

    recompute_for_children([request.child_id], today=TODAY)

    row = rows_of(request)["tribunal_response"]
    assert row.due_on == D(2026, 1, 24)
    assert row.due_overridden is True
    assert row.practical_target_on == D(2026, 1, 23)
    assert row.explanation.startswith(
        "Due 24 Jan 2026, the date set on the case (the rules give 20 Jan 2026: 30 tribunal"
    )


def test_a_step_before_the_law_began_is_not_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    request = AssessmentRequestFactory.create()
    step = registry.Step(
        child_id=request.child_id, subject=request, rule="annual_review", start=D(2013, 5, 1)
    )
    monkeypatch.setattr(
        registry, "_providers", [*registry.providers(), _extra_provider(request.pk, [step])]
    )

    recompute_for_children([request.child_id], today=TODAY)

    assert "annual_review" not in rows_of(request)
    assert "final_plan" in rows_of(request)


def _queries(child_ids: list[uuid.UUID]) -> int:
    with CaptureQueriesContext(connection) as captured:
        recompute_for_children(child_ids, today=TODAY)
    return len(captured)


def test_queries_per_batch_do_not_grow_with_its_size() -> None:
    def make(n: int) -> list[uuid.UUID]:
        ids = []
        for _ in range(n):
            request = AssessmentRequestFactory.create(child=ChildFactory.create(), assessing=True)
            AdviceRequestFactory.create(request=request)
            ids.append(request.child_id)
        return ids

    # Twelve: the 52 rows fit one INSERT on SQLite too, whose statements take at most 999
    # values (PostgreSQL takes a batch of 1,000 rows per statement).
    one, many = make(1), make(12)
    first_one, first_many = _queries(one), _queries(many)
    assert first_one == first_many  # read sources, read rows, one bulk upsert
    assert Deadline.objects.count() == 13 * 4

    for request_child in one + many:
        AssessmentRequest.objects.filter(child_id=request_child).update(received_on=D(2025, 9, 9))
        AdviceRequest.objects.filter(request__child_id=request_child).delete()
    assert _queries(one) == _queries(many)  # ... plus one delete, still per batch
