"""Writes of the deadlines app: stored deadlines rebuilt from source dates, the nightly status
refresh and the council's closure days (the morning digest is in digests.py).

Nothing here counts: every due date comes from the timescales engine applied to the source
dates the apps' providers hand over, and every status is a function of the row and "today".
Running any of it twice gives the same table.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, F, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Now
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from send_cms.audit.services import record
from send_cms.deadlines import registry
from send_cms.deadlines.calendar import council_calendar, forget_council_calendar
from send_cms.deadlines.display import practical_target
from send_cms.deadlines.models import (
    REFRESH_CANDIDATES,
    TO_MEET,
    TO_MEET_STATUSES,
    ClosureDay,
    Deadline,
    NextDeadline,
)
from send_cms.deadlines.selectors import WINDOW_RULES
from send_cms.timescales import (
    DUE_SOON_DAYS,
    DeadlineStatus,
    ParameterError,
    WorkingCalendar,
    compute,
    deadline_status,
    format_date,
)

logger = logging.getLogger(__name__)

#: How a due date set on the case (a tribunal's letter) reads in the explanation.
OVERRIDE_EXPLANATION = (
    "Due {due}, the date set on the case (the rules give {computed}: {computed_text})"
)

_KEY_FIELDS = ("subject_type", "subject_id", "rule")
_VALUE_FIELDS = (
    "child_id",
    "title",
    "regulation",
    "trigger_on",
    "due_on",
    "practical_target_on",
    "due_overridden",
    "met_on",
    "status",
    "explanation",
    "excused",
    "case_open",
    "owner_id",
)
_UPDATE_FIELDS = [*(name.replace("owner_id", "owner") for name in _VALUE_FIELDS), "updated_at"]
_UPSERT_BATCH = 1000

Key = tuple[str, uuid.UUID, str]


def step_status(
    *, rule: str, due: dt.date, met_on: dt.date | None, today: dt.date, applicable: bool = True
) -> DeadlineStatus:
    """The status of one stored deadline on `today` (the engine's rule, plus family windows)."""
    if applicable and rule in WINDOW_RULES:
        if met_on is not None or today > due:
            return DeadlineStatus.met
        return deadline_status(due=due, met_on=None, today=today)
    return deadline_status(due=due, met_on=met_on, today=today, applicable=applicable)


def _row_for(step: registry.Step, calendar: WorkingCalendar, today: dt.date) -> Deadline | None:
    """The stored row for one step, or None while its trigger has not happened."""
    if step.start is None:
        return None
    try:
        due = compute(step.rule, step.start, calendar, **step.params)
    except (ParameterError, OverflowError):
        # A source date the rule cannot count from (before the law began): nothing to store.
        logger.warning(
            "No deadline for %s %s (%s): start %s is outside the rule",
            step.subject._meta.label_lower,
            step.subject.pk,
            step.rule,
            step.start,
        )
        return None
    due_on, practical, explanation = due.due, due.practical_target, due.explanation
    if step.due_override is not None:
        due_on = step.due_override
        practical = practical_target(step.rule, due_on, calendar)
        explanation = OVERRIDE_EXPLANATION.format(
            due=format_date(due_on),
            computed=format_date(due.due),
            computed_text=due.explanation,
        )
    return Deadline(
        child_id=step.child_id,
        subject_type=step.subject._meta.label_lower,
        subject_id=step.subject.pk,
        rule=step.rule,
        title=step.title or due.title,
        regulation=due.regulation,
        trigger_on=step.start,
        due_on=due_on,
        practical_target_on=practical,
        due_overridden=step.due_override is not None,
        met_on=step.met_on,
        status=step_status(
            rule=step.rule,
            due=due_on,
            met_on=step.met_on,
            today=today,
            applicable=step.applicable,
        ).value,
        explanation=explanation,
        excused=step.excused,
        case_open=step.case_open,
        owner_id=step.owner_id,
    )


def _key(row: Deadline) -> Key:
    return (row.subject_type, row.subject_id, row.rule)


def _differs(stored: Deadline, wanted: Deadline) -> bool:
    return any(getattr(stored, name) != getattr(wanted, name) for name in _VALUE_FIELDS)


def recompute_for_children(child_ids: Iterable[uuid.UUID], *, today: dt.date | None = None) -> int:
    """Rebuild the stored deadlines of these children from their source dates.

    One row per (subject, rule) for every step whose trigger has happened; rows of these
    children whose step no longer exists are deleted. Only rows that change are written, in
    bulk, so the number of queries depends on the batch, not on its rows. Returns how many rows
    were written or deleted (0 when nothing changed: running it twice is a no-op).
    """
    ids = list(dict.fromkeys(child_ids))
    if not ids:
        return 0
    today = today or timezone.localdate()
    calendar = council_calendar()
    wanted: dict[Key, Deadline] = {}
    for step in registry.steps_for(ids):
        row = _row_for(step, calendar, today)
        if row is not None:
            wanted[_key(row)] = row
    with transaction.atomic():
        stored = {_key(row): row for row in Deadline.objects.filter(child_id__in=ids)}
        changed = sorted(
            (row for key, row in wanted.items() if key not in stored or _differs(stored[key], row)),
            key=lambda row: (row.subject_type, str(row.subject_id), row.rule),
        )
        stale = sorted(row.pk for key, row in stored.items() if key not in wanted)
        if changed:
            Deadline.objects.bulk_create(
                changed,
                batch_size=_UPSERT_BATCH,
                update_conflicts=True,
                unique_fields=list(_KEY_FIELDS),
                update_fields=_UPDATE_FIELDS,
            )
        if stale:
            Deadline.objects.filter(pk__in=stale).delete()
        store_next_deadlines(ids)
    return len(changed) + len(stale)


def store_next_deadlines(child_ids: Sequence[uuid.UUID]) -> int:
    """Store each child's next deadline to meet (`NextDeadline`) from their stored rows.

    Two reads (the rows to meet, soonest first, through a partial index; the stored next
    deadlines), then a write only for the children whose next deadline changed. Call it in the
    transaction that changed their rows. Returns how many children's next deadline changed.
    """
    ids = sorted(set(child_ids))
    if not ids:
        return 0
    wanted: dict[uuid.UUID, tuple[int, str, dt.date, str]] = {}
    rows = (
        Deadline.objects.filter(TO_MEET, child_id__in=ids)
        .order_by("child_id", "due_on", "id")
        .values_list("child_id", "id", "rule", "due_on", "status")
    )
    for child_id, *values in rows:
        wanted.setdefault(child_id, tuple(values))  # type: ignore[arg-type]
    stored = {
        child_id: tuple(values)
        for child_id, *values in NextDeadline.objects.filter(child_id__in=ids).values_list(
            "child_id", "deadline_id", "rule", "due_on", "status"
        )
    }
    changed = [
        NextDeadline(child_id=child_id, deadline_id=pk, rule=rule, due_on=due_on, status=status)
        for child_id, (pk, rule, due_on, status) in sorted(wanted.items())
        if stored.get(child_id) != (pk, rule, due_on, status)
    ]
    gone = sorted(child_id for child_id in stored if child_id not in wanted)
    if gone:
        NextDeadline.objects.filter(child_id__in=gone).delete()
    if changed:
        NextDeadline.objects.bulk_create(
            changed,
            batch_size=_UPSERT_BATCH,
            update_conflicts=True,
            unique_fields=["child_id"],
            update_fields=["deadline", "rule", "due_on", "status"],
        )
    return len(changed) + len(gone)


def all_child_ids() -> list[uuid.UUID]:
    """Every child a full recompute must visit: those the apps know, and those with rows."""
    ids = registry.registered_child_ids()
    ids.update(Deadline.objects.values_list("child_id", flat=True).distinct())
    return sorted(ids)


@dataclass(frozen=True)
class RecomputeResult:
    children: int
    changed: int
    batches: int


def recompute_all(
    *,
    child_ids: Sequence[uuid.UUID] | None = None,
    batch_size: int = 500,
    today: dt.date | None = None,
    progress: Callable[[int], Any] | None = None,
) -> RecomputeResult:
    """Recompute every child (or the ids given) in batches; `progress(n)` after each batch."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ids = list(child_ids) if child_ids is not None else all_child_ids()
    changed = batches = 0
    for offset in range(0, len(ids), batch_size):
        batch = ids[offset : offset + batch_size]
        changed += recompute_for_children(batch, today=today)
        batches += 1
        if progress is not None:
            progress(len(batch))
    return RecomputeResult(children=len(ids), changed=changed, batches=batches)


def queue_recompute(child_id: uuid.UUID | str) -> None:
    """Recompute one child's deadlines through Celery (in-process when there is no broker).

    Other apps call it inside `transaction.on_commit`, so the task reads committed dates. If the
    broker cannot take the message, the child is recomputed here rather than left stale.
    """
    from send_cms.deadlines.tasks import recompute_child_deadlines

    try:
        recompute_child_deadlines.delay(str(child_id))
    except BrokerError:
        logger.exception("Could not queue the deadline recompute for %s: running it now", child_id)
        recompute_for_children([uuid.UUID(str(child_id))])


def queue_recompute_all(reason: str = "A council closure day changed") -> None:
    """Recompute every child's deadlines through Celery, in chunks across the workers, as a
    resumable run with progress (`full_recompute`)."""
    from send_cms.deadlines.full_recompute import recompute_run_start

    recompute_run_start(actor=None, reason=reason)


# --- the nightly status refresh ------------------------------------------------------------------


def _status_changes(today: dt.date) -> tuple[tuple[DeadlineStatus, Q], ...]:
    """Each status an open, unmet deadline can move to, with the rows that belong in it."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    window = Q(rule__in=WINDOW_RULES)
    return (
        (DeadlineStatus.overdue, Q(due_on__lt=today) & ~window),
        (DeadlineStatus.met, Q(due_on__lt=today) & window),
        (DeadlineStatus.due_soon, Q(due_on__gte=today, due_on__lte=soon)),
        (DeadlineStatus.upcoming, Q(due_on__gt=soon)),
    )


def _todays_status(today: dt.date) -> Case:
    """Today's status of an open, unmet row, as SQL: `step_status` for every row at once."""
    return Case(
        *(When(belongs, then=Value(status.value)) for status, belongs in _status_changes(today)),
        default=F("status"),
        output_field=CharField(),
    )


def refresh_candidates() -> QuerySet[Deadline]:
    """The rows the nightly refresh looks at: open cases, unmet, applicable (an index's rows)."""
    return Deadline.objects.filter(REFRESH_CANDIDATES)


def refresh_statuses(
    *,
    today: dt.date | None = None,
    batch_size: int = 10_000,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Set today's status on every open, unmet deadline; returns how many rows changed.

    Set-based, in batches of `batch_size` rows taken in id order from where the last batch
    ended: per batch, one query reads the batch's ids, one UPDATE sets today's status on
    those whose status differs and one sets it on the children's stored next deadlines. So the
    queries per batch are constant, the batches follow the open rows (not the gaps a table's
    history leaves between ids) and each transaction is short (10,000 rows: within 3x of one
    UPDATE of every row, benchmarks/nightly_recompute.py). Rows locked by someone else (a
    recompute in flight) are skipped, not waited for: that writer sets the same status from
    the same dates. The result depends only on the row and `today`, so two runs, even at once,
    agree. `progress(n)` after each batch of n rows.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    today = today or timezone.localdate()
    status = _todays_status(today)
    candidates = refresh_candidates()
    # The only rows whose change moves a case's next deadline: a window (the family's 15 days)
    # that closes today becomes met, or one reopens when the refresh runs for an earlier day.
    crossing = set(
        candidates.filter(rule__in=WINDOW_RULES)
        .filter(
            Q(due_on__lt=today, status__in=TO_MEET_STATUSES)
            | Q(due_on__gte=today, status=DeadlineStatus.met.value)
        )
        .values_list("child_id", flat=True)
    )
    changed = 0
    after = 0
    while True:
        ids = list(
            candidates.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            break
        in_batch = Q(id__gt=after, id__lte=ids[-1])
        with transaction.atomic():
            claimed = (
                candidates.filter(in_batch)
                .alias(todays=status)
                .exclude(status=F("todays"))
                .select_for_update(skip_locked=True)
                .order_by()
                .values("id")
            )
            # The batch's rows on the UPDATE too, not just in its subquery: without them
            # PostgreSQL chose to scan the whole table for every batch, so the nightly run
            # grew with the square of the table (benchmarks/nightly_recompute.py).
            changed += candidates.filter(in_batch, id__in=Subquery(claimed)).update(
                status=status, updated_at=Now()
            )
            # The next deadlines among the batch's rows take the same status, from the same
            # rule and due date (copied on them): found by their deadline's id, in an index.
            # A window that closes is handed on to the case's next deadline below.
            NextDeadline.objects.filter(deadline_id__gt=after, deadline_id__lte=ids[-1]).alias(
                todays=status
            ).filter(todays__in=TO_MEET_STATUSES).exclude(status=F("todays")).update(status=status)
        if progress is not None:
            progress(len(ids))
        if len(ids) < batch_size:
            break
        after = ids[-1]
    if crossing:
        children = sorted(crossing)
        for offset in range(0, len(children), _UPSERT_BATCH):
            with transaction.atomic():
                store_next_deadlines(children[offset : offset + _UPSERT_BATCH])
    return changed


# --- the council's closure days ------------------------------------------------------------------


@transaction.atomic
def closure_day_save(*, actor: Any, closure: ClosureDay) -> ClosureDay:
    """Add or change a closure day; every practical target is recomputed after commit."""
    adding = closure._state.adding
    closure.full_clean()
    closure.save()
    forget_council_calendar()
    record(
        actor=actor,
        action="closure_day.created" if adding else "closure_day.updated",
        obj=closure,
        changes={"date": closure.date, "reason": closure.reason},
    )
    transaction.on_commit(queue_recompute_all)
    return closure


@transaction.atomic
def closure_day_delete(*, actor: Any, closure: ClosureDay) -> None:
    """Remove a closure day; every practical target is recomputed after commit."""
    record(
        actor=actor,
        action="closure_day.deleted",
        obj=closure,
        changes={"date": closure.date, "reason": closure.reason},
    )
    closure.delete()
    forget_council_calendar()
    transaction.on_commit(queue_recompute_all)
