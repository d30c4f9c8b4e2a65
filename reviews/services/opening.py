"""Opening reviews: the plan's first, due 12 months from its issue, and each next one from the
last decision, with the phase transfer the review must deliver."""

import datetime as dt

from django.db import transaction

from cases.models import Plan, PlanStatus
from cases.services import step_record, working_calendar
from reviews.messages import PLAN_NOT_ACTIVE
from reviews.models import AnnualReview
from reviews.services.phase_transfer import apply_computed_phase_transfer, at_infant_school
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import fmt, locked
from send_cms.timescales import compute


def review_open(
    *,
    actor: Actor | None,
    plan: Plan,
    sequence: int,
    cycle_start: dt.date,
    previous: AnnualReview | None,
) -> AnnualReview:
    """The plan's review number `sequence`, its 12 months counted from `cycle_start`. A phase
    transfer set by hand on the previous review and still ahead carries over."""
    due = compute("annual_review", cycle_start, working_calendar())
    review = AnnualReview(
        plan=plan,
        sequence=sequence,
        cycle_start_on=cycle_start,
        due_on=due.due,
        infant_school=previous.infant_school if previous else at_infant_school(plan.child),
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
        apply_computed_phase_transfer(review, previous)
    review.full_clean()
    review.save()
    detail = due.explanation
    if review.phase_transfer:
        detail += f" Phase transfer: {review.phase_transfer_label}."
    step_record(
        actor=actor,
        child=plan.child,
        action="annual_review.opened",
        title=f"Annual review due {fmt(review.due_on)}",
        occurred_on=cycle_start,
        changes={"cycle_start_on": cycle_start, "due_on": review.due_on, "sequence": sequence},
        obj=review,
        detail=detail,
        plan=plan,
        to_status=review.status,
    )
    return review


@transaction.atomic
def annual_review_open_first(*, plan: Plan, actor: Actor | None = None) -> AnnualReview:
    """The plan's first review, due 12 months from the plan's issue. Safe to call again."""
    plan = locked(plan, "child")
    existing = plan.annual_reviews.order_by("sequence").first()
    if existing is not None:
        return existing
    if plan.status != PlanStatus.ACTIVE:
        raise TransitionNotAllowed(PLAN_NOT_ACTIVE)
    return review_open(
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
