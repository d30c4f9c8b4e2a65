"""What every tribunals service shares: date checks, the case timeline, the appeal's own events,
and queueing the deadline recomputation once the transaction commits."""

import datetime as dt
import importlib
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import AssessmentRequest, Child, Plan
from cases.services import timeline_record
from send_cms.accounts.actor import Actor, account_of
from send_cms.audit.services import SYSTEM_ACTOR
from send_cms.timescales import format_date
from tribunals import messages as msg
from tribunals.deadlines import children_with_lapsed_steps
from tribunals.models import Appeal, AppealEvent

Errors = dict[str, list[str]]


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def label_of(model: type[Any], field: str) -> str:
    """A field's label as a sentence starts ("Date complied")."""
    name = str(model._meta.get_field(field).verbose_name)
    return name[:1].upper() + name[1:]


def check_past(errors: Errors, field: str, value: dt.date | None, label: str) -> None:
    """Something that has happened cannot be dated after today."""
    if value is not None and value > timezone.localdate():
        add_error(errors, field, msg.FUTURE.format(label=label))


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
            msg.NOT_BEFORE.format(
                label=label, other_label=earliest_label, other=format_date(earliest)
            ),
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


def timeline(
    *,
    actor: Actor,
    child: Child,
    event: str,
    title: str,
    occurred_on: dt.date,
    detail: str = "",
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    from_status: str = "",
    to_status: str = "",
) -> None:
    """One row on the case timeline, through the casework service every app uses."""
    timeline_record(
        actor=actor,
        child=child,
        event=event,
        title=title[:200],
        occurred_on=occurred_on,
        detail=detail,
        request=request,
        plan=plan,
        from_status=from_status,
        to_status=to_status,
    )


def appeal_event(
    *,
    actor: Actor,
    appeal: Appeal,
    event: str,
    title: str,
    occurred_on: dt.date,
    detail: str = "",
    from_status: str = "",
    to_status: str = "",
) -> AppealEvent:
    """The appeal's own immutable step row, and the same step on the case timeline."""
    user = account_of(actor)
    row = AppealEvent(
        appeal=appeal,
        event=event,
        title=title[:200],
        detail=detail,
        occurred_on=occurred_on,
        from_status=from_status,
        to_status=to_status,
        recorded_by=user,
        recorded_by_name=(user.get_full_name() or user.get_username())
        if user is not None
        else SYSTEM_ACTOR,
    )
    row.full_clean()
    row.save()
    timeline(
        actor=actor,
        child=appeal.child,
        event=event,
        title=title,
        occurred_on=occurred_on,
        detail=detail,
        request=appeal.request,
        plan=appeal.plan,
        from_status=from_status,
        to_status=to_status,
    )
    return row


class _Recompute:
    """The on-commit callback for one child; several steps in one transaction queue it once."""

    def __init__(self, child_id: uuid.UUID) -> None:
        self.child_id = child_id

    def __call__(self) -> None:
        # Imported when called: the deadlines app reads this app's steps through its provider.
        deadlines = importlib.import_module("send_cms.deadlines.services")
        deadlines.queue_recompute(self.child_id)


def queue_recompute(child_id: uuid.UUID) -> None:
    """Rebuild the child's stored deadlines once this transaction has committed."""
    pending: list[tuple[Any, Callable[[], None], bool]] = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(
        isinstance(func, _Recompute) and func.child_id == child_id for _, func, _ in pending
    ):
        return
    transaction.on_commit(_Recompute(child_id))


def recompute_lapsed_steps(*, today: dt.date) -> int:
    """Rebuild the stored deadlines of children whose lapsing steps' day has passed (see
    `tribunals.deadlines.LAPSING_RULES`); returns the rows changed. Safe to run twice."""
    deadlines = importlib.import_module("send_cms.deadlines.services")
    changed: int = deadlines.recompute_for_children(children_with_lapsed_steps(today), today=today)
    return changed
