"""Reads of the stored deadline table.

These are building blocks: the case pages that show a child's deadlines call them from their own
selectors, which scope to the user and record the read of the child's record.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from send_cms.deadlines.models import Deadline
from send_cms.timescales import RULES, Convention, DeadlineStatus

#: Statuses of a deadline still to be met.
OPEN_STATUSES = (
    DeadlineStatus.overdue.value,
    DeadlineStatus.due_soon.value,
    DeadlineStatus.upcoming.value,
)
#: Rules that are a family's window ("at least 15 days beginning with"), not a duty with a
#: deadline: the next step may only come after it. Once the window has run its course, or the
#: next step has happened, it is met; it is never overdue and never late.
WINDOW_RULES: frozenset[str] = frozenset(
    rule.id for rule in RULES.values() if rule.convention is Convention.D
)


def deadlines_for_child(child_id: uuid.UUID) -> QuerySet[Deadline]:
    """Every stored deadline of one child, soonest first."""
    return Deadline.objects.filter(child_id=child_id).order_by("due_on", "rule", "id")


def deadlines_for_subject(obj: models.Model) -> QuerySet[Deadline]:
    """The deadlines of one step (an assessment request, an advice request, a review...)."""
    return Deadline.objects.filter(subject_type=obj._meta.label_lower, subject_id=obj.pk).order_by(
        "due_on", "rule", "id"
    )


def _needs_action(today: dt.date, within_days: int) -> Q:
    """Open cases, unmet, applicable, due by `today + within_days`; a family's window that has
    already closed is not something to chase."""
    return (
        Q(
            case_open=True,
            met_on__isnull=True,
            due_on__lte=today + dt.timedelta(days=within_days),
        )
        & ~Q(
            status__in=(DeadlineStatus.not_applicable, DeadlineStatus.met, DeadlineStatus.met_late)
        )
        & ~Q(rule__in=WINDOW_RULES, due_on__lt=today)
    )


def upcoming_for_user(
    user: Any, within_days: int = 7, *, today: dt.date | None = None
) -> QuerySet[Deadline]:
    """The user's own open deadlines due within `within_days` days, and those overdue."""
    today = today or timezone.localdate()
    return Deadline.objects.filter(_needs_action(today, within_days), owner=user).order_by(
        "due_on", "rule", "id"
    )


def digest_deadlines(*, today: dt.date) -> dict[Any, list[Deadline]]:
    """Each active owner's deadlines for the morning digest, in one query, soonest first."""
    rows = (
        Deadline.objects.filter(_needs_action(today, 7), owner__isnull=False, owner__is_active=True)
        .select_related("owner")
        .order_by("owner_id", "due_on", "rule", "id")
    )
    grouped: dict[Any, list[Deadline]] = {}
    for row in rows:
        grouped.setdefault(row.owner, []).append(row)
    return grouped


def case_references(child_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The LA reference of each child, for the digest (one query; blank if unknown).

    The deadline table keeps only the child's id, so the reference is read from the casework
    app by name rather than by import: this app stays usable without it.
    """
    ids = set(child_ids)
    if not ids or not apps.is_installed("cases"):
        return {}
    child = apps.get_model("cases", "Child")
    return dict(child.objects.filter(pk__in=ids).values_list("pk", "reference"))
