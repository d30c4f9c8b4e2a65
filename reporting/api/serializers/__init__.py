"""Shapes of the reporting API (api.md "Reporting"): the queries it takes and the bodies it gives.

Queries check shape only (a period, a month); what a metric can be broken down by and whose
cases a reader sees are decided by the registry and the selectors. Figures are unrounded JSON
numbers, not strings: `NumberField` turns the engine's Decimals into floats (and leaves counts
as integers), whatever COERCE_DECIMAL_TO_STRING says for model decimals elsewhere.
"""

from reporting.api.serializers.fields import MAX_MONTHS, CasesQuery, FigureQuery, OpenPlansQuery
from reporting.api.serializers.high_needs import HighNeedsQuery, HighNeedsSerializer
from reporting.api.serializers.metrics import (
    CaseRowSerializer,
    FigureSerializer,
    MetricSerializer,
    MonthCountSerializer,
    ScorecardSerializer,
)
from reporting.api.serializers.trajectory_body import TrajectorySerializer, trajectory_body
from reporting.api.serializers.trajectory_query import TrajectoryQuery

__all__ = [
    "MAX_MONTHS",
    "CaseRowSerializer",
    "CasesQuery",
    "FigureQuery",
    "FigureSerializer",
    "HighNeedsQuery",
    "HighNeedsSerializer",
    "MetricSerializer",
    "MonthCountSerializer",
    "OpenPlansQuery",
    "ScorecardSerializer",
    "TrajectoryQuery",
    "TrajectorySerializer",
    "trajectory_body",
]
