"""What every casework service shares: the recorded step (audit, case timeline, deadline
recomputation) that every app goes through, and who acted.

The date, error and lock helpers live once in `send_cms.common.services`; they are imported here
for the casework modules that take them from this one, with the casework's own wording for a
date in the future.
"""

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction

from cases.messages import DATE_IN_FUTURE
from cases.models import AssessmentRequest, Child, Plan, TimelineEntry
from send_cms.accounts.actor import Actor, account_of
from send_cms.accounts.models import User
from send_cms.audit.services import SYSTEM_ACTOR, record
from send_cms.common import services as common
from send_cms.common.services import Errors, add_error, fmt, lock, raise_if, today
from send_cms.deadlines.calendar import council_calendar
from send_cms.timescales import WorkingCalendar

__all__ = [
    "Errors",
    "actor_name",
    "actor_user",
    "add_error",
    "check_not_future",
    "deadlines_changed",
    "deadlines_deferred",
    "fmt",
    "lock",
    "raise_if",
    "step_record",
    "timeline_record",
    "today",
    "working_calendar",
]


def working_calendar() -> WorkingCalendar:
    """The calendar the council counts on: bank holidays plus its own closure days."""
    return council_calendar()


def check_not_future(errors: Errors, field: str, value: dt.date | None, label: str) -> None:
    common.check_not_future(errors, field, value, label, message=DATE_IN_FUTURE)


def actor_user(actor: Actor | None) -> User | None:
    """The acting user, or None for the system (a scheduled task, the demo seeder)."""
    return account_of(actor)


def actor_name(actor: Actor | None) -> str:
    user = actor_user(actor)
    if user is None:
        return SYSTEM_ACTOR
    return str(user.get_full_name() or user.get_username())


class _Recompute:
    """The on-commit callback for one child (a class, so tests and logs can tell what it is)."""

    def __init__(self, child_id: Any) -> None:
        self.child_id = child_id

    def __call__(self) -> None:
        # Imported when called: the deadlines services load every app's providers.
        from send_cms.deadlines.services import queue_recompute

        queue_recompute(self.child_id)

    def __repr__(self) -> str:
        return f"<recompute deadlines of {self.child_id}>"


_deferred = threading.local()


def _queued(child_id: Any) -> bool:
    """This child's recompute is already waiting for the commit, and cannot be dropped without
    what is being done now: it was queued in this block or one around it, so a rollback that
    cancels it undoes this work too."""
    if not connection.in_atomic_block:
        return False
    open_savepoints = set(connection.savepoint_ids)
    return any(
        isinstance(queued[1], _Recompute)
        and queued[1].child_id == child_id
        and queued[0] <= open_savepoints
        for queued in connection.run_on_commit  # (savepoint ids, callback, robust)
    )


def deadlines_changed(child_id: Any) -> None:
    """Recompute the child's stored deadlines once the transaction commits, once however many
    steps of one change touch them.

    Inside `deadlines_deferred()` the child is only noted; the block's owner recomputes.
    """
    pending: set[Any] | None = getattr(_deferred, "child_ids", None)
    if pending is not None:
        pending.add(child_id)
        return
    if not _queued(child_id):
        transaction.on_commit(_Recompute(child_id))


#: The name the casework modules import.
_deadlines_changed = deadlines_changed


@contextmanager
def deadlines_deferred() -> Iterator[set[Any]]:
    """Collect the children whose deadlines changed instead of queueing one task per step.

    For bulk work (the demo seeder, imports): the caller gets the set of child ids and
    recomputes them in batches afterwards (`send_cms.deadlines.services.recompute_all`).
    """
    previous = getattr(_deferred, "child_ids", None)
    collected: set[Any] = set()
    _deferred.child_ids = collected
    try:
        yield collected
    finally:
        _deferred.child_ids = previous
        if previous is not None:
            previous.update(collected)


def timeline_record(
    *,
    actor: Actor | None,
    child: Child,
    event: str,
    title: str,
    occurred_on: dt.date,
    detail: str = "",
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    from_status: str = "",
    to_status: str = "",
) -> TimelineEntry:
    """Append one immutable row to the case timeline: who, when, what.

    Every app calls this for each step it records (panel decisions, reviews, appeals), so the
    case page shows the whole story in one place.
    """
    entry = TimelineEntry(
        child=child,
        request=request,
        plan=plan,
        event=event,
        title=title,
        detail=detail,
        occurred_on=occurred_on,
        from_status=from_status,
        to_status=to_status,
        recorded_by=actor_user(actor),
        recorded_by_name=actor_name(actor),
    )
    entry.full_clean()
    entry.save(force_insert=True)
    return entry


def step_record(
    *,
    actor: Actor | None,
    child: Child,
    action: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    obj: models.Model,
    event: str = "",
    detail: str = "",
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    from_status: str = "",
    to_status: str = "",
) -> TimelineEntry:
    """One recorded casework step: audited, on the timeline, and the child's deadlines refreshed.

    The one place every app's steps go through (requests, plans, reviews, appeals, mediation),
    so none of the three is forgotten. `event` names the step on the timeline where it differs
    from the audited `action`.
    """
    record(actor=actor, action=action, obj=obj, child_id=child.pk, changes=changes)
    entry = timeline_record(
        actor=actor,
        child=child,
        event=event or action,
        title=title,
        occurred_on=occurred_on,
        detail=detail,
        request=request,
        plan=plan,
        from_status=from_status,
        to_status=to_status,
    )
    deadlines_changed(child.pk)
    return entry
