"""What a metric is: its words, unit, polarity and kind, and the measure that counts it."""

from dataclasses import dataclass
from enum import StrEnum

from reporting.metrics.engine import Measure


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    WEEKS = "weeks"
    MONEY = "money"


class Polarity(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    NEUTRAL = "neutral"


class Kind(StrEnum):
    FLOW = "flow"  # events in the period
    STOCK = "stock"  # a count at the period's last day


class Section(StrEnum):
    DEMAND = "Demand and the front door"
    TIMELINESS = "Assessment timeliness"
    CASELOAD = "Caseload"
    REVIEWS = "Annual reviews"
    DISAGREEMENT = "Disagreement resolution"


@dataclass(frozen=True)
class Metric:
    id: str
    title: str
    definition: str
    unit: Unit
    polarity: Polarity
    kind: Kind
    section: Section
    numerator: str
    denominator: str
    measure: Measure
    version: int = 1
    #: The "including exceptions" metric this one is the "excluding" variant of (BCP's rows).
    variant_of: str = ""

    @property
    def breakdowns(self) -> tuple[str, ...]:
        return self.measure.breakdowns()
