"""The scorecard's rows: each metric over recent months with its target, RAG, direction of
travel, comparators and, for a published month, what was published. One builder serves the
dashboard's tiles, the monthly PDF and the API, so they cannot disagree.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reporting.metrics import METRICS, Figure, Metric
from reporting.metrics.engine import figures
from reporting.models import Comparator, MetricSnapshot, MetricTarget, Scorecard
from reporting.periods import Period, last_months
from reporting.rag import Rag, Travel, rag, travel
from reporting.selectors import Scope

#: A recomputed figure differs from the published one when it moves by more than rounding.
REVISION_TOLERANCE = Decimal("0.000001")


@dataclass(frozen=True)
class ScorecardRow:
    metric: Metric
    #: One figure per month, oldest first; the last is the reported month.
    figures: tuple[Figure, ...]
    target: MetricTarget | None
    comparators: tuple[Comparator, ...]
    published: MetricSnapshot | None

    @property
    def current(self) -> Figure:
        return self.figures[-1]

    @property
    def previous(self) -> Figure | None:
        return self.figures[-2] if len(self.figures) > 1 else None

    @property
    def rag(self) -> Rag | None:
        return rag(
            value=self.current.value,
            target=self.target.target if self.target else None,
            floor=self.target.floor if self.target else None,
            polarity=self.metric.polarity,
        )

    @property
    def travel(self) -> Travel | None:
        previous = self.previous
        return travel(
            value=self.current.value,
            previous=previous.value if previous else None,
            polarity=self.metric.polarity,
        )

    @property
    def revised(self) -> bool:
        """The month was published and its figure has changed since (late data entry)."""
        if self.published is None:
            return False
        now, then = self.current.value, self.published.value
        if now is None or then is None:
            return now is not then
        return abs(now - then) > REVISION_TOLERANCE


def scorecard_rows(
    *,
    period: Period,
    months: int = 6,
    scope: Scope | None = None,
    metrics: Sequence[Metric] = METRICS,
) -> list[ScorecardRow]:
    """Every metric for the `months` months ending with `period` (a month), in registry order.

    Targets, comparators and the published snapshot are council-wide; a caseworker's scope
    changes the figures only.
    """
    columns = last_months(ending=period, count=months)
    within = None if scope is None else scope.caseworkers
    targets = {t.metric_id: t for t in MetricTarget.objects.all()}
    comparators: dict[str, list[Comparator]] = {}
    for comparator in Comparator.objects.order_by("metric_id", "area", "-period_label"):
        comparators.setdefault(comparator.metric_id, []).append(comparator)
    snapshots: dict[str, MetricSnapshot] = {}
    if within is None:
        published = Scorecard.objects.filter(period=period.key).first()
        if published is not None:
            snapshots = {s.metric_id: s for s in published.snapshots.all()}
    return [
        ScorecardRow(
            metric=metric,
            figures=tuple(
                figures(metric_id=metric.id, measure=metric.measure, months=columns, within=within)
            ),
            target=targets.get(metric.id),
            comparators=tuple(comparators.get(metric.id, ())),
            published=snapshots.get(metric.id),
        )
        for metric in metrics
    ]
