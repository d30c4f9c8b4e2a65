"""How a metric is computed: set-based in the database, for any period, with breakdowns and the
cases behind it, from one description.

A `Population` is a set of rows of one table chosen by dated events in the period (requests
decided in the month, plans in force at its end), with an optional numerator condition, or the
dates whose gap in weeks is averaged. The value, the breakdown and the drill-down list all come
from the same queryset, so the figure on the dashboard, in the PDF and in the case list agree.
A `Combination` adds and subtracts populations (net flow, the appeal rate's denominator).

Past periods are exact: every condition reads the dates of events, never today's statuses.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from cases.codes import EstablishmentKind, RequestSource, SenSetting, SenType
from cases.models import Placement
from reporting.periods import Period, PeriodKind
from send_cms.accounts.models import User

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


# --- breakdowns ---------------------------------------------------------------------------------
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("under_5", "Under 5", 0, 5),
    ("5_10", "5 to 10", 5, 11),
    ("11_15", "11 to 15", 11, 16),
    ("16_19", "16 to 19", 16, 20),
    ("20_25", "20 to 25", 20, None),
)
AGE_BAND_LABELS = {key: label for key, label, _, _ in AGE_BANDS}
NOT_KNOWN = "not_known"
NONE_CATEGORY = "none"
AWAITING = "awaiting_placement"
CATEGORY_LABELS: dict[str, str] = {
    **dict(EstablishmentKind.choices),
    AWAITING: "Awaiting placement",
    NONE_CATEGORY: "No placement recorded",
}
BREAKDOWN_LABELS = {
    "age_band": "Age band",
    "primary_need": "Primary need",
    "source": "Source of request",
    "category": "Placement category",
    "caseworker": "Caseworker",
}
#: Settings without an establishment, by the DSG placement category they fall in.
SETTING_CATEGORY = {SenSetting.EYP.value: EstablishmentKind.EARLY_YEARS.value}


def _date_number(expression: Any) -> Any:
    """A date as the integer yyyymmdd, in SQL: whole years between two are a difference / 10000."""
    return ExpressionWrapper(
        ExtractYear(expression) * 10000 + ExtractMonth(expression) * 100 + ExtractDay(expression),
        output_field=IntegerField(),
    )


def age_expression(*, born: str, on: Any) -> Any:
    """Age in whole years on the date `on` (a field or a Value), computed in the database."""
    return ExpressionWrapper(
        (_date_number(on) - _date_number(F(born))) / 10000, output_field=IntegerField()
    )


def age_band_case(age: str) -> Case:
    whens = [When(**{f"{age}__lt": high}, then=Value(key)) for key, _, _, high in AGE_BANDS if high]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=models.CharField())


def placement_category_at(*, plan: str, on: Any) -> Subquery:
    """The DSG category of the plan's rank-1 placement in force on `on` (the latest started)."""
    in_force = (
        Placement.objects.filter(plan=OuterRef(plan), rank=1)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by(F("starts_on").desc(nulls_last=True))
        .annotate(
            category=Case(
                When(awaiting_placement=True, then=Value(AWAITING)),
                When(establishment__isnull=False, then=F("establishment__kind")),
                *(
                    When(sen_setting=code, then=Value(kind))
                    for code, kind in SETTING_CATEGORY.items()
                ),
                default=Value(EstablishmentKind.OTHER.value),
                output_field=models.CharField(),
            )
        )
        .values("category")[:1]
    )
    return Subquery(in_force, output_field=models.CharField())


# --- populations ---------------------------------------------------------------------------------
PeriodQ = Callable[[Period], Q]
#: The caseworkers whose children a figure is limited to (a caseworker's own dashboard); None is
#: the whole council.
Within = Collection[int] | None


