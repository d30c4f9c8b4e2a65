"""Shapes of the casework API (api.md). Output through ModelSerializers; input through plain
Serializers that check shape only and hand clean data to a service."""

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from cases import workflow
from cases.codes import (
    ADVICE_WITHOUT_TIME_LIMIT,
    SETTING_RANKS,
    AdviceKind,
    CeaseReason,
    Channel,
    EstablishmentKind,
    Ethnicity,
    RequestSource,
    SenSetting,
    SenType,
    Sex,
    UpnUnknown,
)
from cases.models import (
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    Child,
    DraftConsultation,
    Establishment,
    IssueDecision,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
    TimescaleException,
)
from cases.services import REQUEST_RULES
from send_cms.accounts.models import User
from send_cms.deadlines.models import Deadline
from send_cms.timescales import (
    DeadlineStatus,
    ExceptionType,
    WorkingCalendar,
    compute,
    deadline_status,
)

RECEIVED_ON_OR_AT = (
    "Give the date the request was received (received_on) or the time it arrived (received_at)."
)
RECEIVED_ON_AND_AT = "Give received_on or received_at, not both."


def _blank_choice(choices: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, default="")


# --- children ------------------------------------------------------------------------------------


class ChildSerializer(serializers.ModelSerializer[Child]):
    class Meta:
        model = Child
        fields = [
            "id",
            "reference",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "upn",
            "uln",
            "upn_unknown",
            "postcode",
            "current_setting",
            "caseworker",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ChildMatchSerializer(serializers.ModelSerializer[Child]):
    """An existing record a new child may duplicate, to link to."""

    class Meta:
        model = Child
        fields = ["id", "reference", "first_name", "last_name", "date_of_birth", "upn"]
        read_only_fields = fields


class _ChildFields(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnicity = serializers.ChoiceField(
        choices=Ethnicity.choices, required=False, default=Ethnicity.NOBT
    )
    upn = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    uln = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    upn_unknown = _blank_choice(UpnUnknown.choices)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    current_setting = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(), required=False, allow_null=True, default=None
    )
    caseworker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    reference = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class ChildCreateSerializer(_ChildFields):
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Create even though a child with the same name and date of birth exists "
        "(never for the same UPN).",
    )


