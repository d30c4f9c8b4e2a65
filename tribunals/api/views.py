"""The mediation and appeals API (api.md): list, create and retrieve, and one POST action per
step. Panel members and managers read; caseworkers and administrators write."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.common.api import (
    ETAG,
    IF_MATCH,
    PRECONDITION_FAILED,
    AuditedListMixin,
    ServiceActionMixin,
    VersionETagMixin,
    validated,
)
from tribunals import selectors, services
from tribunals.api import serializers as s
from tribunals.api.filters import AppealFilter, MediationFilter, OrderFilter
from tribunals.models import Appeal, Direction, Mediation, MediationAction, Order, Recommendation

#: As the pages: appeals and mediation are casework, not a panel member's.
READ_ROLES = CASEWORK_READ
WRITE_ROLES = frozenset({Role.CASEWORKER, Role.ADMIN})


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    read_roles = READ_ROLES
    write_roles = WRITE_ROLES
    lookup_value_converter = "uuid"


class MediationViewSet(AuditedListMixin, ServiceActionMixin, mixins.CreateModelMixin, _Base):
    audit_child_id = "child_id"
    subject_name = "mediation"
    serializer_class = s.MediationSerializer
    filterset_class = MediationFilter

    def get_queryset(self) -> Any:
        return selectors.mediation_list(user=self.request.user)

    def get_object(self) -> Mediation:
        return selectors.mediation_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.MediationInput, responses={201: s.MediationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.MediationInput, request)
        data["outcome"] = data.get("outcome") or ""
        mediation = services.mediation_create(actor=request.user, **data)
        response = self.fresh(mediation)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=s.ContactInput, responses=s.MediationSerializer)
    @action(detail=True, methods=["post"])
    def contact(self, request: Request, pk: str) -> Response:
        return self.act(request, s.ContactInput, services.mediation_record_contact)

    @extend_schema(request=s.WantedInput, responses=s.MediationSerializer)
    @action(detail=True, methods=["post"])
    def wanted(self, request: Request, pk: str) -> Response:
        return self.act(request, s.WantedInput, services.mediation_record_wanted)

    @extend_schema(request=s.NotArrangedInput, responses=s.MediationSerializer)
    @action(detail=True, methods=["post"], url_path="not-arranged")
    def not_arranged(self, request: Request, pk: str) -> Response:
        return self.act(request, s.NotArrangedInput, services.mediation_record_not_arranged)

    @extend_schema(request=s.HeldInput, responses=s.MediationSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request: Request, pk: str) -> Response:
        return self.act(request, s.HeldInput, services.mediation_record_held)

    @extend_schema(request=s.CertificateInput, responses=s.MediationSerializer)
    @action(detail=True, methods=["post"])
    def certificate(self, request: Request, pk: str) -> Response:
        return self.act(request, s.CertificateInput, services.mediation_issue_certificate)

    @extend_schema(request=s.AgreementActionInput, responses=s.MediationSerializer)
    @action(detail=True, methods=["post"], url_path="agreement-actions")
    def agreement_actions(self, request: Request, pk: str) -> Response:
        return self.act(request, s.AgreementActionInput, services.mediation_action_add)

    @extend_schema(request=s.ActionCompliedInput, responses=s.MediationSerializer)
    @action(detail=True, methods=["post"], url_path="agreement-actions/complied")
    def agreement_action_complied(self, request: Request, pk: str) -> Response:
        mediation = self.get_object()
        data = validated(s.ActionCompliedInput, request)
        agreed = get_object_or_404(MediationAction, pk=data["action"], mediation=mediation)
        services.mediation_action_complied(
            actor=request.user,
            action=agreed,
            complied_on=data["complied_on"],
            step=data.get("step") or None,
        )
        return self.fresh(mediation)


class AppealViewSet(
    AuditedListMixin,
    ServiceActionMixin,
    VersionETagMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _Base,
):
    audit_child_id = "child_id"
    subject_name = "appeal"
    serializer_class = s.AppealSerializer
    filterset_class = AppealFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return selectors.appeal_list(user=self.request.user)

    def get_object(self) -> Appeal:
        return selectors.appeal_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.AppealInput, responses={201: s.AppealSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        appeal = services.appeal_register(actor=request.user, **validated(s.AppealInput, request))
        return self.fresh(appeal, status.HTTP_201_CREATED)

    @extend_schema(
        description="Send the ETag of your last read in If-Match: if the appeal has changed "
        "since, nothing is saved and the answer is 412.",
        request=s.AppealUpdateInput,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.AppealSerializer, 412: PRECONDITION_FAILED},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        appeal = self.get_object()
        services.appeal_update_details(
            actor=request.user,
            appeal=appeal,
            expected_version=self.expected_version(appeal.version),
            **validated(s.AppealUpdateInput, request, partial=True),
        )
        return self.fresh(appeal)

    @extend_schema(request=s.ResponseInput, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"], url_path="response")
    def submit_response(self, request: Request, pk: str) -> Response:
        return self.act(request, s.ResponseInput, services.appeal_submit_response)

    @extend_schema(request=s.HearingInput, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def hearing(self, request: Request, pk: str) -> Response:
        return self.act(request, s.HearingInput, services.appeal_list_hearing)

    @extend_schema(request=s.OutcomeInput, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        return self.act(request, s.OutcomeInput, services.appeal_record_outcome)

    @extend_schema(request=s.OrderInput, responses={201: s.OrderSerializer})
    @action(detail=True, methods=["post"])
    def orders(self, request: Request, pk: str) -> Response:
        appeal = self.get_object()
        order = services.appeal_order_add(
            actor=request.user, appeal=appeal, **validated(s.OrderInput, request)
        )
        order = selectors.order_list(user=request.user).get(pk=order.pk)
        return Response(s.OrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DirectionInput, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def directions(self, request: Request, pk: str) -> Response:
        return self.act(request, s.DirectionInput, services.appeal_direction_add)

    @extend_schema(request=s.DirectionCompliedInput, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"], url_path="directions/complied")
    def direction_complied(self, request: Request, pk: str) -> Response:
        appeal = self.get_object()
        data = validated(s.DirectionCompliedInput, request)
        direction = get_object_or_404(Direction, pk=data["direction"], appeal=appeal)
        services.direction_complied(
            actor=request.user, direction=direction, complied_on=data["complied_on"]
        )
        return self.fresh(appeal)

    @extend_schema(request=s.RecommendationInput, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def recommendations(self, request: Request, pk: str) -> Response:
        return self.act(request, s.RecommendationInput, services.recommendation_add)

    @extend_schema(request=s.RecommendationResponseInput, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"], url_path="recommendations/response")
    def recommendation_response(self, request: Request, pk: str) -> Response:
        appeal = self.get_object()
        data = validated(s.RecommendationResponseInput, request)
        recommendation = get_object_or_404(Recommendation, pk=data["recommendation"], appeal=appeal)
        services.recommendation_respond(
            actor=request.user,
            recommendation=recommendation,
            responded_on=data["responded_on"],
            response=data.get("response", ""),
        )
        return self.fresh(appeal)


class OrderViewSet(AuditedListMixin, ServiceActionMixin, _Base):
    audit_child_id = "appeal.child_id"
    serializer_class = s.OrderSerializer
    filterset_class = OrderFilter

    def get_queryset(self) -> Any:
        return selectors.order_list(user=self.request.user)

    def get_object(self) -> Order:
        return selectors.order_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.CompliedInput, responses=s.OrderSerializer)
    @action(detail=True, methods=["post"])
    def complied(self, request: Request, pk: str) -> Response:
        order = self.get_object()
        data = validated(s.CompliedInput, request)
        services.order_complied(
            actor=request.user,
            order=order,
            complied_on=data["complied_on"],
            step=data.get("step") or None,
        )
        return self.fresh(order)
