"""Display values for the reporting pages: figures rounded for people, RAG words and colours,
the dashboard's tiles and the rows of the cases behind a figure.

Figures are computed unrounded (reporting.metrics) and rounded here only for display: percent
and weeks to 1 decimal place, counts and money whole, half up. Downloads carry the same rounded
numbers as the page, so the page, the CSV and the Excel file agree.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString

from reporting.charts import COUNT, PERCENT, WEEKS, Chart, Series, line_chart, sparkline
from reporting.metrics import Figure, Metric
from reporting.metrics.engine import (
    BREAKDOWN_LABELS,
    DENOMINATOR_ONLY,
    NUMERATOR,
    BreakdownRow,
    CaseRow,
)
from reporting.rag import Direction, Rag, Travel
from reporting.selectors.scorecard import ScorecardRow

NO_DATA = "No data"
#: GOV.UK tag colours for red, amber and green.
RAG_TAGS = {
    Rag.GREEN: "govuk-tag--green",
    Rag.AMBER: "govuk-tag--orange",
    Rag.RED: "govuk-tag--red",
}
#: Rag.label speaks of "below"; for a lower-is-better figure, amber and red are above the target.
LOWER_BETTER_LABELS = {Rag.GREEN: "On target", Rag.AMBER: "Above target", Rag.RED: "Above floor"}
ARROWS = {Direction.UP: "↑", Direction.DOWN: "↓", Direction.SAME: "→"}
HEADLINE_HEADERS = (
    "Section",
    "Metric id",
    "Figure",
    "Month",
    "Value",
    "Numerator",
    "Denominator",
    "Target",
    "Floor",
    "RAG",
    "Direction of travel",
    "Published value",
)


# --- numbers ------------------------------------------------------------------------------------
def rounded(value: Decimal | int | float | None, unit: str) -> Decimal | int | None:
    """The number a person sees: percent and weeks to 1 dp, counts and money whole (half up)."""
    if value is None:
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if unit in ("percent", "weeks"):
        return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if unit == "money" or number == number.to_integral_value():
        return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def display(value: Decimal | int | float | None, unit: str) -> str:
    """50.0%, 18.4 weeks, 1,383, £12,500; "No data" when there was nothing to divide by."""
    number = rounded(value, unit)
    if number is None:
        return NO_DATA
    if unit == "percent":
        return f"{number}%"
    if unit == "weeks":
        return f"{number} weeks"
    if unit == "money":
        return f"£{number:,}"
    return f"{number:,}"


def part_number(value: Decimal | int | None, unit: str) -> Decimal | int | None:
    """A numerator or denominator as its metric shows it: total weeks to 1 dp, counts whole."""
    return rounded(value, unit if unit in ("weeks", "money") else "count")


def part_text(value: Decimal | int | None, unit: str) -> str:
    number = part_number(value, unit)
    return "" if number is None else f"{number:,}"


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart_unit(metric: Metric) -> str:
    """Charts draw percentages and weeks as such; counts and money on a plain number axis."""
    return {"percent": PERCENT, "weeks": WEEKS}.get(metric.unit, COUNT)


def rag_label(value: Rag, polarity: str) -> str:
    return LOWER_BETTER_LABELS[value] if polarity == "lower_better" else value.label


def breakdown_label(name: str) -> str:
    return BREAKDOWN_LABELS.get(name, name.replace("_", " ").capitalize())


def figure_row(metric: Metric, figure: Figure | BreakdownRow) -> tuple[object, ...]:
    """Value, numerator and denominator as the page shows them (a table's row)."""
    return (
        rounded(figure.value, metric.unit),
        part_number(figure.numerator, metric.unit),
        figure.denominator,
    )


# --- a metric's row over the months ----------------------------------------------------------
def row_chart(row: ScorecardRow, *, title: str) -> Chart:
    """The months of a scorecard row as a line, with the target (if any) as a dashed line."""
    metric = row.metric
    target = row.target.target if row.target and metric.polarity != "neutral" else None
    return line_chart(
        title=title,
        labels=[f.period.short_label for f in row.figures],
        series=[Series(metric.title, tuple(as_float(f.value) for f in row.figures))],
        unit=chart_unit(metric),
        target=as_float(target),
        label_heading="Month",
    )


def revised_text(row: ScorecardRow, current: Figure) -> str:
    """ "Revised since publication: published X, now Y" when late data changed a published
    figure."""
    if not row.revised or row.published is None:
        return ""
    unit = row.metric.unit
    return (
        f"Revised since publication: published {display(row.published.value, unit)}, "
        f"now {display(current.value, unit)}"
    )


@dataclass(frozen=True)
class Tile:
    """One metric's headline for the month: every figure in it is a link to the metric's page."""

    metric: Metric
    url: str
    value: str
    rag: Rag | None
    rag_label: str
    rag_class: str
    target: str
    floor: str
    travel: Travel | None
    arrow: str
    sparkline: SafeString
    revised: str
    chart: Chart
    numerator: str
    denominator: str
    published: str
    #: The headline table's row (the page's table and the downloads), in HEADLINE_HEADERS order.
    numbers: tuple[object, ...]


def tile_for(row: ScorecardRow, *, url: str, months: int) -> Tile:
    metric, current, unit = row.metric, row.current, row.metric.unit
    value_text = display(current.value, unit)
    rag_value, move, target = row.rag, row.travel, row.target
    words = rag_label(rag_value, metric.polarity) if rag_value else ""
    first, last = row.figures[0].period, row.figures[-1].period
    return Tile(
        metric=metric,
        url=url,
        value=value_text,
        rag=rag_value,
        rag_label=words,
        rag_class=RAG_TAGS[rag_value] if rag_value else "",
        target=display(target.target, unit) if target else "",
        floor=display(target.floor, unit) if target else "",
        travel=move,
        arrow=ARROWS[move.direction] if move else "",
        sparkline=sparkline(
            values=[as_float(f.value) for f in row.figures],
            label=f"{metric.title} from {first.label} to {last.label}: latest {value_text}",
        ),
        revised=revised_text(row, current),
        chart=row_chart(row, title=f"{metric.title}, {months} months"),
        numerator=part_text(current.numerator, unit),
        denominator=part_text(current.denominator, "count"),
        published=display(row.published.value, unit) if row.published else "",
        numbers=(
            metric.section.value,
            metric.id,
            metric.title,
            current.period.key,
            *figure_row(metric, current),
            None if target is None else target.target,
            None if target is None else target.floor,
            words,
            move.label if move else "",
            rounded(row.published.value, unit) if row.published else None,
        ),
    )


@dataclass(frozen=True)
class SectionTiles:
    heading: str
    tiles: list[Tile]


def sections_of(tiles: Sequence[Tile]) -> list[SectionTiles]:
    """Tiles under their section headings, in the registry's order of first appearance."""
    grouped: dict[str, list[Tile]] = {}
    for tile in tiles:
        grouped.setdefault(tile.metric.section.value, []).append(tile)
    return [SectionTiles(heading, items) for heading, items in grouped.items()]


# --- the cases behind a figure ------------------------------------------------------------------
def date_labels(rows: Sequence[CaseRow]) -> list[str]:
    """Every date heading the rows use, in the order they first appear."""
    labels: dict[str, None] = {}
    for row in rows:
        for label, _ in row.dates:
            labels.setdefault(label)
    return list(labels)


def counted_text(row: CaseRow) -> str:
    return f"{row.counted} (subtracted)" if row.sign < 0 else row.counted


def case_cells(row: CaseRow, labels: Sequence[str]) -> list[object]:
    dates = dict(row.dates)
    return [dates.get(label) for label in labels]


def case_summary(metric: Metric, rows: Sequence[CaseRow]) -> str:
    """What the list adds up to, in the words of the figure's definition."""
    total = len(rows)
    if not rows:
        return "No cases are behind this figure."
    plural = "s" if total != 1 else ""
    numerator = sum(1 for r in rows if r.counted == NUMERATOR)
    denominator_only = sum(1 for r in rows if r.counted == DENOMINATOR_ONLY)
    if metric.denominator and numerator + denominator_only == total:
        return (
            f"{total:,} case{plural} in the denominator ({metric.denominator}): {numerator:,} "
            f"in the numerator ({metric.numerator}) and {denominator_only:,} in the "
            "denominator only."
        )
    if numerator == total:
        return f"{total:,} case{plural} counted ({metric.numerator})."
    parts: dict[str, int] = {}
    for row in rows:
        parts[counted_text(row)] = parts.get(counted_text(row), 0) + 1
    return "; ".join(f"{label}: {count:,}" for label, count in parts.items()) + "."
