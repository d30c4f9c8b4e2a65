"""The review workflow through its services, with the worked examples of timescales.md."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import PlanVersion, TimelineEntry
from reviews import services
from reviews.deadlines import review_deadlines
from reviews.models import AnnualReview, ReviewStatus
from reviews.workflow import DECISION_NEEDS_MEETING, FINAL_NEEDS_AMENDMENTS
from send_cms.audit.models import AuditEvent
from send_cms.common.exceptions import TransitionNotAllowed
from tests.reviews.factories import PlanFactory

D = dt.date
pytestmark = pytest.mark.django_db


def _dues(review: AnnualReview, today: dt.date) -> dict[str, dt.date | None]:
    return {d.rule: d.due for d in review_deadlines(review, today=today)}


MEETING, DECIDED = D(2026, 1, 29), D(2026, 2, 23)


def _amend(review, caseworker, *, meeting=MEETING, decided=DECIDED):
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=meeting)
    review = services.review_decision_issue(
        actor=caseworker, review=review, decision="amend", issued_on=decided
    )
    return services.review_amendments_send(
        actor=caseworker, review=review, issued_on=decided, changes="Section F: speech therapy"
    )


# --- the worked examples ----------------------------------------------------------------------
def test_a_plan_issued_10_march_2025_is_reviewed_by_9_march_2026(review, plan) -> None:
    assert review.sequence == 1
    assert review.cycle_start_on == D(2025, 3, 10)
    assert review.due_on == D(2026, 3, 9)
    assert review.status == ReviewStatus.AWAITING_MEETING
    entry = TimelineEntry.objects.get(child=plan.child, event="annual_review.opened")
    assert entry.title == "Annual review due 9 Mar 2026"
    assert AuditEvent.objects.filter(
        action="annual_review.opened", object_id=str(review.pk)
    ).exists()


def test_meeting_on_29_january_2026_sets_the_meeting_deadlines(review, caseworker, frozen) -> None:
    review = services.review_meeting_record(
        actor=caseworker,
        review=review,
        held_on=D(2026, 1, 29),
        attendees="Parent, SENCO, EP",
        child_views="Likes art",
        family_views="Wants more speech therapy",
    )
    dues = _dues(review, frozen)
    assert dues["review_notice"] == D(2026, 1, 15)
    assert dues["review_report"] == D(2026, 2, 12)
    assert dues["review_decision"] == D(2026, 2, 26)
    assert dues["review_longstop"] == D(2026, 4, 23)
    assert review.status == ReviewStatus.MEETING_HELD
    assert review.child_views == "Likes art"


def test_amendments_sent_23_february_2026_and_the_next_review(review, caseworker, plan, frozen):
    review = _amend(review, caseworker)
    dues = _dues(review, frozen)
    assert dues["review_representations"] == D(2026, 3, 9)
    assert dues["review_final_amended_plan"] == D(2026, 4, 20)
    next_review = AnnualReview.objects.get(plan=plan, sequence=2)
    assert next_review.cycle_start_on == D(2026, 2, 23)
    assert next_review.due_on == D(2027, 2, 22)
    assert next_review.status == ReviewStatus.AWAITING_MEETING


def test_the_final_amended_plan_issues_a_new_plan_version(review, caseworker, plan, frozen) -> None:
    review = _amend(review, caseworker)
    review = services.review_final_amended_plan_issue(
        actor=caseworker, review=review, issued_on=D(2026, 4, 14)
    )
    assert review.status == ReviewStatus.AMENDED
    version = PlanVersion.objects.get(plan=plan, kind="amended")
    assert review.plan_version == version
    assert version.issued_on == D(2026, 4, 14)
    assert version.changes == "Section F: speech therapy"
    statuses = {d.rule: d.status for d in review_deadlines(review, today=frozen)}
    assert statuses["review_final_amended_plan"] == "met"
    assert statuses["review_longstop"] == "met"
    assert statuses["review_decision"] == "met"
    assert statuses["annual_review"] == "met"


def test_a_plan_issued_29_february_2028_is_reviewed_by_28_february_2029(db, caseworker) -> None:
    with time_machine.travel(dt.datetime(2028, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        review = services.annual_review_open_first(
            plan=PlanFactory.create(issued_on=D(2028, 2, 29)), actor=caseworker
        )
    assert review.due_on == D(2029, 2, 28)


# --- opening reviews --------------------------------------------------------------------------
def test_opening_the_first_review_twice_gives_the_same_review(review, plan, caseworker) -> None:
    assert services.annual_review_open_first(plan=plan, actor=caseworker) == review
    assert AnnualReview.objects.filter(plan=plan).count() == 1


def test_new_plans_get_their_first_review_and_ceased_plans_none(db, frozen) -> None:
    fresh = PlanFactory.create(issued_on=D(2025, 11, 3))
    PlanFactory.create(
        issued_on=D(2024, 1, 1), status="ceased", ceased_on=D(2025, 1, 1), cease_reason=2
    )
    opened = services.ensure_reviews_for_new_plans(actor=None)
    assert [r.plan for r in opened] == [fresh]
    assert opened[0].due_on == D(2026, 11, 2)
    assert services.ensure_reviews_for_new_plans(actor=None) == []


def test_a_decision_to_cease_proposes_ceasing_the_plan(review, caseworker, plan, frozen) -> None:
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 2, 2))
    review = services.review_decision_issue(
        actor=caseworker, review=review, decision="cease", issued_on=D(2026, 2, 20)
    )
    plan.refresh_from_db()
    assert plan.cease_proposed_on == D(2026, 2, 20)
    assert review.status == ReviewStatus.CEASE_PROPOSED
    # The plan stays in force until it ceases, so it keeps being reviewed.
    assert AnnualReview.objects.get(plan=plan, sequence=2).due_on == D(2027, 2, 19)


def test_a_decision_to_maintain_concludes_the_review(review, caseworker, frozen) -> None:
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 2, 2))
    review = services.review_decision_issue(
        actor=caseworker, review=review, decision="maintain", issued_on=D(2026, 2, 20)
    )
    assert review.status == ReviewStatus.MAINTAINED
    applicable = {
        d.rule for d in review_deadlines(review, today=frozen) if d.status != "not_applicable"
    }
    assert "review_longstop" not in applicable
    assert "review_final_amended_plan" not in applicable


# --- invitations: at least 2 weeks before the meeting ---------------------------------------
def test_invitations_2_weeks_before_the_meeting_are_accepted(review, caseworker, frozen) -> None:
    review = services.review_invitations_send(
        actor=caseworker, review=review, sent_on=D(2026, 1, 15), meeting_planned_on=D(2026, 1, 29)
    )
    assert review.status == ReviewStatus.INVITED
    statuses = {d.rule: d.status for d in review_deadlines(review, today=frozen)}
    assert statuses["review_notice"] == "met"


def test_invitations_less_than_2_weeks_before_the_meeting_are_refused(review, caseworker, frozen):
    with pytest.raises(ValidationError) as error:
        services.review_invitations_send(
            actor=caseworker,
            review=review,
            sent_on=D(2026, 1, 16),
            meeting_planned_on=D(2026, 1, 29),
        )
    assert error.value.message_dict == {
        "sent_on": [services.INVITATIONS_TOO_LATE.format(meeting="29 Jan 2026", due="15 Jan 2026")]
    }


def test_a_meeting_held_sooner_than_the_invitations_allow_is_refused(review, caseworker, frozen):
    review = services.review_invitations_send(
        actor=caseworker, review=review, sent_on=D(2026, 1, 15), meeting_planned_on=D(2026, 1, 29)
    )
    with pytest.raises(ValidationError) as error:
        services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 1, 22))
    assert error.value.message_dict == {
        "held_on": [
            services.MEETING_TOO_SOON.format(
                sent="15 Jan 2026", meeting="22 Jan 2026", due="8 Jan 2026"
            )
        ]
    }


# --- impossible orders ------------------------------------------------------------------------
def test_a_decision_before_any_meeting_is_refused(review, caseworker, frozen) -> None:
    with pytest.raises(TransitionNotAllowed) as error:
        services.review_decision_issue(
            actor=caseworker, review=review, decision="maintain", issued_on=D(2026, 2, 1)
        )
    assert error.value.message == DECISION_NEEDS_MEETING


def test_a_decision_dated_before_the_meeting_is_refused(review, caseworker, frozen) -> None:
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 2, 2))
    with pytest.raises(ValidationError) as error:
        services.review_decision_issue(
            actor=caseworker, review=review, decision="amend", issued_on=D(2026, 2, 1)
        )
    assert error.value.message_dict == {
        "issued_on": [services.DECISION_BEFORE_MEETING.format(date="2 Feb 2026")]
    }


def test_a_final_amended_plan_before_the_amendments_is_refused(review, caseworker, frozen) -> None:
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 2, 2))
    review = services.review_decision_issue(
        actor=caseworker, review=review, decision="amend", issued_on=D(2026, 2, 20)
    )
    with pytest.raises(TransitionNotAllowed) as error:
        services.review_final_amended_plan_issue(
            actor=caseworker, review=review, issued_on=D(2026, 4, 1)
        )
    assert error.value.message == FINAL_NEEDS_AMENDMENTS


def test_the_final_amended_plan_waits_for_the_familys_15_days(review, caseworker, frozen) -> None:
    review = _amend(review, caseworker)
    with pytest.raises(ValidationError) as error:
        services.review_final_amended_plan_issue(
            actor=caseworker, review=review, issued_on=D(2026, 3, 9)
        )
    assert error.value.message_dict == {
        "issued_on": [services.FINAL_IN_FAMILY_WINDOW.format(date="9 Mar 2026")]
    }
    review = services.review_final_amended_plan_issue(
        actor=caseworker, review=review, issued_on=D(2026, 3, 10)
    )
    assert review.final_amended_issued_on == D(2026, 3, 10)


def test_dates_in_the_future_are_refused(review, caseworker, frozen) -> None:
    with pytest.raises(ValidationError) as error:
        services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 6, 2))
    assert error.value.message_dict == {
        "held_on": [services.IN_FUTURE.format(label="The meeting date")]
    }


def test_a_meeting_before_the_plan_was_issued_is_refused(review, caseworker, frozen) -> None:
    with pytest.raises(ValidationError) as error:
        services.review_meeting_record(actor=caseworker, review=review, held_on=D(2025, 3, 9))
    assert error.value.message_dict == {
        "held_on": [services.BEFORE_CYCLE.format(label="The meeting", date="10 Mar 2025")]
    }


def test_recording_the_meeting_twice_is_refused_and_writes_nothing(review, caseworker, frozen):
    services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 2, 2))
    with pytest.raises(TransitionNotAllowed, match="already been recorded"):
        services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 2, 3))
    assert TimelineEntry.objects.filter(event="annual_review.meeting_held").count() == 1


def test_each_step_is_audited_and_on_the_timeline(review, caseworker, plan, frozen) -> None:
    _amend(review, caseworker)
    events = list(
        TimelineEntry.objects.filter(child=plan.child)
        .order_by("id")
        .values_list("event", "occurred_on", "to_status")
    )
    assert events == [
        ("annual_review.opened", D(2025, 3, 10), "awaiting_meeting"),
        ("annual_review.meeting_held", D(2026, 1, 29), "meeting_held"),
        ("annual_review.decided", D(2026, 2, 23), "amendments_due"),
        ("annual_review.opened", D(2026, 2, 23), "awaiting_meeting"),
        ("annual_review.amendments_sent", D(2026, 2, 23), "amendments_sent"),
    ]
    audit = AuditEvent.objects.get(action="annual_review.decided")
    assert audit.actor == caseworker
    assert audit.changes == {"decision": "amend", "decision_issued_on": "2026-02-23"}


# --- the database refuses impossible orders too -------------------------------------------------
@pytest.mark.parametrize(
    "fields",
    [
        {"decision": "maintain", "decision_issued_on": D(2026, 1, 1), "status": "maintained"},
        {"report_received_on": D(2026, 1, 1)},
        {"final_amended_issued_on": D(2026, 4, 1)},
        {"meeting_on": D(2025, 1, 1)},
        {"decision": "amend", "status": "awaiting_meeting"},
    ],
)
def test_the_database_refuses_impossible_orders(review, fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReview.objects.filter(pk=review.pk).update(**fields)


def test_the_database_refuses_a_second_open_review_of_a_plan(review, plan) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReview.objects.create(
            plan=plan, sequence=2, cycle_start_on=D(2025, 3, 10), due_on=D(2026, 3, 9)
        )
