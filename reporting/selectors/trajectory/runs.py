"""Running a scenario: the monthly line and the actuals against an agreed trajectory."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from reporting.periods import Period, last_complete_month
from reporting.selectors import MonthCount, open_plans_by_month
from reporting.selectors.trajectory.common import (
    PLACED_CATEGORIES,
    START_TOO_LATE,
    TRAJECTORY_TOO_LONG,
    _add_months,
    latest_start,
    year_months,
)
from reporting.selectors.trajectory.fitting import Fitted, trajectory_defaults
from reporting.selectors.trajectory.scenarios import assumptions_from_json, scenario_assumptions
from reporting.trajectory import Assumptions, Comparison, compare


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
