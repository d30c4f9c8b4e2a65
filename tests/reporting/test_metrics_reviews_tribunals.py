"""Annual review and disagreement metrics: built on the reviews and tribunals apps' own
definitions, checked against hand-built boundary days."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from reporting.metrics.reviews_tribunals import months_overdue_threshold
from reporting.periods import parse_period
from reporting.selectors import metric_figure
from tests.reviews.factories import AnnualReviewFactory, PlanFactory
from tests.tribunals.factories import register_appeal

pytestmark = pytest.mark.django_db
D = dt.date


def value(metric: str, period: str, **kwargs: Any):
    return metric_figure(metric=metric, period=parse_period(period), **kwargs)


def test_reviews_in_timescale_count_a_decision_28_days_after_the_meeting_not_29():
    due = D(2026, 3, 9)
    AnnualReviewFactory(due_on=due, meeting_on=due, decision_issued_on=due + dt.timedelta(28))
    AnnualReviewFactory(due_on=due, meeting_on=due, decision_issued_on=due + dt.timedelta(29))
    AnnualReviewFactory(  # meeting a day late: never in timescale
        due_on=due, meeting_on=due + dt.timedelta(1), decision_issued_on=D(2026, 4, 1)
    )

    figure = value("ar_in_timescale_pct", "2026-04")

    assert (figure.numerator, figure.denominator) == (1, 3)
    assert value("ar_due", "2026-03").value == 3
    assert value("ar_meetings_held", "2026-03").value == 3


def test_the_backlog_is_as_at_the_period_end_and_aged():
    AnnualReviewFactory(due_on=D(2026, 3, 9))  # no meeting: overdue from 10 Mar
    AnnualReviewFactory(  # decided in May: still in March's and April's backlog
        due_on=D(2026, 2, 27),
        meeting_on=D(2026, 3, 20),
        decision_issued_on=D(2026, 5, 5),
    )
    AnnualReviewFactory(due_on=D(2026, 3, 31))  # due on the last day: not yet overdue
    AnnualReviewFactory(due_on=D(2025, 10, 15))  # a year behind by November 2026

    assert value("ar_backlog", "2026-03").value == 3
    assert value("ar_backlog", "2026-05").value == 3  # the 31 Mar one joins, one is decided
    aged = value("ar_backlog", "2026-11", breakdown="overdue_for").breakdown
    assert aged is not None
    assert {row.key: row.value for row in aged} == {"6-12 months": 2, "12-24 months": 1}


def test_a_ceased_plan_leaves_the_backlog_from_its_cease_date():
    plan = PlanFactory(status="ceased", ceased_on=D(2026, 4, 30), cease_reason=2)
    AnnualReviewFactory(plan=plan, due_on=D(2026, 3, 9))

    assert value("ar_backlog", "2026-03").value == 1
    assert value("ar_backlog", "2026-04").value == 0


@pytest.mark.parametrize(
    ("on", "months", "threshold"),
    [
        (D(2025, 2, 28), 1, D(2025, 1, 31)),  # 31 Jan is a whole month before 28 Feb
        (D(2025, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 8, 31), 6, D(2024, 2, 29)),
        (D(2025, 3, 15), 1, D(2025, 2, 15)),
        (D(2025, 3, 30), 1, D(2025, 2, 28)),
    ],
)
def test_months_overdue_thresholds_at_month_ends(on, months, threshold):
    assert months_overdue_threshold(on, months) == threshold


def test_appeals_registered_by_type_outcomes_and_the_appeal_rate(caseworker):
    register_appeal(caseworker, received_by_la_on=D(2025, 12, 1))
    register_appeal(caseworker, appeal_type="contents", received_by_la_on=D(2025, 12, 2))

    by_type = value("appeals_registered", "2025-12", breakdown="appeal_type").breakdown
    rate = value("appeal_rate", "2025")

    assert value("appeals_registered", "2025-12").value == 2
    assert by_type is not None
    assert {row.label: row.value for row in by_type} == {
        "Refusal to assess": 1,
        "Contents of the plan (sections B, F, I)": 1,
    }
    # Denominator: the refused request, the contents appeal's plan in force in January 2025.
    assert rate.numerator == 2
    assert rate.denominator == 2
    assert rate.value == Decimal(100)


def test_the_backlogs_monthly_column_equals_each_months_own_figure():
    from reporting.metrics import get_metric
    from reporting.metrics.engine import figures
    from reporting.periods import last_months

    AnnualReviewFactory(due_on=D(2026, 1, 9))
    AnnualReviewFactory(due_on=D(2026, 3, 9), meeting_on=D(2026, 3, 1))
    months = last_months(ending=parse_period("2026-06"), count=6)

    column = figures(
        metric_id="ar_backlog", measure=get_metric("ar_backlog").measure, months=months
    )

    assert [f.value for f in column] == [value("ar_backlog", m.key).value for m in months]
    assert [f.value for f in column] == [1, 1, 2, 2, 2, 2]  # no decision by 29 March


def test_phase_transfers_on_time_read_the_stored_statutory_deadline():
    from send_cms.deadlines.models import Deadline

    def transfer(met_on: dt.date | None) -> None:
        review = AnnualReviewFactory.create(
            due_on=D(2026, 1, 9),
            phase_transfer=True,
            phase_transfer_kind="school",
            phase_transfer_on=D(2026, 9, 1),
        )
        Deadline.objects.create(
            child_id=review.plan.child_id,
            subject_type="reviews.annualreview",
            subject_id=review.pk,
            rule="phase_transfer_school",
            title="Phase transfer",
            regulation="regulation 18(1)",
            trigger_on=D(2026, 9, 1),
            due_on=D(2026, 2, 15),
            practical_target_on=D(2026, 2, 13),
            met_on=met_on,
            status="met" if met_on else "overdue",
            explanation="",
        )

    transfer(D(2026, 2, 15))  # on the day: on time
    transfer(D(2026, 2, 16))  # a day late
    transfer(None)  # not yet amended

    february = value("phase_transfer_on_time_pct", "2026-02")

    assert (february.numerator, february.denominator) == (1, 3)
    assert value("phase_transfer_on_time_pct", "2026-03").denominator == 0
