"""What every casework step shares: the date it cannot come before, the changed fields saved after
a full check, and the step recorded against the child (audited, on the case timeline, the
child's deadlines refreshed)."""

import datetime as dt
from string import Formatter
from typing import Any, TypeVar

from django.db import models

from cases.models import AssessmentRequest, Plan
from cases.services.common import Errors, add_error, fmt, step_record
from send_cms.accounts.actor import Actor

M = TypeVar("M", bound=models.Model)


def check_not_before(
    errors: Errors, field: str, day: dt.date, earliest: dt.date | None, message: str
) -> None:
    """A step's date cannot come before the step it follows (when that has a date): `message`
    names that date by its one placeholder, in the house style."""
    if earliest is not None and day < earliest:
        name = next(name for _, name, _, _ in Formatter().parse(message) if name)
        add_error(errors, field, message.format(**{name: fmt(earliest)}))


def save_new(obj: M) -> M:
    """Check the whole new record (`full_clean`) and insert it: never an update of another."""
    obj.full_clean()
    obj.save(force_insert=True)
    return obj


def save_fields(obj: M, **fields: Any) -> M:
    """Set `fields` on `obj`, check the whole record (`full_clean`) and save only those fields, so
    a step never writes over a change it did not make."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save(update_fields=[*fields, "updated_at"])
    return obj


def case_step(
    *,
    actor: Actor | None,
    subject: AssessmentRequest | Plan,
    action: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    obj: Any = None,
    detail: str = "",
    plan: Plan | None = None,
    from_status: str = "",
) -> None:
    """Record a step of `subject` against its child; `obj` is the record the step made (the
    subject itself by default). A request's timeline row always carries the request's status; a
    plan's only when the step changed it (`from_status` given), as the timeline shows them."""
    if isinstance(subject, Plan):
        request, plan = subject.request, subject
        to_status = subject.status if from_status else ""
    else:
        request, to_status = subject, subject.status
    step_record(
        actor=actor,
        child=subject.child,
        action=action,
        title=title,
        occurred_on=occurred_on,
        changes=changes,
        obj=subject if obj is None else obj,
        detail=detail,
        request=request,
        plan=plan,
        from_status=from_status,
        to_status=to_status,
    )
