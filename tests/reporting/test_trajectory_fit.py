"""Trajectory defaults fitted from a hand-built history: requests, the agree-to-assess and issue
rates, transfers in, cessation by age band, the age and placement mix of new plans and the unit
cost per category, each with its basis; and a scenario run from them."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reporting.periods import month_period
from reporting.selectors.trajectory import (
    OVERFLOW_CIRCLE,
    SHIFTS_NOT_ZERO,
    START_TOO_LATE,
    fit_window,
    monthly_line,
    start_on,
    trajectory_defaults,
    trajectory_run,
)
from tests.factories import (
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
    PlacementFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 7)
START = month_period(2026, 12)
FEE = "Individual fee agreed by the high-cost panel"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC), tick=False):
        yield


def plan(*, born: dt.date, issued: dt.date, **fields: Any) -> Any:
    return PlanFactory(
        child=ChildFactory(date_of_birth=born), request=None, issued_on=issued, **fields
    )


def placed(the_plan: Any, kind: str, cost: str, starts: dt.date, **fields: Any) -> Any:
    return PlacementFactory(
        plan=the_plan,
        establishment=EstablishmentFactory(kind=kind),
        starts_on=starts,
        band="",
        annual_cost=Decimal(cost),
        cost_reason=FEE,
        **fields,
    )


def ceased(the_plan: Any, on: dt.date, reason: int) -> None:
    the_plan.status, the_plan.ceased_on, the_plan.cease_reason = "ceased", on, reason
    the_plan.save()


def build_history() -> None:
    """Three years to November 2026, by hand.

    Requests: 10 received 8 Sep 2025 (3 refused, 7 assessed: 5 to issue, 1 not, 1 undecided),
    12 received in March 2026. Plans: 10 in force throughout for children born 1 Mar 2011
    (11 to 15 all along) at £20,000 in special; 2 more ceased 31 Dec 2023 (needs met); one aged
    23 ceased at the maximum age; 4 new plans issued 12 Jan 2026 for children born 1 Mar 2022
    (under 5), first placed 3 in mainstream at £5,000 (one moved to special in April) and 1 in
    special; 1 transferred in on 1 Jun 2026, born 1 Mar 2011, with no placement yet.
    """
    AssessmentRequestFactory.create_batch(3, not_assessing=True)
    AssessmentRequestFactory.create_batch(5, issuing=True)
    AssessmentRequestFactory(not_issuing=True)
    AssessmentRequestFactory(assessing=True)
    AssessmentRequestFactory.create_batch(12, received_on=D(2026, 3, 2))

    for _ in range(10):
        placed(plan(born=D(2011, 3, 1), issued=D(2020, 1, 6)), "special", "20000", D(2020, 1, 6))
    for _ in range(2):
        ceased(plan(born=D(2011, 3, 1), issued=D(2020, 1, 6)), D(2023, 12, 31), 2)
    ceased(plan(born=D(2000, 3, 1), issued=D(2018, 1, 8)), D(2024, 8, 31), 1)

    issued = D(2026, 1, 12)
    for n in range(3):
        new = plan(born=D(2022, 3, 1), issued=issued)
        if n == 0:
            placed(new, "mainstream", "5000", issued, ends_on=D(2026, 3, 31))
            placed(new, "special", "20000", D(2026, 4, 1))
        else:
            placed(new, "mainstream", "5000", issued)
    placed(plan(born=D(2022, 3, 1), issued=issued), "special", "20000", issued)
    plan(born=D(2011, 3, 1), issued=D(2026, 6, 1), transferred_in_from_la="201")


def test_the_window_is_the_36_months_before_the_start_and_the_start_is_the_day_before() -> None:
    first, last = fit_window(start=START, today=TODAY)
    assert (first.key, last.key) == ("2023-12", "2026-11")
    assert start_on(start=START, today=TODAY) == D(2026, 11, 30)
    # A start still to come: the position today and the months up to last month.
    later = month_period(2027, 4)
    assert start_on(start=later, today=TODAY) == TODAY
    assert fit_window(start=later, today=TODAY)[1].key == "2026-11"
    # A start in the past: back-testable against what happened.
    assert fit_window(start=month_period(2025, 4), today=TODAY)[1].key == "2025-03"


def test_the_defaults_are_fitted_from_the_last_three_years() -> None:
    build_history()
    fitted = trajectory_defaults(start=START, today=TODAY)
    a = fitted.assumptions

    assert fitted.requests_by_year == (0, 10, 12)
    assert a.requests_per_year == 12  # 1 a month: the last 12 months
    assert a.agree_to_assess_pct == 70.0  # 7 of 10 decisions
    assert a.issue_pct == 83.3  # 5 of 6 decisions to issue or not
    assert a.transfers_in_per_year == 0.3  # 1 in three years
    # 11-15: 2 ceased over 10 plans x 36 months + the transfer's 6 months = 30.5 plan-years.
    assert a.cessation_pct == {
        "under_5": 0.0,
        "5_10": 0.0,
        "11_15": 6.56,
        "16_19": 0.0,
        "20_25": 0.0,  # the one ceased at the maximum age ages out in the model instead
    }
    assert a.new_plan_ages == {"under_5": 4, "5_10": 0, "11_15": 1, "16_19": 0, "20_25": 0}
    assert {c: v for c, v in a.placement_mix_pct.items() if v} == {
        "mainstream": 75.0,
        "special": 25.0,
    }
    assert a.unit_cost == {"mainstream": 5000.0, "special": 20000.0}

    assert fitted.position.plans == {
        ("special", "11_15"): 10,
        ("special", "under_5"): 2,
        ("mainstream", "under_5"): 2,
        ("none", "11_15"): 1,
    }
    assert fitted.basis["agree_to_assess_pct"] == (
        "70.0% from 10 decisions whether to assess, Dec 2023 to Nov 2026"
    )
    assert fitted.basis["issue_pct"] == (
        "83.3% from 6 decisions to issue or not, Dec 2023 to Nov 2026"
    )
    assert fitted.basis["requests_per_month"] == (
        "1 a month: 12 requests received in the last 12 months, Dec 2025 to Nov 2026 "
        "(0, 10, 12 a year over the three years from Dec 2023)"
    )
    assert fitted.basis["cessation_pct.11_15"] == (
        "6.56% a year: 2 plans ceased (other than at the maximum age) over 30.5 plan-years, "
        "Dec 2023 to Nov 2026"
    )
    assert fitted.basis["cessation_pct.5_10"] == "No plans in force, Dec 2023 to Nov 2026"
    assert fitted.basis["placement_mix"] == (
        "The first placements of 4 new plans, Dec 2023 to Nov 2026"
    )
    assert fitted.basis["unit_cost.special"] == (
        "£20,000: the average annual cost of 12 plans in force on 30 November 2026"
    )


def test_an_empty_council_has_no_rates_and_says_so() -> None:
    fitted = trajectory_defaults(start=START, today=TODAY)
    assert fitted.assumptions.agree_to_assess_pct == 0
    assert fitted.basis["agree_to_assess_pct"] == (
        "No decisions whether to assess, Dec 2023 to Nov 2026: enter a rate"
    )
    run = trajectory_run(start=START, years=3, parameters={}, today=TODAY)
    assert [y.open_plans for y in run.comparison.scenario.years] == [0, 0, 0]


def test_do_nothing_against_itself_avoids_nothing() -> None:
    build_history()
    run = trajectory_run(start=START, years=5, parameters={}, today=TODAY)

    assert run.comparison.cost_avoided == 0
    year = run.comparison.scenario.years[0]
    # 12 requests x 70% x 83.3% + 0.3 transferred in.
    assert year.new_plans == pytest.approx(12 * 0.7 * 0.833 + 0.3)
    assert run.comparison.scenario.start.open_plans == 15
    assert run.comparison.scenario.start.annual_cost == 12 * 20000 + 2 * 5000


def test_a_scenario_is_laid_over_the_defaults() -> None:
    build_history()
    run = trajectory_run(
        start=START,
        years=3,
        parameters={
            "request_change_pct": 20,
            "cessation_pct": {"11_15": 0},
            "placement_mix_shift": {"mainstream": 10, "special": -10},
            "unit_cost_change_pct": {"special": 5},
            "capacity": {"special": 12},
        },
        today=TODAY,
    )
    scenario = run.scenario
    assert scenario.request_change_pct == 20
    assert scenario.agree_to_assess_pct == 70.0  # kept
    assert scenario.capacity["special"].overflow_to == "independent_special"  # the default
    year = run.comparison.scenario.years[0]
    assert year.category("special").unit_cost == pytest.approx(21000)
    # Special is full (12 places, 12 plans, no-one ceasing under 16): its share overflows.
    assert year.category("special").plans == pytest.approx(12)
    assert year.category("independent_special").plans == pytest.approx(year.new_plans * 0.15)
    assert run.comparison.cost_avoided != 0


def test_rules_are_refused_keyed_by_parameter() -> None:
    build_history()
    with pytest.raises(ValidationError) as error:
        trajectory_run(
            start=month_period(2028, 1),
            years=2,
            parameters={
                "placement_mix_shift": {"mainstream": 2, "special": -1},
                "capacity": {"special": 10, "independent_special": 5},
                "overflow": {"independent_special": "special"},
            },
            agreed=[1, 2, 3],
            today=TODAY,
        )
    assert error.value.message_dict == {
        "start": [START_TOO_LATE.format(month="2027-12")],
        "agreed_trajectory": ["Enter at most 2 figures: one for the end of each year"],
        "placement_mix_shift": [SHIFTS_NOT_ZERO.format(total="+1")],
        "overflow.special": [
            OVERFLOW_CIRCLE.format(
                chain="Maintained special school or special academy to Independent or "
                "non-maintained special school to Maintained special school or special academy"
            )
        ],
        "overflow.independent_special": [
            OVERFLOW_CIRCLE.format(
                chain="Independent or non-maintained special school to Maintained special "
                "school or special academy to Independent or non-maintained special school"
            )
        ],
    }


def test_actuals_are_tracked_month_by_month_against_the_agreed_trajectory() -> None:
    """Started in September 2026: plans in force at each month end to November against a
    trajectory agreed to reach 27 by August 2027 (from 15 on 31 August 2026)."""
    build_history()
    run = trajectory_run(
        start=month_period(2026, 9), years=2, parameters={}, agreed=[27, 30], today=TODAY
    )
    assert [(a.month.key, a.actual) for a in run.actuals] == [
        ("2026-09", 15),
        ("2026-10", 15),
        ("2026-11", 15),
    ]
    assert [a.agreed for a in run.actuals] == pytest.approx([16, 17, 18])
    assert [a.difference for a in run.actuals] == pytest.approx([-1, -2, -3])


def test_a_yearly_line_is_drawn_straight_month_by_month() -> None:
    assert monthly_line(start_count=100, year_ends=[112, 112], months=14) == pytest.approx(
        [101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 112, 112]
    )
