"""Shapes of the timescale calculator API (api.md): the rules, a query, and a computed due date."""

import datetime as dt
import re
from typing import Any

from rest_framework import serializers

from send_cms.deadlines.calculator import PARAMETERS
from send_cms.deadlines.messages import DATE_IMPOSSIBLE, DATE_MALFORMED, START_REQUIRED

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDateField(serializers.Field):  # type: ignore[type-arg]
    """A YYYY-MM-DD date that tells a malformed value from an impossible one (2026-02-30)."""

    def to_internal_value(self, data: Any) -> dt.date:
        value = str(data).strip()
        if value == "" and self.required:
            self.fail("required")
        if not _ISO_DATE.fullmatch(value):
            raise serializers.ValidationError(DATE_MALFORMED)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise serializers.ValidationError(DATE_IMPOSSIBLE.format(value=value)) from None

    def to_representation(self, value: dt.date) -> str:
        return value.isoformat()


class CalculationQuery(serializers.Serializer):  # type: ignore[type-arg]
    """The query string: `start`, and each optional date a rule may take (e.g. `certificate`)."""

    start = IsoDateField(error_messages={"required": START_REQUIRED})

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        for name in PARAMETERS:
            fields[name] = IsoDateField(required=False)
        return fields


class ParameterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    # The names clash with attributes of Field in the stubs; as serializer fields they are right.
    label = serializers.CharField()  # type: ignore[assignment]
    required = serializers.BooleanField()  # type: ignore[assignment]


class RuleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField(source="id")
    title = serializers.CharField()
    regulation = serializers.CharField()
    unit = serializers.CharField()
    trigger = serializers.CharField(help_text="What the start date is.")
    parameters = ParameterSerializer(many=True, help_text="Optional dates besides `start`.")


class DueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField()
    title = serializers.CharField()
    start = serializers.DateField()
    due = serializers.DateField()
    practical_target = serializers.DateField(
        help_text="The last council working day on or before `due` (the same date when it is one)."
    )
    statutory_date = serializers.DateField(
        allow_null=True,
        help_text="Phase transfers only: the statutory date itself (15 Feb, 31 Mar).",
    )
    regulation = serializers.CharField()
    trigger = serializers.CharField()
    explanation = serializers.CharField()
