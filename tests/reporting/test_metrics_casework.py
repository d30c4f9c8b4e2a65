"""Each casework metric against hand-built cases with boundary days (reporting.md section 2)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from reporting.periods import parse_period
from reporting.selectors import metric_cases, metric_figure
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    PlacementFactory,
    PlanFactory,
    TimescaleExceptionFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def decided(received: dt.date, after: int, **fields: object):
    """A request received on `received` and decided (to assess) `after` days later."""
    return AssessmentRequestFactory(
        assessing=True,
        received_on=received,
        decided_on=received + days(after),
        decision_letter_sent_on=received + days(after),
        **fields,
    )


def final(received: dt.date, after: int, **fields: object):
    """A request whose final plan was issued `after` days after it was received."""
    final_on = received + days(after)
    return AssessmentRequestFactory(
        final_issued=True,
        received_on=received,
        decided_on=received + days(20),
        decision_letter_sent_on=received + days(20),
        issue_decided_on=received + days(60),
        draft_issued_on=final_on - days(15),
        final_issued_on=final_on,
        **fields,
    )


def value(metric: str, period: str, **kwargs: Any):
    return metric_figure(metric=metric, period=parse_period(period), **kwargs)


def test_decision_within_6_weeks_counts_42_days_and_not_43():
    decided(D(2025, 9, 8), 42)  # 20 Oct 2025
    decided(D(2025, 9, 8), 43)  # 21 Oct 2025
    decided(D(2025, 8, 1), 30)  # decided in August: not in October's figure

    figure = value("decision_6wk_pct", "2025-10")

    assert (figure.numerator, figure.denominator) == (1, 2)
    assert figure.value == Decimal(50)


def test_refusal_rate_is_refusals_over_all_decisions_in_the_period():
    decided(D(2025, 9, 25), 10)
    AssessmentRequestFactory(not_assessing=True, decided_on=D(2025, 10, 13))

    figure = value("refusal_rate_pct", "2025-10")

    assert (figure.numerator, figure.denominator) == (1, 2)


def test_final_plans_within_20_weeks_including_and_excluding_exceptions():
    on_time = final(D(2025, 9, 8), 140)  # 26 Jan 2026: exactly 20 weeks
    final(D(2025, 9, 7), 141)  # 26 Jan 2026: one day late
    excused = final(D(2025, 6, 1), 233)  # 20 Jan 2026, with a permitted exception
    TimescaleExceptionFactory(request=excused, starts_on=D(2025, 8, 1))
    final(D(2025, 8, 1), 140)  # issued 19 Dec 2025: not January's

    including = value("final_20wk_inc_exc_pct", "2026-01")
    excluding = value("final_20wk_exc_exc_pct", "2026-01")

    assert on_time.final_issued_on == D(2026, 1, 26)
    assert (including.numerator, including.denominator) == (1, 3)
    assert including.value == Decimal(100) / Decimal(3)  # unrounded
    assert (excluding.numerator, excluding.denominator) == (1, 2)
    assert excluding.value == Decimal(50)


def test_average_weeks_to_final_plan_and_the_late_bands():
    final(D(2025, 9, 8), 140)  # 20 weeks
    final(D(2025, 3, 1), 334)  # 47.7 weeks, issued 29 Jan 2026
    final(D(2024, 12, 1), 421)  # 60.1 weeks, issued 26 Jan 2026

    average = value("final_issue_avg_weeks", "2026-01")

    assert average.denominator == 3
    assert average.value == Decimal(140 + 334 + 421) / Decimal(7) / Decimal(3)
    assert value("final_over_20wk_to_52wk", "2026-01").value == 1
    assert value("final_over_52wk", "2026-01").value == 1


def test_not_to_issue_within_16_weeks_counts_112_days_not_113():
    for after in (112, 113):
        received = D(2025, 9, 1)
        AssessmentRequestFactory(
            not_issuing=True,
            received_on=received,
            decided_on=received + days(30),
            issue_decided_on=received + days(after),
        )

    figure = value("not_to_issue_16wk_pct", "2025-12")

    assert (figure.numerator, figure.denominator) == (1, 2)


def test_waiting_over_30_weeks_is_as_at_the_period_end_from_dated_events():
    # 212 days old on 31 Aug 2025, withdrawn in September: still August's.
    AssessmentRequestFactory(
        received_on=D(2025, 1, 31),
        status="withdrawn",
        withdrawn_on=D(2025, 9, 10),
        withdrawal_reason="Moved away.",
    )
    AssessmentRequestFactory(received_on=D(2025, 2, 1))  # 211 days: counts
    AssessmentRequestFactory(received_on=D(2025, 2, 2))  # 210 days: not more than 30 weeks
    AssessmentRequestFactory(  # transferred out in July: not waiting at the end of August
        received_on=D(2025, 1, 5),
        status="transferred_out",
        transferred_out_on=D(2025, 7, 1),
        transferred_to_la="201",
    )

    august = value("waiting_over_30wk", "2025-08")
    september = value("waiting_over_30wk", "2025-09")

    assert august.value == 2
    assert september.value == 2  # 1 Feb and 2 Feb are both past 210 days by 30 Sep
    names = {
        row.reference
        for row in metric_cases(metric="waiting_over_30wk", period=parse_period("2025-09"))
    }
    assert len(names) == 2


def test_assessments_overdue_are_open_assessments_past_140_days():
    decided(D(2025, 9, 8), 20)  # due 26 Jan 2026: overdue on 31 Jan
    decided(D(2025, 9, 12), 20)  # due 30 Jan 2026
    decided(D(2025, 9, 13), 20)  # due 31 Jan 2026: not yet past

    assert value("assessments_overdue", "2026-01").value == 2
    assert value("assessments_overdue", "2025-12").value == 0


def test_advice_within_6_weeks_by_kind():
    for kind, after in (("psychological", 42), ("psychological", 43), ("health", 20)):
        requested = D(2025, 10, 14)
        AdviceRequestFactory(kind=kind, requested_on=requested, received_on=requested + days(after))

    ep = value("ep_advice_6wk_pct", "2025-11")
    health = value("health_advice_6wk_pct", "2025-11")
    social = value("social_care_advice_6wk_pct", "2025-11")

    assert (ep.numerator, ep.denominator) == (1, 2)
    assert (health.numerator, health.denominator) == (1, 1)
    assert social.value is None  # no social care advice: no figure, not 0%
    assert social.denominator == 0


def test_a_plan_ceased_on_the_last_day_of_a_month_is_not_open_at_its_end():
    PlanFactory(issued_on=D(2026, 1, 12))
    PlanFactory(issued_on=D(2025, 6, 2), status="ceased", ceased_on=D(2026, 1, 31), cease_reason=2)

    assert value("open_plans", "2025-12").value == 1
    assert value("open_plans", "2026-01").value == 1
    assert value("ceased_plans", "2026-01").value == 1
    assert value("new_plans", "2026-01").value == 1
    assert value("net_flow", "2026-01").value == 0


def test_net_flow_counts_transfers_in_and_out():
    PlanFactory(request=None, issued_on=D(2026, 3, 2), transferred_in_from_la="201")
    PlanFactory(issued_on=D(2026, 1, 12))
    PlanFactory(issued_on=D(2025, 1, 6), status="ceased", ceased_on=D(2026, 3, 20), cease_reason=5)

    q1 = value("net_flow", "2026-Q1")

    assert q1.value == 1  # 1 new + 1 in - 1 out
    assert value("new_plans", "2026-Q1").value == 1


def test_awaiting_placement_counts_plans_without_a_placement_on_a_roll():
    placed = PlanFactory(issued_on=D(2026, 1, 12))
    PlacementFactory(plan=placed, starts_on=D(2026, 1, 12))
    PlanFactory(issued_on=D(2026, 1, 12))  # no placement recorded
    waiting = PlanFactory(issued_on=D(2026, 1, 12))
    PlacementFactory(plan=waiting, establishment=None, awaiting_placement=True, starts_on=None)

    assert value("awaiting_placement", "2026-01").value == 2


def test_requests_received_by_source_and_age_band_at_the_request():
    AssessmentRequestFactory(
        received_on=D(2025, 9, 8), child=ChildFactory(date_of_birth=D(2020, 9, 8))
    )
    AssessmentRequestFactory(
        received_on=D(2025, 9, 8),
        child=ChildFactory(date_of_birth=D(2020, 9, 9)),  # 4 the day before their birthday
        source="school",
    )

    by_age = value("requests_received", "2025-09", breakdown="age_band").breakdown
    by_source = value("requests_received", "2025-09", breakdown="source").breakdown
    parents = value("requests_parent_pct", "2025-09")

    assert [(r.key, r.value) for r in by_age] == [("under_5", 1), ("5_10", 1)]
    assert {r.label: r.numerator for r in by_source} == {
        "Parent or young person": 1,
        "School or education setting": 1,
    }
    assert parents.value == Decimal(50)


def test_a_leap_day_birthday_turns_5_on_1_march():
    born = D(2020, 2, 29)
    AssessmentRequestFactory(received_on=D(2025, 2, 28), child=ChildFactory(date_of_birth=born))
    AssessmentRequestFactory(received_on=D(2025, 3, 1), child=ChildFactory(date_of_birth=born))

    rows = value("requests_received", "2025-Q1", breakdown="age_band").breakdown

    assert [(r.key, r.value) for r in rows] == [("under_5", 1), ("5_10", 1)]


def test_cases_behind_a_percentage_say_which_counted():
    on_time = decided(D(2025, 9, 8), 42)
    late = decided(D(2025, 9, 8), 43)

    rows = metric_cases(metric="decision_6wk_pct", period=parse_period("2025-10"))

    counted = {row.subject_id: row.counted for row in rows}
    assert counted == {on_time.pk: "numerator", late.pk: "denominator only"}
    assert rows[0].dates == (
        ("Received", D(2025, 9, 8)),
        ("Decision to assess or not", D(2025, 10, 20)),
    )


def test_conversion_is_plans_over_decided_requests_of_the_cohort():
    final(D(2025, 3, 3), 140)
    decided(D(2025, 4, 1), 30)
    AssessmentRequestFactory(received_on=D(2025, 5, 1))  # not decided: not in the cohort's figure

    figure = value("conversion_pct", "2025")

    assert (figure.numerator, figure.denominator) == (1, 2)


def test_a_caseworkers_scope_limits_the_figure_to_their_children(make_user):
    from reporting.selectors import Scope

    mine = make_user("cw1")
    AssessmentRequestFactory(received_on=D(2025, 9, 8), child=ChildFactory(caseworker=mine))
    AssessmentRequestFactory(received_on=D(2025, 9, 9))

    scoped = value("requests_received", "2025-09", scope=Scope(frozenset({mine.pk}), "Mine"))

    assert scoped.value == 1
    assert value("requests_received", "2025-09").value == 2


def test_a_placement_is_in_force_on_its_last_day_so_a_september_move_is_not_awaiting():
    plan = PlanFactory(issued_on=D(2025, 1, 13))
    PlacementFactory(plan=plan, starts_on=D(2025, 1, 13), ends_on=D(2025, 8, 31))
    PlacementFactory(plan=plan, starts_on=D(2025, 9, 1))

    assert value("awaiting_placement", "2025-08").value == 0
    assert value("awaiting_placement", "2025-09").value == 0
