"""What every app's services share: today's date, the house date style, field errors and row
locks. One copy here, so a rule checked in casework, reviews and tribunals is checked the same
way; each app keeps its own message wording, which its pages and tests quote."""

import datetime as dt
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from send_cms.timescales import format_date

M = TypeVar("M", bound=models.Model)
#: Rule failures collected field by field, raised together as one `ValidationError`.
Errors = dict[str, list[str]]


# --- dates ------------------------------------------------------------------------------------
def today() -> dt.date:
    """The council's today (the local date), which every "cannot be in the future" rule uses."""
    return timezone.localdate()


def fmt(day: dt.date) -> str:
    """A date in the house style: "8 Sep 2025"."""
    return format_date(day)


# --- errors -----------------------------------------------------------------------------------
def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def raise_if(errors: Errors) -> None:
    """Refuse the change with every rule it failed, so the person fixes them all at once."""
    if errors:
        raise ValidationError(errors)


def check_not_future(
    errors: Errors, field: str, value: dt.date | None, label: str, *, message: str
) -> None:
    """Something that has happened cannot be dated after today: `message` names the field with
    `{label}`."""
    if value is not None and value > today():
        add_error(errors, field, message.format(label=label))


def check_not_before(
    errors: Errors, field: str, value: dt.date | None, earliest: dt.date | None, message: str
) -> None:
    """`value` cannot come before `earliest` (either may not be known yet): `message` gives the
    earliest day as `{date}`."""
    if value is not None and earliest is not None and value < earliest:
        add_error(errors, field, message.format(date=fmt(earliest)))


# --- locks ------------------------------------------------------------------------------------
def lock(obj: M) -> M:
    """Lock the row until the transaction ends and reload it, so two clicks cannot both pass."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk").get()
    obj.refresh_from_db()
    return obj


def locked(obj: M, *related: str) -> M:
    """The row read again under a lock held until the transaction ends, with `related` read in
    the same query; only this row is locked, not the ones joined to it."""
    rows = type(obj)._default_manager.select_for_update(of=("self",))
    if related:  # select_related() with no names would join every foreign key
        rows = rows.select_related(*related)
    return rows.get(pk=obj.pk)
