"""The fields the reporting API's queries and bodies share: periods, months, unrounded numbers."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from reporting.api.messages import (
    MONTH_IMPOSSIBLE,
    MONTH_MALFORMED,
    MONTH_REQUIRED,
    SPAN_TOO_LONG,
    TO_BEFORE_FROM,
)
from reporting.metrics import Kind, Polarity, Unit
from reporting.periods import Period, PeriodError, month_period, parse_period

#: The longest open-plans grid one request may ask for (20 years of month ends).
MAX_MONTHS = 240
_MONTH = re.compile(r"(\d{4})-(\d{2})")


# --- query fields --------------------------------------------------------------------------------
class PeriodField(serializers.Field[Any, Any, Any, Any]):
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


class MonthField(serializers.Field[Any, Any, Any, Any]):
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


class FigureQuery(serializers.Serializer[Any]):
    period = PeriodField()
    breakdown = serializers.CharField(required=False, allow_blank=True, default="")


class CasesQuery(serializers.Serializer[Any]):
    period = PeriodField()


class OpenPlansQuery(serializers.Serializer[Any]):
    """`from` and `to`, two months, `to` not before `from`, at most MAX_MONTHS apart."""

    to = MonthField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
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
class NumberField(serializers.Field[Any, Any, Any, Any]):
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
class DatesField(serializers.Field[Any, Any, Any, Any]):
    """The dates a definition used, in its order, as {label: YYYY-MM-DD or null}."""

    def to_representation(
        self, value: tuple[tuple[str, dt.date | None], ...]
    ) -> dict[str, str | None]:
        return {label: day.isoformat() if day else None for label, day in value}
