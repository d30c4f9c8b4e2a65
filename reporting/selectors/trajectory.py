"""Reads for trajectory and scenarios: the start position, the "do nothing" parameters fitted from
the council's own last three years, a scenario run against them, monthly actuals against an
agreed trajectory, and saved scenarios.

The start is the high-needs census (plans in force by DSG category and age band, and the average
annual cost per category) on the day before the start month. The defaults are fitted from the
36 complete months before it, with set-based queries (a handful, whatever the caseload):
requests a month (the last 12 months: the current level), the agree-to-assess rate (the
dashboard's refusals), the issue rate, transfers in, cessation by age band (plans ceasing for any
reason but the maximum age, over the plan-years lived in the band), and the age and placement mix
of new plans (their first placement). Each default carries its basis in words.

A trajectory is the council's forecast of its whole caseload and cost (the DSG management plan's),
so it is council-wide for every reader: a team's slice has no requests of its own to forecast.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from cases.codes import CeaseReason, EstablishmentKind
from cases.models import AssessmentRequest, IssueDecision, Placement, Plan
from reporting.metrics import get_metric
from reporting.metrics.casework import plan_in_force_on
from reporting.metrics.engine import NONE_CATEGORY, SETTING_CATEGORY, between
from reporting.models import Scenario
from reporting.periods import (
    MONTH_NAMES,
    Period,
    PeriodKind,
    last_complete_month,
    last_months,
    month_of,
    month_period,
)
from reporting.selectors import MonthCount, open_plans_by_month
from reporting.selectors.high_needs import CATEGORIES, CATEGORY_LABELS, Census, high_needs_census
from reporting.trajectory import (
    AGE_BANDS,
    BAND_KEYS,
    Assumptions,
    Capacity,
    Comparison,
    Position,
    StepDown,
    band_of_age,
    compare,
)

FIT_MONTHS = 36
LEVEL_MONTHS = 12
#: How far ahead a trajectory may start: the start is today's position, so not far.
MAX_MONTHS_AHEAD = 12
#: Where plans go when a category with a capacity is full, unless the scenario names another.
DEFAULT_OVERFLOW: dict[str, str] = {
    EstablishmentKind.MAINSTREAM.value: EstablishmentKind.RESOURCED_PROVISION.value,
    EstablishmentKind.RESOURCED_PROVISION.value: EstablishmentKind.SPECIAL.value,
    EstablishmentKind.SPECIAL.value: EstablishmentKind.INDEPENDENT_SPECIAL.value,
}
#: Categories new plans can be placed in: every category but "no placement".
PLACED_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != NONE_CATEGORY)

# Rule failures: module constants the tests assert.
SHIFTS_NOT_ZERO = "The placement mix shifts must add up to 0 points: these add up to {total}"
SHIFT_BELOW_NOTHING = (
    "{category} has {share}% of new plans: it cannot fall by more than {share} points"
)
STEP_DOWN_SAME = "A step-down must move plans to another category"
STEP_DOWN_OVER_100 = "Step-downs from {category} add up to more than 100%"
OVERFLOW_SAME = "{category}'s overflow must be another category"
OVERFLOW_NEEDED = "Choose where plans go when {category} is full"
OVERFLOW_CIRCLE = "Overflow goes round in a circle: {chain}"
TRAJECTORY_TOO_LONG = "Enter at most {years} figures: one for the end of each year"
START_TOO_LATE = "The start must be no later than {month}: the start is today's position"


def label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def _pct(value: float, places: int = 1) -> float:
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def _of(count: int, noun: str) -> str:
    """`1 plan`, `2 plans`, `1,044 requests`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def month_span(first: Period, last: Period) -> str:
    """`Dec 2023 to Nov 2026`."""
    return (
        f"{MONTH_NAMES[first.start.month - 1][:3]} {first.start.year} to "
        f"{MONTH_NAMES[last.end.month - 1][:3]} {last.end.year}"
    )


