"""The review's steps in the order of the workflow table: invitations, advice, the meeting, its
report, the decision, the proposed amendments and the final amended plan."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Establishment, PlanStatus
from cases.services import plan_cease_propose, plan_version_issue, working_calendar
from reviews.messages import (
    AMENDMENTS_BEFORE_DECISION,
    DECISION_BEFORE_MEETING,
    DECISION_UNKNOWN,
    DEFAULT_CHANGES,
    FINAL_BEFORE_AMENDMENTS,
    FINAL_IN_FAMILY_WINDOW,
    INVITATIONS_TOO_LATE,
    MEETING_BEFORE_ADVICE,
    MEETING_NOT_AFTER_INVITATIONS,
    MEETING_TOO_SOON,
    REPORT_BEFORE_MEETING,
)
from reviews.models import AnnualReview, Decision
from reviews.services.common import check_in_cycle, check_past, review_locked, review_save
from reviews.services.opening import review_open
from reviews.workflow import DECISION_STATUS, FINAL_NEEDS_AMENDMENTS, Step
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import Errors, add_error, check_not_before, fmt, raise_if
from send_cms.timescales import compute


@transaction.atomic
def review_invitations_send(
    *, actor: Actor | None, review: AnnualReview, sent_on: dt.date, meeting_planned_on: dt.date
) -> AnnualReview:
    """Invitations to the meeting sent: at least 2 weeks before it (`review_notice`)."""
    review = review_locked(review, Step.INVITATIONS)
    errors: Errors = {}
    check_past(errors, "sent_on", sent_on, "The date invitations were sent")
    check_in_cycle(errors, "sent_on", sent_on, "The date invitations were sent", review)
    check_in_cycle(errors, "meeting_planned_on", meeting_planned_on, "The meeting", review)
    # The notice is counted only from a meeting date that can be right (a 400, not a 500).
    notice = None
    if "meeting_planned_on" not in errors:
        notice = compute("review_notice", meeting_planned_on, working_calendar())
    if notice is not None and sent_on > notice.due:
        add_error(
            errors,
            "sent_on",
            INVITATIONS_TOO_LATE.format(meeting=fmt(meeting_planned_on), due=fmt(notice.due)),
        )
    raise_if(errors)
    review.invitations_sent_on = sent_on
    review.meeting_planned_on = meeting_planned_on
    return review_save(
        actor=actor,
        review=review,
        step=Step.INVITATIONS,
        action="annual_review.invitations_sent",
        title="Annual review invitations sent",
        occurred_on=sent_on,
        detail=f"Meeting planned for {fmt(meeting_planned_on)}.",
        changes={"invitations_sent_on": sent_on, "meeting_planned_on": meeting_planned_on},
    )


@transaction.atomic
def review_advice_record(
    *, actor: Actor, review: AnnualReview, gathered_on: dt.date, note: str = ""
) -> AnnualReview:
    """Advice and information for the review gathered and circulated."""
    review = review_locked(review, Step.ADVICE)
    errors: Errors = {}
    check_past(errors, "gathered_on", gathered_on, "The date advice was gathered")
    check_in_cycle(errors, "gathered_on", gathered_on, "The date advice was gathered", review)
    raise_if(errors)
    review.advice_gathered_on = gathered_on
    review.advice_note = note
    return review_save(
        actor=actor,
        review=review,
        step=Step.ADVICE,
        action="annual_review.advice_gathered",
        title="Advice for the annual review gathered",
        occurred_on=gathered_on,
        detail=note,
        changes={"advice_gathered_on": gathered_on, "advice_note": note},
    )


def _check_notice(errors: Errors, review: AnnualReview, held_on: dt.date) -> None:
    """The meeting comes after the invitations, and at least 2 weeks after them."""
    sent_on = review.invitations_sent_on
    if sent_on is None or "held_on" in errors:
        return
    notice = compute("review_notice", held_on, working_calendar())
    if held_on <= sent_on:
        add_error(errors, "held_on", MEETING_NOT_AFTER_INVITATIONS.format(date=fmt(sent_on)))
    elif sent_on > notice.due:
        add_error(
            errors,
            "held_on",
            MEETING_TOO_SOON.format(sent=fmt(sent_on), meeting=fmt(held_on), due=fmt(notice.due)),
        )


@transaction.atomic
def review_meeting_record(
    *,
    actor: Actor,
    review: AnnualReview,
    held_on: dt.date,
    attendees: str = "",
    child_views: str = "",
    family_views: str = "",
) -> AnnualReview:
    """The review meeting held, with who came and the child's and family's views."""
    review = review_locked(review, Step.MEETING)
    errors: Errors = {}
    check_past(errors, "held_on", held_on, "The meeting date")
    check_in_cycle(errors, "held_on", held_on, "The meeting", review)
    _check_notice(errors, review, held_on)
    check_not_before(errors, "held_on", held_on, review.advice_gathered_on, MEETING_BEFORE_ADVICE)
    raise_if(errors)
    review.meeting_on = held_on
    review.attendees = attendees
    review.child_views = child_views
    review.family_views = family_views
    return review_save(
        actor=actor,
        review=review,
        step=Step.MEETING,
        action="annual_review.meeting_held",
        title="Annual review meeting held",
        occurred_on=held_on,
        detail=f"Attendees: {attendees}" if attendees else "",
        changes={"meeting_on": held_on, "attendees": attendees},
    )


@transaction.atomic
def review_report_receive(
    *, actor: Actor, review: AnnualReview, received_on: dt.date
) -> AnnualReview:
    """The report of the meeting received by the council (`review_report`: 2 weeks)."""
    review = review_locked(review, Step.REPORT)
    errors: Errors = {}
    check_past(errors, "received_on", received_on, "The date the report was received")
    check_not_before(errors, "received_on", received_on, review.meeting_on, REPORT_BEFORE_MEETING)
    raise_if(errors)
    review.report_received_on = received_on
    return review_save(
        actor=actor,
        review=review,
        step=Step.REPORT,
        action="annual_review.report_received",
        title="Annual review report received",
        occurred_on=received_on,
        changes={"report_received_on": received_on},
    )


@transaction.atomic
def review_decision_issue(
    *, actor: Actor, review: AnnualReview, decision: str, issued_on: dt.date
) -> AnnualReview:
    """The decision letter (maintain, amend or cease): it concludes the review, and the next
    review's 12 months start from it. Ceasing goes on through the casework cease process."""
    if decision not in Decision.values:
        raise ValidationError({"decision": [DECISION_UNKNOWN]})
    review = review_locked(review, Step.DECISION)
    errors: Errors = {}
    check_past(errors, "issued_on", issued_on, "The decision date")
    check_not_before(errors, "issued_on", issued_on, review.meeting_on, DECISION_BEFORE_MEETING)
    raise_if(errors)
    review.decision = decision
    review.decision_issued_on = issued_on
    review_save(
        actor=actor,
        review=review,
        to_status=DECISION_STATUS[decision],
        action="annual_review.decided",
        title=f"Annual review decision: {Decision(decision).label.lower()}",
        occurred_on=issued_on,
        changes={"decision": decision, "decision_issued_on": issued_on},
    )
    plan = review.plan
    if decision == Decision.CEASE:
        plan_cease_propose(actor=actor, plan=plan, proposed_on=issued_on)
    plan.refresh_from_db()
    if plan.status == PlanStatus.ACTIVE:
        review_open(
            actor=actor,
            plan=plan,
            sequence=review.sequence + 1,
            cycle_start=issued_on,
            previous=review,
        )
    return review


