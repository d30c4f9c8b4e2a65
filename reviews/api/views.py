"""The annual review API: list and retrieve, and one POST action per step (api.md)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from reviews import selectors, services
from reviews.api import serializers as s
from reviews.api.filters import AnnualReviewFilter
from reviews.models import AnnualReview
from send_cms.accounts.roles import CASEWORK_READ, CASEWORK_WRITE
from send_cms.common.api import AuditedListMixin, ServiceActionMixin


class AnnualReviewViewSet(
    AuditedListMixin, ServiceActionMixin, viewsets.ReadOnlyModelViewSet[AnnualReview]
):
    subject_name = "review"
    audit_child_id = "plan.child_id"
    serializer_class = s.AnnualReviewSerializer
    filterset_class = AnnualReviewFilter
    lookup_value_converter = "uuid"
    read_roles = CASEWORK_READ
    write_roles = CASEWORK_WRITE

    def get_queryset(self) -> Any:
        return selectors.review_list(user=self.request.user)

    def get_object(self) -> AnnualReview:
        return selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.MeetingInput, responses=s.AnnualReviewSerializer)
    @action(detail=True, methods=["post"])
    def meeting(self, request: Request, pk: str) -> Response:
        return self.act(request, s.MeetingInput, services.review_meeting_record)

    @extend_schema(request=s.DecisionInput, responses=s.AnnualReviewSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str) -> Response:
        return self.act(request, s.DecisionInput, services.review_decision_issue)

    @extend_schema(request=s.AmendmentsInput, responses=s.AnnualReviewSerializer)
    @action(detail=True, methods=["post"])
    def amendments(self, request: Request, pk: str) -> Response:
        return self.act(request, s.AmendmentsInput, services.review_amendments_send)

    @extend_schema(request=s.FinalAmendedPlanInput, responses=s.AnnualReviewSerializer)
    @action(detail=True, methods=["post"], url_path="final-amended-plan")
    def final_amended_plan(self, request: Request, pk: str) -> Response:
        return self.act(request, s.FinalAmendedPlanInput, services.review_final_amended_plan_issue)

    @extend_schema(request=s.InvitationsInput, responses=s.AnnualReviewSerializer)
    @action(detail=True, methods=["post"])
    def invitations(self, request: Request, pk: str) -> Response:
        return self.act(request, s.InvitationsInput, services.review_invitations_send)

    @extend_schema(request=s.ReportInput, responses=s.AnnualReviewSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        return self.act(request, s.ReportInput, services.review_report_receive)
