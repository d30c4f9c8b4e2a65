"""A subject access export: everything held about one child, as JSON, as a PDF a family can
read, and both with the files held about them in one ZIP.

Each app gives its own sections (send_cms.retention.registry); a record is written out field by
field from its model, so a column added later is exported without anyone remembering to.
"""

import datetime as dt
import decimal
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from send_cms.common.downloads import safe_filename
from send_cms.common.pdf import render_pdf
from send_cms.retention import registry
from send_cms.retention.registry import Subject

#: Columns no family needs: the row's internal bookkeeping.
SKIPPED_FIELDS = frozenset({"created_at", "updated_at", "version"})
SPOOL_IN_MEMORY = 16 * 1024 * 1024
README = """Subject access export

subject-access.json  everything held about the child, section by section (machine-readable)
subject-access.pdf   the same, to read and print
documents/           the files held about the child (uploaded documents), if any
"""


def record_of(
    obj: models.Model, *, title: str | None = None, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """One record as the export shows it: its kind, id and every field by its label, with
    choices as their labels and people and settings by name."""
    skipped = SKIPPED_FIELDS | set(exclude)
    fields: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skipped or field.primary_key:
            continue
        fields[_label(field)] = _value(obj, field)
    kind = title or str(obj._meta.verbose_name)
    return {"record": kind[:1].upper() + kind[1:], "id": str(obj.pk), "fields": fields}


def _label(field: models.Field[Any, Any]) -> str:
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


def _value(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    if field.is_relation:
        related = getattr(obj, field.name)
        if related is None:
            return None
        full_name = getattr(related, "get_full_name", None)
        if callable(full_name):
            return full_name() or related.get_username()
        return str(related)
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return getattr(obj, f"get_{field.name}_display")()
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


@dataclass(frozen=True)
class Export:
    subject: Subject
    document: dict[str, Any]

    @property
    def stem(self) -> str:
        return safe_filename(f"subject-access-{self.subject.reference}")


def subject_access_export(*, subject: Subject) -> Export:
    """Every registered section's records about the child, in the schedule's order."""
    sections = [
        {"key": section.key, "title": section.title, "records": section.records(subject.id)}
        for section in registry.sections()
    ]
    document = {
        "export": "Subject access export",
        "council": settings.COUNCIL_NAME,
        "child_id": str(subject.id),
        "reference": subject.reference,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "sections": sections,
        "documents": [held.name for held in _files(subject)],
    }
    return Export(subject=subject, document=document)


def _files(subject: Subject) -> list[registry.HeldFile]:
    return [held for provider in registry.file_providers() for held in provider(subject.id)]


def as_json(export: Export) -> bytes:
    return json.dumps(export.document, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def as_pdf(export: Export) -> bytes:
    return render_pdf(
        "retention/subject_access_pdf.html",
        {"subject": export.subject, "document": export.document},
    )


def write_zip(export: Export, target: IO[bytes]) -> None:
    """The JSON, the PDF and every file held, in one archive written to `target` (a file on
    disk past a few megabytes, so a child with many documents does not fill the memory)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("subject-access.json", as_json(export))
        archive.writestr("subject-access.pdf", as_pdf(export))
        used: set[str] = set()
        for held in _files(export.subject):
            name = safe_filename(held.name)
            while name in used:
                name = f"copy-{name}"
            used.add(name)
            archive.writestr(f"documents/{name}", held.read())


def as_zip(export: Export) -> bytes:
    buffer = io.BytesIO()
    write_zip(export, buffer)
    return buffer.getvalue()


def zip_file(export: Export) -> IO[bytes]:
    """The archive in a temporary file (in memory while small), rewound, for a FileResponse."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (the response closes it)
    write_zip(export, spool)
    spool.seek(0)
    return spool
