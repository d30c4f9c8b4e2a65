"""The one way to write the audit trail. Call it explicitly; no signals, so readers can see it."""

from typing import Any

from django.db import models

from send_cms.audit.middleware import current_request_id
from send_cms.audit.models import AuditEvent

SYSTEM_ACTOR = "system (scheduled task)"


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    child_id: Any = None,
    changes: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Append one event. `actor` None (or anonymous) means the system, e.g. a Celery task.

    `actor_name` names an actor with no account, e.g. the username tried in a failed sign-in.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    name = (actor.get_full_name() or actor.get_username()) if is_user else SYSTEM_ACTOR
    if actor_name is not None:
        name = actor_name
    event = AuditEvent(
        actor=actor if is_user else None,
        actor_name=name,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        child_id=child_id,
        changes=_jsonable(changes or {}),
        request_id=current_request_id() or "",
    )
    event.save(force_insert=True)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)
