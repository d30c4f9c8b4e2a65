"""The safety-valve and DSG management plan pack: the board's PDF and the DSG template's
spreadsheet, built from one `Pack` so both say the same.

A pack is for a day and the return period whose entries it prints: the census on that day (by
category, age band and need, with cost) and at the end of each of the three financial years
before it, special-school places used against commissioned, plans awaiting a placement, the
period's entered figures (allocation, transfers, spend, forecast outturn, the DSG balances
against the agreed profile), each safety-valve condition with its RAG, narrative and evidence,
pressures and mitigations, plans in force month by month, and the forecast.

The forecast is reporting.selectors.trajectory's: the "do nothing" trajectory fitted from the
council's own last three years as at the pack's day, from the month after it, and the latest
saved scenario run from the same start when there is one. A forecast by need is not modelled:
each category's forecast plans are shared out by that category's mix of needs on the day.

The pack is the council's document: council-wide whoever asks (like the published scorecard).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.codes import EstablishmentKind
from reporting.high_needs.periods import ReturnPeriod, financial_year_of
from reporting.metrics.engine import NONE_CATEGORY
from reporting.models import Scenario
from reporting.periods import MONTH_NAMES, Period, last_months, month_of, month_period
from reporting.selectors import MonthCount, open_plans_by_month
from reporting.selectors.high_needs import (
    AGE_BAND_KEYS,
    CATEGORIES,
    Census,
    CommittedSpend,
    Places,
    ReturnEntries,
    committed_spend,
    high_needs_census,
    places_used,
    return_entries,
)
from reporting.selectors.trajectory import Trajectory, trajectory_run
from reporting.trajectory import Year

#: Financial year ends before the pack's day shown as history (the DSG template's actuals).
HISTORY_YEARS = 3
#: Years forecast when no saved scenario says otherwise.
FORECAST_YEARS = 3
#: Months of plans in force charted up to the pack's month.
CHART_MONTHS = 24
NOT_KNOWN = "Not known"
NO_UPDATE = "No update entered for this period"
NO_FORECAST = "No forecast: {reason}"
FORECAST_NEEDS_NOTE = (
    "The forecast is modelled by placement category and age band; by need, each category's "
    "forecast plans are shared out by that category's mix of needs on {on}."
)
#: The DSG template's short names for its sheets (Excel allows 31 characters).
SHEET_NAMES: dict[str, str] = {
    EstablishmentKind.MAINSTREAM.value: "Mainstream",
    EstablishmentKind.RESOURCED_PROVISION.value: "Resourced provision",
    EstablishmentKind.SPECIAL.value: "Maintained special",
    EstablishmentKind.INDEPENDENT_SPECIAL.value: "Independent special",
    EstablishmentKind.ALTERNATIVE_PROVISION.value: "AP and hospital",
    EstablishmentKind.FURTHER_EDUCATION.value: "Post-16 and FE",
    EstablishmentKind.EARLY_YEARS.value: "Early years",
    EstablishmentKind.OTHER.value: "Other",
    NONE_CATEGORY: "No placement",
}
Number = int | float | Decimal
#: Steps reported to `progress` while a pack is built (the task's percentage).
BUILD_STEPS = 7


def short_date(day: dt.date) -> str:
    """`31 Mar 2025`."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def long_date(day: dt.date) -> str:
    """`31 March 2025`."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# --- a column of the DSG template: an actual census or a forecast year --------------------------
@dataclass(frozen=True)
class Snapshot:
    """Plans in force by (category, age band) and by (category, need), and each category's annual
    cost, on one day: an actual census or a forecast year's end (expected values, fractional)."""

    label: str
    on: dt.date
    forecast: bool
    plans: Mapping[tuple[str, str], Number]
    needs: Mapping[tuple[str, str], Number]
    cost: Mapping[str, Number]

    @property
    def heading(self) -> str:
        return f"{self.label} (forecast)" if self.forecast else f"{self.label} (actual)"

    def category_plans(self, category: str) -> Number:
        return sum((n for (c, _), n in self.plans.items() if c == category), 0)

    def band_plans(self, category: str, band: str) -> Number:
        return self.plans.get((category, band), 0)

    def need_plans(self, category: str, need: str) -> Number:
        return self.needs.get((category, need), 0)

    def category_cost(self, category: str) -> Number:
        return self.cost.get(category, 0)

    def average_cost(self, category: str) -> float | None:
        plans = self.category_plans(category)
        if category == NONE_CATEGORY or not plans:
            return None
        return float(self.category_cost(category)) / float(plans)

    @property
    def total_plans(self) -> Number:
        return sum(self.plans.values(), 0)

    @property
    def total_cost(self) -> Number:
        return sum(self.cost.values(), 0)


