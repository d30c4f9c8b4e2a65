"""What the trajectory pages show: a run's tables, charts and basis, figures formatted for
reading (plans whole, pounds whole)."""

from dataclasses import dataclass
from typing import Any

from reporting.charts import Chart, Series, line_chart
from reporting.selectors.trajectory import (
    PLACED_CATEGORIES,
    Trajectory,
    label,
    month_span,
    parameters_of,
)
from reporting.trajectory import AGE_BANDS, Projection, Year
from reporting.views.trajectory.forms import NUMBERS, PER_CATEGORY, as_text


# --- what the page shows ------------------------------------------------------------------------
def pounds(value: float) -> str:
    sign = "-" if value < -0.5 else ""
    return f"{sign}£{abs(value):,.0f}"


def plans(value: float) -> str:
    return f"{value:,.0f}"


@dataclass(frozen=True)
class YearRow:
    label: str
    months: str
    do_nothing_plans: str
    do_nothing_cost: str
    plans: str
    cost: str
    avoided: str


@dataclass(frozen=True)
class Table:
    """A table of categories (or bands) by year: the start, then each year."""

    caption: str
    id: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]


def _category_table(projection: Projection, *, caption: str, table_id: str, cost: bool) -> Table:
    years = [projection.start, *projection.years]
    keys = [
        line.category
        for line in projection.start.categories
        if any(
            y.category(line.category).plans or y.category(line.category).new_plans for y in years
        )
    ]

    def value(year: Year, key: str) -> float:
        line = year.category(key)
        return line.annual_cost if cost else line.plans

    show = pounds if cost else plans
    return Table(
        caption=caption,
        id=table_id,
        headers=("Placement category", "Start", *(f"Year {y.year}" for y in projection.years)),
        rows=tuple((label(key), *(show(value(y, key)) for y in years)) for key in keys),
        total=(
            "Total",
            *(show(y.annual_cost if cost else y.open_plans) for y in years),
        ),
    )


def _band_table(projection: Projection) -> Table:
    years = [projection.start, *projection.years]
    return Table(
        caption="Scenario: plans by age band",
        id="by-age-band",
        headers=("Age band", "Start", *(f"Year {y.year}" for y in projection.years)),
        rows=tuple(
            (band.label, *(plans(y.by_age_band[i]) for y in years))
            for i, band in enumerate(AGE_BANDS)
        ),
        total=("Total", *(plans(y.open_plans) for y in years)),
    )


def _flows_table(projection: Projection) -> Table:
    rows = (
        ("Requests for assessment", [y.requests for y in projection.years]),
        ("New plans (and transfers in)", [y.new_plans for y in projection.years]),
        ("Plans ceased (with those ageing out)", [y.ceased for y in projection.years]),
        ("Of which ageing out at 25", [y.aged_out for y in projection.years]),
        ("Stepped down to another category", [y.stepped_down for y in projection.years]),
        (
            "New plans sent on by a full category",
            [sum(c.turned_away for c in y.categories) for y in projection.years],
        ),
    )
    return Table(
        caption="Scenario: flows each year",
        id="flows",
        headers=("", *(f"Year {y.year}" for y in projection.years)),
        rows=tuple((name, *(plans(v) for v in values)) for name, values in rows),
        total=(),
    )