class ChildUpdateSerializer(_ChildFields):
    """Every field optional: only those given change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


# --- assessment requests -------------------------------------------------------------------------


class ExceptionSerializer(serializers.ModelSerializer[TimescaleException]):
    """`reason` is the kind of exception (api.md's word); `note` the caseworker's text."""

    reason = serializers.CharField(source="kind", read_only=True)
    note = serializers.CharField(source="reason", read_only=True)

    class Meta:
        model = TimescaleException
        fields = [
            "id",
            "reason",
            "rule",
            "starts_on",
            "ends_on",
            "note",
            "advice_request",
            "applied_by",
            "approved_by",
            "family_told_on",
        ]
        read_only_fields = fields


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    due = serializers.DateField(source="due_on", read_only=True)

    class Meta:
        model = Deadline
        fields = ["rule", "title", "due", "met_on", "status", "explanation", "excused"]
        read_only_fields = fields


class ConsultationSerializer(serializers.ModelSerializer[DraftConsultation]):
    class Meta:
        model = DraftConsultation
        fields = ["id", "establishment", "sent_on", "replied_on", "reply"]
        read_only_fields = fields


class AdviceRequestSerializer(serializers.ModelSerializer[AdviceRequest]):
    """`due` is 6 weeks from the request for advice (null for the family's own advice, which
    has no time limit); `status` where the advice stands (`requested`, `received`,
    `returned_for_quality`, `re_received`); `deadline_status` the badge of the 6 weeks."""

    due = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    deadline_status = serializers.SerializerMethodField()

    class Meta:
        model = AdviceRequest
        fields = [
            "id",
            "request",
            "kind",
            "provider",
            "requested_on",
            "due",
            "received_on",
            "returned_for_quality_on",
            "re_received_on",
            "status",
            "deadline_status",
        ]
        read_only_fields = fields

    def _due(self, advice: AdviceRequest) -> dt.date | None:
        if advice.kind in ADVICE_WITHOUT_TIME_LIMIT:
            return None
        calendar: WorkingCalendar | None = self.context.get("calendar")
        return compute("advice", advice.requested_on, calendar).due

    def get_due(self, advice: AdviceRequest) -> dt.date | None:
        return self._due(advice)

    def get_status(self, advice: AdviceRequest) -> str:
        return workflow.advice_state(advice).value

    def get_deadline_status(self, advice: AdviceRequest) -> str:
        due = self._due(advice)
        if due is None:
            return DeadlineStatus.not_applicable.value
        return deadline_status(due=due, met_on=advice.received_on, today=timezone.localdate()).value


class AssessmentRequestSerializer(serializers.ModelSerializer[AssessmentRequest]):
    plan = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRequest
        fields = [
            "id",
            "child",
            "status",
            "received_on",
            "received_at",
            "channel",
            "source",
            "requester_name",
            "relevant_youth_accommodation",
            "is_reassessment",
            "decision",
            "decided_on",
            "issue_decision",
            "issue_decided_on",
            "draft_issued_on",
            "final_issued_on",
            "withdrawn_on",
            "transferred_out_on",
            "plan",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_plan(self, request: AssessmentRequest) -> str | None:
        plan = getattr(request, "plan", None)  # select_related: no query, None when none
        return str(plan.pk) if plan is not None else None

    def get_allowed_actions(self, request: AssessmentRequest) -> list[str]:
        return workflow.allowed_actions(request.status)


class AssessmentRequestDetailSerializer(AssessmentRequestSerializer):
    exceptions = ExceptionSerializer(many=True, read_only=True)
    advice_requests = AdviceRequestSerializer(many=True, read_only=True)
    consultations = ConsultationSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta(AssessmentRequestSerializer.Meta):
        fields = [
            *AssessmentRequestSerializer.Meta.fields,
            "signed_for_on",
            "received_on_override_reason",
            "decision_reasons",
            "decision_letter_sent_on",
            "issue_decision_reasons",
            "preferred_setting",
            "withdrawal_reason",
            "transferred_to_la",
            "exceptions",
            "advice_requests",
            "consultations",
            "deadlines",
        ]
        read_only_fields = fields

    def get_deadlines(self, request: AssessmentRequest) -> list[dict[str, Any]]:
        rows: list[Deadline] = self.context.get("deadlines", [])
        return list(DeadlineSerializer(rows, many=True).data)


class AssessmentRequestCreateSerializer(serializers.Serializer[Any]):
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    received_on = serializers.DateField(
        required=False, help_text="The legal received date (a working day, or any day by post)."
    )
    received_at = serializers.DateTimeField(
        required=False, help_text="When it arrived: the legal date is derived from it."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default="email")
    signed_for_on = serializers.DateField(required=False, allow_null=True, default=None)
    # api.md's name; DRF's metaclass moves declared fields off the class, so it does not
    # shadow Field.source at run time, only for the type checker.
    source = serializers.ChoiceField(choices=RequestSource.choices)  # type: ignore[assignment]
    requester_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    relevant_youth_accommodation = serializers.BooleanField(required=False, default=False)
    is_reassessment = serializers.BooleanField(required=False, default=False)
    received_on_override = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Managers and administrators only, with override_reason.",
    )
    override_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "received_on" not in attrs and "received_at" not in attrs:
            raise serializers.ValidationError({"received_on": [RECEIVED_ON_OR_AT]})
        if "received_on" in attrs and "received_at" in attrs:
            raise serializers.ValidationError(RECEIVED_ON_AND_AT)
        return attrs


class DecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=AssessmentDecision.choices)
    decided_on = serializers.DateField()
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    letter_sent_on = serializers.DateField(required=False, allow_null=True, default=None)


class AdviceRequestCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AdviceKind.choices)
    requested_on = serializers.DateField()
    provider = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ExceptionCreateSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in ExceptionType], help_text="The kind of exception."
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    rule = serializers.ChoiceField(
        choices=REQUEST_RULES,
        required=False,
        help_text="The time limit excused; by default the one the stage runs against "
        "(`advice` for a missed appointment).",
    )
    advice_request = serializers.PrimaryKeyRelatedField(
        queryset=AdviceRequest.objects.all(), required=False, allow_null=True, default=None
    )
    approved_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    family_told_on = serializers.DateField(required=False, allow_null=True, default=None)


class IssueDecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=IssueDecision.choices)
    decided_on = serializers.DateField()
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


class DraftPlanSerializer(serializers.Serializer[Any]):
    issued_on = serializers.DateField()
    preferred_setting = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(), required=False, allow_null=True, default=None
    )


class NamedSettingInputSerializer(serializers.Serializer[Any]):
    establishment = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(), required=False, allow_null=True, default=None
    )
    sen_setting = _blank_choice(SenSetting.choices)
    sen_setting_other = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    rank = serializers.ChoiceField(choices=SETTING_RANKS, required=False, default=1)
    sen_unit = serializers.BooleanField(required=False, default=False)
    resourced_provision = serializers.BooleanField(required=False, default=False)


class FinalPlanSerializer(serializers.Serializer[Any]):
    issued_on = serializers.DateField()
    primary_need = serializers.ChoiceField(choices=SenType.choices)
    secondary_need = _blank_choice(SenType.choices)
    placement = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="An establishment: named at rank 1 and the child placed there from the issue "
        "date.",
    )
    named_settings = NamedSettingInputSerializer(many=True, required=False, default=list)
    starts_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the child starts at the setting named at rank 1 (or `placement`), if "
        "later than the issue date; the child is placed there and it becomes their current "
        "setting.",
    )


class WithdrawSerializer(serializers.Serializer[Any]):
    withdrawn_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class TransferOutSerializer(serializers.Serializer[Any]):
    transferred_on = serializers.DateField()
    new_la_code = serializers.CharField(max_length=3)


class ReceivedSerializer(serializers.Serializer[Any]):
    received_on = serializers.DateField()


class ReturnedSerializer(serializers.Serializer[Any]):
    returned_on = serializers.DateField()


# --- plans, placements, establishments ----------------------------------------------------------


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    class Meta:
        model = Placement
        fields = [
            "id",
            "plan",
            "establishment",
            "sen_setting",
            "sen_setting_other",
            "rank",
            "starts_on",
            "ends_on",
            "sen_unit",
            "resourced_provision",
            "band",
            "annual_cost",
            "cost_reason",
            "awaiting_placement",
        ]
        read_only_fields = fields


class PlacementCreateSerializer(serializers.Serializer[Any]):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    establishment = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(), required=False, allow_null=True, default=None
    )
    sen_setting = _blank_choice(SenSetting.choices)
    rank = serializers.ChoiceField(choices=SETTING_RANKS, required=False, default=1)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    sen_unit = serializers.BooleanField(required=False, default=False)
    resourced_provision = serializers.BooleanField(required=False, default=False)
    band = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    annual_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    cost_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    awaiting_placement = serializers.BooleanField(required=False, default=False)


class PlanVersionSerializer(serializers.ModelSerializer[PlanVersion]):
    class Meta:
        model = PlanVersion
        fields = ["number", "kind", "issued_on", "changes"]
        read_only_fields = fields


class NamedSettingSerializer(serializers.ModelSerializer[NamedSetting]):
    class Meta:
        model = NamedSetting
        fields = [
            "establishment",
            "sen_setting",
            "sen_setting_other",
            "rank",
            "sen_unit",
            "resourced_provision",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer[Plan]):
    placements = PlacementSerializer(many=True, read_only=True)
    next_review_due = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "child",
            "request",
            "issued_on",
            "status",
            "primary_need",
            "secondary_need",
            "placements",
            "next_review_due",
            "personal_budget",
            "cease_proposed_on",
            "cease_decided_on",
            "ceased_on",
            "cease_reason",
        ]
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    versions = PlanVersionSerializer(many=True, read_only=True)
    named_settings = NamedSettingSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "versions", "named_settings"]
        read_only_fields = fields


class CeaseSerializer(serializers.Serializer[Any]):
    ceased_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=CeaseReason.choices, help_text="SEN2 CeaseReason 1-9.")
    decided_on = serializers.DateField(
        required=False,
        help_text="The date of the decision notice; by default the date the plan ceased. The "
        "plan stays in force until the appeal deadline from it has passed.",
    )
    appeal_decided = serializers.BooleanField(required=False, default=False)


class EstablishmentSerializer(serializers.ModelSerializer[Establishment]):
    class Meta:
        model = Establishment
        fields = ["id", "urn", "ukprn", "name", "kind", "phase", "la_code", "postcode", "is_open"]
        read_only_fields = fields


class EstablishmentCreateSerializer(serializers.Serializer[Any]):
    urn = serializers.RegexField(r"^[0-9]{6}$", required=False, allow_blank=True, default="")
    ukprn = serializers.RegexField(r"^[0-9]{8}$", required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=EstablishmentKind.choices)
    phase = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    la_code = serializers.RegexField(r"^[0-9]{3}$", required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")


class AccessLogEntrySerializer(serializers.Serializer[Any]):
    """One entry of a child's access log: who, when, and the audit action."""

    user = serializers.CharField(source="actor_name")
    at = serializers.DateTimeField(source="occurred_at")
    action = serializers.CharField()
