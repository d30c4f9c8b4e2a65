"""Files built in the background (a SEN2 export, a high-needs pack): the steps both builds share.

A build is claimed once (a second worker, or a second run of the task, leaves it alone; one left
building by a worker that died is claimed again after an hour), shows its progress, and ends
ready or failed with the reason. Both tables use the same four statuses.
"""

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

STALE_AFTER = dt.timedelta(hours=1)
QUEUED, BUILDING, FAILED = "queued", "building", "failed"

Built = TypeVar("Built", bound=models.Model)


def build_claim(model: type[Built], pk: Any) -> tuple[Built, bool]:
    """The row, and whether this run claimed it to build (queued, or building but stale)."""
    stale = Q(status=BUILDING, started_at__lt=timezone.now() - STALE_AFTER)
    claimed = (
        model._default_manager.filter(pk=pk)
        .filter(Q(status=QUEUED) | stale)
        .update(status=BUILDING, started_at=timezone.now(), progress=0)
    )
    return model._default_manager.get(pk=pk), bool(claimed)


def build_progress(rows: QuerySet[Any], percent: int) -> None:
    """Move the progress on, never back (and never to 100 before the files are saved)."""
    rows.filter(progress__lt=min(99, percent)).update(progress=min(99, percent))


def build_failed(rows: QuerySet[Any], error: Exception) -> None:
    rows.update(status=FAILED, finished_at=timezone.now(), failure=repr(error)[:2000])
