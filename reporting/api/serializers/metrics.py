"""The bodies of the metrics, cases, open plans and scorecards endpoints."""

from typing import Any

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reporting.api.serializers.fields import (
    DatesField,
    KindField,
    NumberField,
    PolarityField,
    UnitField,
)
from reporting.metrics import Figure, Metric, Unit
from reporting.models import Scorecard


# --- bodies --------------------------------------------------------------------------------------
class MetricSerializer(serializers.Serializer[Any]):
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


class BreakdownRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    # The name clashes with an attribute of Field in the stubs; as a serializer field it is right.
    label = serializers.CharField()  # type: ignore[assignment]
    value = NumberField(allow_null=True)
    numerator = NumberField()
    denominator = serializers.IntegerField(allow_null=True)


class FigureSerializer(serializers.Serializer[Any]):
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


class CaseRowSerializer(serializers.Serializer[Any]):
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


class MonthCountSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(source="month.key", help_text="YYYY-MM")
    open_plans = serializers.IntegerField(help_text="Plans in force at the month's last day.")


class ScorecardSerializer(serializers.ModelSerializer[Scorecard]):
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
