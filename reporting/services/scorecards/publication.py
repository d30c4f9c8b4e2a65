"""Publishing a month once, emailing managers, and every download recorded."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from reporting.models import MetricSnapshot, Scorecard
from reporting.periods import Period, PeriodKind, parse_period
from reporting.selectors.scorecard import ScorecardRow
from reporting.services.scorecards.document import scorecard_pdf, scorecard_pdf_rows
from reporting.services.scorecards.reads import (
    _SIX_PLACES,
    EMAIL_BODY,
    EMAIL_SUBJECT,
    MONTH_NOT_OVER,
    NOT_A_MONTH,
    logger,
    manager_recipients,
    month_is_over,
    scorecard_link,
)
from send_cms.audit.services import record

# --- publication ---------------------------------------------------------------------------------


def _check_month(period: Period) -> None:
    if period.kind != PeriodKind.MONTH:
        raise ValidationError({"period": NOT_A_MONTH})
    if not month_is_over(period=period, today=timezone.localdate()):
        raise ValidationError({"period": MONTH_NOT_OVER.format(month=period.label)})


def _six_places(value: Decimal | int) -> Decimal:
    return Decimal(value).quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)


def _snapshot(scorecard: Scorecard, row: ScorecardRow, computed_at: dt.datetime) -> MetricSnapshot:
    figure = row.current
    return MetricSnapshot(
        scorecard=scorecard,
        metric_id=row.metric.id,
        definition_version=row.metric.version,
        value=None if figure.value is None else _six_places(figure.value),
        numerator=_six_places(figure.numerator),
        denominator=figure.denominator,
        target=row.target.target if row.target else None,
        floor=row.target.floor if row.target else None,
        computed_at=computed_at,
    )


def scorecard_publish(*, period: Period, actor: Any = None) -> Scorecard:
    """Publish the month: snapshot every metric, store the PDF, tell the managers after commit.

    Safe to run twice: a month already published returns its scorecard and changes nothing,
    and a concurrent publication of the same month loses on the unique period and returns the
    winner's. `actor` None is the scheduled task.
    """
    _check_month(period)
    existing = Scorecard.objects.filter(period=period.key).first()
    if existing is not None:
        return existing
    by = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    scorecard = Scorecard(period=period.key, published_at=now, published_by=by)
    try:
        with transaction.atomic():
            rows = scorecard_pdf_rows(period=period)
            pdf = scorecard_pdf(period=period, published_at=now, rows=rows)
            scorecard.pdf.save(f"{period.key}.pdf", ContentFile(pdf), save=False)
            scorecard.full_clean(validate_unique=False)
            scorecard.save()  # a concurrent publication of the month fails here, on the period
            MetricSnapshot.objects.bulk_create(_snapshot(scorecard, r, now) for r in rows)
            record(
                actor=by,
                action="scorecard.published",
                obj=scorecard,
                changes={"period": period.key, "metrics": len(rows), "pdf": scorecard.pdf.name},
            )
            transaction.on_commit(lambda: scorecard_notify_managers(scorecard=scorecard))
    except IntegrityError:
        _discard(scorecard)
        winner = Scorecard.objects.filter(period=period.key).first()
        if winner is None:  # not a concurrent publication: a real fault
            raise
        return winner
    except BaseException:
        _discard(scorecard)
        raise
    return scorecard


def _discard(scorecard: Scorecard) -> None:
    """Remove a PDF stored for a publication that did not commit."""
    if scorecard.pdf.name:
        scorecard.pdf.storage.delete(scorecard.pdf.name)


def scorecard_notify_managers(*, scorecard: Scorecard) -> int:
    """Email each manager a link to the published PDF; returns how many were sent. Runs once,
    after the publication commits: a failed send is logged, never a second publication."""
    month = parse_period(scorecard.period).label
    link = scorecard_link(scorecard=scorecard)
    messages = [
        EmailMessage(
            subject=EMAIL_SUBJECT.format(council=settings.COUNCIL_NAME, month=month),
            body=EMAIL_BODY.format(
                name=user.get_full_name() or user.get_username(),
                month=month,
                link=link,
                service=settings.SERVICE_NAME,
                council=settings.COUNCIL_NAME,
            ),
            to=[user.email],
        )
        for user in manager_recipients()
    ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("Could not email managers about the %s scorecard", scorecard.period)
        return 0


# --- downloads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardFile:
    content: bytes
    filename: str
    scorecard: Scorecard | None


def scorecard_download(*, period: Period, actor: Any) -> ScorecardFile:
    """The month's PDF for a reader, recorded in the audit trail: the stored file, byte for byte,
    for a published month; a draft rendered now for one not yet published."""
    _check_month(period)
    scorecard = Scorecard.objects.filter(period=period.key).first()
    if scorecard is not None:
        with scorecard.pdf.open("rb") as stored:
            content = stored.read()
        filename = f"scorecard-{period.key}.pdf"
    else:
        content = scorecard_pdf(period=period)
        filename = f"scorecard-{period.key}-draft.pdf"
    record(
        actor=actor,
        action="scorecard.download",
        obj=scorecard,
        changes={"period": period.key, "published": scorecard is not None},
    )
    return ScorecardFile(content=content, filename=filename, scorecard=scorecard)
