"""Every write of retention: the nightly listing of records due for disposal, and a manager's
approval, which disposes of them through each app's disposer in one transaction."""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import Role
from send_cms.audit.services import record
from send_cms.retention import messages as msg
from send_cms.retention import registry
from send_cms.retention.models import Disposal, DisposalStatus
from send_cms.retention.schedule import Action, schedule

LISTED = "retention.listed"
DISPOSED = "retention.disposed"
APPROVERS = frozenset({Role.MANAGER, Role.ADMIN})


@dataclass(frozen=True)
class Listing:
    listed: int
    withdrawn: int
    due: int


@transaction.atomic
def disposals_list_due(*, today: dt.date | None = None) -> Listing:
    """List every record past its retention period that is not yet listed or disposed of, and
    withdraw listings whose record is no longer due (a corrected date of birth, a longer period
    set by the council). Recomputed from source each time: safe to run twice, or to miss a night."""
    today = today or timezone.localdate()
    listed = withdrawn = 0
    for rule in schedule():
        if rule.action == Action.KEEP:
            continue
        found = {}
        for finder in registry.finders(rule.id):
            for due in finder(rule, today):
                found[(due.obj._meta.label_lower, str(due.obj.pk))] = due
        existing = {
            (row.object_type, row.object_id): row
            for row in Disposal.objects.filter(
                rule=rule.id, status__in=[DisposalStatus.DUE, DisposalStatus.DONE]
            ).only("object_type", "object_id", "status")
        }
        new = [
            Disposal(
                rule=rule.id,
                action=rule.action.value,
                object_type=key[0],
                object_id=key[1],
                child_id=due.child_id,
                reference=due.reference[:100],
                due_on=due.due_on,
                years=rule.years,
            )
            for key, due in found.items()
            if key not in existing
        ]
        Disposal.objects.bulk_create(new, ignore_conflicts=True)
        listed += len(new)
        gone = [
            row.pk
            for key, row in existing.items()
            if row.status == DisposalStatus.DUE and key not in found
        ]
        withdrawn += Disposal.objects.filter(pk__in=gone, status=DisposalStatus.DUE).update(
            status=DisposalStatus.WITHDRAWN, decided_at=timezone.now()
        )
    due_count = Disposal.objects.filter(status=DisposalStatus.DUE).count()
    record(
        actor=None,
        action=LISTED,
        changes={"listed": listed, "withdrawn": withdrawn, "due": due_count, "on": today},
    )
    return Listing(listed=listed, withdrawn=withdrawn, due=due_count)


@transaction.atomic
def disposals_approve(*, actor: Any, disposal_ids: Sequence[uuid.UUID | str]) -> list[Disposal]:
    """Dispose of the listed records: each app's disposer anonymises or deletes the record, the
    disposal log says who approved it and when, and the audit trail records it with the rule.
    All or nothing: a record no longer due refuses the whole approval."""
    if not user_roles(actor) & APPROVERS:
        raise PermissionDenied(msg.MANAGERS_ONLY)
    if not disposal_ids:
        raise ValidationError({"disposals": msg.NOTHING_SELECTED})
    rows = list(
        Disposal.objects.select_for_update()
        .filter(pk__in=list(disposal_ids), status=DisposalStatus.DUE)
        .order_by("due_on", "reference")
    )
    if len(rows) != len(set(map(str, disposal_ids))):
        raise ValidationError({"disposals": msg.NOT_DUE})
    now = timezone.now()
    for row in rows:
        row.outcome = _dispose(row)
        row.status = DisposalStatus.DONE
        row.decided_by = actor
        row.decided_at = now
        row.full_clean()
        row.save()
        record(
            actor=actor,
            action=DISPOSED,
            obj=row,
            child_id=row.child_id,
            changes={
                "rule": row.rule,
                "action": row.action,
                "years": row.years,
                "due_on": row.due_on,
                "record": f"{row.object_type}:{row.object_id}",
                "reference": row.reference,
                "outcome": row.outcome,
            },
        )
    return rows


def _dispose(row: Disposal) -> dict[str, int]:
    model = apps.get_model(row.object_type)
    obj = model._default_manager.select_for_update().filter(pk=row.object_id).first()
    if obj is None:  # removed since it was listed (e.g. with its child's file)
        return {}
    return registry.disposer(row.object_type)(obj)
