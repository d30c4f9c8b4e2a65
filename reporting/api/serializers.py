"""Shapes of the reporting API (api.md "Reporting"): the queries it takes and the bodies it gives.

Queries check shape only (a period, a month); what a metric can be broken down by and whose
cases a reader sees are decided by the registry and the selectors. Figures are unrounded JSON
numbers, not strings: `NumberField` turns the engine's Decimals into floats (and leaves counts
as integers), whatever COERCE_DECIMAL_TO_STRING says for model decimals elsewhere.
"""

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from cases.codes import EstablishmentKind
from reporting.api.messages import (
    DATE_IMPOSSIBLE,
    DATE_REQUIRED,
    MONTH_IMPOSSIBLE,
    MONTH_MALFORMED,
    MONTH_REQUIRED,
    NUMBER_INVALID,
    NUMBER_RANGE,
    SPAN_TOO_LONG,
    TO_BEFORE_FROM,
    UNKNOWN_KEYS,
    WHOLE_NUMBER_RANGE,
)
from reporting.metrics import Figure, Kind, Metric, Polarity, Unit
from reporting.models import Scorecard
from reporting.periods import Period, PeriodError, month_period, parse_period
from reporting.selectors.trajectory import PLACED_CATEGORIES, Trajectory, parameters_of
from reporting.trajectory import BAND_KEYS, MAX_YEARS, Year

#: The longest open-plans grid one request may ask for (20 years of month ends).
MAX_MONTHS = 240
_MONTH = re.compile(r"(\d{4})-(\d{2})")


# --- query fields --------------------------------------------------------------------------------
class PeriodField(serializers.Field):  # type: ignore[type-arg]
    """A period key (`2025-08`, `2025-Q3`, `AY2024`...); a missing one gets the same message as
    an empty one, so a client always learns the forms a period may take."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        return super().validate_empty_values("" if data is empty else data)

    def to_internal_value(self, data: Any) -> Period:
        try:
            return parse_period(str(data))
        except PeriodError as error:
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value: Period) -> str:
        return value.key


class MonthField(serializers.Field):  # type: ignore[type-arg]
    """One calendar month, `YYYY-MM`."""

    default_error_messages = {"required": MONTH_REQUIRED}

    def to_internal_value(self, data: Any) -> Period:
        value = str(data).strip()
        match = _MONTH.fullmatch(value)
        if not match:
            raise serializers.ValidationError(MONTH_REQUIRED if not value else MONTH_MALFORMED)
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise serializers.ValidationError(MONTH_IMPOSSIBLE.format(value=value))
        try:
            return month_period(year, month)
        except PeriodError as error:  # a year outside the range periods cover
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value: Period) -> str:
        return value.key


class FigureQuery(serializers.Serializer):  # type: ignore[type-arg]
    period = PeriodField()
    breakdown = serializers.CharField(required=False, allow_blank=True, default="")


class CasesQuery(serializers.Serializer):  # type: ignore[type-arg]
    period = PeriodField()


class OpenPlansQuery(serializers.Serializer):  # type: ignore[type-arg]
    """`from` and `to`, two months, `to` not before `from`, at most MAX_MONTHS apart."""

    to = MonthField()

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        return {"from": MonthField(), **fields}  # `from` is a keyword: no class attribute

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first: Period = attrs["from"]
        last: Period = attrs["to"]
        months = _month_index(last.start) - _month_index(first.start) + 1
        if months < 1:
            raise serializers.ValidationError({"to": [TO_BEFORE_FROM]})
        if months > MAX_MONTHS:
            raise serializers.ValidationError(
                {"to": [SPAN_TOO_LONG.format(max=MAX_MONTHS, months=months)]}
            )
        return attrs


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


# --- output fields -------------------------------------------------------------------------------
@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):  # type: ignore[type-arg]
    """An unrounded figure as a JSON number: a Decimal becomes a float, an integer stays one."""

    def to_representation(self, value: Decimal | int) -> float | int:
        return float(value) if isinstance(value, Decimal) else int(value)


@extend_schema_field({"type": "string", "enum": [u.value for u in Unit]})
class UnitField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": [p.value for p in Polarity]})
class PolarityField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": [k.value for k in Kind]})
class KindField(serializers.CharField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "format": "date", "nullable": True},
        "example": {"Request received": "2025-09-08", "Decision made": "2025-10-20"},
    }
)
class DatesField(serializers.Field):  # type: ignore[type-arg]
    """The dates a definition used, in its order, as {label: YYYY-MM-DD or null}."""

    def to_representation(
        self, value: tuple[tuple[str, dt.date | None], ...]
    ) -> dict[str, str | None]:
        return {label: day.isoformat() if day else None for label, day in value}


# --- bodies --------------------------------------------------------------------------------------
class MetricSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One entry of the registry: its words, unit, polarity and kind (reporting.md section 2)."""

    id = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField(help_text="The words printed in the scorecard's annex.")
    unit = UnitField()
    polarity = PolarityField()
    kind = KindField(help_text="`flow`: events in the period; `stock`: at the period's last day.")
    section = serializers.CharField(source="section.value", help_text="The scorecard's heading.")
    numerator = serializers.CharField(help_text="What the numerator counts.")
    denominator = serializers.CharField(help_text="What the denominator counts; empty for a count.")
    version = serializers.IntegerField(help_text="The definition's version.")
    variant_of = serializers.CharField(
        help_text="The metric this one is the 'excluding exceptions' variant of; empty if none."
    )
    breakdowns = serializers.ListField(
        child=serializers.CharField(), help_text="Values the figure's `breakdown` accepts."
    )


class BreakdownRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    # The name clashes with an attribute of Field in the stubs; as a serializer field it is right.
    label = serializers.CharField()  # type: ignore[assignment]
    value = NumberField(allow_null=True)
    numerator = NumberField()
    denominator = serializers.IntegerField(allow_null=True)


class FigureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A metric for a period, unrounded; `breakdown` only when one was asked for."""

    # The context gives `metric` (its title and unit) and `scope` (whose children it counts).

    id = serializers.CharField(source="metric_id")
    title = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    period = serializers.CharField(source="period.key")
    period_label = serializers.CharField(source="period.label")
    scope = serializers.SerializerMethodField(
        help_text="Whose children it counts: 'Whole council', a team or 'My caseload'."
    )
    value = NumberField(
        allow_null=True,
        help_text="A percentage is 100 x numerator / denominator; null when the denominator is 0.",
    )
    numerator = NumberField(help_text="For a count, the count itself (equal to `value`).")
    denominator = serializers.IntegerField(allow_null=True, help_text="Null for a count.")
    breakdown = BreakdownRowSerializer(many=True, required=False)

    def get_title(self, figure: Figure) -> str:
        metric: Metric = self.context["metric"]
        return metric.title

    @extend_schema_field({"type": "string", "enum": [u.value for u in Unit]})
    def get_unit(self, figure: Figure) -> str:
        metric: Metric = self.context["metric"]
        return metric.unit.value

    def get_scope(self, figure: Figure) -> str:
        return str(self.context["scope"].label)

    def to_representation(self, instance: Figure) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.breakdown is None:
            data.pop("breakdown")
        return data


class CaseRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One case behind a figure (drill-down)."""

    child = serializers.UUIDField(source="child_id")
    reference = serializers.CharField()
    name = serializers.CharField()
    subject = serializers.CharField(help_text="What the row is: a request, a plan, advice...")
    subject_id = serializers.UUIDField()
    dates = DatesField()
    counted = serializers.CharField(
        help_text="`numerator`, `denominator only`, or for a combined figure the part's name."
    )
    sign = serializers.IntegerField(help_text="-1 for a part a combined figure subtracts.")


class MonthCountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.CharField(source="month.key", help_text="YYYY-MM")
    open_plans = serializers.IntegerField(help_text="Plans in force at the month's last day.")


class ScorecardSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Scorecard
        fields = ["period", "published_at", "pdf"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, card: Scorecard) -> str:
        try:
            path = reverse("reporting:scorecard-pdf", kwargs={"period": card.period})
        except NoReverseMatch:
            path = f"/reporting/scorecards/{card.period}.pdf"
        return str(self.context["request"].build_absolute_uri(path))