def census_snapshot(census: Census, *, label: str | None = None) -> Snapshot:
    """A census as a column: exact counts and costs in pounds and pence."""
    cost: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for row in census.rows:
        cost[row.category] += row.annual_cost
    return Snapshot(
        label=label or short_date(census.on),
        on=census.on,
        forecast=False,
        plans={(row.category, row.age_band): row.plans for row in census.rows},
        needs={(row.category, row.primary_need): row.plans for row in census.by_need},
        cost=dict(cost),
    )


def need_mix(census: Census) -> dict[str, dict[str, float]]:
    """Each category's share of plans by need on the day; a category with none takes the
    council's mix (so a forecast's plans by need add up to its plans)."""
    by_category: dict[str, dict[str, int]] = defaultdict(dict)
    overall: dict[str, int] = defaultdict(int)
    for row in census.by_need:
        by_category[row.category][row.primary_need] = row.plans
        overall[row.primary_need] += row.plans
    total = sum(overall.values())
    council = {need: n / total for need, n in overall.items()} if total else {NOT_KNOWN: 1.0}
    out: dict[str, dict[str, float]] = {}
    for category in CATEGORIES:
        counts = by_category.get(category, {})
        plans = sum(counts.values())
        out[category] = {need: n / plans for need, n in counts.items()} if plans else council
    return out


def year_snapshot(year: Year, *, on: dt.date, mix: Mapping[str, Mapping[str, float]]) -> Snapshot:
    """A forecast year's end as a column; plans by need shared out by `mix`."""
    plans: dict[tuple[str, str], float] = {}
    needs: dict[tuple[str, str], float] = {}
    cost: dict[str, float] = {}
    for line in year.categories:
        for key, n in zip(AGE_BAND_KEYS, line.by_age_band, strict=True):
            if n:
                plans[(line.category, key)] = n
        for need, share in mix.get(line.category, {}).items():
            if line.plans * share:
                needs[(line.category, need)] = line.plans * share
        if line.plans:
            cost[line.category] = line.annual_cost
    return Snapshot(
        label=f"{MONTH_NAMES[on.month - 1][:3]} {on.year}",
        on=on,
        forecast=True,
        plans=plans,
        needs=needs,
        cost=cost,
    )


# --- the forecast ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Forecast:
    """The trajectory from the pack's day: the scenario's years (the latest saved scenario's, or
    "do nothing" when none is saved) and, when they differ, "do nothing" beside it."""

    title: str
    basis: str
    start: Period
    years: tuple[Snapshot, ...]
    do_nothing: tuple[Snapshot, ...]
    cost_avoided: float
    scenario: Scenario | None
    agreed: tuple[tuple[str, int], ...] = ()

    @property
    def compared(self) -> bool:
        return self.scenario is not None