@dataclass(frozen=True)
class Population:
    """Rows of `model` chosen by `base(period)`; `numerator(period)` marks those that count.

    `event` is the date a row is dated by (age band at the event, the drill-down's first date);
    None for stock figures, which are dated by the period's end. Paths (`child`, `need`, `source`,
    `plan`) lead from the row to the child, the primary need, the request's source and the plan;
    an empty path means the breakdown does not apply.
    """

    subject: str
    model: type[models.Model]
    base: PeriodQ
    child: str
    dates: tuple[tuple[str, str], ...]
    numerator: PeriodQ | None = None
    event: str | None = None
    need: str = ""
    source: str = ""
    plan: str = ""
    weeks_between: tuple[str, str] | None = None
    annotate: Callable[[Period], dict[str, Any]] | None = None
    #: A stock's months counted in one scan of the table (False where each month's condition
    #: is a correlated subquery, which one scan would run once per month for every row).
    one_scan: bool = True
    extra_breakdowns: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)

    @property
    def style(self) -> str:
        if self.weeks_between is not None:
            return Style.MEAN_WEEKS
        return Style.PERCENT if self.numerator is not None else Style.COUNT

    def breakdowns(self) -> tuple[str, ...]:
        names = ["age_band", "caseworker"]
        names += [n for n, path in (("primary_need", self.need), ("source", self.source)) if path]
        if self.plan:
            names.append("category")
        return (*names, *self.extra_breakdowns)

    def rows(self, period: Period, within: Within = None) -> QuerySet[Any]:
        queryset: QuerySet[Any] = self.model._default_manager.all()
        if self.annotate is not None:
            queryset = queryset.annotate(**self.annotate(period))
        if within is not None:
            queryset = queryset.filter(**{f"{self.child}__caseworker_id__in": within})
        return queryset.filter(self.base(period))

    def _aggregates(self, period: Period) -> dict[str, Any]:
        if self.weeks_between is not None:
            later, earlier = self.weeks_between
            days = ExpressionWrapper(
                _date_number_days(F(later)) - _date_number_days(F(earlier)),
                output_field=IntegerField(),
            )
            return {"n": Coalesce(Sum(days), 0), "d": Count("pk")}
        if self.numerator is not None:
            return {"n": Count("pk", filter=self.numerator(period)), "d": Count("pk")}
        return {"n": Count("pk")}

    def _finish(self, numbers: dict[str, Any]) -> tuple[Number, int | None]:
        if self.weeks_between is not None:
            return Decimal(numbers["n"] or 0) / Decimal(7), int(numbers["d"])
        if self.numerator is not None:
            return int(numbers["n"]), int(numbers["d"])
        return int(numbers["n"]), None

    def total(self, period: Period, within: Within = None) -> tuple[Number, int | None]:
        return self._finish(self.rows(period, within).aggregate(**self._aggregates(period)))

    def series(
        self, months: Sequence[Period], within: Within = None
    ) -> list[tuple[Number, int | None]]:
        """Consecutive months in one query grouped by the event's month (a flow), else one
        query a month (a stock is counted at each month's end)."""
        if len(months) < 2:
            return [self.total(month, within) for month in months]
        if self.event is None:
            return self._stock_series(months, within)
        span = Period(months[0].start, months[-1].end, PeriodKind.MONTH, "span")
        grouped = (
            self.rows(span, within)
            .annotate(_y=ExtractYear(self.event), _m=ExtractMonth(self.event))
            .order_by()
            .values("_y", "_m")
            .annotate(**self._aggregates(span))
        )
        found = {(row["_y"], row["_m"]): self._finish(row) for row in grouped}
        empty = self._finish({"n": 0, "d": 0})
        return [found.get((m.start.year, m.start.month), empty) for m in months]

    def _stock_series(
        self, months: Sequence[Period], within: Within
    ) -> list[tuple[Number, int | None]]:
        """A stock at each month's end in one scan: one filtered count per month."""
        if self.numerator is not None or self.weeks_between is not None or not self.one_scan:
            return [self.total(month, within) for month in months]
        queryset: QuerySet[Any] = self.model._default_manager.all()
        if self.annotate is not None:
            queryset = queryset.annotate(**self.annotate(months[-1]))
        if within is not None:
            queryset = queryset.filter(**{f"{self.child}__caseworker_id__in": within})
        counts = queryset.aggregate(
            **{f"m{i}": Count("pk", filter=self.base(m)) for i, m in enumerate(months)}
        )
        return [(int(counts[f"m{i}"]), None) for i in range(len(months))]

    def _key(self, name: str, period: Period) -> tuple[dict[str, Any], Callable[[Any], str]]:
        """Annotations that give the breakdown key `_key`, and how a key is labelled."""
        on = F(self.event) if self.event else Value(period.end, output_field=DateField())
        if name == "age_band":
            return (
                {
                    "_age": age_expression(born=f"{self.child}__date_of_birth", on=on),
                    "_key": age_band_case("_age"),
                },
                lambda k: AGE_BAND_LABELS.get(k, k),
            )
        if name == "primary_need":
            labels = dict(SenType.choices)
            return (
                {"_key": Coalesce(F(self.need), Value(NOT_KNOWN))},
                lambda k: labels.get(k, "Not known") if k else "Not known",
            )
        if name == "source":
            labels = dict(RequestSource.choices)
            return ({"_key": F(self.source)}, lambda k: labels.get(k, k))
        if name == "category":
            return (
                {"_key": Coalesce(placement_category_at(plan=self.plan, on=on), Value("none"))},
                lambda k: CATEGORY_LABELS.get(k, k),
            )
        if name == "caseworker":
            return ({"_key": F(f"{self.child}__caseworker_id")}, str)
        path, labels = self.extra_breakdowns[name]
        return ({"_key": F(path)}, lambda k: labels.get(str(k), str(k)))

    def grouped(
        self, name: str, period: Period, within: Within = None
    ) -> dict[str, tuple[str, Number, int | None]]:
        annotations, label = self._key(name, period)
        grouped = (
            self.rows(period, within)
            .annotate(**annotations)
            .order_by()
            .values("_key")
            .annotate(**self._aggregates(period))
        )
        out: dict[str, tuple[str, Number, int | None]] = {}
        for row in grouped:
            key = "" if row["_key"] is None else str(row["_key"])
            numerator, denominator = self._finish(row)
            text = label(row["_key"]) if key else "Not known"
            out[key or NOT_KNOWN] = (text or "Not known", numerator, denominator)
        if name == "caseworker":
            out = _name_caseworkers(out)
        return out

    def cases(
        self, period: Period, within: Within = None, *, counted: str | None = None
    ) -> list[CaseRow]:
        child = self.child
        fields = [
            "pk",
            f"{child}_id",
            f"{child}__reference",
            f"{child}__first_name",
            f"{child}__last_name",
        ]
        date_fields = [path for _, path in self.dates]
        queryset = self.rows(period, within)
        if self.numerator is not None and self.weeks_between is None:
            queryset = queryset.annotate(
                _in=Case(When(self.numerator(period), then=Value(1)), default=Value(0))
            )
            fields.append("_in")
        order: list[Any] = [F(date_fields[0]).asc(nulls_last=True), f"{child}__last_name"]
        out = []
        for row in queryset.order_by(*order).values(*fields, *date_fields):
            if counted is not None:
                label = counted
            elif "_in" in row:
                label = NUMERATOR if row["_in"] else DENOMINATOR_ONLY
            else:
                label = NUMERATOR
            out.append(
                CaseRow(
                    child_id=row[f"{child}_id"],
                    reference=row[f"{child}__reference"],
                    name=f"{row[f'{child}__first_name']} {row[f'{child}__last_name']}",
                    subject=self.subject,
                    subject_id=row["pk"],
                    dates=tuple((label_, row[path]) for label_, path in self.dates),
                    counted=label,
                )
            )
        return out


