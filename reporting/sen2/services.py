"""Building SEN2 return files for managers: ask, build (in a Celery task), download. Audited.

A build is refused while the validation reports errors, unless the manager chooses to build
anyway and says why; the reason is kept on the file's row and in the audit trail. Every built
file is kept with its counts, so the council can show what it submitted.
"""

import logging
import tempfile
from importlib import import_module
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from reporting.builds import STALE_AFTER, build_claim, build_failed, build_progress
from reporting.models import Sen2Export, Sen2ExportStatus
from reporting.sen2.export import (
    OFFICER_CODES,
    HeaderDetails,
    YearNotExported,
    exportable_layout,
    write_return,
)
from send_cms.audit.services import record

logger = logging.getLogger(__name__)

ERRORS_REMAIN = (
    "The SEN2 data has {count} validation {errors}: correct them, or choose to build the file "
    "anyway and say why"
)
REASON_NEEDED = "Enter why the file is being built with validation errors"
CHOOSE_OFFICER = "Select Yes, No or Recruitment in progress"
BUILD_FAILED = "The file could not be built. Try again, or ask an administrator to check the logs."
STILL_BUILDING = "A SEN2 {year} file is already being built"
#: A build that has not finished in this long is taken to have died with its worker: another
#: request may start, and a redelivered task builds it again.
IN_PROGRESS = (Sen2ExportStatus.QUEUED, Sen2ExportStatus.BUILDING)


def validation_error_count(*, year: int) -> int | None:
    """The errors (not queries) the SEN2 validation finds in the data for `year`'s return, or
    None when the product has no validation to ask (then nothing is refused)."""
    try:
        validation: Any = import_module("reporting.sen2.validation")
    except ImportError:
        return None
    count = getattr(validation, "error_count", None)
    return None if count is None else int(count(year=year))


def next_serial_no(*, year: int) -> int:
    """The next submission number for the year: 1 for the first file built."""
    latest = Sen2Export.objects.filter(year=year).aggregate(latest=Max("serial_no"))["latest"]
    return (latest or 0) + 1


def last_officers() -> tuple[str, str, str]:
    """DMO, DCO and DSCO as the last file said (Y, Y, Y before the first)."""
    last = Sen2Export.objects.order_by("-created_at").first()
    return (last.dmo, last.dco, last.dsco) if last else ("Y", "Y", "Y")


@transaction.atomic
def sen2_export_request(
    *,
    actor: Any,
    year: int,
    dmo: str,
    dco: str,
    dsco: str,
    build_anyway: bool = False,
    reason: str = "",
) -> Sen2Export:
    """Record a request for a file and queue its build once this transaction commits."""
    errors: dict[str, list[str]] = {}
    try:
        layout = exportable_layout(year)
    except YearNotExported as exc:
        raise ValidationError({"year": [str(exc)]}) from None
    for field, value in (("dmo", dmo), ("dco", dco), ("dsco", dsco)):
        if value not in OFFICER_CODES:
            errors[field] = [CHOOSE_OFFICER]
    recent = timezone.now() - STALE_AFTER
    if Sen2Export.objects.filter(year=year, status__in=IN_PROGRESS, created_at__gt=recent).exists():
        errors["year"] = [STILL_BUILDING.format(year=year)]
    count = validation_error_count(year=year)
    reason = reason.strip()
    if count and not build_anyway:
        plural = "error" if count == 1 else "errors"
        errors["build_anyway"] = [ERRORS_REMAIN.format(count=count, errors=plural)]
    elif count and not reason:
        errors["reason"] = [REASON_NEEDED]
    if errors:
        raise ValidationError(errors)
    export = Sen2Export(
        year=year,
        reference_date=layout.reference_date,
        serial_no=next_serial_no(year=year),
        requested_by=actor,
        dmo=dmo,
        dco=dco,
        dsco=dsco,
        validation_errors=count,
        override_reason=reason if count else "",
    )
    export.full_clean()
    export.save()
    changes: dict[str, Any] = {"year": year, "serial_no": export.serial_no}
    if count:
        changes.update(validation_errors=count, override_reason=export.override_reason)
    record(
        actor=actor,
        action="sen2.build_anyway" if count else "sen2.build",
        obj=export,
        changes=changes,
    )
    from reporting.sen2.tasks import build_sen2_export  # the task module imports this one

    pk = str(export.pk)
    transaction.on_commit(lambda: build_sen2_export.delay(pk))
    return export


def sen2_export_build(*, export_id: str) -> Sen2Export:
    """Build a requested file (the Celery task's body). Safe to run twice: a file already built
    or being built by another worker is left alone."""
    export, claimed = build_claim(Sen2Export, export_id)
    if not claimed:
        return export
    rows = Sen2Export.objects.filter(pk=export.pk)

    def progress(done: int, total: int) -> None:
        build_progress(rows, done * 100 // total if total else 99)

    header = HeaderDetails(
        serial_no=export.serial_no,
        dmo=export.dmo,
        dco=export.dco,
        dsco=export.dsco,
        created_at=export.started_at,
    )
    try:
        with tempfile.TemporaryFile() as spool:
            counts = write_return(spool, year=export.year, header=header, progress=progress)
            size = spool.tell()
            spool.seek(0)
            name = f"sen2-{export.year}-{export.serial_no:03d}.xml"
            export.file.save(name, File(spool, name=name), save=False)
    except Exception as exc:
        logger.exception("SEN2 %s export %s failed", export.year, export.pk)
        build_failed(rows, exc)
        export.refresh_from_db()
        return export
    rows.update(
        status=Sen2ExportStatus.READY,
        progress=100,
        finished_at=timezone.now(),
        file=export.file.name,
        size=size,
        persons=counts.persons,
        requests=counts.requests,
        plans=counts.plans,
    )
    record(
        actor=None,
        action="sen2.built",
        obj=export,
        changes={"persons": counts.persons, "requests": counts.requests, "plans": counts.plans},
    )
    export.refresh_from_db()
    return export


def sen2_export_download(*, export: Sen2Export, actor: Any) -> FieldFile:
    """Open a built file for a manager, and record who took it."""
    if export.status != Sen2ExportStatus.READY or not export.file:
        raise ValidationError("This file has not been built.")
    record(
        actor=actor,
        action="sen2.download",
        obj=export,
        changes={"year": export.year, "serial_no": export.serial_no, "name": export.file.name},
    )
    file: FieldFile = export.file
    file.open("rb")
    return file
