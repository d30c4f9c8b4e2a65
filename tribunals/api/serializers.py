"""Mediation and appeals API bodies (api.md "Mediation and appeals"). Output through
ModelSerializers; input through plain serializers that check shape only and hand clean data to a
service."""

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from cases.codes import EstablishmentKind
from cases.models import AssessmentRequest, Child, Plan
from send_cms.accounts.models import User
from send_cms.deadlines.display import DeadlineRow
from send_cms.timescales import get_rule
from tribunals.codes import (
    AgreementMatter,
    AppealType,
    AppellantKind,
    DecisionType,
    MediationOutcome,
    OrderKind,
    Outcome,
    RecommendationKind,
    Representation,
    Section,
)
from tribunals.deadlines import (
    appeal_deadline_rows,
    mediation_deadline_rows,
    order_deadline_rows,
)
from tribunals.models import (
    Appeal,
    ComplianceStep,
    Direction,
    Mediation,
    MediationAction,
    Order,
    Recommendation,
)
from tribunals.selectors import mediation_appeal_deadline
from tribunals.workflow import allowed_steps


class DeadlineSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField()
    title = serializers.CharField()
    due = serializers.DateField()
    met_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    explanation = serializers.CharField()
    regulation = serializers.CharField()
    subject = serializers.CharField()
    overridden = serializers.BooleanField()


def deadlines_data(rows: Sequence[DeadlineRow]) -> list[dict[str, Any]]:
    return [
        DeadlineSerializer(
            {
                "rule": r.rule,
                "title": r.title,
                "due": r.due,
                "met_on": r.met_on,
                "status": r.status.value,
                "explanation": r.explanation,
                "regulation": r.regulation,
                "subject": r.subject_label,
                "overridden": r.overridden,
            }
        ).data
        for r in rows
    ]


class StepSerializer(serializers.ModelSerializer[ComplianceStep]):
    title = serializers.SerializerMethodField()

    class Meta:
        model = ComplianceStep
        fields = ["rule", "title", "due_on", "complied_on", "applicable"]
        read_only_fields = fields

    def get_title(self, step: ComplianceStep) -> str:
        return get_rule(step.rule).title


class OrderSerializer(serializers.ModelSerializer[Order]):
    status = serializers.SerializerMethodField()
    steps = StepSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "appeal",
            "kind",
            "made_on",
            "sent_on",
            "runs_from",
            "wording",
            "status",
            "steps",
            "deadlines",
        ]
        read_only_fields = fields

    def get_status(self, order: Order) -> str:
        annotated = getattr(order, "order_status", None)
        if annotated is not None:
            return str(annotated)
        from tribunals.presenters import order_status

        return order_status(order)

    def get_deadlines(self, order: Order) -> list[dict[str, Any]]:
        return deadlines_data(order_deadline_rows(order, today=timezone.localdate()))


class DirectionSerializer(serializers.ModelSerializer[Direction]):
    class Meta:
        model = Direction
        fields = ["id", "description", "made_on", "due_on", "complied_on"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    class Meta:
        model = Recommendation
        fields = ["id", "kind", "made_on", "summary", "responded_on", "response"]
        read_only_fields = fields


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    sections = serializers.ListField(child=serializers.CharField(), read_only=True)
    orders = serializers.SerializerMethodField()
    directions = DirectionSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id",
            "child",
            "request",
            "plan",
            "mediation",
            "version",
            "status",
            "tribunal_reference",
            "appellant_name",
            "appellant_kind",
            "appeal_type",
            "sections",
            "setting_kind_sought",
            "decision_notice_on",
            "certificate_issued_on",
            "lodged_on",
            "received_by_la_on",
            "response_due_on",
            "response_submitted_on",
            "hearing_on",
            "outcome",
            "decided_on",
            "unopposed",
            "legal_costs",
            "counsel_costs",
            "expert_costs",
            "la_representation",
            "la_representative",
            "la_representative_name",
            "orders",
            "directions",
            "recommendations",
            "deadlines",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_orders(self, appeal: Appeal) -> list[dict[str, Any]]:
        orders = list(appeal.orders.all())
        for order in orders:
            order.appeal = appeal  # the rows below read the appeal: no query per order
        return [dict(OrderSerializer(order).data) for order in orders]

    def get_deadlines(self, appeal: Appeal) -> list[dict[str, Any]]:
        return deadlines_data(appeal_deadline_rows(appeal, today=timezone.localdate()))

    def get_allowed_actions(self, appeal: Appeal) -> list[str]:
        return [str(step) for step in allowed_steps(appeal.status)]


class MediationActionSerializer(serializers.ModelSerializer[MediationAction]):
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = MediationAction
        fields = ["id", "matter", "description", "agreed_on", "steps"]
        read_only_fields = fields


class MediationSerializer(serializers.ModelSerializer[Mediation]):
    actions = MediationActionSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()
    appeal_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Mediation
        fields = [
            "id",
            "child",
            "request",
            "plan",
            "decision_type",
            "decision_notice_on",
            "family_contacted_on",
            "mediation_wanted",
            "la_informed_on",
            "not_arranged_on",
            "held_on",
            "outcome",
            "certificate_issued_on",
            "certificate_kind",
            "mediator",
            "notes",
            "actions",
            "appeal_deadline",
            "deadlines",
        ]
        read_only_fields = fields

    def get_deadlines(self, mediation: Mediation) -> list[dict[str, Any]]:
        return deadlines_data(mediation_deadline_rows(mediation, today=timezone.localdate()))

    def get_appeal_deadline(self, mediation: Mediation) -> dict[str, Any]:
        due = mediation_appeal_deadline(mediation)
        return {"due": due.due.isoformat(), "explanation": due.explanation}


# --- input ------------------------------------------------------------------------------------
def _optional_date() -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True)


