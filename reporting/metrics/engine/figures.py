"""What a figure is (its value, breakdown rows and the cases behind it), and the
shared conditions.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from reporting.periods import Period

# --- what a figure is -------------------------------------------------------------------------
Number = Decimal | int


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    value: Decimal | None
    numerator: Number
    denominator: int | None


@dataclass(frozen=True)
class Figure:
    """A metric's value for one period: unrounded; `value` is None when the denominator is 0."""

    metric_id: str
    period: Period
    value: Decimal | None
    numerator: Number
    denominator: int | None
    breakdown: tuple[BreakdownRow, ...] | None = None


@dataclass(frozen=True)
class CaseRow:
    """One case behind a figure, with the dates the definition used (drill-down)."""

    child_id: uuid.UUID
    reference: str
    name: str
    subject: str
    subject_id: uuid.UUID
    dates: tuple[tuple[str, dt.date | None], ...]
    counted: str  # NUMERATOR, DENOMINATOR_ONLY or the part's label in a combination
    sign: int = 1


NUMERATOR = "numerator"
DENOMINATOR_ONLY = "denominator only"


class Style:
    """How numerator and denominator make the value."""

    COUNT = "count"  # value = numerator = number of rows
    PERCENT = "percent"  # value = 100 x numerator / denominator
    MEAN_WEEKS = "mean_weeks"  # value = total weeks / rows


def value_of(style: str, numerator: Number, denominator: int | None) -> Decimal | None:
    if style == Style.COUNT:
        return Decimal(numerator)
    if not denominator:
        return None
    if style == Style.PERCENT:
        return Decimal(100) * Decimal(numerator) / Decimal(denominator)
    return Decimal(numerator) / Decimal(denominator)


# --- shared conditions --------------------------------------------------------------------------
def between(path: str, period: Period) -> Q:
    """The event dated `path` happened in the period (inclusive dates)."""
    return Q(**{f"{path}__gte": period.start, f"{path}__lte": period.end})


def not_by(path: str, day: dt.date) -> Q:
    """The event dated `path` had not happened by the end of `day` (or never happened)."""
    return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__gt": day})
