"""Every write to annual reviews: one service per step of the workflow table.

Each service is keyword-only and atomic, locks the review, refuses a step the status does not
allow (`TransitionNotAllowed`, a 409 in the API), refuses impossible dates field by field
(`ValidationError`, a 400), saves after `full_clean()`, writes the audit trail and a row on the
case timeline, and queues the child's deadlines for recomputation once the transaction commits.
Every statutory date comes from the timescales engine.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Child, Establishment, Plan, PlanStatus
from cases.services import (
    plan_cease_propose,
    plan_version_issue,
    step_record,
    working_calendar,
)
from reviews import phase
from reviews.models import AnnualReview, Decision
from reviews.workflow import (
    DECISION_STATUS,
    FINAL_NEEDS_AMENDMENTS,
    TRANSITIONS,
    Step,
    allowed,
    refusal,
)
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import COMMENCEMENT, compute, format_date

# --- messages (tests import these) ------------------------------------------------------------
IN_FUTURE = "{label} cannot be in the future"
BEFORE_CYCLE = "{label} cannot be before the plan was issued or last reviewed on {date}"
INVITATIONS_TOO_LATE = (
    "Invitations must be sent at least 2 weeks before the meeting: for a meeting on {meeting}, "
    "by {due}"
)
MEETING_NOT_AFTER_INVITATIONS = "The meeting must be after the invitations were sent on {date}"
MEETING_TOO_SOON = (
    "Invitations were sent on {sent}: a meeting on {meeting} gives less than 2 weeks' notice "
    "(invitations were due by {due})"
)
MEETING_BEFORE_ADVICE = "The meeting cannot be before the advice was gathered on {date}"
REPORT_BEFORE_MEETING = "The report cannot be received before the meeting on {date}"
DECISION_UNKNOWN = "Select maintain, amend or cease"
DECISION_BEFORE_MEETING = "The decision cannot be before the review meeting on {date}"
AMENDMENTS_BEFORE_DECISION = "Proposed amendments cannot be sent before the decision on {date}"
FINAL_BEFORE_AMENDMENTS = (
    "The final amended plan cannot be issued before the proposed amendments were sent on {date}"
)
FINAL_IN_FAMILY_WINDOW = (
    "The final amended plan cannot be issued until the family's 15 days for comments end on {date}"
)
PLAN_NOT_ACTIVE = "Reviews are only opened for a plan in force."
PHASE_KIND_REQUIRED = "Select the kind of transfer"
PHASE_DATE_REQUIRED = "Enter the transfer date"
PHASE_DATE_NOT_IN_CYCLE = "The transfer date must be after the review cycle started on {date}"
DEFAULT_CHANGES = "Amended following the annual review decision of {date}."
BEFORE_TIME_LIMITS = "{label} must be on or after {date}, when the time limits began"


# --- helpers ----------------------------------------------------------------------------------
def _today() -> dt.date:
    return timezone.localdate()


def _check_past(errors: dict[str, list[str]], field: str, value: dt.date, label: str) -> None:
    if value > _today():
        errors.setdefault(field, []).append(IN_FUTURE.format(label=label))


def _check_in_cycle(
    errors: dict[str, list[str]], field: str, value: dt.date, label: str, review: AnnualReview
) -> None:
    if value < review.cycle_start_on:
        errors.setdefault(field, []).append(
            BEFORE_CYCLE.format(label=label, date=format_date(review.cycle_start_on))
        )
    elif value < COMMENCEMENT:  # a plan from before the law: no time limit to count from
        errors.setdefault(field, []).append(
            BEFORE_TIME_LIMITS.format(label=label, date=format_date(COMMENCEMENT))
        )


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _locked(review: AnnualReview, step: Step) -> AnnualReview:
    """The review re-read under a row lock, or a refusal if its status does not allow `step`."""
    locked = (
        AnnualReview.objects.select_for_update(of=("self",))
        .select_related("plan__child")
        .get(pk=review.pk)
    )
    if not allowed(step, locked.status):
        raise TransitionNotAllowed(refusal(step, locked.status))
    return locked


def _save(
    *,
    actor: Actor | None,
    review: AnnualReview,
    action: str,
    title: str,
    occurred_on: dt.date,
    from_status: str,
    changes: dict[str, Any],
    detail: str = "",
) -> AnnualReview:
    review.full_clean()
    review.save()
    step_record(
        actor=actor,
        child=review.plan.child,
        action=action,
        title=title,
        occurred_on=occurred_on,
        changes=changes,
        obj=review,
        detail=detail,
        plan=review.plan,
        from_status=from_status,
        to_status=review.status,
    )
    return review


# --- phase transfer -------------------------------------------------------------------------
def _at_infant_school(child: Child) -> bool:
    setting = child.current_setting
    return setting is not None and phase.is_infant_setting(setting.phase, setting.name)


def _clear_phase_transfer(review: AnnualReview) -> None:
    review.phase_transfer = False
    review.phase_transfer_kind = ""
    review.phase_transfer_on = None
    review.phase_transfer_label = ""


def _apply_computed_phase_transfer(review: AnnualReview, previous: AnnualReview | None) -> None:
    """Flag the transfer this review must deliver: the child's next transfer after the cycle
    starts, when its statutory deadline comes before the review is due, unless the previous
    review already carried that transfer."""
    _clear_phase_transfer(review)
    review.phase_transfer_manual = False
    child = review.plan.child
    transfer = phase.next_transfer(
        child.date_of_birth, after=review.cycle_start_on, infant_school=review.infant_school
    )
    if transfer is None:
        return
    if previous is not None and previous.phase_transfer_on == transfer.on:
        return
    deadline = compute(transfer.rule, transfer.on, working_calendar()).due
    if deadline > review.due_on:
        return
    review.phase_transfer = True
    review.phase_transfer_kind = transfer.kind
    review.phase_transfer_on = transfer.on
    review.phase_transfer_label = transfer.label


def _open_review(
    *,
    actor: Actor | None,
    plan: Plan,
    sequence: int,
    cycle_start: dt.date,
    previous: AnnualReview | None,
) -> AnnualReview:
    due = compute("annual_review", cycle_start, working_calendar())
    review = AnnualReview(
        plan=plan,
        sequence=sequence,
        cycle_start_on=cycle_start,
        due_on=due.due,
        infant_school=previous.infant_school if previous else _at_infant_school(plan.child),
    )
    if (
        previous is not None
        and previous.phase_transfer_manual
        and previous.phase_transfer_on is not None
        and previous.phase_transfer_on > cycle_start
    ):
        review.phase_transfer = previous.phase_transfer
        review.phase_transfer_kind = previous.phase_transfer_kind
        review.phase_transfer_on = previous.phase_transfer_on
        review.phase_transfer_label = previous.phase_transfer_label
        review.phase_transfer_manual = True
    else:
        _apply_computed_phase_transfer(review, previous)
    review.full_clean()
    review.save()
    detail = due.explanation
    if review.phase_transfer:
        detail += f" Phase transfer: {review.phase_transfer_label}."
    step_record(
        actor=actor,
        child=plan.child,
        action="annual_review.opened",
        title=f"Annual review due {format_date(review.due_on)}",
        occurred_on=cycle_start,
        changes={"cycle_start_on": cycle_start, "due_on": review.due_on, "sequence": sequence},
        obj=review,
        detail=detail,
        plan=plan,
        to_status=review.status,
    )
    return review


# --- opening reviews ----------------------------------------------------------------------------
@transaction.atomic
def annual_review_open_first(*, plan: Plan, actor: Actor | None = None) -> AnnualReview:
    """The plan's first review, due 12 months from the plan's issue. Safe to call again."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("child").get(pk=plan.pk)
    existing = plan.annual_reviews.order_by("sequence").first()
    if existing is not None:
        return existing
    if plan.status != PlanStatus.ACTIVE:
        raise TransitionNotAllowed(PLAN_NOT_ACTIVE)
    return _open_review(
        actor=actor, plan=plan, sequence=1, cycle_start=plan.issued_on, previous=None
    )


