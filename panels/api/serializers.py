"""Output shapes (api.md "Panels") and plain input serializers that only check shape."""

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.codes import EstablishmentKind
from cases.models import AssessmentRequest, Establishment, Plan
from panels.models import (
    AgendaItem,
    Decision,
    FundingBand,
    ItemKind,
    Outcome,
    PanelMeeting,
    PanelType,
    ProfessionalRole,
)
from panels.selectors import current_decision
from send_cms.accounts.models import User

# --- output ------------------------------------------------------------------------------------


class PanelSerializer(serializers.ModelSerializer[PanelType]):
    class Meta:
        model = PanelType
        fields = [
            "id",
            "slug",
            "name",
            "purpose",
            "decision_kinds",
            "quorum_minimum",
            "quorum_roles",
            "cost_threshold",
            "version",
        ]


class FundingBandSerializer(serializers.ModelSerializer[FundingBand]):
    class Meta:
        model = FundingBand
        fields = [
            "id",
            "kind",
            "code",
            "name",
            "annual_value",
            "effective_from",
            "effective_to",
            "version",
        ]


class PlacementTermsSerializer(serializers.Serializer[Decision]):
    establishment = serializers.UUIDField(source="establishment_id")
    band = serializers.CharField(source="band_code")
    annual_cost = serializers.DecimalField(max_digits=10, decimal_places=2)
    cost_reason = serializers.CharField()
    starts_on = serializers.DateField()


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    placement = serializers.SerializerMethodField()
    dissenters = serializers.SerializerMethodField()
    case_placement = serializers.UUIDField(source="placement_id", allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "item",
            "outcome",
            "reasons",
            "dissent",
            "dissenters",
            "placement",
            "recorded_by",
            "is_current",
            "supersedes",
            "applied_at",
            "letter_dated_on",
            "case_placement",
            "created_at",
        ]

    @extend_schema_field(PlacementTermsSerializer(allow_null=True))
    def get_placement(self, obj: Decision) -> dict[str, Any] | None:
        if obj.establishment_id is None:
            return None
        return dict(PlacementTermsSerializer(obj).data)

    def get_dissenters(self, obj: Decision) -> list[int]:
        return [u.pk for u in obj.dissenters.all()]


class DeclarationSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField()
    interest = serializers.CharField()


class ItemSerializer(serializers.ModelSerializer[AgendaItem]):
    decision = serializers.SerializerMethodField()
    declarations = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "kind",
            "child",
            "request",
            "plan",
            "summary",
            "position",
            "status",
            "deferral_count",
            "carried_from",
            "proposed_establishment",
            "proposed_band",
            "proposed_starts_on",
            "declarations",
            "decision",
        ]

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj: AgendaItem) -> dict[str, Any] | None:
        decision = current_decision(obj)
        return dict(DecisionSerializer(decision).data) if decision else None

    @extend_schema_field(DeclarationSerializer(many=True))
    def get_declarations(self, obj: AgendaItem) -> list[dict[str, Any]]:
        return [{"member": d.member_id, "interest": d.interest} for d in obj.declarations.all()]


class MeetingSerializer(serializers.ModelSerializer[PanelMeeting]):
    panel_slug = serializers.CharField(source="panel.slug")
    members = serializers.SerializerMethodField(help_text="User ids present at the meeting.")
    invited = serializers.SerializerMethodField(help_text="User ids invited (present or not).")
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = PanelMeeting
        fields = [
            "id",
            "panel",
            "panel_slug",
            "held_on",
            "chair",
            "location",
            "members",
            "invited",
            "status",
            "started_at",
            "closed_at",
            "items",
        ]

    def get_members(self, obj: PanelMeeting) -> list[int]:
        return [m.user_id for m in obj.memberships.all() if m.present]

    def get_invited(self, obj: PanelMeeting) -> list[int]:
        return [m.user_id for m in obj.memberships.all()]


# --- input -------------------------------------------------------------------------------------


class PanelUpdateSerializer(serializers.Serializer[PanelType]):
    quorum_minimum = serializers.IntegerField(min_value=1, required=False)
    quorum_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ProfessionalRole.choices), required=False
    )
    cost_threshold = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, allow_null=True, required=False
    )


@extend_schema_field(OpenApiTypes.STR)
class PanelField(serializers.Field[PanelType, str, str, Any]):
    """A panel given by id or by slug."""

    default_error_messages = {"missing": "There is no panel {value}."}

    def to_internal_value(self, data: Any) -> PanelType:
        value = str(data)
        panel = PanelType.objects.filter(slug=value).first()
        if panel is None:
            try:
                panel = PanelType.objects.filter(pk=uuid.UUID(value)).first()
            except ValueError:  # neither a slug nor a UUID
                panel = None
        if panel is None:
            self.fail("missing", value=value)
        return panel

    def to_representation(self, value: PanelType) -> str:
        return str(value.pk)


def _users() -> Any:
    return User.objects.all()


class MeetingCreateSerializer(serializers.Serializer[PanelMeeting]):
    panel = PanelField()
    held_on = serializers.DateField()
    chair = serializers.PrimaryKeyRelatedField(queryset=_users())
    members = serializers.PrimaryKeyRelatedField(queryset=_users(), many=True)
    location = serializers.CharField(required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.Serializer[PanelMeeting]):
    members = serializers.PrimaryKeyRelatedField(queryset=_users(), many=True)


class ItemCreateSerializer(serializers.Serializer[AgendaItem]):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    request = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentRequest.objects.all(), required=False, allow_null=True
    )
    plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(), required=False, allow_null=True
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    proposed_establishment = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(), required=False, allow_null=True
    )
    proposed_band = serializers.CharField(required=False, allow_blank=True, default="")
    proposed_starts_on = serializers.DateField(required=False, allow_null=True)


class PlacementInputSerializer(serializers.Serializer[Decision]):
    establishment = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(), required=False, allow_null=True
    )
    band = serializers.CharField(required=False, allow_blank=True, default="")
    annual_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    cost_reason = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True)


class DecisionCreateSerializer(serializers.Serializer[Decision]):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    # Blank is let through so the service answers with the business rule's own words.
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    dissent = serializers.CharField(required=False, allow_blank=True, default="")
    dissenters = serializers.PrimaryKeyRelatedField(
        queryset=_users(), many=True, required=False, default=list
    )
    placement = PlacementInputSerializer(required=False, allow_null=True)


class DeclarationCreateSerializer(serializers.Serializer[AgendaItem]):
    member = serializers.PrimaryKeyRelatedField(queryset=_users(), required=False)
    interest = serializers.CharField(required=False, allow_blank=True, default="")


class FundingBandInputSerializer(serializers.Serializer[FundingBand]):
    kind = serializers.ChoiceField(choices=EstablishmentKind.choices)
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    annual_value = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True, default=None)
