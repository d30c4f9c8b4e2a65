"""Reads of the reporting app: figures, the cases behind them and the open-plans grid.

Reporting is the top layer: it reads the domain apps' tables (through their selectors'
definitions, or read-only queries that live here) and never writes them. Whose children a
figure covers is decided here: managers and administrators see the whole council; a caseworker
sees their own caseload and their team's.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from cases.models import Plan
from reporting.metrics import CaseRow, Figure, Metric, figure, get_metric
from reporting.metrics.casework import plan_in_force_on
from reporting.periods import Period, month_period
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role

# --- whose figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The children a reader's figures cover: None is the whole council, else caseworker ids."""

    caseworkers: frozenset[int] | None
    label: str

    @property
    def whole_council(self) -> bool:
        return self.caseworkers is None


def scope_for(user: Any, *, mine: bool = False) -> Scope:
    """Managers and administrators: the council (or just their own with `mine`). Caseworkers:
    their team's caseload (their own with `mine`; a caseworker without a team sees their own)."""
    roles: frozenset[str] = getattr(user, "roles", frozenset())
    if not mine and roles & {Role.MANAGER, Role.ADMIN}:
        return Scope(None, "Whole council")
    if mine or not user.team:
        return Scope(frozenset({user.pk}), "My caseload")
    team = User.objects.filter(team=user.team).values_list("pk", flat=True)
    label = user.team if user.team.lower().endswith("team") else f"{user.team} team"
    return Scope(frozenset(team), label)


def metric_figure(
    *,
    metric: Metric | str,
    period: Period,
    breakdown: str | None = None,
    scope: Scope | None = None,
) -> Figure:
    """One metric for one period (and its breakdown): value, numerator, denominator, unrounded."""
    metric = get_metric(metric) if isinstance(metric, str) else metric
    if breakdown is not None and breakdown not in metric.breakdowns:
        raise ValueError(f"{metric.id} has no breakdown by {breakdown}")
    return figure(
        metric_id=metric.id,
        measure=metric.measure,
        period=period,
        breakdown=breakdown,
        within=_within(scope),
    )


def metric_cases(
    *, metric: Metric | str, period: Period, scope: Scope | None = None
) -> list[CaseRow]:
    """The cases behind a figure, with the dates its definition used (drill-down)."""
    metric = get_metric(metric) if isinstance(metric, str) else metric
    return metric.measure.cases(period, _within(scope))


def _within(scope: Scope | None) -> Collection[int] | None:
    return None if scope is None else scope.caseworkers


# --- plans in force at each month end (Cambridgeshire's grid) -----------------------------------
@dataclass(frozen=True)
class MonthCount:
    month: Period
    open_plans: int


def open_plans_by_month(
    *, first: Period, last: Period, scope: Scope | None = None
) -> list[MonthCount]:
    """Plans in force at each month's last day from `first` to `last`, in two grouped queries.

    A plan ceases on or after its issue, so plans in force at a month's end are those issued by
    then less those ceased by then: running totals of plans issued and ceased per month.
    """
    months = _months(first, last)
    if not months:
        return []
    plans = Plan.objects.all()
    if scope is not None and scope.caseworkers is not None:
        plans = plans.filter(child__caseworker_id__in=scope.caseworkers)
    before = plans.filter(plan_in_force_on(months[0].start - dt.timedelta(days=1))).count()
    issued = _per_month(plans, "issued_on", months)
    ceased = _per_month(plans, "ceased_on", months)
    out, running = [], before
    for month in months:
        running += issued.get(month.key, 0) - ceased.get(month.key, 0)
        out.append(MonthCount(month, running))
    return out


def _months(first: Period, last: Period) -> list[Period]:
    out: list[Period] = []
    year, month = first.start.year, first.start.month
    while (year, month) <= (last.end.year, last.end.month):
        out.append(month_period(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _per_month(plans: Any, field: str, months: list[Period]) -> dict[str, int]:
    rows = (
        plans.filter(**{f"{field}__gte": months[0].start, f"{field}__lte": months[-1].end})
        .annotate(_y=ExtractYear(field), _m=ExtractMonth(field))
        .order_by()
        .values("_y", "_m")
        .annotate(n=Count("pk"))
    )
    return {f"{r['_y']:04d}-{r['_m']:02d}": r["n"] for r in rows}