class MediationInput(serializers.Serializer[Any]):
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    request = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentRequest.objects.all(), required=False, allow_null=True
    )
    plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(), required=False, allow_null=True
    )
    decision_type = serializers.ChoiceField(choices=DecisionType.choices)
    decision_notice_on = serializers.DateField()
    family_contacted_on = _optional_date()
    mediation_wanted = serializers.BooleanField(required=False, allow_null=True, default=None)
    la_informed_on = _optional_date()
    not_arranged_on = _optional_date()
    held_on = _optional_date()
    outcome = serializers.ChoiceField(
        choices=MediationOutcome.choices, required=False, allow_blank=True
    )
    certificate_issued_on = _optional_date()
    mediator = serializers.CharField(required=False, allow_blank=True, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True)


class ContactInput(serializers.Serializer[Any]):
    family_contacted_on = serializers.DateField()
    mediation_wanted = serializers.BooleanField(allow_null=True)
    la_informed_on = _optional_date()


class WantedInput(serializers.Serializer[Any]):
    la_informed_on = serializers.DateField()


class NotArrangedInput(serializers.Serializer[Any]):
    not_arranged_on = serializers.DateField()


class HeldInput(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(
        choices=[MediationOutcome.AGREEMENT, MediationOutcome.NO_AGREEMENT]
    )


class CertificateInput(serializers.Serializer[Any]):
    issued_on = serializers.DateField()


class AgreementActionInput(serializers.Serializer[Any]):
    matter = serializers.ChoiceField(choices=AgreementMatter.choices)
    description = serializers.CharField()


class ActionCompliedInput(serializers.Serializer[Any]):
    action = serializers.UUIDField()
    complied_on = serializers.DateField()
    step = serializers.CharField(required=False, allow_blank=True)


class AppealInput(serializers.Serializer[Any]):
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    request = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentRequest.objects.all(), required=False, allow_null=True
    )
    plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(), required=False, allow_null=True
    )
    mediation = serializers.PrimaryKeyRelatedField(
        queryset=Mediation.objects.all(), required=False, allow_null=True
    )
    appeal_type = serializers.ChoiceField(choices=AppealType.choices)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=Section.choices), required=False, default=list
    )
    decision_notice_on = serializers.DateField()
    certificate_issued_on = _optional_date()
    lodged_on = _optional_date()
    received_by_la_on = serializers.DateField()
    response_due_on = _optional_date()
    appellant_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    appellant_kind = serializers.ChoiceField(choices=AppellantKind.choices, required=False)
    setting_kind_sought = serializers.ChoiceField(
        choices=EstablishmentKind.choices, required=False, allow_blank=True
    )
    tribunal_reference = serializers.CharField(required=False, allow_blank=True, max_length=40)
    la_representation = serializers.ChoiceField(
        choices=Representation.choices, required=False, allow_blank=True
    )
    la_representative = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    la_representative_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AppealUpdateInput(serializers.Serializer[Any]):
    tribunal_reference = serializers.CharField(required=False, allow_blank=True, max_length=40)
    appellant_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    appellant_kind = serializers.ChoiceField(choices=AppellantKind.choices, required=False)
    setting_kind_sought = serializers.ChoiceField(
        choices=EstablishmentKind.choices, required=False, allow_blank=True
    )
    lodged_on = _optional_date()
    response_due_on = _optional_date()
    legal_costs = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    counsel_costs = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    expert_costs = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    la_representation = serializers.ChoiceField(
        choices=Representation.choices, required=False, allow_blank=True
    )
    la_representative = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    la_representative_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ResponseInput(serializers.Serializer[Any]):
    submitted_on = serializers.DateField()


class HearingInput(serializers.Serializer[Any]):
    hearing_on = serializers.DateField()


class OutcomeInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    decided_on = serializers.DateField()


class OrderInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=OrderKind.choices)
    made_on = _optional_date()
    sent_on = _optional_date()
    wording = serializers.CharField(required=False, allow_blank=True)


class CompliedInput(serializers.Serializer[Any]):
    complied_on = serializers.DateField()
    step = serializers.CharField(required=False, allow_blank=True)


class DirectionInput(serializers.Serializer[Any]):
    description = serializers.CharField()
    due_on = serializers.DateField()
    made_on = _optional_date()


class DirectionCompliedInput(serializers.Serializer[Any]):
    direction = serializers.UUIDField()
    complied_on = serializers.DateField()


class RecommendationInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=RecommendationKind.choices)
    made_on = serializers.DateField()
    summary = serializers.CharField()


class RecommendationResponseInput(serializers.Serializer[Any]):
    recommendation = serializers.UUIDField()
    responded_on = serializers.DateField()
    response = serializers.CharField(required=False, allow_blank=True)