def _add_months(period: Period, months: int) -> Period:
    index = period.start.year * 12 + period.start.month - 1 + months
    return month_period(index // 12, index % 12 + 1)


# --- when -----------------------------------------------------------------------------------------
def latest_start(*, today: dt.date) -> Period:
    return _add_months(month_of(today), MAX_MONTHS_AHEAD)


def default_start(*, today: dt.date) -> Period:
    """This month: the start is the position at the end of last month."""
    return month_of(today)


def start_on(*, start: Period, today: dt.date) -> dt.date:
    """The census day of the start position: the day before the start month, or today if that
    is still to come."""
    return min(start.start - dt.timedelta(days=1), today)


def fit_window(*, start: Period, today: dt.date) -> tuple[Period, Period]:
    """The 36 complete months before the start month (no later than last month)."""
    last = min(_add_months(start, -1), last_complete_month(today))
    return _add_months(last, -(FIT_MONTHS - 1)), last


def year_months(*, start: Period, year: int) -> tuple[Period, Period]:
    """The first and last month of projected year `year` (1 = the start month and 11 more)."""
    first = _add_months(start, 12 * (year - 1))
    return first, _add_months(first, 11)


# --- fitting ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fitted:
    """The start position and the fitted "do nothing" parameters, with what each rests on."""

    start: Period
    on: dt.date
    window: tuple[Period, Period]
    census: Census
    position: Position
    assumptions: Assumptions
    basis: dict[str, str]
    requests_by_year: tuple[int, ...]
    categories: tuple[str, ...] = CATEGORIES

    @property
    def window_label(self) -> str:
        return month_span(*self.window)


def _school_year(path: str) -> Any:
    """The year of the 31 August before the date's school year (the census's age date)."""
    return ExtractYear(path) - Case(
        When(**{f"{path}__month__lt": 9}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _cohort(path: str) -> Any:
    """The year a birth date's school cohort is counted from: age on 31 August of year Y is
    Y - cohort (born 31 August 2014: 11 on 31 August 2025; born 1 September 2014: 10)."""
    return ExtractYear(path) + Case(
        When(**{f"{path}__month__gte": 9}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _first_categories(span: Period) -> dict[str, int]:
    """New plans (issued in `span`) by the DSG category of their first placement: the earliest
    started rank-1 placement not awaiting one, ties to the lower id. One ordered read of those
    placements, kept first per plan here: a subquery per plan took half a second at 21,000."""
    rows = (
        Placement.objects.filter(between("plan__issued_on", span), rank=1, awaiting_placement=False)
        .annotate(
            _category=Case(
                When(establishment__isnull=False, then=F("establishment__kind")),
                *(
                    When(sen_setting=code, then=Value(kind))
                    for code, kind in SETTING_CATEGORY.items()
                ),
                default=Value(EstablishmentKind.OTHER.value),
                output_field=CharField(),
            )
        )
        .order_by("plan_id", F("starts_on").asc(nulls_last=True), "id")
        .values_list("plan_id", "_category")
    )
    out: dict[str, int] = {}
    last = None
    for plan_id, category in rows:
        if plan_id != last:
            out[category] = out.get(category, 0) + 1
            last = plan_id
    return out


def _span(first: Period, last: Period) -> Period:
    return Period(first.start, last.end, PeriodKind.MONTH, "span")


@dataclass
class _History:
    requests: list[int] = field(default_factory=list)
    refusals: int = 0
    decisions: int = 0
    issued: int = 0
    issue_decisions: int = 0
    transfers_in: int = 0
    ceased: dict[str, int] = field(default_factory=dict)
    plan_years: dict[str, float] = field(default_factory=dict)
    new_by_band: dict[str, int] = field(default_factory=dict)
    new_by_category: dict[str, int] = field(default_factory=dict)


def _history(first: Period, last: Period) -> _History:
    """The window's flows, council-wide, in eight queries."""
    months = last_months(ending=last, count=FIT_MONTHS)
    span = _span(first, last)
    out = _History()
    out.requests = [int(n) for n, _ in get_metric("requests_received").measure.series(months)]
    refusals, decisions = get_metric("refusal_rate_pct").measure.total(span)
    out.refusals, out.decisions = int(refusals), int(decisions or 0)

    issue = AssessmentRequest.objects.filter(between("issue_decided_on", span)).aggregate(
        issued=Count("pk", filter=Q(issue_decision=IssueDecision.ISSUE)),
        decided=Count(
            "pk", filter=Q(issue_decision__in=(IssueDecision.ISSUE, IssueDecision.NOT_ISSUE))
        ),
    )
    out.issued, out.issue_decisions = issue["issued"], issue["decided"]
    out.transfers_in = (
        Plan.objects.filter(between("issued_on", span)).exclude(transferred_in_from_la="").count()
    )

    ceased = (
        Plan.objects.filter(between("ceased_on", span))
        .exclude(cease_reason=CeaseReason.MAXIMUM_AGE)
        .annotate(_year=_school_year("ceased_on"), _cohort=_cohort("child__date_of_birth"))
        .order_by()
        .values("_year", "_cohort")
        .annotate(_n=Count("pk"))
    )
    out.ceased = dict.fromkeys(BAND_KEYS, 0)
    for row in ceased:
        out.ceased[band_of_age(row["_year"] - row["_cohort"])] += row["_n"]

    # Plan-years in each band: plans in force at each month's end, a twelfth of a year each.
    in_force: QuerySet[Plan] = Plan.objects.filter(issued_on__lte=last.end).filter(
        Q(ceased_on__isnull=True) | Q(ceased_on__gt=first.end)
    )
    counts = (
        in_force.annotate(_cohort=_cohort("child__date_of_birth"))
        .order_by()
        .values("_cohort")
        .annotate(
            **{f"m{i}": Count("pk", filter=plan_in_force_on(m.end)) for i, m in enumerate(months)}
        )
    )
    out.plan_years = dict.fromkeys(BAND_KEYS, 0.0)
    years = [_age_year(m.end) for m in months]
    for row in counts:
        for i, year in enumerate(years):
            if row[f"m{i}"]:
                out.plan_years[band_of_age(year - row["_cohort"])] += row[f"m{i}"] / 12

    new = (
        Plan.objects.filter(between("issued_on", span))
        .annotate(_year=_school_year("issued_on"), _cohort=_cohort("child__date_of_birth"))
        .order_by()
        .values("_year", "_cohort")
        .annotate(_n=Count("pk"))
    )
    out.new_by_band = dict.fromkeys(BAND_KEYS, 0)
    for row in new:
        out.new_by_band[band_of_age(row["_year"] - row["_cohort"])] += row["_n"]
    out.new_by_category = _first_categories(span)
    return out


def _age_year(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def trajectory_defaults(*, start: Period, today: dt.date) -> Fitted:
    """The start position on the day before `start` and the "do nothing" parameters fitted from
    the 36 months before it, each with its basis. About nine queries, council-wide."""
    on = start_on(start=start, today=today)
    first, last = fit_window(start=start, today=today)
    span = month_span(first, last)
    census = high_needs_census(on=on)
    position = Position({(row.category, row.age_band): row.plans for row in census.rows})
    history = _history(first, last)
    basis: dict[str, str] = {}

    level = history.requests[-LEVEL_MONTHS:]
    per_month = _pct(sum(level) / LEVEL_MONTHS)
    by_year = tuple(sum(history.requests[i : i + 12]) for i in range(0, FIT_MONTHS, 12))
    basis["requests_per_month"] = (
        f"{_n(per_month)} a month: {_of(sum(level), 'request')} received in the last 12 months, "
        f"{month_span(last_months(ending=last, count=LEVEL_MONTHS)[0], last)} "
        f"({', '.join(f'{n:,}' for n in by_year)} a year over the three years from "
        f"{MONTH_NAMES[first.start.month - 1][:3]} {first.start.year})"
    )
    if history.decisions:
        agree = _pct(100 * (history.decisions - history.refusals) / history.decisions)
        basis["agree_to_assess_pct"] = (
            f"{agree}% from {_of(history.decisions, 'decision')} whether to assess, {span}"
        )
    else:
        agree = 0.0
        basis["agree_to_assess_pct"] = f"No decisions whether to assess, {span}: enter a rate"
    if history.issue_decisions:
        issue = _pct(100 * history.issued / history.issue_decisions)
        basis["issue_pct"] = (
            f"{issue}% from {_of(history.issue_decisions, 'decision')} to issue or not, {span}"
        )
    else:
        issue = 0.0
        basis["issue_pct"] = f"No decisions whether to issue a plan, {span}: enter a rate"
    transfers = _pct(history.transfers_in / 3)
    basis["transfers_in_per_year"] = (
        f"{_n(transfers)} a year: {_of(history.transfers_in, 'plan')} transferred in, {span}"
    )

    cessation: dict[str, float] = {}
    for band in AGE_BANDS:
        years = history.plan_years[band.key]
        ceased = history.ceased[band.key]
        cessation[band.key] = _pct(100 * ceased / years, 2) if years else 0.0
        basis[f"cessation_pct.{band.key}"] = (
            f"{cessation[band.key]}% a year: {_of(ceased, 'plan')} ceased (other than at the "
            f"maximum age) over {_n(years)} plan-years, {span}"
            if years
            else f"No plans in force, {span}"
        )

    placed = sum(history.new_by_category.values())
    if placed:
        mix = {c: 100 * history.new_by_category.get(c, 0) / placed for c in PLACED_CATEGORIES}
        basis["placement_mix"] = f"The first placements of {_of(placed, 'new plan')}, {span}"
    else:
        mix = _census_mix(census)
        basis["placement_mix"] = (
            f"No new plan placed, {span}: the placements of the plans in force on {on:%d %B %Y}"
        )
    new = sum(history.new_by_band.values())
    if new:
        ages = {b: float(history.new_by_band[b]) for b in BAND_KEYS}
        basis["new_plan_ages"] = f"The ages of {_of(new, 'new plan')} when issued, {span}"
    else:
        ages = {b: float(n) for b, n in zip(BAND_KEYS, census.age_band_totals, strict=True)}
        basis["new_plan_ages"] = f"No new plans, {span}: the ages of the plans in force"

    unit_cost: dict[str, float] = {}
    for line in census.categories:
        if line.average_cost is not None:
            unit_cost[line.category] = float(line.average_cost.quantize(Decimal(1)))
            basis[f"unit_cost.{line.category}"] = (
                f"£{unit_cost[line.category]:,.0f}: the average annual cost of "
                f"{_of(line.plans, 'plan')} in force on {on.day} {on:%B %Y}"
            )
    for category in PLACED_CATEGORIES:
        basis.setdefault(
            f"unit_cost.{category}",
            f"No plans in force on {on.day} {on:%B %Y}: enter a cost, or its plans cost nothing",
        )

    assumptions = Assumptions(
        requests_per_year=per_month * 12,
        agree_to_assess_pct=agree,
        issue_pct=issue,
        cessation_pct=cessation,
        new_plan_ages=ages,
        placement_mix_pct=mix,
        unit_cost=unit_cost,
        transfers_in_per_year=transfers,
    )
    return Fitted(
        start=start,
        on=on,
        window=(first, last),
        census=census,
        position=position,
        assumptions=assumptions,
        basis=basis,
        requests_by_year=by_year,
    )


def _census_mix(census: Census) -> dict[str, float]:
    placed = [line for line in census.categories if line.category != NONE_CATEGORY]
    total = sum(line.plans for line in placed)
    if not total:
        return {EstablishmentKind.MAINSTREAM.value: 100.0}
    return {line.category: 100 * line.plans / total for line in placed}


# --- a scenario's parameters --------------------------------------------------------------------
def parameters_of(assumptions: Assumptions) -> dict[str, Any]:
    """Assumptions as JSON (the API's parameter names; a saved scenario keeps this)."""
    return {
        "requests_per_month": _pct(assumptions.requests_per_year / 12),
        "request_change_pct": assumptions.request_change_pct,
        "population_growth_pct": assumptions.population_growth_pct,
        "agree_to_assess_pct": assumptions.agree_to_assess_pct,
        "issue_pct": assumptions.issue_pct,
        "transfers_in_per_year": assumptions.transfers_in_per_year,
        "cessation_pct": dict(assumptions.cessation_pct),
        "new_plan_ages": dict(assumptions.new_plan_ages),
        "placement_mix_pct": dict(assumptions.placement_mix_pct),
        "placement_mix_shift": dict(assumptions.mix_shift_pts),
        "step_down": [
            {"from": s.source, "to": s.target, "pct": s.pct} for s in assumptions.step_downs
        ],
        "unit_cost": dict(assumptions.unit_cost),
        "unit_cost_change_pct": dict(assumptions.unit_cost_change_pct),
        "capacity": {c: cap.places for c, cap in assumptions.capacity.items()},
        "overflow": {c: cap.overflow_to for c, cap in assumptions.capacity.items()},
    }


def _floats(values: Mapping[str, Any] | None) -> dict[str, float]:
    return {str(k): float(v) for k, v in (values or {}).items() if v is not None}


def scenario_assumptions(*, base: Assumptions, parameters: Mapping[str, Any]) -> Assumptions:
    """`base` (the fitted defaults) with the scenario's `parameters` (api.md's names, shape
    already checked) laid over it. Raises ValidationError keyed by parameter for rule failures:
    `field` or `field.key` (`overflow.special`)."""
    errors: dict[str, list[str]] = defaultdict(list)
    p = parameters

    def number(name: str, default: float) -> float:
        value = p.get(name)
        return default if value is None else float(value)

    mix = {**base.placement_mix_pct, **_floats(p.get("placement_mix_pct"))}
    shifts = (
        _floats(p.get("placement_mix_shift"))
        if "placement_mix_shift" in p
        else dict(base.mix_shift_pts)
    )
    total = sum(shifts.values())
    if abs(total) > 0.05:
        errors["placement_mix_shift"].append(SHIFTS_NOT_ZERO.format(total=f"{total:+g}"))
    for category, shift in shifts.items():
        share = mix.get(category, 0.0)
        if share + shift < -0.05:
            errors[f"placement_mix_shift.{category}"].append(
                SHIFT_BELOW_NOTHING.format(category=label(category), share=f"{share:.1f}")
            )

    steps: list[StepDown] = []
    raw_steps = (
        p.get("step_down")
        if "step_down" in p
        else [{"from": s.source, "to": s.target, "pct": s.pct} for s in base.step_downs]
    )
    by_source: dict[str, float] = defaultdict(float)
    for item in raw_steps or []:
        if item["from"] == item["to"]:
            errors["step_down"].append(STEP_DOWN_SAME)
            continue
        steps.append(StepDown(item["from"], item["to"], float(item["pct"])))
        by_source[item["from"]] += float(item["pct"])
    for source, pct in by_source.items():
        if pct > 100:
            errors["step_down"].append(STEP_DOWN_OVER_100.format(category=label(source)))

    places = (
        _floats(p.get("capacity"))
        if "capacity" in p
        else {c: cap.places for c, cap in base.capacity.items()}
    )
    named = {str(k): str(v) for k, v in (p.get("overflow") or {}).items() if v}
    capacity: dict[str, Capacity] = {}
    for category, limit in places.items():
        onward = named.get(category) or DEFAULT_OVERFLOW.get(category, "")
        if not onward:
            errors[f"overflow.{category}"].append(OVERFLOW_NEEDED.format(category=label(category)))
        elif onward == category:
            errors[f"overflow.{category}"].append(OVERFLOW_SAME.format(category=label(category)))
        else:
            capacity[category] = Capacity(limit, onward)
    for category in capacity:
        chain, at = [category], capacity[category].overflow_to
        while at in capacity and at not in chain:
            chain.append(at)
            at = capacity[at].overflow_to
        if at == category:
            names = " to ".join(label(c) for c in [*chain, category])
            errors[f"overflow.{category}"].append(OVERFLOW_CIRCLE.format(chain=names))
    if errors:
        raise ValidationError(dict(errors))

    return Assumptions(
        requests_per_year=number("requests_per_month", base.requests_per_year / 12) * 12,
        agree_to_assess_pct=number("agree_to_assess_pct", base.agree_to_assess_pct),
        issue_pct=number("issue_pct", base.issue_pct),
        cessation_pct={**base.cessation_pct, **_floats(p.get("cessation_pct"))},
        new_plan_ages={**base.new_plan_ages, **_floats(p.get("new_plan_ages"))},
        placement_mix_pct=mix,
        unit_cost={**base.unit_cost, **_floats(p.get("unit_cost"))},
        transfers_in_per_year=number("transfers_in_per_year", base.transfers_in_per_year),
        request_change_pct=number("request_change_pct", base.request_change_pct),
        population_growth_pct=number("population_growth_pct", base.population_growth_pct),
        mix_shift_pts=shifts,
        step_downs=tuple(steps),
        unit_cost_change_pct={
            **base.unit_cost_change_pct,
            **_floats(p.get("unit_cost_change_pct")),
        },
        capacity=capacity,
    )


def assumptions_from_json(data: Mapping[str, Any]) -> Assumptions:
    """A saved scenario's stored parameters (parameters_of) back into Assumptions."""
    empty = Assumptions(
        requests_per_year=0.0,
        agree_to_assess_pct=0.0,
        issue_pct=0.0,
        cessation_pct={},
        new_plan_ages={},
        placement_mix_pct={},
        unit_cost={},
    )
    return scenario_assumptions(base=empty, parameters=data)


# --- running a scenario -------------------------------------------------------------------------
@dataclass(frozen=True)
class ActualMonth:
    """Plans in force at a month's end against the agreed trajectory and the scenario."""

    month: Period
    actual: int
    agreed: float | None
    projected: float

    @property
    def difference(self) -> float | None:
        """Actual less agreed: above the trajectory is positive."""
        return None if self.agreed is None else self.actual - self.agreed


@dataclass(frozen=True)
class Trajectory:
    """A scenario run: its years against "do nothing", cost avoided, and the actuals so far."""

    fitted: Fitted
    years: int
    scenario: Assumptions
    do_nothing: Assumptions
    comparison: Comparison
    agreed: tuple[int, ...]
    actuals: tuple[ActualMonth, ...]

    @property
    def start(self) -> Period:
        return self.fitted.start

    def year_span(self, year: int) -> tuple[Period, Period]:
        return year_months(start=self.start, year=year)

    @property
    def uncosted(self) -> list[str]:
        """Placement categories that hold plans in some year at no unit cost: their plans cost
        nothing in the totals, which flatters any scenario that sends plans there."""
        out = []
        for category in PLACED_CATEGORIES:
            for projection, assumptions in (
                (self.comparison.scenario, self.scenario),
                (self.comparison.do_nothing, self.do_nothing),
            ):
                held = any(y.category(category).plans > 0.05 for y in projection.years)
                if held and not assumptions.unit_cost.get(category):
                    out.append(category)
                    break
        return out


def monthly_line(*, start_count: float, year_ends: Sequence[float], months: int) -> list[float]:
    """A yearly line drawn month by month: straight from the start to each year's end (month 12
    is year 1's figure)."""
    out = []
    points = [start_count, *year_ends]
    for m in range(1, months + 1):
        year, within = divmod(m - 1, 12)
        if year >= len(year_ends):
            break
        before, after = points[year], points[year + 1]
        out.append(before + (after - before) * (within + 1) / 12)
    return out


def _actuals(
    *,
    start: Period,
    years: int,
    today: dt.date,
    projection: Sequence[float],
    start_count: float,
    agreed: Sequence[int],
) -> tuple[ActualMonth, ...]:
    last = min(_add_months(start, 12 * years - 1), last_complete_month(today))
    if last.start < start.start:
        return ()
    counts: list[MonthCount] = open_plans_by_month(first=start, last=last)
    projected = monthly_line(start_count=start_count, year_ends=projection, months=len(counts))
    agreed_line = (
        monthly_line(
            start_count=start_count, year_ends=[float(a) for a in agreed], months=len(counts)
        )
        if agreed
        else []
    )
    return tuple(
        ActualMonth(
            month=row.month,
            actual=row.open_plans,
            agreed=agreed_line[i] if i < len(agreed_line) else None,
            projected=projected[i],
        )
        for i, row in enumerate(counts)
    )


def trajectory_run(
    *,
    start: Period,
    years: int,
    parameters: Mapping[str, Any],
    today: dt.date,
    agreed: Iterable[int] = (),
    defaults: Mapping[str, Any] | None = None,
    fitted: Fitted | None = None,
) -> Trajectory:
    """Run a scenario from `start` for `years` years against "do nothing" (the fitted defaults,
    or a saved scenario's stored ones). ValidationError, keyed by parameter, for a rule failure.
    `fitted` saves fitting again when the caller has just fitted the same start."""
    errors: dict[str, list[str]] = {}
    agreed = tuple(int(a) for a in agreed)
    if start.start > latest_start(today=today).start:
        errors["start"] = [START_TOO_LATE.format(month=latest_start(today=today).key)]
    if len(agreed) > years:
        errors["agreed_trajectory"] = [TRAJECTORY_TOO_LONG.format(years=years)]
    if fitted is None or fitted.start != start:
        fitted = trajectory_defaults(start=start, today=today)
    base = fitted.assumptions if defaults is None else assumptions_from_json(defaults)
    try:
        scenario = scenario_assumptions(base=base, parameters=parameters)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    comparison = compare(
        start=fitted.position,
        scenario=scenario,
        do_nothing=base,
        years=years,
        categories=fitted.categories,
    )
    start_count = comparison.scenario.start.open_plans
    actuals = _actuals(
        start=start,
        years=years,
        today=today,
        projection=[y.open_plans for y in comparison.scenario.years],
        start_count=start_count,
        agreed=agreed,
    )
    return Trajectory(
        fitted=fitted,
        years=years,
        scenario=scenario,
        do_nothing=base,
        comparison=comparison,
        agreed=agreed,
        actuals=actuals,
    )


# --- saved scenarios ----------------------------------------------------------------------------
def saved_scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.select_related("created_by").order_by("-created_at")


def saved_scenario(*, scenario_id: Any) -> Scenario | None:
    return Scenario.objects.select_related("created_by").filter(pk=scenario_id).first()
