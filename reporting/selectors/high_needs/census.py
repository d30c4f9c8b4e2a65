"""The census of plans on a date by DSG category, age band and need, with their cost: one SQL
statement.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from cases.codes import EstablishmentKind, SenType
from cases.models import Child, Establishment, Placement, Plan
from panels.models import FundingBand
from reporting.high_needs.periods import census_age_date
from reporting.metrics.engine import (
    AGE_BAND_LABELS,
    AGE_BANDS,
    AWAITING,
    NONE_CATEGORY,
    SETTING_CATEGORY,
    not_by,
)
from reporting.models import PlaceFunding
from reporting.selectors import Scope

#: api.md's categories, in its order; `none` last: no placement in force (or awaiting one).
CATEGORIES: tuple[str, ...] = (*EstablishmentKind.values, NONE_CATEGORY)
CATEGORY_LABELS: dict[str, str] = {
    **dict(EstablishmentKind.choices),
    NONE_CATEGORY: "No placement in force",
}
AGE_BAND_KEYS: tuple[str, ...] = tuple(key for key, _, _, _ in AGE_BANDS)
NEED_LABELS: dict[str, str] = dict(SenType.choices)
#: Settings whose places the council commissions by number (special schools and units).
COMMISSIONED_KINDS = (EstablishmentKind.SPECIAL, EstablishmentKind.RESOURCED_PROVISION)


def _scoped(queryset: QuerySet[Any], scope: Scope | None, child: str) -> QuerySet[Any]:
    if scope is None or scope.caseworkers is None:
        return queryset
    return queryset.filter(**{f"{child}__caseworker_id__in": scope.caseworkers})


def _its_plan_in_force(on: dt.date) -> Q:
    """A placement's plan is in force on `on` (plan_in_force_on, from the placement)."""
    return Q(plan__issued_on__lte=on) & not_by("plan__ceased_on", on)


def _average(cost: Decimal, plans: int) -> Decimal | None:
    return (cost / plans).quantize(Decimal("0.01")) if plans else None


# --- the census on a date -----------------------------------------------------------------------
@dataclass(frozen=True)
class CensusRow:
    category: str
    age_band: str
    plans: int
    annual_cost: Decimal

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def age_band_label(self) -> str:
        return AGE_BAND_LABELS[self.age_band]


@dataclass(frozen=True)
class NeedRow:
    category: str
    primary_need: str
    plans: int
    annual_cost: Decimal

    @property
    def need_label(self) -> str:
        return NEED_LABELS.get(self.primary_need, "Not known")


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    plans: int
    annual_cost: Decimal
    by_age_band: tuple[int, ...]  # plans per band, in AGE_BANDS order

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def average_cost(self) -> Decimal | None:
        """None for plans without a placement: they cost nothing to average."""
        if self.category == NONE_CATEGORY:
            return None
        return _average(self.annual_cost, self.plans)


@dataclass(frozen=True)
class Census:
    """Plans in force on `on` by category x age band (and x need), with their annual cost."""

    on: dt.date
    age_date: dt.date
    rows: tuple[CensusRow, ...]
    by_need: tuple[NeedRow, ...]
    awaiting_placement: int
    scope_label: str = "Whole council"

    @property
    def total_plans(self) -> int:
        return sum(row.plans for row in self.rows)

    @property
    def total_annual_cost(self) -> Decimal:
        return sum((row.annual_cost for row in self.rows), Decimal("0.00"))

    @property
    def average_cost(self) -> Decimal | None:
        return _average(self.total_annual_cost, self.total_plans)

    @property
    def categories(self) -> list[CategoryTotal]:
        """One line per category with any plans, in api.md's order: the page's main table."""
        out = []
        for category in CATEGORIES:
            rows = [row for row in self.rows if row.category == category]
            if not rows:
                continue
            bands = {row.age_band: row.plans for row in rows}
            out.append(
                CategoryTotal(
                    category=category,
                    plans=sum(row.plans for row in rows),
                    annual_cost=sum((row.annual_cost for row in rows), Decimal("0.00")),
                    by_age_band=tuple(bands.get(key, 0) for key in AGE_BAND_KEYS),
                )
            )
        return out

    @property
    def age_band_totals(self) -> tuple[int, ...]:
        return tuple(
            sum(row.plans for row in self.rows if row.age_band == key) for key in AGE_BAND_KEYS
        )


