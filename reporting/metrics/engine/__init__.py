"""How a metric is computed: set-based in the database, for any period, with breakdowns and the
cases behind it, from one description.

A `Population` is a set of rows of one table chosen by dated events in the period (requests
decided in the month, plans in force at its end), with an optional numerator condition, or the
dates whose gap in weeks is averaged. The value, the breakdown and the drill-down list all come
from the same queryset, so the figure on the dashboard, in the PDF and in the case list agree.
A `Combination` adds and subtracts populations (net flow, the appeal rate's denominator).

Past periods are exact: every condition reads the dates of events, never today's statuses.
"""

from reporting.metrics.engine.breakdowns import (
    AGE_BAND_LABELS,
    AGE_BANDS,
    AWAITING,
    BREAKDOWN_LABELS,
    CATEGORY_LABELS,
    NONE_CATEGORY,
    NOT_KNOWN,
    SETTING_CATEGORY,
    placement_category_at,
)
from reporting.metrics.engine.dates import DayNumber
from reporting.metrics.engine.figures import (
    DENOMINATOR_ONLY,
    NUMERATOR,
    BreakdownRow,
    CaseRow,
    Figure,
    Number,
    between,
    not_by,
)
from reporting.metrics.engine.measures import Combination, Measure, Part, figure, figures
from reporting.metrics.engine.populations import Population, Within, population_kind

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_LABELS",
    "AWAITING",
    "BREAKDOWN_LABELS",
    "CATEGORY_LABELS",
    "DENOMINATOR_ONLY",
    "NONE_CATEGORY",
    "NOT_KNOWN",
    "NUMERATOR",
    "SETTING_CATEGORY",
    "BreakdownRow",
    "CaseRow",
    "Combination",
    "DayNumber",
    "Figure",
    "Measure",
    "Number",
    "Part",
    "Population",
    "Within",
    "between",
    "figure",
    "figures",
    "not_by",
    "placement_category_at",
    "population_kind",
]