def ensure_reviews_for_new_plans(*, actor: Actor | None = None) -> list[AnnualReview]:
    """Open the first review of every plan in force that has none.

    A final plan's first review opens when it is issued (`annual_review_open_first`, registered
    with the casework services); this catches plans recorded another way (a factory, a bulk
    load) for the nightly task and the demo seeder. Never called from a page: a GET writes no
    rows.
    """
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE, annual_reviews__isnull=True)
    return [annual_review_open_first(plan=plan, actor=actor) for plan in plans]


# --- the steps ----------------------------------------------------------------------------------
@transaction.atomic
def review_invitations_send(
    *, actor: Actor | None, review: AnnualReview, sent_on: dt.date, meeting_planned_on: dt.date
) -> AnnualReview:
    """Invitations to the meeting sent: at least 2 weeks before it (`review_notice`)."""
    review = _locked(review, Step.INVITATIONS)
    errors: dict[str, list[str]] = {}
    _check_past(errors, "sent_on", sent_on, "The date invitations were sent")
    _check_in_cycle(errors, "sent_on", sent_on, "The date invitations were sent", review)
    _check_in_cycle(errors, "meeting_planned_on", meeting_planned_on, "The meeting", review)
    # The notice is counted only from a meeting date that can be right (a 400, not a 500).
    notice = None
    if "meeting_planned_on" not in errors:
        notice = compute("review_notice", meeting_planned_on, working_calendar())
    if notice is not None and sent_on > notice.due:
        errors.setdefault("sent_on", []).append(
            INVITATIONS_TOO_LATE.format(
                meeting=format_date(meeting_planned_on), due=format_date(notice.due)
            )
        )
    _raise(errors)
    before = review.status
    review.invitations_sent_on = sent_on
    review.meeting_planned_on = meeting_planned_on
    review.status = TRANSITIONS[Step.INVITATIONS].to_status or before
    return _save(
        actor=actor,
        review=review,
        action="annual_review.invitations_sent",
        title="Annual review invitations sent",
        occurred_on=sent_on,
        detail=f"Meeting planned for {format_date(meeting_planned_on)}.",
        from_status=before,
        changes={"invitations_sent_on": sent_on, "meeting_planned_on": meeting_planned_on},
    )