# --- high needs ----------------------------------------------------------------------------------
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class DayField(serializers.Field):  # type: ignore[type-arg]
    """One date, `YYYY-MM-DD`; a missing or empty one gets the same message as a malformed one."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        return super().validate_empty_values("" if data is empty else data)

    def to_internal_value(self, data: Any) -> dt.date:
        value = str(data).strip()
        match = _DATE.fullmatch(value)
        if not match:
            raise serializers.ValidationError(DATE_REQUIRED)
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise serializers.ValidationError(DATE_IMPOSSIBLE.format(value=value)) from None

    def to_representation(self, value: dt.date) -> str:
        return value.isoformat()


class HighNeedsQuery(serializers.Serializer):  # type: ignore[type-arg]
    on = DayField()


class HighNeedsRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.CharField(
        help_text="The kind of the rank-1 placement in force on the date, or `none`."
    )
    age_band = serializers.CharField(
        help_text="`under_5`, `5_10`, `11_15`, `16_19` or `20_25`: the age on 31 August before "
        "the date's school year."
    )
    plans = serializers.IntegerField()
    annual_cost = NumberField(help_text="The sum of the plans' placements' annual costs (GBP).")


class HighNeedsNeedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.CharField()
    primary_need = serializers.CharField(help_text="The plan's primary need (SEN2 SENtype).")
    plans = serializers.IntegerField()
    annual_cost = NumberField()


class HighNeedsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Plans in force on a date by DSG placement category and age band, with their cost."""

    on = serializers.DateField()
    age_on = serializers.DateField(
        source="age_date", help_text="31 August before the date's school year: ages are on it."
    )
    scope = serializers.CharField(
        source="scope_label",
        help_text="Whose children it counts: 'Whole council', a team or 'My caseload'.",
    )
    rows = HighNeedsRowSerializer(many=True)
    total_plans = serializers.IntegerField()
    total_annual_cost = NumberField()
    awaiting_placement = serializers.IntegerField(
        help_text="Plans in force waiting for a placement (in `none`)."
    )
    by_need = HighNeedsNeedSerializer(
        many=True, help_text="The same plans by category and primary need."
    )


# --- trajectory and scenarios --------------------------------------------------------------------
class ScenarioNumberField(serializers.FloatField):
    """A finite number from `low` to `high`, with one message for either side of the range."""

    def __init__(self, *, low: float, high: float, **kwargs: Any) -> None:
        message = NUMBER_RANGE.format(low=low, high=high)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {"invalid": NUMBER_INVALID, "min_value": message, "max_value": message},
        )
        super().__init__(min_value=low, max_value=high, **kwargs)

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool):
            self.fail("invalid")
        value = float(super().to_internal_value(data))
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class KeyedNumbersField(serializers.DictField):
    """`{"special": 5, ...}`: numbers keyed by category or age band; unknown keys are refused."""

    def __init__(self, *, keys: tuple[str, ...], low: float, high: float, **kwargs: Any) -> None:
        self.keys = keys
        kwargs.setdefault("required", False)
        super().__init__(child=ScenarioNumberField(low=low, high=high), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, float]:
        values: dict[str, float] = super().to_internal_value(data)
        _known(values, self.keys)
        return values


def _known(values: dict[str, Any], keys: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(keys))
    if unknown:
        raise serializers.ValidationError(
            UNKNOWN_KEYS.format(
                keys=", ".join(f"'{k}'" for k in unknown),
                verb="is" if len(unknown) == 1 else "are",
                choices=", ".join(keys),
            )
        )


