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

from reporting.selectors.trajectory.common import (
    DEFAULT_OVERFLOW,
    OVERFLOW_CIRCLE,
    PLACED_CATEGORIES,
    SHIFTS_NOT_ZERO,
    START_TOO_LATE,
    default_start,
    fit_window,
    label,
    month_span,
    start_on,
)
from reporting.selectors.trajectory.fitting import trajectory_defaults
from reporting.selectors.trajectory.runs import Trajectory, monthly_line, trajectory_run
from reporting.selectors.trajectory.scenarios import parameters_of, saved_scenario, saved_scenarios

__all__ = [
    "DEFAULT_OVERFLOW",
    "OVERFLOW_CIRCLE",
    "PLACED_CATEGORIES",
    "SHIFTS_NOT_ZERO",
    "START_TOO_LATE",
    "Trajectory",
    "default_start",
    "fit_window",
    "label",
    "month_span",
    "monthly_line",
    "parameters_of",
    "saved_scenario",
    "saved_scenarios",
    "start_on",
    "trajectory_defaults",
    "trajectory_run",
]
