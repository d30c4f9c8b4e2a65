"""Building the safety-valve and DSG management plan pack: on demand for a day (the PDF or the
workbook, rendered now), or for a return period in a Celery task that keeps both files with who
asked and when. Every download is audited ("high_needs.pack.download").
"""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from reporting.builds import STALE_AFTER, build_claim, build_failed, build_progress
from reporting.high_needs.pack import BUILD_STEPS, pack_data
from reporting.high_needs.pack_pdf import pack_pdf
from reporting.high_needs.pack_xlsx import pack_xlsx
from reporting.high_needs.periods import ReturnPeriod, parse_return_period, return_period_of
from reporting.models import HighNeedsPack, HighNeedsPackStatus
from send_cms.audit.services import record

logger = logging.getLogger(__name__)

DOWNLOADED = "high_needs.pack.download"
REQUESTED = "high_needs.pack.build"
BUILT = "high_needs.pack.built"
FORMATS = ("pdf", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NOT_STARTED = "{period} has not started yet: build a pack for a quarter that has begun"
STILL_BUILDING = "A pack for {period} is already being built"
NOT_BUILT = "This pack has not been built."
BUILD_FAILED = "The pack could not be built. Try again, or ask an administrator to check the logs."
#: A build not finished in this long is taken to have died with its worker.
IN_PROGRESS = (HighNeedsPackStatus.QUEUED, HighNeedsPackStatus.BUILDING)


def pack_day(*, period: ReturnPeriod, today: dt.date) -> dt.date:
    """The census day of a period's pack: its last day, or today while the quarter runs."""
    return min(period.end, today)


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    content_type: str


def high_needs_pack_render(*, on: dt.date, fmt: str, actor: Any) -> Document:
    """The pack for `on` (the entries of the return period `on` falls in), rendered now as `fmt`,
    and the download recorded."""
    if fmt not in FORMATS:
        raise ValueError(f"No pack format {fmt}")
    period = return_period_of(on)
    pack = pack_data(on=on, period=period)
    content = pack_pdf(pack) if fmt == "pdf" else pack_xlsx(pack)
    record(
        actor=actor,
        action=DOWNLOADED,
        changes={"on": on, "period": period.key, "format": fmt, "built": False},
    )
    return Document(content, f"{pack.filename_stem}.{fmt}", CONTENT_TYPES[fmt])


@transaction.atomic
def high_needs_pack_request(*, actor: Any, period: ReturnPeriod) -> HighNeedsPack:
    """Record a request for a period's pack and queue its build once this transaction commits."""
    today = timezone.localdate()
    if period.start > today:
        raise ValidationError({"period": [NOT_STARTED.format(period=period.key)]})
    recent = timezone.now() - STALE_AFTER
    busy = HighNeedsPack.objects.filter(
        period=period.key, status__in=IN_PROGRESS, created_at__gt=recent
    )
    if busy.exists():
        raise ValidationError({"period": [STILL_BUILDING.format(period=period.key)]})
    pack = HighNeedsPack(period=period.key, on=pack_day(period=period, today=today))
    pack.requested_by = actor
    pack.full_clean()
    pack.save()
    record(actor=actor, action=REQUESTED, obj=pack, changes={"period": pack.period, "on": pack.on})
    from reporting.high_needs.tasks import build_high_needs_pack  # the task imports this module

    pk = str(pack.pk)
    transaction.on_commit(lambda: build_high_needs_pack.delay(pk))
    return pack


def high_needs_pack_build(*, pack_id: Any) -> HighNeedsPack:
    """Build a requested pack (the Celery task's body). Safe to run twice: a pack already built,
    or being built by another worker, is left alone."""
    pack, claimed = build_claim(HighNeedsPack, pack_id)
    if not claimed:
        return pack
    rows = HighNeedsPack.objects.filter(pk=pack.pk)

    def progress(done: int) -> None:
        build_progress(rows, done * 100 // BUILD_STEPS)

    try:
        data = pack_data(on=pack.on, period=parse_return_period(pack.period), progress=progress)
        pdf = pack_pdf(data)
        progress(BUILD_STEPS)
        xlsx = pack_xlsx(data)
        stem = f"{data.filename_stem}-{pack.period}"
        pack.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        pack.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    except Exception as exc:
        logger.exception("High-needs pack %s failed", pack.pk)
        build_failed(rows, exc)
        pack.refresh_from_db()
        return pack
    rows.update(
        status=HighNeedsPackStatus.READY,
        progress=100,
        finished_at=timezone.now(),
        pdf=pack.pdf.name,
        xlsx=pack.xlsx.name,
        total_plans=data.census.total_plans,
        total_annual_cost=data.census.total_annual_cost,
    )
    record(
        actor=None,
        action=BUILT,
        obj=pack,
        changes={"period": pack.period, "on": pack.on, "plans": data.census.total_plans},
    )
    pack.refresh_from_db()
    return pack


def high_needs_pack_download(*, pack: HighNeedsPack, fmt: str, actor: Any) -> FieldFile:
    """Open a built pack's PDF or workbook for a reader, and record who took it."""
    if fmt not in FORMATS:
        raise ValueError(f"No pack format {fmt}")
    file: FieldFile = pack.pdf if fmt == "pdf" else pack.xlsx
    if pack.status != HighNeedsPackStatus.READY or not file:
        raise ValidationError(NOT_BUILT)
    record(
        actor=actor,
        action=DOWNLOADED,
        obj=pack,
        changes={"on": pack.on, "period": pack.period, "format": fmt, "built": True},
    )
    file.open("rb")
    return file
