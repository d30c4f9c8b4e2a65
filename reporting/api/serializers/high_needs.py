"""The high-needs census: its query (a day) and its body."""

import datetime as dt
import re
from typing import Any

from rest_framework import serializers
from rest_framework.fields import empty

from reporting.api.messages import DATE_IMPOSSIBLE, DATE_REQUIRED
from reporting.api.serializers.fields import NumberField

# --- high needs ----------------------------------------------------------------------------------
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class DayField(serializers.Field[Any, Any, Any, Any]):
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


class HighNeedsQuery(serializers.Serializer[Any]):
    on = DayField()


class HighNeedsRowSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(
        help_text="The kind of the rank-1 placement in force on the date, or `none`."
    )
    age_band = serializers.CharField(
        help_text="`under_5`, `5_10`, `11_15`, `16_19` or `20_25`: the age on 31 August before "
        "the date's school year."
    )
    plans = serializers.IntegerField()
    annual_cost = NumberField(help_text="The sum of the plans' placements' annual costs (GBP).")


class HighNeedsNeedSerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    primary_need = serializers.CharField(help_text="The plan's primary need (SEN2 SENtype).")
    plans = serializers.IntegerField()
    annual_cost = NumberField()


class HighNeedsSerializer(serializers.Serializer[Any]):
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
