"""The scorecard PDF: the headline table, the charts, the exception pages, rendered
from the rows.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from reporting.charts import UNITS, Chart, Series, format_value, line_chart
from reporting.metrics import METRICS, Metric, Unit
from reporting.models import Commentary
from reporting.periods import Period, last_months
from reporting.rag import Rag
from reporting.selectors.scorecard import ScorecardRow, scorecard_rows
from reporting.services.scorecards.reads import (
    CHART_HEIGHT,
    CHART_MONTHS,
    KEY_CHARTS,
    NO_COMMENTARY,
    NOT_RATED,
    RAG_WORDS,
    TABLE_MONTHS,
    TEMPLATE,
    UNIT_WORDS,
    commentary_for,
)
from send_cms.common.pdf import render_pdf

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
