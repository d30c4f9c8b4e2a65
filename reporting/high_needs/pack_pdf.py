"""The pack as the board's PDF (A4 landscape, WeasyPrint): the figures as the board reads them.

Every figure is worded here (whole pounds for computed costs, pence for what finance entered,
a minus sign before the pound sign for a deficit) so the template only lays them out. The RAG of
each condition is printed as words, never as colour alone.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from reporting.charts import Chart, Series, line_chart
from reporting.high_needs.pack import (
    CHART_MONTHS,
    FORECAST_NEEDS_NOTE,
    NO_UPDATE,
    NOT_KNOWN,
    SHEET_NAMES,
    Forecast,
    Number,
    Pack,
    long_date,
)
from reporting.metrics.engine import AGE_BAND_LABELS, NONE_CATEGORY
from reporting.selectors.high_needs import (
    AGE_BAND_KEYS,
    CATEGORIES,
    CATEGORY_LABELS,
    NEED_LABELS,
    Census,
)
from send_cms.common.pdf import render_pdf

PDF_TEMPLATE = "reporting/high_needs_pack_pdf.html"
CHART_HEIGHT = 220
NOT_ENTERED = "Not entered"
BETTER = "Better than agreed"
WORSE = "Worse than agreed"
AS_AGREED = "As agreed"
#: The RAG as the board reads it (the model's labels: "Green: on track").
NOT_RATED = "Not rated"


def pounds(value: Number | None, *, pence: bool = False) -> str:
    """£27,000 (or £1,250,000.00 with pence); -£3,600,000 for a deficit; "" for no value."""
    if value is None:
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01") if pence else Decimal(1), ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}" if pence else f"{sign}£{abs(amount):,.0f}"


def count(value: Number) -> str:
    """1,383; a forecast's expected value to the nearest plan."""
    return f"{Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP):,.0f}"


def _who(user: Any, when: Any) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name}, {long_date(timezone.localtime(when).date())}"


@dataclass(frozen=True)
class Line:
    """A table row: its label and its cells as printed."""

    label: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ConditionPage:
    number: int
    title: str
    rag: str  # green, amber, red or ""
    rag_words: str
    narrative: str
    evidence: str
    updated: str


@dataclass(frozen=True)
class EntryLine:
    title: str
    amount: str
    narrative: str
    updated: str


def census_lines(census: Census) -> tuple[list[Line], Line]:
    """Plans by category and age band, with plans, annual cost and average per plan; the total."""
    lines = [
        Line(
            line.label,
            (
                *(count(n) for n in line.by_age_band),
                count(line.plans),
                pounds(line.annual_cost),
                pounds(line.average_cost),
            ),
        )
        for line in census.categories
    ]
    total = Line(
        "Total",
        (
            *(count(n) for n in census.age_band_totals),
            count(census.total_plans),
            pounds(census.total_annual_cost),
            pounds(census.average_cost),
        ),
    )
    return lines, total


def need_lines(census: Census, categories: Sequence[str]) -> list[Line]:
    """Plans by primary need across the categories, with plans and cost: most plans first."""
    cells: dict[str, dict[str, int]] = defaultdict(dict)
    cost: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for row in census.by_need:
        cells[row.primary_need][row.category] = row.plans
        cost[row.primary_need] += row.annual_cost
    ordered = sorted(cells.items(), key=lambda i: (-sum(i[1].values()), str(i[0])))
    return [
        Line(
            NEED_LABELS.get(need, NOT_KNOWN),
            (
                *(count(by.get(c, 0)) for c in categories),
                count(sum(by.values())),
                pounds(cost[need]),
            ),
        )
        for need, by in ordered
    ]


def pack_charts(pack: Pack) -> list[Chart]:
    """Plans in force month by month and, with a forecast, plans at each column's day: actual,
    then the scenario (and doing nothing beside it)."""
    charts = [
        line_chart(
            title=f"EHC plans in force at each month's end, last {CHART_MONTHS} months",
            labels=[row.month.short_label for row in pack.open_plans],
            series=[Series("Plans in force", tuple(row.open_plans for row in pack.open_plans))],
            height=CHART_HEIGHT,
            label_heading="Month",
        )
    ]
    forecast = pack.forecast
    if forecast is None:
        return charts
    actual = [float(s.total_plans) for s in pack.history]
    gap: list[float | None] = [None] * (len(actual) - 1)
    series = [
        Series("Actual", (*actual, *([None] * len(forecast.years)))),
        Series(forecast.title, (*gap, actual[-1], *(float(y.total_plans) for y in forecast.years))),
    ]
    if forecast.compared:
        series.append(
            Series(
                "Do nothing",
                (*gap, actual[-1], *(float(y.total_plans) for y in forecast.do_nothing)),
            )
        )
    charts.append(
        line_chart(
            title="EHC plans in force: actual, then the forecast",
            labels=[s.label for s in pack.columns],
            series=series,
            height=CHART_HEIGHT,
            label_heading="At",
        )
    )
    return charts


