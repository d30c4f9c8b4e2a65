"""A population: the rows of one table chosen by dated events in the period, and their figure."""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from cases.codes import RequestSource, SenType
from reporting.metrics.engine.breakdowns import (
    AGE_BAND_LABELS,
    CATEGORY_LABELS,
    NOT_KNOWN,
    age_band_case,
    age_expression,
    placement_category_at,
)
from reporting.metrics.engine.dates import DayNumber
from reporting.metrics.engine.figures import DENOMINATOR_ONLY, NUMERATOR, CaseRow, Number, Style
from reporting.periods import Period, PeriodKind
from send_cms.accounts.models import User

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


def _date_number_days(expression: Any) -> Any:
    return DayNumber(expression)


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


def population_kind(**shared: Any) -> Callable[..., Population]:
    """A maker of populations of one table: what all of them share (the table, where the child,
    need, source and plan are) said once, each population adding its own events and dates."""

    def make(**fields: Any) -> Population:
        return Population(**{**shared, **fields})

    return make
