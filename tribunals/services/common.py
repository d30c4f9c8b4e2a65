"""What every tribunals service shares: the date checks in this app's wording, and recording a
step through the casework's `step_record` (the audit row, the case timeline, the deadline
recomputation), with the appeal's own row for an appeal's steps."""

import datetime as dt
import importlib
from typing import Any

from django.db import models

from cases.models import AssessmentRequest, Child, Plan
from cases.services.common import step_record
from send_cms.accounts.actor import Actor
from send_cms.common import services as common
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import Errors, add_error, fmt, locked, raise_if
from tribunals import messages as msg
from tribunals.deadlines import children_with_lapsed_steps
from tribunals.models import Appeal, AppealEvent
from tribunals.workflow import AppealStep, next_status, refusal

__all__ = [
    "ON_APPEAL",
    "RECEIVED",
    "Errors",
    "add_error",
    "appeal_locked",
    "appeal_move",
    "appeal_moved",
    "appeal_step",
    "check_order",
    "check_past",
    "check_subject",
    "locked",
    "raise_if",
    "recompute_lapsed_steps",
]

RECEIVED = "the day the council received the appeal"


def check_past(errors: Errors, field: str, value: dt.date | None, label: str) -> None:
    """Something that has happened cannot be dated after today."""
    common.check_not_future(errors, field, value, label, message=msg.FUTURE)


def check_order(
    errors: Errors,
    field: str,
    value: dt.date | None,
    label: str,
    earliest: dt.date | None,
    earliest_label: str,
) -> None:
    """`value` must not come before `earliest`."""
    if value is not None and earliest is not None and value < earliest:
        add_error(
            errors,
            field,
            msg.NOT_BEFORE.format(label=label, other_label=earliest_label, other=fmt(earliest)),
        )


def check_subject(
    errors: Errors,
    *,
    child: Child,
    request: AssessmentRequest | None,
    plan: Plan | None,
    needs: str,
) -> None:
    """The request or plan belongs to the child, and is the kind the decision is about.

    `needs` is "request", "plan" or "either".
    """
    if request is not None and request.child_id != child.pk:
        add_error(errors, "request", msg.NOT_THIS_CHILD_REQUEST)
    if plan is not None and plan.child_id != child.pk:
        add_error(errors, "plan", msg.NOT_THIS_CHILD_PLAN)
    if needs == "request":
        if plan is not None:
            add_error(errors, "plan", msg.PLAN_NOT_FOR_REQUEST_DECISION)
        elif request is None:
            add_error(errors, "request", msg.REQUEST_NEEDED)
    elif needs == "plan":
        if request is not None:
            add_error(errors, "request", msg.REQUEST_NOT_FOR_PLAN_DECISION)
        elif plan is None:
            add_error(errors, "plan", msg.PLAN_NEEDED)
    elif request is not None and plan is not None:
        add_error(errors, "plan", msg.REQUEST_OR_PLAN)
    elif request is None and plan is None:
        add_error(errors, "request", msg.REQUEST_NEEDED)


#: What the appeal's own row repeats of the step's row on the case timeline.
_STEP_FIELDS = (
    "event",
    "title",
    "detail",
    "occurred_on",
    "from_status",
    "to_status",
    "recorded_by",
    "recorded_by_name",
)


#: What a record on an appeal reads with it to record a step on the appeal.
ON_APPEAL = ("appeal__child", "appeal__request", "appeal__plan")


def appeal_locked(appeal: Appeal) -> Appeal:
    """The appeal read again under a row lock, with what its steps record against."""
    return locked(appeal, "child", "request", "plan")


def appeal_move(appeal: Appeal, step: AppealStep) -> tuple[str, str]:
    """The status change this step makes, or TransitionNotAllowed (409) with the reason."""
    to = next_status(step, appeal.status)
    if to is None:
        raise TransitionNotAllowed(refusal(step, appeal.status))
    return appeal.status, to


def appeal_step(
    *,
    actor: Actor,
    appeal: Appeal,
    action: str,
    event: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    obj: models.Model | None = None,
    detail: str = "",
    from_status: str = "",
    to_status: str = "",
) -> AppealEvent:
    """One step of an appeal: the recorded casework step (`action` audited on `obj`, the appeal
    unless named, and `event` on the case timeline), and the same step on the appeal's own
    immutable rows."""
    entry = step_record(
        actor=actor,
        child=appeal.child,
        action=action,
        event=event,
        title=title[:200],
        occurred_on=occurred_on,
        changes=changes,
        obj=obj or appeal,
        detail=detail,
        request=appeal.request,
        plan=appeal.plan,
        from_status=from_status,
        to_status=to_status,
    )
    row = AppealEvent(appeal=appeal, **{name: getattr(entry, name) for name in _STEP_FIELDS})
    row.full_clean()
    row.save()
    return row


def appeal_moved(
    actor: Actor,
    appeal: Appeal,
    move: tuple[str, str],
    *,
    action: str,
    event: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    detail: str = "",
) -> Appeal:
    """Save the appeal in the status `move` leads to, and record the step with its change."""
    from_status, to_status = move
    appeal.status = to_status
    appeal.full_clean()
    appeal.save()
    appeal_step(
        actor=actor,
        appeal=appeal,
        action=action,
        event=event,
        title=title,
        detail=detail,
        occurred_on=occurred_on,
        changes={**changes, "status": to_status},
        from_status=from_status,
        to_status=to_status,
    )
    return appeal


def recompute_lapsed_steps(*, today: dt.date) -> int:
    """Rebuild the stored deadlines of children whose lapsing steps' day has passed (see
    `tribunals.deadlines.LAPSING_RULES`); returns the rows changed. Safe to run twice."""
    deadlines = importlib.import_module("send_cms.deadlines.services")
    changed: int = deadlines.recompute_for_children(children_with_lapsed_steps(today), today=today)
    return changed
