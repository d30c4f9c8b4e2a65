"""The "do nothing" parameters fitted from the council's last three years, each with its basis in
words.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from cases.codes import CeaseReason, EstablishmentKind
from cases.models import AssessmentRequest, IssueDecision, Placement, Plan
from reporting.metrics import get_metric
from reporting.metrics.casework import plan_in_force_on
from reporting.metrics.engine import NONE_CATEGORY, SETTING_CATEGORY, between
from reporting.periods import MONTH_NAMES, Period, PeriodKind, last_months
from reporting.selectors.high_needs import CATEGORIES, Census, high_needs_census
from reporting.selectors.trajectory.common import (
    FIT_MONTHS,
    LEVEL_MONTHS,
    PLACED_CATEGORIES,
    _n,
    _of,
    _pct,
    fit_window,
    month_span,
    start_on,
)
from reporting.trajectory import AGE_BANDS, BAND_KEYS, Assumptions, Position, band_of_age


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