def results(run: Trajectory) -> dict[str, Any]:
    """The results' tables and charts for the template."""
    comparison = run.comparison
    scenario, nothing = comparison.scenario, comparison.do_nothing
    rows = []
    for s, d, avoided in zip(
        scenario.years, nothing.years, comparison.cost_avoided_by_year, strict=True
    ):
        first, last = run.year_span(s.year)
        rows.append(
            YearRow(
                label=f"Year {s.year}",
                months=month_span(first, last),
                do_nothing_plans=plans(d.open_plans),
                do_nothing_cost=pounds(d.annual_cost),
                plans=plans(s.open_plans),
                cost=pounds(s.annual_cost),
                avoided=pounds(avoided),
            )
        )
    labels = ["Start", *(f"Year {y.year}" for y in scenario.years)]
    largest = max(y.annual_cost for y in [*nothing.years, *scenario.years, scenario.start])
    unit, unit_name = (1e6, "£ million") if largest >= 1e7 else (1e3, "£ thousand")
    charts = [
        line_chart(
            title="Plans in force at each year's end",
            labels=labels,
            series=[
                Series(
                    "Do nothing",
                    tuple(round(y.open_plans) for y in [nothing.start, *nothing.years]),
                ),
                Series(
                    "Scenario",
                    tuple(round(y.open_plans) for y in [scenario.start, *scenario.years]),
                ),
            ],
            label_heading="Year",
        ),
        line_chart(
            title=f"Annual cost ({unit_name})",
            labels=labels,
            series=[
                Series(
                    "Do nothing",
                    tuple(round(y.annual_cost / unit, 1) for y in [nothing.start, *nothing.years]),
                ),
                Series(
                    "Scenario",
                    tuple(
                        round(y.annual_cost / unit, 1) for y in [scenario.start, *scenario.years]
                    ),
                ),
            ],
            label_heading="Year",
        ),
    ]
    return {
        "run": run,
        "year_rows": rows,
        "cost_avoided": pounds(comparison.cost_avoided),
        "start_plans": plans(scenario.start.open_plans),
        "start_cost": pounds(scenario.start.annual_cost),
        "tables": [
            _category_table(
                scenario,
                caption="Scenario: plans by placement category",
                table_id="plans",
                cost=False,
            ),
            _category_table(
                scenario,
                caption="Scenario: annual cost by placement category",
                table_id="costs",
                cost=True,
            ),
            _band_table(scenario),
            _flows_table(scenario),
        ],
        "do_nothing_tables": [
            _category_table(
                nothing,
                caption="Do nothing: plans by placement category",
                table_id="do-nothing-plans",
                cost=False,
            ),
            _category_table(
                nothing,
                caption="Do nothing: annual cost by placement category",
                table_id="do-nothing-costs",
                cost=True,
            ),
        ],
        "charts": charts,
        "uncosted": [label(c) for c in run.uncosted],
        "actuals_chart": _actuals_chart(run),
        "actual_rows": [
            (
                a.month.label,
                plans(a.actual),
                "" if a.agreed is None else plans(a.agreed),
                "" if a.difference is None else f"{a.difference:+,.0f}",
                plans(a.projected),
            )
            for a in run.actuals
        ],
        "basis": _basis(run),
    }


def _actuals_chart(run: Trajectory) -> Chart | None:
    if not run.actuals:
        return None
    series = [
        Series("Actual", tuple(float(a.actual) for a in run.actuals)),
        Series("Scenario", tuple(round(a.projected) for a in run.actuals)),
    ]
    if run.agreed:
        series.insert(
            1,
            Series(
                "Agreed trajectory",
                tuple(None if a.agreed is None else round(a.agreed) for a in run.actuals),
            ),
        )
    return line_chart(
        title="Plans in force at each month's end against the trajectory",
        labels=[a.month.short_label for a in run.actuals],
        series=series,
        label_heading="Month",
    )


def _basis(run: Trajectory) -> list[tuple[str, str]]:
    names = {name: text for name, text, *_ in NUMBERS}
    basis = run.fitted.basis
    out = [(names[key], basis[key]) for key in names if key in basis]
    out += [
        (f"Cessation rate, {band.label.lower()}", basis[f"cessation_pct.{band.key}"])
        for band in AGE_BANDS
        if f"cessation_pct.{band.key}" in basis
    ]
    out.append(("Placement mix of new plans", basis["placement_mix"]))
    out.append(("Ages of new plans", basis["new_plan_ages"]))
    out += [
        (f"Unit cost: {label(c)}", basis[f"unit_cost.{c}"])
        for c in PLACED_CATEGORIES
        if f"unit_cost.{c}" in basis
    ]
    return out


def parameter_rows(run: Trajectory) -> list[tuple[str, str, str]]:
    """(parameter, scenario, do nothing) where they differ, and the headline ones always."""
    scenario, nothing = parameters_of(run.scenario), parameters_of(run.do_nothing)
    rows = []
    for name, text, *_ in NUMBERS:
        rows.append((text, as_text(scenario[name]), as_text(nothing[name])))
    for band in AGE_BANDS:
        a, b = (
            scenario["cessation_pct"].get(band.key, 0.0),
            nothing["cessation_pct"].get(band.key, 0.0),
        )
        if a != b:
            rows.append((f"Cessation rate, {band.label.lower()} (%)", as_text(a), as_text(b)))
    for name, text, *_ in PER_CATEGORY:
        for category in PLACED_CATEGORIES:
            a, b = scenario[name].get(category), nothing[name].get(category)
            if a != b:
                rows.append((f"{text}: {label(category)}", _opt(a), _opt(b)))
    for category, onward in scenario["overflow"].items():
        rows.append((f"When full, new plans go to: {label(category)}", label(onward), ""))
    for step in scenario["step_down"]:
        rows.append(
            (
                f"Step-down from {label(step['from'])} to {label(step['to'])} (% a year)",
                as_text(step["pct"]),
                "",
            )
        )
    return rows


def _opt(value: float | None) -> str:
    return "" if value is None else as_text(value)
