"""The monthly scorecard as a published product: its PDF, the snapshot of every metric, the email
to managers, and every download recorded.

A month is published once (the period is unique; a second publication returns the first) and a
published scorecard never changes: its PDF is stored and served byte for byte, so the board sees
later exactly what it read. A month not yet published is rendered on demand and says "draft".
Every figure comes from `scorecard_rows`, the builder the dashboard and the API use.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from reporting.charts import UNITS, Chart, Series, format_value, line_chart
from reporting.metrics import METRICS, Metric, Unit
from reporting.models import Commentary, MetricSnapshot, Scorecard
from reporting.periods import (
    Period,
    PeriodKind,
    last_complete_month,
    last_months,
    parse_period,
)
from reporting.rag import Rag
from reporting.selectors.scorecard import ScorecardRow, scorecard_rows
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.services import record
from send_cms.common.pdf import render_pdf

logger = logging.getLogger(__name__)

TEMPLATE = "reporting/scorecard_pdf.html"
#: Monthly columns in the headline table, and months in each chart.
TABLE_MONTHS = 6
CHART_MONTHS = 12
#: Low enough for three rows of two charts on a landscape page.
CHART_HEIGHT = 200
#: The key metrics charted over 12 months, one chart per entry (a pair shares a chart). Ids not
#: in the registry are skipped, so the list can name metrics that are still being added.
KEY_CHARTS: tuple[tuple[str, ...], ...] = (
    ("requests_received",),
    ("decision_6wk_pct",),
    ("final_20wk_inc_exc_pct", "final_20wk_exc_exc_pct"),
    ("waiting_over_30wk",),
    ("open_plans",),
    ("ar_in_timescale_pct",),
    ("ar_backlog",),
)
NO_COMMENTARY = "No commentary entered"
NOT_RATED = "Not rated"
MONTH_NOT_OVER = (
    "{month} has not ended yet: a month's scorecard can be published or downloaded once the "
    "month is over."
)
NOT_A_MONTH = "A scorecard covers one calendar month."
EMAIL_SUBJECT = "{council}: SEND scorecard for {month} published"
EMAIL_BODY = """Hello {name},

The SEND performance scorecard for {month} has been published.

Download it here: {link}

This is the published version: it will not change. Later corrections to the data show on the
dashboard and in the commentary, not in this PDF.

{service}, {council}
"""
RAG_WORDS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
UNIT_WORDS = {
    Unit.COUNT: "Count",
    Unit.PERCENT: "Percentage",
    Unit.WEEKS: "Weeks",
    Unit.MONEY: "Pounds",
}
_SIX_PLACES = Decimal("0.000001")


# --- reads ---------------------------------------------------------------------------------------


def published_scorecards() -> QuerySet[Scorecard]:
    """Every published scorecard, newest month first, with who published it."""
    return Scorecard.objects.select_related("published_by").order_by("-period")


def commentary_for(*, period: Period) -> dict[str, Commentary]:
    """The managers' commentary for the month, by metric id (the exceptions pages)."""
    rows = Commentary.objects.filter(period=period.key).select_related("author")
    return {c.metric_id: c for c in rows}


def unpublished_months(*, today: dt.date, count: int = 12) -> list[Period]:
    """The last `count` complete months with no published scorecard, newest first."""
    months = last_months(ending=last_complete_month(today), count=count)
    published = set(
        Scorecard.objects.filter(period__in=[m.key for m in months]).values_list(
            "period", flat=True
        )
    )
    return [m for m in reversed(months) if m.key not in published]


def month_is_over(*, period: Period, today: dt.date) -> bool:
    return period.kind == PeriodKind.MONTH and period.end < today


