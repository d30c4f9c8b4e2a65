"""Who has seen a child's records, and who opened records outside their own caseload.

Reads of the audit trail about children, for managers and administrators. Caseworkers are not
stopped from opening a child who is not theirs (see the README: cover for absence, the duty
desk, a family ringing about a case whose caseworker is out); instead every such read is
listed here for a manager to review proactively.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet

from cases.models import Allocation, Child
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.audit.reads import child_events


def child_access_log(*, child: Child) -> QuerySet[AuditEvent]:
    """Every read and change of the child's records and every list or download that named
    them, newest first (the child's page and `GET /api/v1/children/{id}/access-log/`)."""
    return child_events(child_id=child.pk)


@dataclass(frozen=True)
class OutsideRead:
    """One reader's reads of one child who was never on their caseload, in the period."""

    reader: User
    child: Child
    reads: int
    first_at: dt.datetime
    last_at: dt.datetime

    @property
    def same_team(self) -> bool:
        """A teammate covering the case reads differently from a stranger to it."""
        caseworker = self.child.caseworker
        return bool(self.reader.team and caseworker and caseworker.team == self.reader.team)


def _caseworkers() -> QuerySet[User]:
    """Caseworkers, less anyone who is also a manager or administrator (they see the council)."""
    return User.objects.filter(groups__name=Role.CASEWORKER).exclude(
        groups__name__in=[Role.MANAGER, Role.ADMIN]
    )


def reads_outside_caseload(*, since: dt.datetime, until: dt.datetime) -> list[OutsideRead]:
    """Caseworkers' reads (and changes) of a child's records in [since, until) where the child
    is not theirs now and was never allocated to them before the read, newest first.

    Counted in the database: one grouped query over the trail, then the readers and children.
    Lists and searches are left out: finding a child shows other children by design; opening
    the record is the read to review (each child's access log still shows the lists).
    """
    own_now = Child.objects.filter(pk=OuterRef("child_id"), caseworker_id=OuterRef("actor_id"))
    held_before = Allocation.objects.filter(
        child_id=OuterRef("child_id"),
        caseworker_id=OuterRef("actor_id"),
        created_at__lte=OuterRef("occurred_at"),
    )
    grouped = (
        AuditEvent.objects.filter(
            occurred_at__gte=since,
            occurred_at__lt=until,
            child_id__isnull=False,
            actor__in=_caseworkers(),
        )
        .filter(~Q(Exists(own_now)), ~Q(Exists(held_before)))
        .order_by()
        .values("actor_id", "child_id")
        .annotate(reads=Count("id"), first_at=Min("occurred_at"), last_at=Max("occurred_at"))
    )
    rows = list(grouped)
    readers = User.objects.in_bulk({row["actor_id"] for row in rows})
    children = Child.objects.select_related("caseworker").in_bulk({row["child_id"] for row in rows})
    found = [
        OutsideRead(
            reader=readers[row["actor_id"]],
            child=children[row["child_id"]],
            reads=row["reads"],
            first_at=row["first_at"],
            last_at=row["last_at"],
        )
        for row in rows
        if row["child_id"] in children  # a child since deleted has no record left to review
    ]
    return sorted(found, key=lambda r: (r.last_at, r.reader.pk, str(r.child.pk)), reverse=True)
