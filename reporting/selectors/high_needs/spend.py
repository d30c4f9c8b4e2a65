"""Spend over a period, committed spend, independent placements' fees, and places used against
places commissioned.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from cases.codes import EstablishmentKind
from cases.models import Establishment, Placement
from reporting.high_needs.costs import (
    chosen_on,
    days_in_financial_year,
    financial_years,
    pounds,
    with_annual_cost,
    with_pound_days,
)
from reporting.high_needs.periods import academic_year_of, financial_year_of
from reporting.models import CommissionedPlaces
from reporting.selectors import Scope
from reporting.selectors.high_needs.census import (
    CATEGORIES,
    CATEGORY_LABELS,
    COMMISSIONED_KINDS,
    _its_plan_in_force,
    _scoped,
)


# --- spend over a period ------------------------------------------------------------------------
def _spend_placements(scope: Scope | None) -> QuerySet[Placement]:
    return _scoped(Placement.objects.all(), scope, "plan__child")


def spend_between(
    *,
    start: dt.date,
    end: dt.date,
    scope: Scope | None = None,
    placements: Iterable[Any] | None = None,
) -> Decimal:
    """What placements cost from `start` to `end` inclusive (or just `placements`, by id):
    one query per financial year the period touches."""
    queryset = _spend_placements(scope)
    if placements is not None:
        queryset = queryset.filter(pk__in=list(placements))
    total = Decimal("0.00")
    for first, last, days in financial_years(start, end):
        found = with_pound_days(queryset, start=first, ends={"_pd": last}).aggregate(
            _total=Sum("_pd")
        )
        total += pounds(found["_total"], days)
    return total


@dataclass(frozen=True)
class SpendLine:
    kind: str
    to_date: Decimal
    to_year_end: Decimal

    @property
    def label(self) -> str:
        return CATEGORY_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class CommittedSpend:
    """Placement spend in `on`'s financial year: to `on` and, with the placements recorded now,
    to the year's end."""

    year_start: dt.date
    year_end: dt.date
    on: dt.date
    lines: tuple[SpendLine, ...]

    @property
    def to_date(self) -> Decimal:
        return sum((line.to_date for line in self.lines), Decimal("0.00"))

    @property
    def to_year_end(self) -> Decimal:
        return sum((line.to_year_end for line in self.lines), Decimal("0.00"))


def committed_spend(*, on: dt.date, scope: Scope | None = None) -> CommittedSpend:
    """Spend by kind of setting for the financial year: to date and to the year end (2 queries)."""
    year_start, year_end = financial_year_of(on)
    days = days_in_financial_year(year_start)

    grouped = (
        with_pound_days(
            _spend_placements(scope), start=year_start, ends={"_to_date": on, "_to_end": year_end}
        )
        .order_by()
        .values("_kind")
        .annotate(_date_total=Sum("_to_date"), _end_total=Sum("_to_end"))
    )
    lines = [
        SpendLine(row["_kind"], pounds(row["_date_total"], days), pounds(row["_end_total"], days))
        for row in grouped
    ]
    order = {kind: n for n, kind in enumerate(CATEGORIES)}
    lines.sort(key=lambda line: order.get(line.kind, len(order)))
    return CommittedSpend(year_start, year_end, on, tuple(lines))


# --- independent and non-maintained placements ---------------------------------------------------
@dataclass(frozen=True)
class FeeRow:
    placement_id: Any
    child_id: Any
    reference: str
    name: str
    setting: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    band: str
    annual_cost: Decimal
    cost_reason: str
    spent_to_date: Decimal
    to_year_end: Decimal


def independent_placements(*, on: dt.date, scope: Scope | None = None) -> list[FeeRow]:
    """Placements at independent or non-maintained special schools in force on `on` (plans in
    force), with their annual fee and this financial year's spend: three queries."""
    base = _spend_placements(scope).filter(
        _its_plan_in_force(on),
        establishment__kind=EstablishmentKind.INDEPENDENT_SPECIAL,
        awaiting_placement=False,
    )
    rows = list(
        with_annual_cost(chosen_on(base, on), on=on)
        .order_by("establishment__name", "plan__child__last_name", "plan__child__first_name")
        .values(
            "pk",
            "plan__child_id",
            "plan__child__reference",
            "plan__child__first_name",
            "plan__child__last_name",
            "establishment__name",
            "starts_on",
            "ends_on",
            "band",
            "cost_reason",
            "_annual",
        )
    )
    year_start, year_end = financial_year_of(on)
    days = days_in_financial_year(year_start)
    ids = [row["pk"] for row in rows]

    spend: dict[Any, tuple[Decimal, Decimal]] = {}
    if ids:
        found = with_pound_days(
            Placement.objects.filter(pk__in=ids),
            start=year_start,
            ends={"_to_date": on, "_to_end": year_end},
        ).values("pk", "_to_date", "_to_end")
        spend = {
            row["pk"]: (pounds(row["_to_date"], days), pounds(row["_to_end"], days))
            for row in found
        }
    nothing = Decimal("0.00")
    return [
        FeeRow(
            placement_id=row["pk"],
            child_id=row["plan__child_id"],
            reference=row["plan__child__reference"],
            name=f"{row['plan__child__first_name']} {row['plan__child__last_name']}",
            setting=row["establishment__name"],
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            band=row["band"],
            annual_cost=Decimal(row["_annual"] or 0).quantize(Decimal("0.01")),
            cost_reason=row["cost_reason"],
            spent_to_date=spend.get(row["pk"], (nothing, nothing))[0],
            to_year_end=spend.get(row["pk"], (nothing, nothing))[1],
        )
        for row in rows
    ]


# --- places commissioned and used ----------------------------------------------------------------
@dataclass(frozen=True)
class PlacesRow:
    establishment_id: Any
    name: str
    kind: str
    commissioned: int | None
    used: int

    @property
    def spare(self) -> int | None:
        return None if self.commissioned is None else self.commissioned - self.used

    @property
    def kind_label(self) -> str:
        return CATEGORY_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Places:
    on: dt.date
    academic_year: int
    rows: tuple[PlacesRow, ...]

    @property
    def commissioned(self) -> int:
        return sum(row.commissioned or 0 for row in self.rows)

    @property
    def used(self) -> int:
        return sum(row.used for row in self.rows)


def places_used(*, on: dt.date) -> Places:
    """Places commissioned for `on`'s academic year at each setting, against the plans placed
    there on `on` (any rank: a dual placement takes a place too). Special schools and resourced
    provision, and any setting with commissioned places: council-wide, three queries."""
    year = academic_year_of(on)
    commissioned = dict(
        CommissionedPlaces.objects.filter(academic_year=year).values_list(
            "establishment_id", "places"
        )
    )
    used_rows = (
        chosen_on(
            Placement.objects.filter(awaiting_placement=False, establishment__isnull=False)
            .filter(_its_plan_in_force(on))
            .filter(
                Q(establishment__kind__in=COMMISSIONED_KINDS)
                | Q(establishment_id__in=list(commissioned))
            ),
            on,
        )
        .order_by()
        .values("establishment_id")
        .annotate(_used=Count("plan", distinct=True))
    )
    used = {row["establishment_id"]: row["_used"] for row in used_rows}
    settings = Establishment.objects.filter(pk__in={*commissioned, *used}).order_by("kind", "name")
    rows = [
        PlacesRow(
            establishment_id=e.pk,
            name=e.name,
            kind=e.kind,
            commissioned=commissioned.get(e.pk),
            used=used.get(e.pk, 0),
        )
        for e in settings
    ]
    return Places(on=on, academic_year=year, rows=tuple(rows))
