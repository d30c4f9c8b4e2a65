"""What every annual review service shares: the review locked for its step, the date checks in
this app's wording, and the step saved and recorded through the casework's `step_record`."""

import datetime as dt
from typing import Any

from cases.services import step_record
from reviews.messages import BEFORE_CYCLE, BEFORE_TIME_LIMITS, IN_FUTURE
from reviews.models import AnnualReview
from reviews.workflow import TRANSITIONS, Step, allowed, refusal
from send_cms.accounts.actor import Actor
from send_cms.common import services as common
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import Errors, add_error, fmt, locked
from send_cms.timescales import COMMENCEMENT


def check_past(errors: Errors, field: str, value: dt.date, label: str) -> None:
    common.check_not_future(errors, field, value, label, message=IN_FUTURE)


def check_in_cycle(
    errors: Errors, field: str, value: dt.date, label: str, review: AnnualReview
) -> None:
    if value < review.cycle_start_on:
        add_error(errors, field, BEFORE_CYCLE.format(label=label, date=fmt(review.cycle_start_on)))
    elif value < COMMENCEMENT:  # a plan from before the law: no time limit to count from
        add_error(errors, field, BEFORE_TIME_LIMITS.format(label=label, date=fmt(COMMENCEMENT)))


def review_locked(review: AnnualReview, step: Step) -> AnnualReview:
    """The review re-read under a row lock, or a refusal if its status does not allow `step`."""
    review = locked(review, "plan__child")
    if not allowed(step, review.status):
        raise TransitionNotAllowed(refusal(step, review.status))
    return review


def review_save(
    *,
    actor: Actor | None,
    review: AnnualReview,
    action: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    step: Step | None = None,
    to_status: str | None = None,
    detail: str = "",
) -> AnnualReview:
    """Save the review and record the step. The status moves to `to_status`, or where the
    workflow table takes `step`; a step that only records a date leaves it as it was."""
    before = review.status
    if to_status is not None:
        review.status = to_status
    elif step is not None:
        review.status = TRANSITIONS[step].to_status or before
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
        from_status=before,
        to_status=review.status,
    )
    return review
