"""The API's shapes of the plan's content: an edition with its sections A to K, its rows
linked by `key`, the checklist and the differences."""

from typing import Any

from rest_framework import serializers

from cases.codes import SenType
from cases.plan_content.checks import need_ref, outcome_ref, provision_ref
from cases.plan_content.models import NEED_SECTIONS, PROVISION_SECTIONS, Adulthood, PlanContent


class PlanNeedSerializer(serializers.Serializer[Any]):
    key = serializers.UUIDField(required=False, help_text="Keep it to update this row.")
    ref = serializers.CharField(read_only=True, help_text="B1, C1, D1 as the plan numbers it.")
    section = serializers.ChoiceField(choices=[s.value for s in NEED_SECTIONS])
    need = serializers.ChoiceField(
        choices=SenType.values, required=False, allow_blank=True, help_text="Section B only."
    )
    description = serializers.CharField(max_length=5000)


class PlanOutcomeSerializer(serializers.Serializer[Any]):
    key = serializers.UUIDField(required=False)
    ref = serializers.CharField(read_only=True)
    description = serializers.CharField(max_length=5000)
    achieve_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    adulthood = serializers.ChoiceField(choices=Adulthood.values, required=False, allow_blank=True)
    needs = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="The keys of its needs."
    )


class PlanProvisionSerializer(serializers.Serializer[Any]):
    key = serializers.UUIDField(required=False)
    ref = serializers.CharField(read_only=True)
    section = serializers.ChoiceField(choices=[s.value for s in PROVISION_SECTIONS])
    description = serializers.CharField(max_length=5000)
    frequency = serializers.CharField(max_length=300, required=False, allow_blank=True)
    duration = serializers.CharField(max_length=300, required=False, allow_blank=True)
    provider = serializers.CharField(max_length=300, required=False, allow_blank=True)
    outcomes = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="The keys of its outcomes."
    )


class PlanAdviceSerializer(serializers.Serializer[Any]):
    key = serializers.UUIDField(required=False)
    ref = serializers.CharField(read_only=True)
    advice_request = serializers.UUIDField(required=False, allow_null=True)
    document = serializers.UUIDField(
        required=False, allow_null=True, help_text="A document on the child's record."
    )
    description = serializers.CharField(max_length=300)
    author = serializers.CharField(max_length=200, required=False, allow_blank=True)
    dated = serializers.DateField(required=False, allow_null=True)


class PlanContentSerializer(serializers.Serializer[Any]):
    """An edition of the plan, sections A to K."""

    id = serializers.UUIDField(read_only=True)
    child = serializers.UUIDField(source="child_id", read_only=True)
    request = serializers.UUIDField(source="request_id", read_only=True, allow_null=True)
    plan = serializers.UUIDField(source="plan_id", read_only=True, allow_null=True)
    version = serializers.SerializerMethodField()
    stage = serializers.ChoiceField(choices=PlanContent.Stage.choices, read_only=True)
    based_on = serializers.UUIDField(source="based_on_id", read_only=True, allow_null=True)
    issued_on = serializers.DateField(read_only=True, allow_null=True)
    views = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    interests = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    aspirations = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    placement = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    named_settings = serializers.JSONField(read_only=True)
    personal_budget_requested = serializers.BooleanField(required=False)
    personal_budget_amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    personal_budget_details = serializers.CharField(
        max_length=5000, required=False, allow_blank=True
    )
    needs = PlanNeedSerializer(many=True, required=False)
    outcomes = PlanOutcomeSerializer(many=True, required=False)
    provision = PlanProvisionSerializer(many=True, required=False)
    advice = PlanAdviceSerializer(many=True, required=False)

    def get_version(self, content: PlanContent) -> int | None:
        return content.version.number if content.version is not None else None

    def to_representation(self, content: PlanContent) -> dict[str, Any]:
        data = {
            name: field.to_representation(field.get_attribute(content))
            if field.get_attribute(content) is not None
            else None
            for name, field in self.fields.items()
            if name not in ("needs", "outcomes", "provision", "advice", "version")
        }
        data["version"] = self.get_version(content)
        data["needs"] = [
            {
                "key": str(n.key),
                "ref": need_ref(n),
                "section": n.section,
                "need": n.need,
                "description": n.description,
            }
            for n in content.needs.all()
        ]
        data["outcomes"] = [
            {
                "key": str(o.key),
                "ref": outcome_ref(o),
                "description": o.description,
                "achieve_by": o.achieve_by,
                "adulthood": o.adulthood,
                "needs": [str(n.key) for n in o.needs.all()],
            }
            for o in content.outcomes.all()
        ]
        data["provision"] = [
            {
                "key": str(p.key),
                "ref": provision_ref(p),
                "section": p.section,
                "description": p.description,
                "frequency": p.frequency,
                "duration": p.duration,
                "provider": p.provider,
                "outcomes": [str(o.key) for o in p.outcomes.all()],
            }
            for p in content.provision.all()
        ]
        data["advice"] = [
            {
                "key": str(a.key),
                "ref": f"K{a.position}",
                "advice_request": str(a.advice_request_id) if a.advice_request_id else None,
                "document": str(a.document_id) if a.document_id else None,
                "description": a.description,
                "author": a.author,
                "dated": a.dated.isoformat() if a.dated else None,
            }
            for a in content.advice.all()
        ]
        return data


class PlanContentSummarySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    child = serializers.UUIDField(source="child_id", read_only=True)
    request = serializers.UUIDField(source="request_id", read_only=True, allow_null=True)
    plan = serializers.UUIDField(source="plan_id", read_only=True, allow_null=True)
    version = serializers.IntegerField(source="version.number", read_only=True, allow_null=True)
    stage = serializers.ChoiceField(choices=PlanContent.Stage.choices, read_only=True)
    based_on = serializers.UUIDField(source="based_on_id", read_only=True, allow_null=True)
    issued_on = serializers.DateField(read_only=True, allow_null=True)


class PlanContentStartSerializer(serializers.Serializer[Any]):
    child = serializers.UUIDField()


class PlanCheckSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    passed = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class PlanChangeSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="added, removed or changed")
    ref = serializers.CharField()
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class PlanSectionDifferenceSerializer(serializers.Serializer[Any]):
    section = serializers.CharField()
    title = serializers.CharField()
    changes = PlanChangeSerializer(many=True)


class PlanDifferencesSerializer(serializers.Serializer[Any]):
    before = serializers.UUIDField(allow_null=True)
    after = serializers.UUIDField()
    sections = PlanSectionDifferenceSerializer(many=True)
