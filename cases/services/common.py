"""What every casework service shares: the timeline, deadline recomputation, dates and locks."""

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cases.models import AssessmentRequest, Child, Plan, TimelineEntry
from cases.services.messages import DATE_IN_FUTURE
from send_cms.audit.services import SYSTEM_ACTOR, record
from send_cms.deadlines.calendar import council_calendar
from send_cms.timescales import WorkingCalendar, format_date

M = TypeVar("M", bound=models.Model)
Errors = dict[str, list[str]]


def today() -> dt.date:
    return timezone.localdate()


def fmt(day: dt.date) -> str:
    """A date in the house style: "8 Sep 2025"."""
    return format_date(day)


def working_calendar() -> WorkingCalendar:
    """The calendar the council counts on: bank holidays plus its own closure days."""
    return council_calendar()


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_not_future(errors: Errors, field: str, value: dt.date | None, label: str) -> None:
    if value is not None and value > today():
        add_error(errors, field, DATE_IN_FUTURE.format(label=label))


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def lock(obj: M) -> M:
    """Lock the row until the transaction ends and reload it, so two clicks cannot both pass."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk").get()
    obj.refresh_from_db()
    return obj


def actor_user(actor: Any) -> Any:
    """The acting user, or None for the system (a scheduled task, the demo seeder)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def actor_name(actor: Any) -> str:
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


def _deadlines_changed(child_id: Any) -> None:
    """Recompute the child's stored deadlines once the transaction commits.

    Inside `deadlines_deferred()` the child is only noted; the block's owner recomputes.
    """
    pending: set[Any] | None = getattr(_deferred, "child_ids", None)
    if pending is not None:
        pending.add(child_id)
        return
    transaction.on_commit(_Recompute(child_id))


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
    actor: Any,
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
    actor: Any,
    child: Child,
    action: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    obj: Any,
    detail: str = "",
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    from_status: str = "",
    to_status: str = "",
) -> None:
    """One recorded casework step: audited, on the timeline, and the child's deadlines refreshed.

    The one place every request and plan step goes through, so none of the three is forgotten.
    """
    record(actor=actor, action=action, obj=obj, child_id=child.pk, changes=changes)
    timeline_record(
        actor=actor,
        child=child,
        event=action,
        title=title,
        occurred_on=occurred_on,
        detail=detail,
        request=request,
        plan=plan,
        from_status=from_status,
        to_status=to_status,
    )
    _deadlines_changed(child.pk)