#: One pass over the placements in force: the latest started of each plan and rank (the
#: placement reporting.metrics.engine.placement_category_at takes, ties to the later id), its
#: category and kind (the same CASE), and its annual cost from the band and place funding rows
#: in force that day, joined on their dated periods (which never overlap). Per plan: the rank-1
#: category and the sum of both ranks' costs. Then plans in force by category, age band and
#: need. Window functions and joins, not a subquery per plan: PostgreSQL and SQLite alike.
_CENSUS_SQL = """
WITH bands AS MATERIALIZED (
    SELECT kind, code, annual_value FROM {band}
    WHERE effective_from <= %(on)s AND (effective_to IS NULL OR effective_to >= %(on)s)
),
place_funding AS MATERIALIZED (
    SELECT kind, annual_value FROM {place_funding}
    WHERE effective_from <= %(on)s AND (effective_to IS NULL OR effective_to >= %(on)s)
),
in_force AS (
    SELECT pl.plan_id, pl.rank, pl.awaiting_placement, pl.band, pl.annual_cost, pl.cost_reason,
           CASE WHEN pl.establishment_id IS NOT NULL THEN e.kind {settings} ELSE %(other)s END
               AS kind,
           ROW_NUMBER() OVER (
               PARTITION BY pl.plan_id, pl.rank
               ORDER BY pl.starts_on DESC NULLS LAST, pl.id DESC
           ) AS latest
    FROM {placement} pl
    LEFT JOIN {establishment} e ON e.id = pl.establishment_id
    WHERE (pl.starts_on IS NULL OR pl.starts_on <= %(on)s)
      AND (pl.ends_on IS NULL OR pl.ends_on >= %(on)s)
),
costed AS (
    SELECT c.plan_id, c.rank,
           CASE WHEN c.awaiting_placement THEN %(awaiting)s ELSE c.kind END AS category,
           CASE WHEN c.awaiting_placement THEN 0 ELSE
               COALESCE(pf.annual_value, 0)
               + CASE WHEN c.cost_reason <> '' OR c.band = '' THEN COALESCE(c.annual_cost, 0)
                      ELSE COALESCE(fb.annual_value, c.annual_cost, 0) END
           END AS cost
    FROM in_force c
    LEFT JOIN place_funding pf ON pf.kind = c.kind
    LEFT JOIN bands fb ON fb.kind = c.kind AND fb.code = c.band
    WHERE c.latest = 1
),
per_plan AS (
    SELECT plan_id, MAX(CASE WHEN rank = 1 THEN category END) AS category, SUM(cost) AS cost
    FROM costed
    GROUP BY plan_id
)
SELECT COALESCE(pp.category, %(none)s), CASE {bands} END, p.primary_need, COUNT(*),
       SUM(COALESCE(pp.cost, 0))
FROM {plan} p
JOIN {child} ch ON ch.id = p.child_id
LEFT JOIN per_plan pp ON pp.plan_id = p.id
WHERE p.issued_on <= %(on)s AND (p.ceased_on IS NULL OR p.ceased_on > %(on)s) {scope}
GROUP BY 1, 2, 3
"""


def _census_rows(
    on: dt.date, age_date: dt.date, scope: Scope | None
) -> list[tuple[str, str, str, int, Any]]:
    """(category, age band, need, plans, annual cost) for the plans in force on `on`."""
    params: dict[str, Any] = {
        "on": on,
        "other": EstablishmentKind.OTHER.value,
        "awaiting": AWAITING,
        "none": NONE_CATEGORY,
    }
    settings = ""
    for n, (code, kind) in enumerate(SETTING_CATEGORY.items()):
        params[f"setting_{n}"], params[f"setting_kind_{n}"] = code, kind
        settings += f" WHEN pl.sen_setting = %(setting_{n})s THEN %(setting_kind_{n})s"
    # Aged N or more on 31 August of year Y: born on or before 31 August of year Y - N.
    bands = ""
    for key, _, _, high in AGE_BANDS:
        params[f"band_{key}"] = key
        if high is None:
            bands += f" ELSE %(band_{key})s"
        else:
            params[f"born_after_{key}"] = dt.date(age_date.year - high, 8, 31)
            bands += f" WHEN ch.date_of_birth > %(born_after_{key})s THEN %(band_{key})s"
    where = ""
    if scope is not None and scope.caseworkers is not None:
        names = []
        for n, pk in enumerate(sorted(scope.caseworkers)):
            params[f"caseworker_{n}"] = pk
            names.append(f"%(caseworker_{n})s")
        where = f"AND ch.caseworker_id IN ({', '.join(names) or 'NULL'})"
    sql = _CENSUS_SQL.format(
        settings=settings,
        bands=bands,
        scope=where,
        placement=Placement._meta.db_table,
        establishment=Establishment._meta.db_table,
        place_funding=PlaceFunding._meta.db_table,
        band=FundingBand._meta.db_table,
        plan=Plan._meta.db_table,
        child=Child._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def high_needs_census(*, on: dt.date, scope: Scope | None = None) -> Census:
    """Plans in force on `on` (reporting.metrics.casework.plan_in_force_on) grouped by the DSG
    category of their rank-1 placement in force, the age band of the child's age on 31 August
    before `on`'s school year, and primary need, with the sum of their annual costs: one query.

    A plan awaiting a placement is in `none` (no placement in force) and counted apart.
    """
    age_date = census_age_date(on)
    grouped = [
        {"_category": c, "_band": b, "primary_need": n, "_plans": count, "_sum": cost}
        for c, b, n, count, cost in _census_rows(on, age_date, scope)
    ]
    cells: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal("0.00")])
    needs: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal("0.00")])
    awaiting = 0
    for row in grouped:
        category = row["_category"]
        if category == AWAITING:
            awaiting += row["_plans"]
            category = NONE_CATEGORY
        cost = Decimal(str(row["_sum"] or 0)).quantize(Decimal("0.01"))
        for table, key in ((cells, row["_band"]), (needs, row["primary_need"])):
            table[(category, key)][0] += row["_plans"]
            table[(category, key)][1] += cost
    order = {key: i for i, key in enumerate(CATEGORIES)}
    bands = {key: i for i, key in enumerate(AGE_BAND_KEYS)}
    need_order = {key: i for i, key in enumerate(NEED_LABELS)}
    rows = [
        CensusRow(category=c, age_band=b, plans=n, annual_cost=cost)
        for (c, b), (n, cost) in sorted(
            cells.items(), key=lambda i: (order.get(i[0][0], 99), bands.get(i[0][1], 99))
        )
    ]
    by_need = [
        NeedRow(category=c, primary_need=need, plans=n, annual_cost=cost)
        for (c, need), (n, cost) in sorted(
            needs.items(), key=lambda i: (order.get(i[0][0], 99), need_order.get(i[0][1], 99))
        )
    ]
    return Census(
        on=on,
        age_date=age_date,
        rows=tuple(rows),
        by_need=tuple(by_need),
        awaiting_placement=awaiting,
        scope_label=scope.label if scope is not None else "Whole council",
    )
