"""Concurrent edits lose nothing: optimistic locking of the records people edit.

Each editable record carries a `version` (`Versioned`), raised by one on every save. A page's
form carries the version it was drawn from (`VersionedFormMixin`), an API client the `ETag` it
read (`send_cms.common.api.VersionETagMixin`). The service locks the row, compares, and refuses a
change made from an older copy with `StaleVersion`; pages show the other person's values beside
what was typed (`refuse_stale_form`), the API answers 412 Precondition Failed.

The check is in the service, under the row lock, so pages, the API and any later caller are held
to it alike; a caller that passes no version (an API client that sends no If-Match) is not.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import timezone

from send_cms.audit.models import AuditEvent
from send_cms.common import messages as msg
from send_cms.timescales import format_date


class Versioned(models.Model):
    """A record edited by people: its version goes up by one on every save, like `updated_at`."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="One more on every save; edits from an older one are refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and update_fields != []:
            self.version += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


V = TypeVar("V", bound=Versioned)


@dataclass(frozen=True)
class LastChange:
    """Who last changed a record and when, from the audit trail (the system's name if no one)."""

    by: str
    at: dt.datetime

    @property
    def when(self) -> str:
        """ "14:05 on 7 Dec 2026", in the council's time zone."""
        local = timezone.localtime(self.at)
        return f"{local:%H:%M} on {format_date(local.date())}"


#: Audit actions that read a record rather than change it ("child.viewed", "file.downloaded").
READ_ACTIONS = r"(view|viewed|download|downloaded)$"


def last_change(record: models.Model) -> LastChange:
    """Who made the record's current version, from the latest change the audit trail holds of
    it, and when (its `updated_at`)."""
    at: dt.datetime = getattr(record, "updated_at", None) or timezone.now()
    event = (
        AuditEvent.objects.filter(object_type=record._meta.label_lower, object_id=str(record.pk))
        .exclude(action__regex=READ_ACTIONS)
        .order_by("-occurred_at")
        .only("actor_name")
        .first()
    )
    return LastChange(by=event.actor_name if event else msg.SOMEONE_ELSE, at=at)


class StaleVersion(Exception):
    """The change was made from an older version of the record than the one now saved."""

    def __init__(self, *, record: Versioned, expected: int) -> None:
        self.record = record
        self.expected = expected
        self.current = record.version
        self.change = last_change(record)
        self.message = msg.STALE_FORM.format(name=self.change.by, when=self.change.when)
        super().__init__(self.message)


def lock_at_version(record: V, expected_version: int | None) -> V:
    """Lock the record's row until the transaction ends, reload it, and refuse the change if it
    is no longer the version the person saw. With no version given only the lock is taken."""
    manager = type(record)._default_manager
    manager.select_for_update(of=("self",)).filter(pk=record.pk).values_list("pk").get()
    record.refresh_from_db()
    check_version(record, expected_version)
    return record


def claim_version(record: Versioned, expected_version: int | None) -> None:
    """For a record whose new values are already on it (an admin form): lock its row, refuse the
    change if the saved version is not the expected one, and go on from the saved version."""
    manager = type(record)._default_manager
    rows = manager.select_for_update(of=("self",)).filter(pk=record.pk)
    current = rows.values_list("version", flat=True).get()
    if expected_version is not None and current != expected_version:
        raise StaleVersion(record=manager.get(pk=record.pk), expected=expected_version)
    record.version = current


def check_version(record: Versioned, expected_version: int | None) -> None:
    """Refuse the change if the record (locked and freshly read) is no longer the version the
    person saw. With no version given nothing is checked."""
    if expected_version is not None and record.version != expected_version:
        raise StaleVersion(record=record, expected=expected_version)


# --- forms ---------------------------------------------------------------------------------------


class VersionedFormMixin(forms.Form):
    """Carries the version the page was drawn from, as a hidden field the service checks.

    The view puts the record's `version` in the form's initial data. A post without it (a script,
    an old page) is not checked, as an API request without If-Match is not.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None

    def service_data(self) -> dict[str, Any]:
        """The clean data without the version: the record's own fields, for the service."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


@dataclass(frozen=True)
class Difference:
    """One field whose saved value is not what the person typed."""

    label: str
    theirs: str
    yours: str


def _display(field: forms.Field, value: Any) -> str:
    if value in (None, "", [], ()):
        return msg.NOT_ENTERED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(value, models.Model):
        for key, label in choices:
            if isinstance(label, list | tuple):  # an optgroup
                continue
            if str(key) == str(getattr(value, "value", value)):
                return str(label)
    return str(value)


def differences(form: forms.BaseForm, record: models.Model) -> list[Difference]:
    """The fields of the form where the saved record now differs from what was typed."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or not hasattr(record, name):
            continue
        theirs = _display(field, getattr(record, name))
        yours = _display(field, form.cleaned_data.get(name))
        if theirs != yours:
            rows.append(Difference(str(field.label or name), theirs, yours))
    return rows


@dataclass(frozen=True)
class VersionConflict:
    """What the error summary shows of a refused save: the message, who, and the differences."""

    message: str
    by: str
    rows: list[Difference]


def refuse_stale_form(form: forms.Form, stale: StaleVersion) -> None:
    """Show the refusal at the top of the error summary, the other person's values beside what
    was typed, and keep what was typed with the new version: saving again keeps it."""
    form.add_error(None, stale.message)
    conflict = VersionConflict(stale.message, stale.change.by, differences(form, stale.record))
    form.version_conflict = conflict  # type: ignore[attr-defined]
    data = form.data.copy() if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
    if not isinstance(form.data, QueryDict):
        data.update(form.data)
    data[form.add_prefix("version")] = str(stale.current)
    form.data = data


def version_initial(record: Versioned, names: Iterable[str]) -> dict[str, Any]:
    """A form's initial data from the record's fields, with the version it was drawn from."""
    return {**{name: getattr(record, name) for name in names}, "version": record.version}


# --- the Django admin ----------------------------------------------------------------------------


class VersionedAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """An admin change form that carries the version it showed. Its check runs in the admin's
    transaction with the row locked until the save, so nothing saves in between."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.initial.setdefault("version", self.instance.version)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance._state.adding:
            return data
        try:
            claim_version(self.instance, data.get("version"))
        except StaleVersion as stale:
            rows = differences(self, stale.record)
            words = " ".join(msg.STALE_ADMIN_DIFFERENCE.format(**vars(row)) for row in rows)
            form_data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            form_data[self.add_prefix("version")] = str(stale.current)
            self.data = form_data
            raise forms.ValidationError(
                msg.STALE_ADMIN.format(
                    name=stale.change.by, when=stale.change.when, differences=words
                ),
                code="stale_version",
            ) from None
        return data


class VersionedAdminMixin:
    """For the admin of a `Versioned` model: its change form carries the version it showed, and
    a save over a newer version is refused at the top of the form with both values."""

    form: type[forms.ModelForm] = VersionedAdminForm  # type: ignore[type-arg]

    def get_exclude(self, request: Any, obj: Any = None) -> list[str]:
        # The model's `version` is not editable; the form's own hidden field stands in for it.
        excluded = super().get_exclude(request, obj)  # type: ignore[misc]
        return [*(excluded or []), "version"]
