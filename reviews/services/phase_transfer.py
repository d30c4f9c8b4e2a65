"""The phase transfer a review must deliver (into school, junior, secondary, post-16): computed
from the date of birth, or set by hand."""

import datetime as dt

from django.db import transaction

from cases.models import Child
from cases.services import working_calendar
from reviews import phase
from reviews.messages import (
    PHASE_DATE_NOT_IN_CYCLE,
    PHASE_DATE_REQUIRED,
    PHASE_KIND_REQUIRED,
)
from reviews.models import AnnualReview
from reviews.services.common import review_locked, review_save
from reviews.workflow import Step
from send_cms.accounts.actor import Actor
from send_cms.common.services import Errors, fmt, raise_if, today
from send_cms.timescales import compute


def at_infant_school(child: Child) -> bool:
    setting = child.current_setting
    return setting is not None and phase.is_infant_setting(setting.phase, setting.name)


def _clear_phase_transfer(review: AnnualReview) -> None:
    review.phase_transfer = False
    review.phase_transfer_kind = ""
    review.phase_transfer_on = None
    review.phase_transfer_label = ""


def apply_computed_phase_transfer(review: AnnualReview, previous: AnnualReview | None) -> None:
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
    review = review_locked(review, Step.PHASE_TRANSFER)
    review.infant_school = infant_school
    if automatic:
        previous = AnnualReview.objects.filter(
            plan=review.plan, sequence=review.sequence - 1
        ).first()
        apply_computed_phase_transfer(review, previous)
    elif phase_transfer:
        errors: Errors = {}
        if kind not in phase.TransferKind.values:
            errors["kind"] = [PHASE_KIND_REQUIRED]
        if transfer_on is None:
            errors["transfer_on"] = [PHASE_DATE_REQUIRED]
        elif transfer_on <= review.cycle_start_on:
            errors["transfer_on"] = [
                PHASE_DATE_NOT_IN_CYCLE.format(date=fmt(review.cycle_start_on))
            ]
        raise_if(errors)
        review.phase_transfer = True
        review.phase_transfer_kind = kind
        review.phase_transfer_on = transfer_on
        review.phase_transfer_label = phase.TransferKind(kind).label
        review.phase_transfer_manual = True
    else:
        _clear_phase_transfer(review)
        review.phase_transfer_manual = True
    if review.phase_transfer and review.phase_transfer_on is not None:
        title = f"Phase transfer on {fmt(review.phase_transfer_on)} recorded on the review"
        detail = review.phase_transfer_label
    else:
        title, detail = "No phase transfer on this review", ""
    return review_save(
        actor=actor,
        review=review,
        action="annual_review.phase_transfer_set",
        title=title,
        occurred_on=today(),
        detail=detail + (" (computed from the date of birth)" if automatic else " (set by hand)"),
        changes={
            "phase_transfer": review.phase_transfer,
            "phase_transfer_kind": review.phase_transfer_kind,
            "phase_transfer_on": review.phase_transfer_on,
            "phase_transfer_manual": review.phase_transfer_manual,
            "infant_school": infant_school,
        },
    )