class _DaysSinceEpoch(models.Func):
    """A date as a day number, the same on PostgreSQL and SQLite, so gaps subtract exactly."""

    output_field = IntegerField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler, connection, template="(CAST(%(expressions)s AS date) - DATE '1970-01-01')"
        )
        return sql, list(params)

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - julianday('1970-01-01') AS INTEGER)",
        )
        return sql, list(params)


def _date_number_days(expression: Any) -> Any:
    return _DaysSinceEpoch(expression)


def _name_caseworkers(
    groups: dict[str, tuple[str, Number, int | None]],
) -> dict[str, tuple[str, Number, int | None]]:
    """Caseworker keys are user ids: label them with names in one query."""
    ids = [int(k) for k in groups if k.isdigit()]
    names = {str(u.pk): u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids)}
    return {
        key: (names.get(key, "Not allocated"), numerator, denominator)
        for key, (_, numerator, denominator) in groups.items()
    }


# --- measures -----------------------------------------------------------------------------------
class Measure(Protocol):
    @property
    def style(self) -> str: ...

    def total(self, period: Period, within: Within = None) -> tuple[Number, int | None]: ...

    def series(
        self, months: Sequence[Period], within: Within = None
    ) -> list[tuple[Number, int | None]]: ...

    def breakdowns(self) -> tuple[str, ...]: ...

    def grouped(
        self, name: str, period: Period, within: Within = None
    ) -> dict[str, tuple[str, Number, int | None]]: ...

    def cases(self, period: Period, within: Within = None) -> list[CaseRow]: ...


@dataclass(frozen=True)
class Part:
    label: str
    population: Population
    sign: int = 1


