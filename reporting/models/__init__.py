"""What managers enter and what the monthly publication keeps.

Figures themselves are never stored as truth: they are computed from the cases' dated events.
What is stored is what people decide (targets, comparators, commentary) and what was published
(a scorecard's snapshot of every metric and its PDF), which never changes once written.
"""

from reporting.models.base import USER, WriteOnce
from reporting.models.high_needs import (
    ENTRY_IS_FINAL,
    AppendOnly,
    CommissionedPlaces,
    ConditionRag,
    ConditionUpdate,
    HighNeedsFigure,
    HighNeedsPack,
    HighNeedsPackStatus,
    PlaceFunding,
    PressureEntry,
    PressureKind,
    ReturnFigure,
    SafetyValveCondition,
)
from reporting.models.publication import (
    PUBLISHED_IS_FINAL,
    Commentary,
    Comparator,
    ComparatorArea,
    Immutable,
    MetricSnapshot,
    MetricTarget,
    Scorecard,
)
from reporting.models.sen2 import Sen2Export, Sen2ExportStatus, Sen2ValidationCount
from reporting.models.trajectory import Scenario

__all__ = [
    "ENTRY_IS_FINAL",
    "PUBLISHED_IS_FINAL",
    "USER",
    "AppendOnly",
    "Commentary",
    "CommissionedPlaces",
    "Comparator",
    "ComparatorArea",
    "ConditionRag",
    "ConditionUpdate",
    "HighNeedsFigure",
    "HighNeedsPack",
    "HighNeedsPackStatus",
    "Immutable",
    "MetricSnapshot",
    "MetricTarget",
    "PlaceFunding",
    "PressureEntry",
    "PressureKind",
    "ReturnFigure",
    "SafetyValveCondition",
    "Scenario",
    "Scorecard",
    "Sen2Export",
    "Sen2ExportStatus",
    "Sen2ValidationCount",
    "WriteOnce",
]