def _add_months(period: Period, months: int) -> Period:
    index = period.start.year * 12 + period.start.month - 1 + months
    return month_period(index // 12, index % 12 + 1)


def _run(*, start: Period, years: int, parameters: Mapping[str, Any], as_at: dt.date) -> Trajectory:
    return trajectory_run(start=start, years=years, parameters=parameters, today=as_at)


def pack_forecast(*, census: Census, today: dt.date) -> tuple[Forecast | None, str]:
    """The forecast from the month after the census day, as the council could have made it that
    day (the defaults fitted from the three years before it), or None and why not."""
    on = census.on
    as_at = min(on, today)
    start = _add_months(month_of(on), 1)
    scenario = Scenario.objects.select_related("created_by").order_by("-created_at").first()
    run: Trajectory | None = None
    note = ""
    if scenario is not None:
        try:
            run = _run(
                start=start, years=scenario.years, parameters=scenario.parameters, as_at=as_at
            )
        except ValidationError as error:
            note = (
                f"The saved scenario {scenario.name} could not be run from {start.label}: "
                f"{'; '.join(error.messages)}. "
            )
            scenario = None
    if run is None:
        try:
            run = _run(start=start, years=FORECAST_YEARS, parameters={}, as_at=as_at)
        except ValidationError as error:
            return None, NO_FORECAST.format(reason="; ".join(error.messages))
    mix = need_mix(census)

    def columns(years: Sequence[Year]) -> tuple[Snapshot, ...]:
        out = []
        for year in years:
            last = _add_months(start, 12 * year.year - 1)
            out.append(year_snapshot(year, on=last.end, mix=mix))
        return tuple(out)

    comparison = run.comparison
    if scenario is not None:
        author = scenario.created_by.get_full_name() or scenario.created_by.get_username()
        title = f"Scenario: {scenario.name}"
        basis = (
            f"The scenario {scenario.name}, saved by {author} on "
            f"{long_date(timezone.localtime(scenario.created_at).date())}, run from "
            f"{start.label} against doing nothing (the council's last three years continued)."
        )
    else:
        title = "Do nothing"
        basis = (
            f"{note}The council's last three years continued from {start.label}: requests, "
            "agree-to-assess and issue rates, cessations by age and the placement mix of new "
            f"plans fitted from {run.fitted.window_label}, and each category's average cost "
            f"on {long_date(run.fitted.on)}."
        )
    agreed: tuple[tuple[str, int], ...] = ()
    if scenario is not None and scenario.agreed_trajectory:
        saved_start = _parse_month(scenario.start)
        if saved_start is not None:
            agreed = tuple(
                (short_date(_add_months(saved_start, 12 * (n + 1) - 1).end), int(plans))
                for n, plans in enumerate(scenario.agreed_trajectory)
            )
    return (
        Forecast(
            title=title,
            basis=basis,
            start=start,
            years=columns(comparison.scenario.years),
            do_nothing=columns(comparison.do_nothing.years),
            cost_avoided=comparison.cost_avoided,
            scenario=scenario,
            agreed=agreed,
        ),
        "",
    )


def _parse_month(text: str) -> Period | None:
    try:
        year, month = (int(part) for part in text.split("-"))
        return month_period(year, month)
    except ValueError:
        return None


# --- the pack ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pack:
    """Everything the PDF and the spreadsheet print for a day and a return period."""

    on: dt.date
    period: ReturnPeriod
    produced_at: dt.datetime
    census: Census
    history: tuple[Snapshot, ...]  # oldest first; the last is the census on `on`
    places: Places
    spend: CommittedSpend
    entries: ReturnEntries
    open_plans: tuple[MonthCount, ...]
    forecast: Forecast | None
    forecast_note: str = ""
    council: str = field(default_factory=lambda: str(settings.COUNCIL_NAME))

    @property
    def columns(self) -> tuple[Snapshot, ...]:
        """History then forecast: the DSG template's columns."""
        return (*self.history, *(self.forecast.years if self.forecast else ()))

    @property
    def none_without_awaiting(self) -> int:
        """Plans with no placement recorded at all (not awaiting one)."""
        none = sum(row.plans for row in self.census.rows if row.category == NONE_CATEGORY)
        return none - self.census.awaiting_placement

    @property
    def filename_stem(self) -> str:
        return f"high-needs-{settings.LA_CODE}-{self.on.isoformat()}"


def history_days(on: dt.date, years: int = HISTORY_YEARS) -> list[dt.date]:
    """The last `years` financial year ends (31 March) before `on`, oldest first."""
    first, _ = financial_year_of(on)
    last_end = first - dt.timedelta(days=1)
    return [dt.date(last_end.year - n, 3, 31) for n in reversed(range(years))]


def pack_data(
    *,
    on: dt.date,
    period: ReturnPeriod,
    progress: Callable[[int], None] | None = None,
) -> Pack:
    """Read everything the pack prints, once, for both outputs: about thirty queries whatever
    the caseload (four censuses, places, spend, the entries, plans by month and the trajectory's
    fit); 21,000 plans in force take about 1 to 2 seconds."""
    step = progress or (lambda done: None)
    census = high_needs_census(on=on)
    step(1)
    earlier = [census_snapshot(high_needs_census(on=day)) for day in history_days(on)]
    step(2)
    places = places_used(on=on)
    spend = committed_spend(on=on)
    step(3)
    entries = return_entries(period=period)
    step(4)
    months = last_months(ending=month_of(on), count=CHART_MONTHS)
    counts = open_plans_by_month(first=months[0], last=months[-1])
    step(5)
    forecast, note = pack_forecast(census=census, today=timezone.localdate())
    step(6)
    return Pack(
        on=on,
        period=period,
        produced_at=timezone.now(),
        census=census,
        history=(*earlier, census_snapshot(census)),
        places=places,
        spend=spend,
        entries=entries,
        open_plans=tuple(counts),
        forecast=forecast,
        forecast_note=note,
    )
