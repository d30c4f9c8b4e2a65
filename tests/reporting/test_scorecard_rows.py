"""The scorecard's rows: monthly columns in one query per flow metric, equal to month-by-month
figures; targets give RAG; a published month whose figure changed is marked revised."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from reporting.metrics import METRICS, get_metric
from reporting.models import MetricSnapshot, MetricTarget, Scorecard
from reporting.periods import parse_period
from reporting.rag import Rag
from reporting.selectors import metric_figure
from reporting.selectors.scorecard import scorecard_rows
from tests.factories import AssessmentRequestFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_monthly_columns_equal_each_months_own_figure():
    for month in (7, 8, 8, 10):
        received = D(2025, month, 3)
        AssessmentRequestFactory(
            assessing=True,
            received_on=received,
            decided_on=received + dt.timedelta(days=40 if month != 8 else 50),
        )
    PlanFactory(issued_on=D(2025, 9, 1))

    rows = {r.metric.id: r for r in scorecard_rows(period=parse_period("2025-10"), months=4)}

    stocks = ("open_plans", "waiting_over_30wk", "assessments_overdue", "awaiting_placement")
    for metric_id in ("requests_received", "decision_6wk_pct", "net_flow", *stocks):
        columns = rows[metric_id].figures
        assert [f.period.key for f in columns] == ["2025-07", "2025-08", "2025-09", "2025-10"]
        for column in columns:
            alone = metric_figure(metric=metric_id, period=column.period)
            assert (column.value, column.numerator, column.denominator) == (
                alone.value,
                alone.numerator,
                alone.denominator,
            )
    assert [f.value for f in rows["requests_received"].figures] == [
        1,
        2,
        1,
        1,
    ]  # the plan's request arrived in September
    assert [f.value for f in rows["decision_6wk_pct"].figures][1:3] == [Decimal(100), Decimal(0)]


def test_queries_do_not_grow_with_the_number_of_cases():
    period = parse_period("2025-10")
    scorecard_rows(period=period, months=6)  # warm any lazy imports
    for n in range(20):
        AssessmentRequestFactory(received_on=D(2025, 9, 1) + dt.timedelta(days=n))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        scorecard_rows(period=period, months=6)
    for n in range(20):
        AssessmentRequestFactory(received_on=D(2025, 10, 1) + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as many:
        scorecard_rows(period=period, months=6)
    assert len(many) == len(few)


def test_a_target_gives_the_rag_and_a_changed_published_figure_is_revised(manager):
    received = D(2025, 9, 8)
    AssessmentRequestFactory(
        assessing=True, received_on=received, decided_on=received + dt.timedelta(days=50)
    )
    MetricTarget.objects.create(
        metric_id="decision_6wk_pct", target=Decimal(90), floor=Decimal(60), set_by=manager
    )
    card = Scorecard.objects.create(
        period="2025-10", published_at=timezone.now(), pdf="scorecards/2025-10.pdf"
    )
    MetricSnapshot.objects.create(
        scorecard=card,
        metric_id="decision_6wk_pct",
        definition_version=1,
        value=Decimal(100),
        numerator=1,
        denominator=1,
        computed_at=timezone.now(),
    )

    row = next(
        r
        for r in scorecard_rows(
            period=parse_period("2025-10"), metrics=[get_metric("decision_6wk_pct")]
        )
    )

    assert row.current.value == Decimal(0)
    assert row.rag == Rag.RED
    assert row.revised is True
    assert row.published is not None
    assert row.published.value == Decimal(100)


def test_every_metric_has_the_words_the_annex_prints():
    for metric in METRICS:
        assert metric.title
        assert metric.definition.endswith(".")
        assert metric.numerator
        assert bool(metric.denominator) == (metric.unit in ("percent", "weeks"))
