"""Reads for the dashboard's pages beside the figures: what managers entered about a metric.

The figures themselves come from reporting.selectors (one metric) and
reporting.selectors.scorecard (every metric over months); these are the council-wide notes.
"""

import uuid

from reporting.models import Commentary, Comparator, MetricTarget
from reporting.periods import Period


def metric_target_for(*, metric_id: str) -> MetricTarget | None:
    return MetricTarget.objects.filter(metric_id=metric_id).first()


def commentary_for(*, metric_id: str, period: Period) -> Commentary | None:
    """The commentary on a metric for a month (None for other periods: it is written monthly)."""
    return (
        Commentary.objects.select_related("author")
        .filter(metric_id=metric_id, period=period.key)
        .first()
    )


def comparator_for(*, metric_id: str, pk: uuid.UUID) -> Comparator | None:
    return Comparator.objects.filter(metric_id=metric_id, pk=pk).first()
