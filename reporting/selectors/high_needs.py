"""Reads for high needs: the census of plans by DSG category, age band and need with their cost,
committed spend, independent placements' fees, places used against places commissioned, and what
finance entered for a return period with its history.

The census is one SQL statement whatever the caseload (window functions and joins over the
placements in force, so PostgreSQL and SQLite both run it; 21,000 plans in about 0.1-0.3 s);
committed spend is one grouped query with the rate tables written into it. Costs follow
reporting.high_needs.costs.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from cases.codes import EstablishmentKind, SenType
from cases.models import Child, Establishment, Placement, Plan
from panels.models import FundingBand
from reporting.high_needs.costs import (
    chosen_on,
    days_in_financial_year,
    financial_years,
    pounds,
    with_annual_cost,
    with_pound_days,
)
from reporting.high_needs.periods import (
    ReturnPeriod,
    academic_year_of,
    census_age_date,
    financial_year_of,
)
from reporting.metrics.engine import (
    AGE_BAND_LABELS,
    AGE_BANDS,
    AWAITING,
    NONE_CATEGORY,
    SETTING_CATEGORY,
    not_by,
)
from reporting.models import (
    CommissionedPlaces,
    ConditionUpdate,
    HighNeedsFigure,
    PlaceFunding,
    PressureEntry,
    PressureKind,
    ReturnFigure,
    SafetyValveCondition,
)
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


# --- the council's tables: place funding and commissioned places --------------------------------
def place_funding_rates() -> list[PlaceFunding]:
    return list(
        PlaceFunding.objects.select_related("entered_by").order_by("kind", "-effective_from")
    )


def commissioned_places(*, academic_year: int) -> list[CommissionedPlaces]:
    return list(
        CommissionedPlaces.objects.filter(academic_year=academic_year)
        .select_related("establishment", "entered_by")
        .order_by("establishment__name")
    )


def commissionable_settings() -> QuerySet[Establishment]:
    """Settings whose places may be commissioned: open special schools and resourced provision,
    plus alternative provision (the form's choices)."""
    return Establishment.objects.filter(
        kind__in=(*COMMISSIONED_KINDS, EstablishmentKind.ALTERNATIVE_PROVISION), is_open=True
    ).order_by("name")


# --- what finance entered for a return period ---------------------------------------------------
@dataclass(frozen=True)
class ConditionLine:
    condition: SafetyValveCondition
    update: ConditionUpdate | None


@dataclass(frozen=True)
class ReturnEntries:
    """The current entries of a return period: each figure, each condition, pressures and
    mitigations. `version` changes whenever any of them does (a form's stale-edit check)."""

    period: ReturnPeriod
    figures: dict[str, HighNeedsFigure]
    conditions: tuple[ConditionLine, ...]
    pressures: tuple[PressureEntry, ...]
    mitigations: tuple[PressureEntry, ...]
    version: str = field(default="")

    def figure_rows(self) -> list[tuple[str, str, HighNeedsFigure | None]]:
        return [(item, label, self.figures.get(item)) for item, label in ReturnFigure.choices]

    @property
    def in_year_variance(self) -> Decimal | None:
        """In-year balance less the agreed profile: negative is worse than agreed."""
        return _difference(self.figures, ReturnFigure.IN_YEAR_BALANCE, ReturnFigure.IN_YEAR_PROFILE)

    @property
    def cumulative_variance(self) -> Decimal | None:
        return _difference(
            self.figures, ReturnFigure.CUMULATIVE_BALANCE, ReturnFigure.CUMULATIVE_PROFILE
        )

    @property
    def pressures_total(self) -> Decimal:
        return sum((p.amount or Decimal(0) for p in self.pressures), Decimal("0.00"))

    @property
    def mitigations_total(self) -> Decimal:
        return sum((p.amount or Decimal(0) for p in self.mitigations), Decimal("0.00"))


def _difference(figures: dict[str, HighNeedsFigure], actual: str, profile: str) -> Decimal | None:
    if actual in figures and profile in figures:
        return figures[actual].amount - figures[profile].amount
    return None


def _current(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Entries no later entry supersedes."""
    return queryset.filter(superseded_by__isnull=True)


def version_of(ids: Iterable[Any]) -> str:
    """A short fingerprint of a set of current entries: it changes when any of them is replaced."""
    text = ",".join(sorted(str(i) for i in ids))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def figures_version(*, period: ReturnPeriod) -> str:
    return version_of(
        _current(HighNeedsFigure.objects.filter(period=period.key)).values_list("pk", flat=True)
    )


def return_entries(*, period: ReturnPeriod) -> ReturnEntries:
    """The period's current figures, conditions (each with its current update or None) and
    pressures and mitigations: four queries."""
    figures = {
        f.item: f
        for f in _current(HighNeedsFigure.objects.filter(period=period.key)).select_related(
            "author"
        )
    }
    updates = {
        u.condition_id: u
        for u in _current(ConditionUpdate.objects.filter(period=period.key)).select_related(
            "author"
        )
    }
    conditions = tuple(
        ConditionLine(c, updates.get(c.pk)) for c in SafetyValveCondition.objects.order_by("number")
    )
    lines = list(
        _current(PressureEntry.objects.filter(period=period.key, withdrawn=False))
        .select_related("author")
        .order_by("kind", "-amount", "title")
    )
    return ReturnEntries(
        period=period,
        figures=figures,
        conditions=conditions,
        pressures=tuple(p for p in lines if p.kind == PressureKind.PRESSURE),
        mitigations=tuple(p for p in lines if p.kind == PressureKind.MITIGATION),
        version=version_of(f.pk for f in figures.values()),
    )


def current_condition_update(
    *, condition: SafetyValveCondition, period: ReturnPeriod
) -> ConditionUpdate | None:
    return (
        _current(ConditionUpdate.objects.filter(condition=condition, period=period.key))
        .select_related("author")
        .first()
    )


def pressure_entry(*, entry_id: Any) -> PressureEntry | None:
    """A pressure or mitigation line by the id of any of its versions: its current version."""
    entry = PressureEntry.objects.filter(pk=entry_id).first()
    while entry is not None and hasattr(entry, "superseded_by"):
        entry = entry.superseded_by
    return entry


@dataclass(frozen=True)
class HistoryRow:
    """One entry ever made for the period: what, the value, who and when, and whether a later
    entry replaced it."""

    entered_at: dt.datetime
    author: str
    what: str
    value: str
    detail: str
    current: bool


def return_history(*, period: ReturnPeriod) -> list[HistoryRow]:
    """Every entry for the period, newest first, the replaced ones too: three queries."""
    out: list[HistoryRow] = []
    labels = dict(ReturnFigure.choices)
    for f in HighNeedsFigure.objects.filter(period=period.key).select_related(
        "author", "superseded_by"
    ):
        out.append(
            HistoryRow(
                f.created_at,
                _name(f.author),
                labels[f.item],
                f"£{f.amount:,.2f}",
                f.note,
                not hasattr(f, "superseded_by"),
            )
        )
    for u in ConditionUpdate.objects.filter(period=period.key).select_related(
        "author", "condition", "superseded_by"
    ):
        out.append(
            HistoryRow(
                u.created_at,
                _name(u.author),
                f"Safety-valve condition {u.condition.number}",
                u.get_rag_display(),
                u.narrative,
                not hasattr(u, "superseded_by"),
            )
        )
    for p in PressureEntry.objects.filter(period=period.key).select_related(
        "author", "superseded_by"
    ):
        value = "" if p.amount is None else f"£{p.amount:,.2f}"
        out.append(
            HistoryRow(
                p.created_at,
                _name(p.author),
                f"{p.get_kind_display()}: {p.title}",
                "Withdrawn" if p.withdrawn else value,
                p.narrative,
                not hasattr(p, "superseded_by") and not p.withdrawn,
            )
        )
    out.sort(key=lambda row: row.entered_at, reverse=True)
    return out


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def periods_with_entries() -> list[str]:
    """Return periods anything was entered for, newest first (links to earlier returns)."""
    keys: set[str] = set()
    for model in (HighNeedsFigure, ConditionUpdate, PressureEntry):
        keys.update(model.objects.values_list("period", flat=True).distinct())
    return sorted(keys, reverse=True)