@dataclass(frozen=True)
class Combination:
    """Signed counts of several populations: a count (`denominator` empty) or a percentage of
    `numerator` parts over `denominator` parts (the appeal rate)."""

    numerator: tuple[Part, ...]
    denominator: tuple[Part, ...] = ()

    @property
    def style(self) -> str:
        return Style.PERCENT if self.denominator else Style.COUNT

    def _sum(self, parts: Iterable[Part], period: Period, within: Within) -> int:
        return sum(part.sign * int(part.population.total(period, within)[0]) for part in parts)

    def total(self, period: Period, within: Within = None) -> tuple[Number, int | None]:
        numerator = self._sum(self.numerator, period, within)
        if not self.denominator:
            return numerator, None
        return numerator, self._sum(self.denominator, period, within)

    def series(
        self, months: Sequence[Period], within: Within = None
    ) -> list[tuple[Number, int | None]]:
        def summed(parts: Iterable[Part]) -> list[int]:
            totals = [0] * len(months)
            for part in parts:
                for i, (count, _) in enumerate(part.population.series(months, within)):
                    totals[i] += part.sign * int(count)
            return totals

        numerators = summed(self.numerator)
        if not self.denominator:
            return [(n, None) for n in numerators]
        return list(zip(numerators, summed(self.denominator), strict=True))

    def breakdowns(self) -> tuple[str, ...]:
        shared = set.intersection(
            *(set(p.population.breakdowns()) for p in (*self.numerator, *self.denominator))
        )
        return tuple(n for n in self.numerator[0].population.breakdowns() if n in shared)

    def grouped(
        self, name: str, period: Period, within: Within = None
    ) -> dict[str, tuple[str, Number, int | None]]:
        out: dict[str, tuple[str, Number, int | None]] = {}
        for side, parts in (("n", self.numerator), ("d", self.denominator)):
            for part in parts:
                groups = part.population.grouped(name, period, within)
                for key, (label, count, _) in groups.items():
                    old_label, n, d = out.get(key, (label, 0, 0 if self.denominator else None))
                    if side == "n":
                        n = int(n) + part.sign * int(count)
                    else:
                        d = (d or 0) + part.sign * int(count)
                    out[key] = (old_label or label, n, d)
        return out

    def cases(self, period: Period, within: Within = None) -> list[CaseRow]:
        rows: list[CaseRow] = []
        for part in (*self.numerator, *self.denominator):
            for row in part.population.cases(period, within, counted=part.label):
                rows.append(_signed(row, part.sign))
        return rows


def _signed(row: CaseRow, sign: int) -> CaseRow:
    return CaseRow(**{**row.__dict__, "sign": sign})


def figure(
    *,
    metric_id: str,
    measure: Measure,
    period: Period,
    breakdown: str | None = None,
    within: Within = None,
) -> Figure:
    numerator, denominator = measure.total(period, within)
    rows: tuple[BreakdownRow, ...] | None = None
    if breakdown:
        groups = measure.grouped(breakdown, period, within)
        rows = tuple(
            BreakdownRow(
                key=key,
                label=label,
                value=value_of(measure.style, n, d),
                numerator=n,
                denominator=d,
            )
            for key, (label, n, d) in sorted(groups.items(), key=lambda kv: _order(breakdown, kv))
        )
    return Figure(
        metric_id=metric_id,
        period=period,
        value=value_of(measure.style, numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        breakdown=rows,
    )


def figures(
    *, metric_id: str, measure: Measure, months: Sequence[Period], within: Within = None
) -> list[Figure]:
    """The metric for each of consecutive months (trend lines, the scorecard's columns)."""
    return [
        Figure(metric_id, month, value_of(measure.style, n, d), n, d)
        for month, (n, d) in zip(months, measure.series(months, within), strict=True)
    ]


def _order(breakdown: str, item: tuple[str, tuple[str, Number, int | None]]) -> tuple[Any, ...]:
    key, (label, _, _) = item
    if breakdown == "age_band":
        keys = [k for k, _, _, _ in AGE_BANDS]
        return (keys.index(key) if key in keys else len(keys), label)
    return (key in (NOT_KNOWN, NONE_CATEGORY), label.lower())


# --- shared conditions --------------------------------------------------------------------------
def between(path: str, period: Period) -> Q:
    """The event dated `path` happened in the period (inclusive dates)."""
    return Q(**{f"{path}__gte": period.start, f"{path}__lte": period.end})


def not_by(path: str, day: dt.date) -> Q:
    """The event dated `path` had not happened by the end of `day` (or never happened)."""
    return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__gt": day})
