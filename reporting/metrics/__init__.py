"""The scorecard's metrics: the registry (what each id means) and the engine (how it is counted)."""

from reporting.metrics.engine import BreakdownRow, CaseRow, Figure, figure
from reporting.metrics.registry import (
    BY_ID,
    METRICS,
    Kind,
    Metric,
    Polarity,
    Section,
    Unit,
    UnknownMetric,
    get_metric,
)

__all__ = [
    "BY_ID",
    "METRICS",
    "BreakdownRow",
    "CaseRow",
    "Figure",
    "Kind",
    "Metric",
    "Polarity",
    "Section",
    "Unit",
    "UnknownMetric",
    "figure",
    "get_metric",
]
