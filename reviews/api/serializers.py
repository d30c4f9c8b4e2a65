"""Annual review API bodies (api.md "Annual reviews"). Output through a ModelSerializer; input
through plain serializers that check shape only and hand clean data to a service."""

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from cases.models import Establishment
from cases.services import working_calendar
from reviews.deadlines import review_deadlines
from reviews.models import AnnualReview, Decision
from reviews.services import DECISION_UNKNOWN


class DeadlineSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField()
    title = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    met_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    explanation = serializers.CharField()
    regulation = serializers.CharField()


class AnnualReviewSerializer(serializers.ModelSerializer[AnnualReview]):
    child = serializers.UUIDField(source="plan.child_id", read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReview
        fields = [
            "id",
            "plan",
            "child",
            "sequence",
            "status",
            "cycle_start_on",
            "due_on",
            "invitations_sent_on",
            "meeting_planned_on",
            "advice_gathered_on",
            "meeting_on",
            "attendees",
            "child_views",
            "family_views",
            "report_received_on",
            "decision",
            "decision_issued_on",
            "amendments_issued_on",
            "proposed_changes",
            "final_amended_issued_on",
            "plan_version",
            "phase_transfer",
            "phase_transfer_kind",
            "phase_transfer_on",
            "phase_transfer_manual",
            "infant_school",
            "deadlines",
        ]
        read_only_fields = fields

    def get_deadlines(self, review: AnnualReview) -> list[dict[str, Any]]:
        today = timezone.localdate()
        if "calendar" not in self.context:  # one calendar for the whole page of reviews
            self.context["calendar"] = working_calendar()
        return [
            DeadlineSerializer(
                {
                    "rule": d.rule,
                    "title": d.title,
                    "due": d.due,
                    "met_on": d.met_on,
                    "status": d.status.value,
                    "explanation": d.explanation,
                    "regulation": d.regulation,
                }
            ).data
            for d in review_deadlines(review, today=today, calendar=self.context["calendar"])
        ]


class MeetingInput(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    attendees = serializers.CharField(required=False, allow_blank=True, default="")
    child_views = serializers.CharField(required=False, allow_blank=True, default="")
    family_views = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionInput(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(
        choices=Decision.choices, error_messages={"invalid_choice": DECISION_UNKNOWN}
    )
    issued_on = serializers.DateField()


class AmendmentsInput(serializers.Serializer[Any]):
    issued_on = serializers.DateField()
    changes = serializers.CharField(required=False, allow_blank=True, default="")


class FinalAmendedPlanInput(serializers.Serializer[Any]):
    issued_on = serializers.DateField()
    changes = serializers.CharField(required=False, allow_blank=True, default="")
    establishment = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The setting section I now names at rank 1, if it changed: the child is "
        "placed there from the issue date (or `starts_on`).",
    )
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)


class InvitationsInput(serializers.Serializer[Any]):
    sent_on = serializers.DateField()
    meeting_planned_on = serializers.DateField()


class ReportInput(serializers.Serializer[Any]):
    received_on = serializers.DateField()