@transaction.atomic
def review_advice_record(
    *, actor: Actor, review: AnnualReview, gathered_on: dt.date, note: str = ""
) -> AnnualReview:
    """Advice and information for the review gathered and circulated."""
    review = _locked(review, Step.ADVICE)
    errors: dict[str, list[str]] = {}
    _check_past(errors, "gathered_on", gathered_on, "The date advice was gathered")
    _check_in_cycle(errors, "gathered_on", gathered_on, "The date advice was gathered", review)
    _raise(errors)
    review.advice_gathered_on = gathered_on
    review.advice_note = note
    return _save(
        actor=actor,
        review=review,
        action="annual_review.advice_gathered",
        title="Advice for the annual review gathered",
        occurred_on=gathered_on,
        detail=note,
        from_status=review.status,
        changes={"advice_gathered_on": gathered_on, "advice_note": note},
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
    review = _locked(review, Step.MEETING)
    errors: dict[str, list[str]] = {}
    _check_past(errors, "held_on", held_on, "The meeting date")
    _check_in_cycle(errors, "held_on", held_on, "The meeting", review)
    if review.invitations_sent_on is not None and "held_on" not in errors:
        notice = compute("review_notice", held_on, working_calendar())
        if held_on <= review.invitations_sent_on:
            errors.setdefault("held_on", []).append(
                MEETING_NOT_AFTER_INVITATIONS.format(date=format_date(review.invitations_sent_on))
            )
        elif review.invitations_sent_on > notice.due:
            errors.setdefault("held_on", []).append(
                MEETING_TOO_SOON.format(
                    sent=format_date(review.invitations_sent_on),
                    meeting=format_date(held_on),
                    due=format_date(notice.due),
                )
            )
    if review.advice_gathered_on is not None and held_on < review.advice_gathered_on:
        errors.setdefault("held_on", []).append(
            MEETING_BEFORE_ADVICE.format(date=format_date(review.advice_gathered_on))
        )
    _raise(errors)
    before = review.status
    review.meeting_on = held_on
    review.attendees = attendees
    review.child_views = child_views
    review.family_views = family_views
    review.status = TRANSITIONS[Step.MEETING].to_status or before
    return _save(
        actor=actor,
        review=review,
        action="annual_review.meeting_held",
        title="Annual review meeting held",
        occurred_on=held_on,
        detail=f"Attendees: {attendees}" if attendees else "",
        from_status=before,
        changes={"meeting_on": held_on, "attendees": attendees},
    )


@transaction.atomic
def review_report_receive(
    *, actor: Actor, review: AnnualReview, received_on: dt.date
) -> AnnualReview:
    """The report of the meeting received by the council (`review_report`: 2 weeks)."""
    review = _locked(review, Step.REPORT)
    errors: dict[str, list[str]] = {}
    _check_past(errors, "received_on", received_on, "The date the report was received")
    if review.meeting_on is not None and received_on < review.meeting_on:
        errors.setdefault("received_on", []).append(
            REPORT_BEFORE_MEETING.format(date=format_date(review.meeting_on))
        )
    _raise(errors)
    before = review.status
    review.report_received_on = received_on
    review.status = TRANSITIONS[Step.REPORT].to_status or before
    return _save(
        actor=actor,
        review=review,
        action="annual_review.report_received",
        title="Annual review report received",
        occurred_on=received_on,
        from_status=before,
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
    review = _locked(review, Step.DECISION)
    errors: dict[str, list[str]] = {}
    _check_past(errors, "issued_on", issued_on, "The decision date")
    if review.meeting_on is not None and issued_on < review.meeting_on:
        errors.setdefault("issued_on", []).append(
            DECISION_BEFORE_MEETING.format(date=format_date(review.meeting_on))
        )
    _raise(errors)
    before = review.status
    review.decision = decision
    review.decision_issued_on = issued_on
    review.status = DECISION_STATUS[decision]
    _save(
        actor=actor,
        review=review,
        action="annual_review.decided",
        title=f"Annual review decision: {Decision(decision).label.lower()}",
        occurred_on=issued_on,
        from_status=before,
        changes={"decision": decision, "decision_issued_on": issued_on},
    )
    plan = review.plan
    if decision == Decision.CEASE:
        plan_cease_propose(actor=actor, plan=plan, proposed_on=issued_on)
    plan.refresh_from_db()
    if plan.status == PlanStatus.ACTIVE:
        _open_review(
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
    review = _locked(review, Step.AMENDMENTS)
    errors: dict[str, list[str]] = {}
    _check_past(errors, "issued_on", issued_on, "The date the amendments were sent")
    if review.decision_issued_on is not None and issued_on < review.decision_issued_on:
        errors.setdefault("issued_on", []).append(
            AMENDMENTS_BEFORE_DECISION.format(date=format_date(review.decision_issued_on))
        )
    _raise(errors)
    before = review.status
    review.amendments_issued_on = issued_on
    review.proposed_changes = changes
    review.status = TRANSITIONS[Step.AMENDMENTS].to_status or before
    return _save(
        actor=actor,
        review=review,
        action="annual_review.amendments_sent",
        title="Proposed amendments to the plan sent",
        occurred_on=issued_on,
        detail=changes,
        from_status=before,
        changes={"amendments_issued_on": issued_on, "proposed_changes": changes},
    )


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
    review = _locked(review, Step.FINAL_AMENDED_PLAN)
    if review.amendments_issued_on is None or review.decision_issued_on is None:
        raise TransitionNotAllowed(FINAL_NEEDS_AMENDMENTS)
    errors: dict[str, list[str]] = {}
    _check_past(errors, "issued_on", issued_on, "The date the final amended plan was issued")
    window = compute("review_representations", review.amendments_issued_on, working_calendar())
    if issued_on < review.amendments_issued_on:
        errors.setdefault("issued_on", []).append(
            FINAL_BEFORE_AMENDMENTS.format(date=format_date(review.amendments_issued_on))
        )
    elif issued_on <= window.due:
        errors.setdefault("issued_on", []).append(
            FINAL_IN_FAMILY_WINDOW.format(date=format_date(window.due))
        )
    _raise(errors)
    what_changed = (
        changes
        or review.proposed_changes
        or DEFAULT_CHANGES.format(date=format_date(review.decision_issued_on))
    )
    named_settings: list[dict[str, Any]] | None = None
    if establishment is not None:
        named_settings = [
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
    version = plan_version_issue(
        actor=actor,
        plan=review.plan,
        issued_on=issued_on,
        changes=what_changed,
        kind="amended",
        named_settings=named_settings,
        starts_on=starts_on,
    )
    before = review.status
    review.final_amended_issued_on = issued_on
    review.plan_version = version
    review.status = TRANSITIONS[Step.FINAL_AMENDED_PLAN].to_status or before
    return _save(
        actor=actor,
        review=review,
        action="annual_review.final_amended_plan_issued",
        title="Final amended plan issued after the annual review",
        occurred_on=issued_on,
        detail=what_changed,
        from_status=before,
        changes={"final_amended_issued_on": issued_on, "plan_version": version.pk},
    )


@transaction.atomic
def review_phase_transfer_set(
    *,
    actor: Actor,
    review: AnnualReview,
    automatic: bool,
    infant_school: bool,
    phase_transfer: bool = False,
    kind: str = "",
    transfer_on: dt.date | None = None,
) -> AnnualReview:
    """Set the phase transfer by hand, or go back to computing it from the date of birth."""
    review = _locked(review, Step.PHASE_TRANSFER)
    review.infant_school = infant_school
    if automatic:
        previous = AnnualReview.objects.filter(
            plan=review.plan, sequence=review.sequence - 1
        ).first()
        _apply_computed_phase_transfer(review, previous)
    elif phase_transfer:
        errors: dict[str, list[str]] = {}
        if kind not in phase.TransferKind.values:
            errors["kind"] = [PHASE_KIND_REQUIRED]
        if transfer_on is None:
            errors["transfer_on"] = [PHASE_DATE_REQUIRED]
        elif transfer_on <= review.cycle_start_on:
            errors["transfer_on"] = [
                PHASE_DATE_NOT_IN_CYCLE.format(date=format_date(review.cycle_start_on))
            ]
        _raise(errors)
        review.phase_transfer = True
        review.phase_transfer_kind = kind
        review.phase_transfer_on = transfer_on
        review.phase_transfer_label = phase.TransferKind(kind).label
        review.phase_transfer_manual = True
    else:
        _clear_phase_transfer(review)
        review.phase_transfer_manual = True
    if review.phase_transfer and review.phase_transfer_on is not None:
        title = f"Phase transfer on {format_date(review.phase_transfer_on)} recorded on the review"
        detail = review.phase_transfer_label
    else:
        title, detail = "No phase transfer on this review", ""
    return _save(
        actor=actor,
        review=review,
        action="annual_review.phase_transfer_set",
        title=title,
        occurred_on=_today(),
        detail=detail + (" (computed from the date of birth)" if automatic else " (set by hand)"),
        from_status=review.status,
        changes={
            "phase_transfer": review.phase_transfer,
            "phase_transfer_kind": review.phase_transfer_kind,
            "phase_transfer_on": review.phase_transfer_on,
            "phase_transfer_manual": review.phase_transfer_manual,
            "infant_school": infant_school,
        },
    )
