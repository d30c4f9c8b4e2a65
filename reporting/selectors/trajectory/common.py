"""What the trajectory reads share: its limits, the messages the tests assert, labels and months."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from cases.codes import EstablishmentKind
from reporting.metrics.engine import NONE_CATEGORY
from reporting.periods import MONTH_NAMES, Period, last_complete_month, month_of, month_period
from reporting.selectors.high_needs import CATEGORIES, CATEGORY_LABELS

FIT_MONTHS = 36
LEVEL_MONTHS = 12
#: How far ahead a trajectory may start: the start is today's position, so not far.
MAX_MONTHS_AHEAD = 12
#: Where plans go when a category with a capacity is full, unless the scenario names another.
DEFAULT_OVERFLOW: dict[str, str] = {
    EstablishmentKind.MAINSTREAM.value: EstablishmentKind.RESOURCED_PROVISION.value,
    EstablishmentKind.RESOURCED_PROVISION.value: EstablishmentKind.SPECIAL.value,
    EstablishmentKind.SPECIAL.value: EstablishmentKind.INDEPENDENT_SPECIAL.value,
}
#: Categories new plans can be placed in: every category but "no placement".
PLACED_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != NONE_CATEGORY)

# Rule failures: module constants the tests assert.
SHIFTS_NOT_ZERO = "The placement mix shifts must add up to 0 points: these add up to {total}"
SHIFT_BELOW_NOTHING = (
    "{category} has {share}% of new plans: it cannot fall by more than {share} points"
)
STEP_DOWN_SAME = "A step-down must move plans to another category"
STEP_DOWN_OVER_100 = "Step-downs from {category} add up to more than 100%"
OVERFLOW_SAME = "{category}'s overflow must be another category"
OVERFLOW_NEEDED = "Choose where plans go when {category} is full"
OVERFLOW_CIRCLE = "Overflow goes round in a circle: {chain}"
TRAJECTORY_TOO_LONG = "Enter at most {years} figures: one for the end of each year"
START_TOO_LATE = "The start must be no later than {month}: the start is today's position"


def label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def _pct(value: float, places: int = 1) -> float:
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def _of(count: int, noun: str) -> str:
    """`1 plan`, `2 plans`, `1,044 requests`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _n(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def month_span(first: Period, last: Period) -> str:
    """`Dec 2023 to Nov 2026`."""
    return (
        f"{MONTH_NAMES[first.start.month - 1][:3]} {first.start.year} to "
        f"{MONTH_NAMES[last.end.month - 1][:3]} {last.end.year}"
    )


def _add_months(period: Period, months: int) -> Period:
    index = period.start.year * 12 + period.start.month - 1 + months
    return month_period(index // 12, index % 12 + 1)


# --- when -----------------------------------------------------------------------------------------
def latest_start(*, today: dt.date) -> Period:
    return _add_months(month_of(today), MAX_MONTHS_AHEAD)


def default_start(*, today: dt.date) -> Period:
    """This month: the start is the position at the end of last month."""
    return month_of(today)


def start_on(*, start: Period, today: dt.date) -> dt.date:
    """The census day of the start position: the day before the start month, or today if that
    is still to come."""
    return min(start.start - dt.timedelta(days=1), today)


def fit_window(*, start: Period, today: dt.date) -> tuple[Period, Period]:
    """The 36 complete months before the start month (no later than last month)."""
    last = min(_add_months(start, -1), last_complete_month(today))
    return _add_months(last, -(FIT_MONTHS - 1)), last


def year_months(*, start: Period, year: int) -> tuple[Period, Period]:
    """The first and last month of projected year `year` (1 = the start month and 11 more)."""
    first = _add_months(start, 12 * (year - 1))
    return first, _add_months(first, 11)
