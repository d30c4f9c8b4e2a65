"""The trajectory query: a scenario's parameters, checked for shape."""

import math
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.codes import EstablishmentKind
from reporting.api.messages import NUMBER_INVALID, NUMBER_RANGE, UNKNOWN_KEYS, WHOLE_NUMBER_RANGE
from reporting.api.serializers.fields import MonthField
from reporting.selectors.trajectory import PLACED_CATEGORIES
from reporting.trajectory import BAND_KEYS, MAX_YEARS


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


class StepDownSerializer(serializers.Serializer[Any]):
    to = CategoryField()
    pct = ScenarioNumberField(low=0, high=100, required=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
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


class TrajectoryQuery(serializers.Serializer[Any]):
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
