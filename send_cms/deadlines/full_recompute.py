"""The full recompute of every child's deadlines, in chunks that Celery workers run in parallel.

After a change in the law (a new timescale in `send_cms/timescales`) or in the council's
calendar, every stored deadline must be rebuilt from its source dates. A national service has
over a million children, so one process walking them all is too slow and loses everything if it
stops. Instead `recompute_run_start` plans a run: the children sorted by id, cut into chunks of
`chunk_size` (keyset ranges: after one id, up to and including another), one row per chunk. Each
chunk is one Celery task (`recompute_chunk`); several workers take them at once. A chunk's row
is marked done with what it wrote, so:

- progress is the share of chunk rows done (`recompute_run_progress`), for the command and the
  admin;
- a run stopped midway (a worker killed, the broker restarted) is resumed by queueing only the
  chunks not done (`recompute_run_resume`). A chunk run twice writes nothing the second time:
  the recompute compares before it writes.

The ranges cover every id (the first starts at nothing, the last has no end), so a child added
while the run is under way is recomputed by whichever chunk its id falls in.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from celery import group
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from send_cms.audit.services import record
from send_cms.deadlines import registry
from send_cms.deadlines.models import ChunkStatus, Deadline, RecomputeChunk, RecomputeRun
from send_cms.deadlines.services import all_child_ids, recompute_all

logger = logging.getLogger(__name__)

#: Children per chunk: one task's work. Large enough that a task's fixed cost (the broker, the
#: claim, the calendar) is small beside it, small enough that a stopped task loses little.
DEFAULT_CHUNK_SIZE = 2000
#: Children per transaction inside a chunk (the recompute's own batch).
BATCH_SIZE = 500


def plan_chunks(
    ids: Sequence[uuid.UUID], chunk_size: int
) -> list[tuple[uuid.UUID | None, uuid.UUID | None, int]]:
    """(after, upto, children) per chunk of the sorted `ids`; the ends are open."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    chunks: list[tuple[uuid.UUID | None, uuid.UUID | None, int]] = []
    after: uuid.UUID | None = None
    for start in range(0, len(ids), chunk_size):
        part = ids[start : start + chunk_size]
        last = start + chunk_size >= len(ids)
        upto = None if last else part[-1]
        chunks.append((after, upto, len(part)))
        after = upto
    return chunks or [(None, None, 0)]