@transaction.atomic
def review_amendments_send(
    *, actor: Actor, review: AnnualReview, issued_on: dt.date, changes: str = ""
) -> AnnualReview:
    """The proposed amendments sent to the family (with the decision to amend)."""
    review = review_locked(review, Step.AMENDMENTS)
    errors: Errors = {}
    check_past(errors, "issued_on", issued_on, "The date the amendments were sent")
    check_not_before(
        errors, "issued_on", issued_on, review.decision_issued_on, AMENDMENTS_BEFORE_DECISION
    )
    raise_if(errors)
    review.amendments_issued_on = issued_on
    review.proposed_changes = changes
    return review_save(
        actor=actor,
        review=review,
        step=Step.AMENDMENTS,
        action="annual_review.amendments_sent",
        title="Proposed amendments to the plan sent",
        occurred_on=issued_on,
        detail=changes,
        changes={"amendments_issued_on": issued_on, "proposed_changes": changes},
    )


def _named_settings(
    review: AnnualReview, establishment: Establishment | None
) -> list[dict[str, Any]] | None:
    """Section I of the amended plan when it names a new setting at rank 1: that setting, and
    the plan's rank 2 settings as they are. None keeps section I as it is."""
    if establishment is None:
        return None
    return [
        {"establishment": establishment, "rank": 1},
        *(
            {
                "establishment": named.establishment,
                "sen_setting": named.sen_setting,
                "sen_setting_other": named.sen_setting_other,
                "rank": named.rank,
                "sen_unit": named.sen_unit,
                "resourced_provision": named.resourced_provision,
            }
            for named in review.plan.named_settings.filter(rank=2)
        ),
    ]


@transaction.atomic
def review_final_amended_plan_issue(
    *,
    actor: Actor,
    review: AnnualReview,
    issued_on: dt.date,
    changes: str = "",
    establishment: Establishment | None = None,
    starts_on: dt.date | None = None,
) -> AnnualReview:
    """The final amended plan: a new plan version through the casework services.

    `establishment` is the setting section I now names at rank 1 (a phase transfer, a move):
    the child is placed there from the issue date, or from `starts_on` when they start later.
    """
    review = review_locked(review, Step.FINAL_AMENDED_PLAN)
    if review.amendments_issued_on is None or review.decision_issued_on is None:
        raise TransitionNotAllowed(FINAL_NEEDS_AMENDMENTS)
    errors: Errors = {}
    check_past(errors, "issued_on", issued_on, "The date the final amended plan was issued")
    window = compute("review_representations", review.amendments_issued_on, working_calendar())
    if issued_on < review.amendments_issued_on:
        add_error(
            errors,
            "issued_on",
            FINAL_BEFORE_AMENDMENTS.format(date=fmt(review.amendments_issued_on)),
        )
    elif issued_on <= window.due:
        add_error(errors, "issued_on", FINAL_IN_FAMILY_WINDOW.format(date=fmt(window.due)))
    raise_if(errors)
    what_changed = (
        changes
        or review.proposed_changes
        or DEFAULT_CHANGES.format(date=fmt(review.decision_issued_on))
    )
    version = plan_version_issue(
        actor=actor,
        plan=review.plan,
        issued_on=issued_on,
        changes=what_changed,
        kind="amended",
        named_settings=_named_settings(review, establishment),
        starts_on=starts_on,
    )
    review.final_amended_issued_on = issued_on
    review.plan_version = version
    return review_save(
        actor=actor,
        review=review,
        step=Step.FINAL_AMENDED_PLAN,
        action="annual_review.final_amended_plan_issued",
        title="Final amended plan issued after the annual review",
        occurred_on=issued_on,
        detail=what_changed,
        changes={"final_amended_issued_on": issued_on, "plan_version": version.pk},
    )