class CategoryField(serializers.ChoiceField):
    """A placement category new plans can go to: a kind of setting (every DSG category but
    `none`), so the schema names it EstablishmentKindEnum."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=EstablishmentKind.choices, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-12"})
class StartMonthField(MonthField):
    pass


class StepDownSerializer(serializers.Serializer):  # type: ignore[type-arg]
    to = CategoryField()
    pct = ScenarioNumberField(low=0, high=100, required=True)

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        return {"from": CategoryField(), **fields}


class OverflowField(serializers.DictField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(child=CategoryField(), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        values: dict[str, str] = super().to_internal_value(data)
        _known(values, PLACED_CATEGORIES)
        return values


class TrajectoryQuery(serializers.Serializer):  # type: ignore[type-arg]
    """A scenario: the start month and length, and any parameter to change from the fitted
    defaults (a parameter left out keeps its default)."""

    start = StartMonthField(help_text="The first projected month, YYYY-MM.")
    years = serializers.IntegerField(
        min_value=1,
        max_value=MAX_YEARS,
        default=5,
        error_messages={
            key: WHOLE_NUMBER_RANGE.format(low=1, high=MAX_YEARS)
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
    )
    request_change_pct = ScenarioNumberField(
        low=-100, high=1000, help_text="Change in requests each year, per cent (compounding)."
    )
    population_growth_pct = ScenarioNumberField(
        low=-100, high=1000, help_text="Population growth each year, per cent (compounding)."
    )
    requests_per_month = ScenarioNumberField(
        low=0, high=100_000, help_text="Requests for assessment a month before any change."
    )
    transfers_in_per_year = ScenarioNumberField(low=0, high=100_000)
    agree_to_assess_pct = ScenarioNumberField(low=0, high=100)
    issue_pct = ScenarioNumberField(low=0, high=100, help_text="Plans issued per assessment.")
    cessation_pct = KeyedNumbersField(
        keys=BAND_KEYS,
        low=0,
        high=100,
        help_text="Per age band: plans ceasing a year, per cent, besides ageing out at 25.",
    )
    placement_mix_shift = KeyedNumbersField(
        keys=PLACED_CATEGORIES,
        low=-100,
        high=100,
        help_text="Per category: points added to its share of new plans; they add up to 0.",
    )
    step_down = serializers.ListField(
        child=StepDownSerializer(),
        required=False,
        max_length=20,
        help_text="Each year, `pct` per cent of the plans in `from` move to `to`.",
    )
    unit_cost = KeyedNumbersField(
        keys=PLACED_CATEGORIES, low=0, high=10_000_000, help_text="Annual cost per plan (GBP)."
    )
    unit_cost_change_pct = KeyedNumbersField(
        keys=PLACED_CATEGORIES,
        low=-100,
        high=1000,
        help_text="Per category: change in the unit cost each year, per cent (compounding).",
    )
    capacity = KeyedNumbersField(
        keys=PLACED_CATEGORIES,
        low=0,
        high=10_000_000,
        help_text="Per category: the most plans it can hold; new plans past it overflow.",
    )
    overflow = OverflowField(
        help_text="Per capped category: where new plans go when it is full (defaults: "
        "mainstream to resourced provision, resourced provision to special, special to "
        "independent special)."
    )
    agreed_trajectory = serializers.ListField(
        child=serializers.IntegerField(
            min_value=0,
            max_value=10_000_000,
            error_messages={
                key: WHOLE_NUMBER_RANGE.format(low=0, high=10_000_000)
                for key in ("invalid", "min_value", "max_value", "max_string_length")
            },
        ),
        required=False,
        max_length=MAX_YEARS,
        help_text="The agreed plans in force at the end of each year, for the actuals.",
    )

    def parameters(self) -> dict[str, Any]:
        """The scenario's parameters: what was given, without the start, length and trajectory."""
        data = dict(self.validated_data)
        for name in ("start", "years", "agreed_trajectory"):
            data.pop(name, None)
        if "step_down" in data:
            data["step_down"] = [dict(item) for item in data["step_down"]]
        return data


class Amount(serializers.FloatField):
    """A model figure as a JSON number: plans to 1 decimal place, pounds to the penny."""


class TrajectoryCategorySerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.CharField()
    plans = Amount(help_text="Plans in force at the year's end (expected, 1 decimal).")
    annual_cost = Amount(help_text="Plans x unit cost (GBP).")
    unit_cost = Amount()
    new_plans = Amount(help_text="New plans placed in the category in the year.")
    turned_away = Amount(help_text="New plans sent to its overflow: no place left.")
    by_age_band = serializers.DictField(child=Amount())


class TrajectoryYearSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(help_text="1 is the start month and the 11 after it.")
    first_month = serializers.CharField()
    last_month = serializers.CharField()
    open_plans = Amount(help_text="Plans in force at the end of the year's last month.")
    annual_cost = Amount(help_text="Their annual cost at the year's unit costs (GBP).")
    requests = Amount()
    new_plans = Amount()
    ceased_plans = Amount(help_text="Including those ageing out at 25.")
    by_category = TrajectoryCategorySerializer(many=True)