def manager_recipients() -> list[User]:
    """Active managers with an email address: who hears that a scorecard is published."""
    return list(
        User.objects.filter(groups__name=Role.MANAGER, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def scorecard_link(*, scorecard: Scorecard) -> str:
    """The PDF's address: absolute when SITE_URL is set (emails), else the site-relative path."""
    path = reverse("reporting:scorecard-pdf", kwargs={"period": scorecard.period})
    return f"{settings.SITE_URL.rstrip('/')}{path}" if settings.SITE_URL else path


# --- the PDF --------------------------------------------------------------------------------------


def display(value: Decimal | int | None, *, unit: str) -> str:
    """A figure for print: percentages and weeks to 1 decimal place, counts whole, money in
    whole pounds. Figures are stored and compared unrounded; only this rounds."""
    if unit == Unit.MONEY:
        return "No data" if value is None else f"£{Decimal(value):,.0f}"
    return format_value(None if value is None else float(value), unit=unit)


@dataclass(frozen=True)
class Line:
    """One row of the headline table. A pair ("inc" and "exc") shares its title cell: the first
    line spans two rows and the second prints no title cell (`span` 0)."""

    row: ScorecardRow
    title: str
    variant: str
    span: int
    cells: tuple[str, ...]
    target: str
    floor: str
    rag_word: str
    travel: str


@dataclass(frozen=True)
class Block:
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class ExceptionPage:
    row: ScorecardRow
    value: str
    target: str
    floor: str
    commentary: Commentary | None


@dataclass(frozen=True)
class Document:
    """Everything the PDF prints, built from the scorecard rows only."""

    period: Period
    published_at: dt.datetime | None
    produced_at: dt.datetime
    months: tuple[str, ...]
    blocks: tuple[Block, ...]
    charts: tuple[Chart, ...]
    exceptions: tuple[ExceptionPage, ...]
    annex: tuple[tuple[Metric, str], ...]


def _pair_words(first: Metric, second: Metric) -> tuple[str, str, str]:
    """The shared title and each one's words: "Final plans issued within 20 weeks", "including
    exceptions", "excluding exceptions"."""
    same = 0
    for a, b in zip(first.title, second.title, strict=False):
        if a != b:
            break
        same += 1
    prefix = first.title[:same]
    shared = prefix.rstrip(" (").strip() or first.title
    return (
        shared,
        first.title[len(prefix) :].strip(" ()") or first.title,
        second.title[len(prefix) :].strip(" ()") or second.title,
    )


def _variant_short(words: str) -> str:
    """BCP's "inc" and "exc" for "including ..." and "excluding ..."."""
    lowered = words.lower()
    if lowered.startswith("incl"):
        return "inc"
    if lowered.startswith("excl"):
        return "exc"
    return words


def _paired_with_previous(rows: Sequence[ScorecardRow], i: int) -> bool:
    return (
        i > 0
        and bool(rows[i].metric.variant_of)
        and rows[i].metric.variant_of == rows[i - 1].metric.id
        and rows[i].metric.section == rows[i - 1].metric.section
    )


def _target_words(row: ScorecardRow) -> tuple[str, str]:
    if row.target is None:
        return "", ""
    unit = row.metric.unit
    return display(row.target.target, unit=unit), display(row.target.floor, unit=unit)


def _lines(rows: Sequence[ScorecardRow]) -> list[Line]:
    lines = []
    for i, row in enumerate(rows):
        title, variant, span = row.metric.title, "", 1
        pair_next = i + 1 < len(rows) and _paired_with_previous(rows, i + 1)
        if pair_next:
            title, words, _ = _pair_words(row.metric, rows[i + 1].metric)
            variant, span = _variant_short(words), 2
        elif _paired_with_previous(rows, i):
            title, _, words = _pair_words(rows[i - 1].metric, row.metric)
            variant, span = _variant_short(words), 0
        target, floor = _target_words(row)
        rag = row.rag
        travel = row.travel
        lines.append(
            Line(
                row=row,
                title=title,
                variant=variant,
                span=span,
                cells=tuple(
                    display(f.value, unit=row.metric.unit) for f in row.figures[-TABLE_MONTHS:]
                ),
                target=target,
                floor=floor,
                rag_word=RAG_WORDS[rag] if rag else NOT_RATED,
                travel=travel.label if travel else "",
            )
        )
    return lines


def _blocks(rows: Sequence[ScorecardRow]) -> list[Block]:
    """The rows grouped under their section's heading, in registry order."""
    blocks: list[Block] = []
    for line in _lines(rows):
        heading = str(line.row.metric.section.value)
        if blocks and blocks[-1].heading == heading:
            blocks[-1] = Block(heading, (*blocks[-1].lines, line))
        else:
            blocks.append(Block(heading, (line,)))
    return blocks


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def scorecard_charts(rows: Iterable[ScorecardRow]) -> list[Chart]:
    """Line charts of the key metrics over the rows' months (`KEY_CHARTS`), with the target line
    where one metric is charted and it has a target."""
    by_id = {row.metric.id: row for row in rows}
    charts = []
    for ids in KEY_CHARTS:
        chosen = [by_id[i] for i in ids if i in by_id]
        if not chosen or chosen[0].metric.unit not in UNITS:
            continue
        first = chosen[0]
        title, names = first.metric.title, [first.metric.title]
        if len(chosen) == 2:
            title, one, two = _pair_words(first.metric, chosen[1].metric)
            names = [one.capitalize(), two.capitalize()]
        target = first.target.target if len(chosen) == 1 and first.target else None
        charts.append(
            line_chart(
                title=title,
                labels=[f.period.short_label for f in first.figures],
                series=[
                    Series(name, tuple(_float(f.value) for f in row.figures))
                    for name, row in zip(names, chosen, strict=False)
                ],
                unit=str(first.metric.unit),
                target=_float(target),
                height=CHART_HEIGHT,
                label_heading="Month",
            )
        )
    return charts


def scorecard_pdf_rows(*, period: Period) -> list[ScorecardRow]:
    """Every metric in registry order: 12 months for the charted ones, 6 for the rest (a longer
    window costs query time, and only the charts show it)."""
    charted = {metric_id for ids in KEY_CHARTS for metric_id in ids}
    built = [
        *scorecard_rows(
            period=period,
            months=TABLE_MONTHS,
            metrics=[m for m in METRICS if m.id not in charted],
        ),
        *scorecard_rows(
            period=period, months=CHART_MONTHS, metrics=[m for m in METRICS if m.id in charted]
        ),
    ]
    by_id = {row.metric.id: row for row in built}
    return [by_id[m.id] for m in METRICS]


def scorecard_document(
    *,
    period: Period,
    rows: Sequence[ScorecardRow],
    published_at: dt.datetime | None,
) -> Document:
    """What the PDF prints for the month, from `scorecard_pdf_rows`."""
    comments = commentary_for(period=period)
    exceptions = []
    for row in rows:
        if row.rag != Rag.RED:
            continue
        target, floor = _target_words(row)
        exceptions.append(
            ExceptionPage(
                row=row,
                value=display(row.current.value, unit=row.metric.unit),
                target=target,
                floor=floor,
                commentary=comments.get(row.metric.id),
            )
        )
    return Document(
        period=period,
        published_at=published_at,
        produced_at=timezone.now(),
        months=tuple(m.short_label for m in last_months(ending=period, count=TABLE_MONTHS)),
        blocks=tuple(_blocks(rows)),
        charts=tuple(scorecard_charts(rows)),
        exceptions=tuple(exceptions),
        annex=tuple((row.metric, UNIT_WORDS.get(row.metric.unit, "")) for row in rows),
    )


def scorecard_pdf(
    *,
    period: Period,
    published_at: dt.datetime | None = None,
    rows: Sequence[ScorecardRow] | None = None,
) -> bytes:
    """The month's PDF; "draft, not yet published" unless `published_at` is given."""
    if rows is None:
        rows = scorecard_pdf_rows(period=period)
    document = scorecard_document(period=period, rows=rows, published_at=published_at)
    return render_pdf(
        TEMPLATE, {"doc": document, "no_commentary": NO_COMMENTARY, "not_rated": NOT_RATED}
    )


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
