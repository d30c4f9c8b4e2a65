"""What placements cost, computed in the database so a whole council's costs are one query.

A placement's annual cost on a day is the place funding for its kind of setting on that day
(elements 1 and 2, `PlaceFunding`) plus its top-up: the value on that day of the funding band it
was placed in (panels' dated `FundingBand` of the same kind and code), or its individual fee when
the panel recorded a reason (or gave no band). A band or place-funding rate missing on a day
falls back to the cost recorded on the placement. Uplifts apply from their effective date to
every placement in the band, as councils pay them.

Pro-rating convention: a day costs the annual cost / the number of days in its financial year
(366 for a year with 29 February in it, 1 April 2023 to 31 March 2024 for example), so a
placement for a whole financial year costs exactly its annual cost whatever the year. A period
is split at each financial year's end (each part divided by its own year's days) and, within a
year, at each band or place-funding change; the sums are "pound-days" (value x days) divided
once per financial year and rounded to the penny at the end.

The expressions here price placement lists and spend; the census prices a whole council in one
SQL statement (reporting.selectors.high_needs) by the same rules, and a test holds them equal.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from cases.codes import EstablishmentKind
from cases.models import Placement
from panels.models import FundingBand
from reporting.metrics.engine import SETTING_CATEGORY, DayNumber
from reporting.models import PlaceFunding

EPOCH = dt.date(1970, 1, 1)
#: A day number later than any date the tables hold: "no end".
NEVER = 10**6
PENNY = Decimal("0.01")
ZERO = Value(Decimal("0.00"), output_field=models.DecimalField(max_digits=20, decimal_places=2))
MONEY: "models.DecimalField[Any, Any]" = models.DecimalField(max_digits=24, decimal_places=2)

#: The top-up is the placement's own figure: an individual fee with a reason, or no band at all.
INDIVIDUAL_FEE = Q(cost_reason__gt="") | Q(band="")


def day_number(day: dt.date) -> Value:
    return Value((day - EPOCH).days, output_field=models.IntegerField())


def days_in_financial_year(first_day: dt.date) -> int:
    """365, or 366 when the financial year starting `first_day` holds 29 February."""
    return (dt.date(first_day.year + 1, 4, 1) - dt.date(first_day.year, 4, 1)).days


def financial_years(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, int]]:
    """`start`..`end` split at each 31 March: (first, last, days in that financial year)."""
    out = []
    first = start
    while first <= end:
        year = first.year if first.month >= 4 else first.year - 1
        year_start, year_end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        out.append((first, min(end, year_end), days_in_financial_year(year_start)))
        first = year_end + dt.timedelta(days=1)
    return out


def pounds(pound_days: Decimal | int | None, days_in_year: int) -> Decimal:
    """Pound-days over a year of `days_in_year` days, to the penny."""
    return (Decimal(pound_days or 0) / Decimal(days_in_year)).quantize(PENNY, ROUND_HALF_UP)


def setting_kind(prefix: str = "") -> Case:
    """The kind of setting a placement is in (its DSG category): the establishment's kind, an
    early years provider without a URN, or other. `prefix` leads from the row to the placement."""
    return Case(
        When(**{f"{prefix}establishment__isnull": False}, then=F(f"{prefix}establishment__kind")),
        *(
            When(**{f"{prefix}sen_setting": code}, then=Value(kind))
            for code, kind in SETTING_CATEGORY.items()
        ),
        default=Value(EstablishmentKind.OTHER.value),
        output_field=models.CharField(),
    )


def in_force_on(day: dt.date) -> Q:
    """A placement record covering `day` (an awaiting-placement record with no start counts)."""
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=day)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def latest_of_its_rank(day: dt.date) -> Any:
    """The placement is the latest started of its plan and rank in force on `day` (the one
    reporting.metrics.engine.placement_category_at takes), so overlapping records in imported
    data are never counted twice."""
    since = Coalesce("starts_on", Value(dt.date.min))
    later = (
        Placement.objects.filter(plan=OuterRef("plan"), rank=OuterRef("rank"))
        .filter(in_force_on(day))
        .annotate(_since=since)
        .filter(
            Q(_since__gt=OuterRef("_since")) | Q(_since=OuterRef("_since"), pk__gt=OuterRef("pk"))
        )
    )
    return ~models.Exists(later)


def chosen_on(queryset: QuerySet[Any], day: dt.date) -> QuerySet[Any]:
    """Placements in force on `day`, one per plan and rank."""
    chosen: QuerySet[Any] = (
        queryset.filter(in_force_on(day))
        .annotate(_since=Coalesce("starts_on", Value(dt.date.min)))
        .filter(latest_of_its_rank(day))
    )
    return chosen


@dataclass(frozen=True)
class Rate:
    """One dated row of a rate table (a band's value, a kind's place funding), as day numbers."""

    value: Decimal
    first: int
    last: int  # NEVER when open-ended


def _rates(
    model: Any, start: dt.date, end: dt.date, *key: str
) -> dict[tuple[str, ...], list[Rate]]:
    """The rows of a rate table overlapping `start`..`end`, by `key` fields: one small query.
    Rate tables are the council's configuration (tens of rows), so they are read once and
    written into the query as CASE expressions instead of a subquery per placement."""
    rows = (
        model.objects.filter(effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
        .order_by(*key, "effective_from")
        .values_list(*key, "annual_value", "effective_from", "effective_to")
    )
    out: dict[tuple[str, ...], list[Rate]] = {}
    for *keys, value, first, last in rows:
        stop = NEVER if last is None else (last - EPOCH).days
        out.setdefault(tuple(keys), []).append(Rate(value, (first - EPOCH).days, stop))
    return out


def _money(expression: Any) -> Any:
    return ExpressionWrapper(expression, output_field=MONEY)


def _value_days(rates: list[Rate], last: str, *, less: Any = None) -> Any:
    """Sum over the rate rows of (value - `less`) x the days each shares with the placement's
    `_first`..`last` (annotations)."""
    terms = []
    for rate in rates:
        days = Greatest(
            Least(Value(rate.last), F(last)) - Greatest(Value(rate.first), F("_first")) + 1,
            Value(0),
        )
        value = Value(rate.value) if less is None else Value(rate.value) - less
        terms.append(value * days)
    return _money(sum(terms[1:], start=terms[0]))


def with_pound_days(
    queryset: QuerySet[Any], *, start: dt.date, ends: dict[str, dt.date]
) -> QuerySet[Any]:
    """For each `name: end` in `ends`, annotate `name` with the placement's pound-days from
    `start` to `end` (all inside one financial year): over the days it ran while its plan was in
    force, the sum of each day's annual cost (divide by the year's days for pounds). Placements
    costing nothing in the widest period are left out. Two small queries read the rate tables."""
    widest = max(ends.values())
    if len(financial_years(start, widest)) != 1 or min(ends.values()) < start:
        raise ValueError("with_pound_days takes spans of days inside one financial year")
    bands = _rates(FundingBand, start, widest, "kind", "code")
    places = _rates(PlaceFunding, start, widest, "kind")
    first = Greatest(day_number(start), DayNumber("starts_on"), DayNumber("plan__issued_on"))
    queryset = (
        queryset.filter(awaiting_placement=False, starts_on__isnull=False, starts_on__lte=widest)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .filter(plan__issued_on__lte=widest)
        .filter(Q(plan__ceased_on__isnull=True) | Q(plan__ceased_on__gt=start))
        .annotate(_kind=setting_kind(), _stored=Coalesce(F("annual_cost"), ZERO), _first=first)
    )
    for name, end in ends.items():
        last, until = day_number(end), f"{name}_last"
        # A plan ceased on a day is not in force that day (plan_in_force_on).
        queryset = queryset.annotate(
            **{
                until: Least(
                    last,
                    Coalesce(DayNumber("ends_on"), last),
                    Coalesce(DayNumber("plan__ceased_on") - 1, last),
                )
            }
        )
        days = Greatest(F(until) - F("_first") + 1, Value(0))
        stored = _money(F("_stored") * days)
        # Band rows replace the recorded cost on the days they cover.
        band_extra = Case(
            *(
                When(Q(_kind=kind, band=code), then=_value_days(rates, until, less=F("_stored")))
                for (kind, code), rates in bands.items()
            ),
            default=ZERO,
            output_field=MONEY,
        )
        place = Case(
            *(
                When(_kind=kind, then=_value_days(rates, until))
                for (kind,), rates in places.items()
            ),
            default=ZERO,
            output_field=MONEY,
        )
        top_up = Case(
            When(INDIVIDUAL_FEE, then=stored),
            default=_money(stored + band_extra),
            output_field=MONEY,
        )
        queryset = queryset.annotate(**{name: _money(top_up + place)})
    return queryset


def with_annual_cost(queryset: QuerySet[Any], *, on: dt.date) -> QuerySet[Any]:
    """Annotate `_annual`: the placement's annual cost on `on` (nothing while awaiting one).
    Two small queries read the band and place funding rates in force that day."""
    bands = _rates(FundingBand, on, on, "kind", "code")
    places = _rates(PlaceFunding, on, on, "kind")
    band = Case(
        *(
            When(Q(_kind=kind, band=code), then=Value(rates[-1].value))
            for (kind, code), rates in bands.items()
        ),
        default=F("annual_cost"),
        output_field=MONEY,
    )
    place = Case(
        *(When(_kind=kind, then=Value(rates[-1].value)) for (kind,), rates in places.items()),
        default=ZERO,
        output_field=MONEY,
    )
    top_up = Case(
        When(INDIVIDUAL_FEE, then=Coalesce(F("annual_cost"), ZERO)),
        default=Coalesce(band, ZERO),
        output_field=MONEY,
    )
    annual = Case(
        When(awaiting_placement=True, then=ZERO),
        default=_money(place + top_up),
        output_field=MONEY,
    )
    costed: QuerySet[Any] = queryset.annotate(_kind=setting_kind()).annotate(_annual=annual)
    return costed