class TrajectoryScenarioYearSerializer(TrajectoryYearSerializer):
    do_nothing_open_plans = Amount()
    do_nothing_annual_cost = Amount()
    cost_avoided = Amount(help_text="Do nothing's annual cost less the scenario's.")


class TrajectoryStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField(help_text="The census day: the day before the start month.")
    open_plans = Amount()
    annual_cost = Amount()
    by_category = TrajectoryCategorySerializer(many=True)


class TrajectoryActualSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.CharField()
    open_plans = serializers.IntegerField(help_text="Plans in force at the month's end.")
    agreed = Amount(allow_null=True, help_text="The agreed trajectory, month by month.")
    projected = Amount(help_text="The scenario, month by month.")


class TrajectorySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A scenario year by year against "do nothing" (the fitted defaults), with cost avoided."""

    start = serializers.CharField()
    start_position = TrajectoryStartSerializer()
    years = TrajectoryScenarioYearSerializer(many=True)
    do_nothing = TrajectoryYearSerializer(many=True)
    cost_avoided = Amount(help_text="Over all the years (GBP).")
    parameters = serializers.DictField(help_text="Every parameter as run.")
    defaults = serializers.DictField(help_text="The fitted do-nothing parameters.")
    basis = serializers.DictField(
        child=serializers.CharField(), help_text="What each default was fitted from."
    )
    actuals = TrajectoryActualSerializer(many=True)


def _one(value: float) -> float:
    return round(value, 1)


def _pence(value: float) -> float:
    return round(value, 2)


def _lines(year: Year) -> list[dict[str, Any]]:
    return [
        {
            "category": line.category,
            "plans": _one(line.plans),
            "annual_cost": _pence(line.annual_cost),
            "unit_cost": _pence(line.unit_cost),
            "new_plans": _one(line.new_plans),
            "turned_away": _one(line.turned_away),
            "by_age_band": {
                key: _one(plans) for key, plans in zip(BAND_KEYS, line.by_age_band, strict=True)
            },
        }
        for line in year.categories
        if line.plans or line.new_plans or line.turned_away
    ]


def _year(trajectory: Trajectory, year: Year) -> dict[str, Any]:
    first, last = trajectory.year_span(year.year)
    return {
        "year": year.year,
        "first_month": first.key,
        "last_month": last.key,
        "open_plans": _one(year.open_plans),
        "annual_cost": _pence(year.annual_cost),
        "requests": _one(year.requests),
        "new_plans": _one(year.new_plans),
        "ceased_plans": _one(year.ceased),
        "by_category": _lines(year),
    }


def trajectory_body(trajectory: Trajectory) -> dict[str, Any]:
    """The API's body for a scenario run (TrajectorySerializer's shape)."""
    comparison = trajectory.comparison
    start = comparison.scenario.start
    years = []
    for scenario, nothing, avoided in zip(
        comparison.scenario.years,
        comparison.do_nothing.years,
        comparison.cost_avoided_by_year,
        strict=True,
    ):
        years.append(
            {
                **_year(trajectory, scenario),
                "do_nothing_open_plans": _one(nothing.open_plans),
                "do_nothing_annual_cost": _pence(nothing.annual_cost),
                "cost_avoided": _pence(avoided),
            }
        )
    return {
        "start": trajectory.start.key,
        "start_position": {
            "on": trajectory.fitted.on,
            "open_plans": _one(start.open_plans),
            "annual_cost": _pence(start.annual_cost),
            "by_category": _lines(start),
        },
        "years": years,
        "do_nothing": [_year(trajectory, y) for y in comparison.do_nothing.years],
        "cost_avoided": _pence(comparison.cost_avoided),
        "parameters": parameters_of(trajectory.scenario),
        "defaults": parameters_of(trajectory.do_nothing),
        "basis": trajectory.fitted.basis,
        "actuals": [
            {
                "month": row.month.key,
                "open_plans": row.actual,
                "agreed": None if row.agreed is None else _one(row.agreed),
                "projected": _one(row.projected),
            }
            for row in trajectory.actuals
        ],
    }
