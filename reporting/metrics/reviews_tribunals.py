"""Populations and metrics of annual reviews and disagreement resolution (filled in below)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reporting.metrics.registry import Metric

METRICS: tuple["Metric", ...] = ()