@transaction.atomic
def recompute_run_plan(
    *, actor: Any, reason: str, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> RecomputeRun:
    """Plan a run (its chunk rows), without queueing it."""
    ids = all_child_ids()
    chunks = plan_chunks(ids, chunk_size)
    run = RecomputeRun(
        reason=reason[:200],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        chunk_size=chunk_size,
        children=len(ids),
    )
    run.full_clean()
    run.save()
    RecomputeChunk.objects.bulk_create(
        RecomputeChunk(run=run, number=number, after_child=after, upto_child=upto, children=count)
        for number, (after, upto, count) in enumerate(chunks, start=1)
    )
    record(
        actor=actor,
        action="deadline_recompute.started",
        obj=run,
        changes={"reason": run.reason, "children": run.children, "chunks": len(chunks)},
    )
    return run


def recompute_run_start(
    *, actor: Any, reason: str, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> RecomputeRun:
    """Plan a run and queue its chunks once the plan is committed."""
    with transaction.atomic():
        run = recompute_run_plan(actor=actor, reason=reason, chunk_size=chunk_size)
        transaction.on_commit(lambda: queue_chunks(run))
    return run


def recompute_run_resume(*, actor: Any, run: RecomputeRun) -> int:
    """Queue again every chunk of `run` not done; returns how many were queued.

    Chunks marked running are queued too: after a stop nobody is running them. If a worker is
    in fact still at one, the chunk is recomputed twice, which writes nothing the second time.
    """
    with transaction.atomic():
        record(
            actor=actor,
            action="deadline_recompute.resumed",
            obj=run,
            changes={"chunks": run.chunks.exclude(status=ChunkStatus.DONE).count()},
        )
    return queue_chunks(run)


def queue_chunks(run: RecomputeRun) -> int:
    """Send a task per chunk not done, as one Celery group; in-process when the broker is down."""
    from send_cms.deadlines.tasks import recompute_deadline_chunk

    pending = list(
        run.chunks.exclude(status=ChunkStatus.DONE).order_by("number").values_list("pk", flat=True)
    )
    if not pending:
        _finish_if_done(run.pk)
        return 0
    try:
        group(recompute_deadline_chunk.s(chunk_id) for chunk_id in pending).apply_async()
    except BrokerError:
        logger.exception("Could not queue recompute %s: running its chunks here", run.pk)
        for chunk_id in pending:
            recompute_chunk(chunk_id)
    return len(pending)


def chunk_child_ids(chunk: RecomputeChunk) -> list[uuid.UUID]:
    """The children in the chunk's range now: those the apps know and those with stored rows."""
    ids = registry.registered_child_ids(after=chunk.after_child, upto=chunk.upto_child)
    rows = Deadline.objects.all()
    if chunk.after_child is not None:
        rows = rows.filter(child_id__gt=chunk.after_child)
    if chunk.upto_child is not None:
        rows = rows.filter(child_id__lte=chunk.upto_child)
    ids.update(rows.values_list("child_id", flat=True).distinct())
    return sorted(ids)


def recompute_chunk(chunk_id: int, *, today: dt.date | None = None) -> int:
    """Recompute one chunk's children and mark it done; returns the rows written or removed.

    A chunk already done is skipped, so a task delivered twice costs one query.
    """
    with transaction.atomic():
        chunk = RecomputeChunk.objects.select_for_update().filter(pk=chunk_id).first()
        if chunk is None or chunk.status == ChunkStatus.DONE:
            return 0
        chunk.status = ChunkStatus.RUNNING
        chunk.attempts += 1
        chunk.started_at = timezone.now()
        chunk.save(update_fields=["status", "attempts", "started_at"])
    result = recompute_all(child_ids=chunk_child_ids(chunk), batch_size=BATCH_SIZE, today=today)
    RecomputeChunk.objects.filter(pk=chunk.pk).update(
        status=ChunkStatus.DONE,
        changed=result.changed,
        children=result.children,
        finished_at=timezone.now(),
    )
    _finish_if_done(chunk.run_id)
    return result.changed


def _finish_if_done(run_id: int) -> None:
    """Mark the run finished (once) when no chunk is left, with one audit event."""
    with transaction.atomic():
        finished = (
            RecomputeRun.objects.filter(pk=run_id, finished_at__isnull=True)
            .exclude(chunks__status__in=[ChunkStatus.PENDING, ChunkStatus.RUNNING])
            .update(finished_at=timezone.now())
        )
        if finished:
            run = RecomputeRun.objects.get(pk=run_id)
            progress = recompute_run_progress(run)
            record(
                actor=None,
                action="deadline_recompute.finished",
                obj=run,
                changes={"children": progress.children_done, "changed": progress.changed},
            )


# --- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecomputeProgress:
    run_id: int
    reason: str
    chunks: int
    chunks_done: int
    children: int
    children_done: int
    changed: int
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def recompute_run_progress(run: RecomputeRun) -> RecomputeProgress:
    """How far a run has gone, from its chunk rows, in one query."""
    done = Q(status=ChunkStatus.DONE)
    figures = run.chunks.aggregate(
        chunks=Count("pk"),
        chunks_done=Count("pk", filter=done),
        children_done=Sum("children", filter=done, default=0),
        changed=Sum("changed", default=0),
    )
    return RecomputeProgress(
        run_id=run.pk,
        reason=run.reason,
        chunks=figures["chunks"],
        chunks_done=figures["chunks_done"],
        children=run.children,
        children_done=figures["children_done"],
        changed=figures["changed"],
        created_at=run.created_at,
        finished_at=run.finished_at,
    )


def latest_unfinished_run() -> RecomputeRun | None:
    return RecomputeRun.objects.filter(finished_at__isnull=True).order_by("-created_at").first()
