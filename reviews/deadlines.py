"""A review's statutory steps, mapped from its dates to the timescales engine's rules.

`review_steps` is the single mapping. The deadlines app stores its output for caseloads (through
the registered provider `steps_for_children`); the review page and the API compute the same steps
live with `review_deadlines`, so both always agree.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from cases.models import PlanStatus, PlanVersion
from reviews.models import AnnualReview, Decision
from reviews.phase import RULE_FOR_KIND, amendment_window_start
from send_cms.deadlines.calendar import council_calendar
from send_cms.deadlines.display import DeadlineRow, not_started_row, step_row
from send_cms.deadlines.registry import Step, SubjectSteps
from send_cms.timescales import WorkingCalendar

#: The order the steps are shown in.
RULE_ORDER = (
    "annual_review",
    "review_notice",
    "review_report",
    "review_decision",
    "review_representations",
    "review_final_amended_plan",
    "review_longstop",
    "phase_transfer_school",
    "phase_transfer_post16",
    "phase_transfer_post16_other",
)


def phase_transfer_met_on(review: AnnualReview) -> dt.date | None:
    """The first amended plan issued in the 12 months up to the transfer, whichever review made
    it (a phase-transfer plan is often amended at the review before).

    Reads `review.plan.versions.all()`, so callers listing reviews prefetch it.
    """
    if not review.phase_transfer or review.phase_transfer_on is None:
        return None
    window_start = amendment_window_start(review.phase_transfer_on)
    dates = [
        version.issued_on
        for version in review.plan.versions.all()
        if version.kind == PlanVersion.Kind.AMENDED
        and window_start <= version.issued_on <= review.phase_transfer_on
    ]
    return min(dates) if dates else None


def review_steps(review: AnnualReview) -> list[Step]:
    """Every statutory step of one review (needs `review.plan`, its child and versions)."""
    plan = review.plan
    decided = review.decision_issued_on is not None
    amending = review.decision in ("", Decision.AMEND)
    step = SubjectSteps(
        child_id=plan.child_id,
        subject=review,
        owner_id=plan.child.caseworker_id,
        case_open=plan.status == PlanStatus.ACTIVE,
    ).step

    steps = [
        step("annual_review", review.cycle_start_on, review.decision_issued_on),
        # Invitations never recorded for a meeting already held: unknown, not overdue.
        step(
            "review_notice",
            review.meeting_date,
            review.invitations_sent_on,
            applicable=review.invitations_sent_on is not None or review.meeting_on is None,
        ),
        # A report never recorded once the decision is made: superseded, not overdue.
        step(
            "review_report",
            review.meeting_on,
            review.report_received_on,
            applicable=review.report_received_on is not None or not decided,
        ),
        step("review_decision", review.meeting_on, review.decision_issued_on),
        # The family's window: the council's part is serving the notice that opens it.
        step("review_representations", review.amendments_issued_on, review.amendments_issued_on),
        step(
            "review_final_amended_plan",
            review.amendments_issued_on,
            review.final_amended_issued_on,
            applicable=amending,
        ),
        step(
            "review_longstop",
            review.meeting_on,
            review.final_amended_issued_on,
            applicable=amending,
        ),
    ]
    if review.phase_transfer and review.phase_transfer_kind and review.phase_transfer_on:
        steps.append(
            step(
                RULE_FOR_KIND[review.phase_transfer_kind],
                review.phase_transfer_on,
                phase_transfer_met_on(review),
            )
        )
    return steps


def steps_for_children(child_ids: Sequence[uuid.UUID]) -> Iterable[Step]:
    """The provider registered with the deadlines table (reviews/apps.py)."""
    reviews = (
        AnnualReview.objects.filter(plan__child_id__in=child_ids)
        .select_related("plan__child")
        .prefetch_related("plan__versions")
    )
    for review in reviews:
        yield from review_steps(review)


def review_deadlines(
    review: AnnualReview, *, today: dt.date, calendar: WorkingCalendar | None = None
) -> list[DeadlineRow]:
    """The review's deadlines computed now; a step whose trigger has not happened has no date."""
    calendar = calendar or council_calendar()
    return [
        not_started_row(step) if step.start is None else step_row(step, calendar, today=today)
        for step in review_steps(review)
    ]
