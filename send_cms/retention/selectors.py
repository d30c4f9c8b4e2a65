"""Every read of retention: the disposal log for managers, and the schedule in force."""

import uuid
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from send_cms.retention.models import Disposal, DisposalStatus


def disposal_list(*, user: Any, status: str = DisposalStatus.DUE) -> QuerySet[Disposal]:
    """The disposal log in one status, oldest due first. Only approvers reach these pages, and
    they see the council's whole log."""
    return Disposal.objects.filter(status=status).select_related("decided_by")


def disposals_selected(*, user: Any, ids: Sequence[str]) -> list[Disposal]:
    """The records a manager ticked, if they are still due (the confirm step lists them)."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return list(disposal_list(user=user).filter(pk__in=valid))


def record_kind(object_type: str) -> str:
    """'EHC plan' for 'cases.plan': the model's name as the casework screens say it."""
    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
    return name[:1].upper() + name[1:]
