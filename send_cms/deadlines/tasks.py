"""Celery tasks of the deadlines app: ids in, a service called, safe to run twice.

Bound to the project's app (not `shared_task`), so a web process that queues one always uses the
configured broker, or runs it in-process when there is none.
"""

import uuid

from django.db import OperationalError as DatabaseError

from send_cms.celery import app
from send_cms.deadlines import digests, services


@app.task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def recompute_child_deadlines(child_id: str) -> int:
    """Rebuild one child's stored deadlines from the source dates."""
    return services.recompute_for_children([uuid.UUID(child_id)])


@app.task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def recompute_all_deadlines() -> int:
    """Rebuild every child's stored deadlines (after a council closure day changes)."""
    return services.recompute_all().changed


@app.task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def recompute_deadline_chunk(chunk_id: int) -> int:
    """One chunk of a full recompute (a range of children); skipped when already done."""
    from send_cms.deadlines.full_recompute import recompute_chunk

    return recompute_chunk(chunk_id)


@app.task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def refresh_deadline_statuses() -> int:
    """Nightly: today's status on every open, unmet deadline."""
    return services.refresh_statuses()


@app.task
def send_deadline_digests() -> int:
    """Weekday mornings: each person's deadlines due within 7 days or overdue, by email."""
    return digests.send_digests()