def forecast_lines(pack: Pack, forecast: Forecast) -> list[Line]:
    """The forecast's plans by category and in all, and annual cost, year by year, after the
    actual figures on the pack's day."""
    now = pack.history[-1]
    years = (now, *forecast.years)
    lines = [
        Line(CATEGORY_LABELS[c], tuple(count(y.category_plans(c)) for y in years))
        for c in CATEGORIES
        if any(y.category_plans(c) for y in years)
    ]
    lines.append(Line("Plans in force", tuple(count(y.total_plans) for y in years)))
    lines.append(Line("Annual cost", tuple(pounds(y.total_cost) for y in years)))
    if forecast.compared:
        lines.append(
            Line(
                "Doing nothing: plans",
                tuple(count(y.total_plans) for y in (now, *forecast.do_nothing)),
            )
        )
        lines.append(
            Line(
                "Doing nothing: annual cost",
                tuple(pounds(y.total_cost) for y in (now, *forecast.do_nothing)),
            )
        )
    return lines


def _variance_words(amount: Decimal) -> str:
    if amount > 0:
        return BETTER
    return WORSE if amount < 0 else AS_AGREED


def pdf_context(pack: Pack) -> dict[str, Any]:
    """What the template prints, worded."""
    entries = pack.entries
    shown = [c for c in CATEGORIES if any(row.category == c for row in pack.census.rows)]
    census, census_total = census_lines(pack.census)
    variances = [
        (label, pounds(amount, pence=True), _variance_words(amount))
        for label, amount in (
            ("In-year DSG balance against the agreed profile", entries.in_year_variance),
            ("Cumulative DSG balance against the agreed profile", entries.cumulative_variance),
        )
        if amount is not None
    ]
    conditions = []
    for line in entries.conditions:
        update = line.update
        conditions.append(
            ConditionPage(
                number=line.condition.number,
                title=line.condition.title,
                rag=update.rag if update else "",
                rag_words=update.get_rag_display() if update else NOT_RATED,
                narrative=update.narrative if update else NO_UPDATE,
                evidence=update.evidence if update else "",
                updated=_who(update.author, update.created_at) if update else "",
            )
        )
    net = entries.pressures_total - entries.mitigations_total
    forecast = pack.forecast
    return {
        "pack": pack,
        "on": long_date(pack.on),
        "age_date": long_date(pack.census.age_date),
        "produced": timezone.localtime(pack.produced_at),
        "age_bands": [AGE_BAND_LABELS[key] for key in AGE_BAND_KEYS],
        "census_lines": census,
        "census_total": census_total,
        "need_categories": [SHEET_NAMES[c] for c in shown],
        "need_lines": need_lines(pack.census, shown),
        "awaiting": pack.census.awaiting_placement,
        "no_placement": pack.none_without_awaiting,
        "places": [
            Line(
                row.name,
                (
                    row.kind_label,
                    "" if row.commissioned is None else count(row.commissioned),
                    count(row.used),
                    "" if row.spare is None else count(row.spare),
                ),
            )
            for row in pack.places.rows
        ],
        "places_total": Line(
            "Total",
            ("", count(pack.places.commissioned), count(pack.places.used), ""),
        ),
        "academic_year": f"{pack.places.academic_year} to {pack.places.academic_year + 1}",
        "figures": [
            Line(
                label,
                (
                    pounds(figure.amount, pence=True) if figure else NOT_ENTERED,
                    _who(figure.author, figure.created_at) if figure else "",
                    figure.note if figure else "",
                ),
            )
            for _, label, figure in entries.figure_rows()
        ],
        "variances": variances,
        "spend": [
            Line(line.label, (pounds(line.to_date), pounds(line.to_year_end)))
            for line in pack.spend.lines
        ],
        "spend_total": Line("Total", (pounds(pack.spend.to_date), pounds(pack.spend.to_year_end))),
        "spend_from": long_date(pack.spend.year_start),
        "spend_to": long_date(pack.spend.year_end),
        "conditions": conditions,
        "pressure_tables": [
            (
                heading,
                [
                    EntryLine(
                        e.title,
                        pounds(e.amount, pence=True),
                        e.narrative,
                        _who(e.author, e.created_at),
                    )
                    for e in rows
                ],
                pounds(total, pence=True),
            )
            for heading, rows, total in (
                ("Pressures", entries.pressures, entries.pressures_total),
                ("Mitigations", entries.mitigations, entries.mitigations_total),
            )
        ],
        "net_pressure": pounds(net, pence=True),
        "charts": pack_charts(pack),
        "forecast": forecast,
        "forecast_headings": (
            [pack.history[-1].heading, *(y.heading for y in forecast.years)] if forecast else []
        ),
        "forecast_lines": forecast_lines(pack, forecast) if forecast else [],
        "cost_avoided": pounds(forecast.cost_avoided) if forecast else "",
        "agreed": "; ".join(f"{day}: {count(n)}" for day, n in forecast.agreed) if forecast else "",
        "forecast_needs_note": FORECAST_NEEDS_NOTE.format(on=long_date(pack.on)),
        "none_category": CATEGORY_LABELS[NONE_CATEGORY],
    }


def pack_pdf(pack: Pack) -> bytes:
    """The board's PDF."""
    return render_pdf(PDF_TEMPLATE, pdf_context(pack))
