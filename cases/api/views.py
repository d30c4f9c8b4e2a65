"""The casework resources of api.md: children, assessment-requests (and their actions),
advice-requests, plans, placements, establishments.

Reads go through `cases.selectors` (scoped to the user; a retrieve is audited as a read of the
child's record); writes through `cases.services`. Caseworkers and administrators write;
managers read; panel members read only the children on their panels' agendas.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.access import child_access_log
from cases.api import serializers as s
from cases.api.filters import (
    AdviceRequestFilter,
    AssessmentRequestFilter,
    ChildFilter,
    EstablishmentFilter,
    PlacementFilter,
    PlanFilter,
)
from cases.models import AdviceRequest, AssessmentRequest, Child, Establishment, Placement, Plan
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import ALL_ROLES, CASEWORK_WRITE, Role, describe
from send_cms.audit.services import record
from send_cms.common.api import (
    ETAG,
    IF_MATCH,
    PRECONDITION_FAILED,
    AuditedListMixin,
    VersionETagMixin,
    validated,
    validation_error_detail,
)

F = TypeVar("F", bound=Callable[..., Any])
#: The service's field names -> the API's, for the exceptions action.
EXCEPTION_FIELDS = {"kind": "reason", "reason": "note"}
#: Who may read a child's access log.
ACCESS_LOG_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
ACCESS_LOG_VIEWED = "child.access_log_viewed"
ERRORS_403 = OpenApiResponse(description='Not a manager or administrator: `{"detail"}`.')
ERRORS: dict[int | str, Any] = {
    400: OpenApiResponse(description='Field-keyed messages: `{"field": ["..."]}`.'),
    409: OpenApiResponse(description='The current status does not allow this step: `{"detail"}`.'),
}


class _CaseworkViewSet(viewsets.GenericViewSet[Any]):
    """Every role reads (panel members only what the selectors let them see); caseworkers and
    administrators write."""

    lookup_value_converter = "uuid"
    read_roles = ALL_ROLES
    write_roles = CASEWORK_WRITE

    def _audit_read(self) -> bool:
        return getattr(self, "action", None) == "retrieve"


# --- children ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Children and young people"),
    retrieve=extend_schema(
        summary="A child or young person (the read is audited)", parameters=[ETAG]
    ),
)
class ChildViewSet(
    AuditedListMixin,
    VersionETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    _CaseworkViewSet,
):
    audit_child_id = "pk"
    serializer_class = s.ChildSerializer
    queryset = Child.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = ChildFilter

    def get_queryset(self) -> QuerySet[Child]:
        return selectors.child_list(user=self.request.user)

    def get_object(self) -> Child:
        child = selectors.child_get(
            user=self.request.user, pk=self.kwargs["pk"], audit=self._audit_read()
        )
        self.check_object_permissions(self.request, child)
        return child

    @extend_schema(
        summary="Open a case for a child",
        request=s.ChildCreateSerializer,
        responses={
            201: s.ChildSerializer,
            400: OpenApiResponse(
                description="Field-keyed messages; a possible duplicate adds `matches` "
                "(existing records) and can be confirmed with `confirm_not_duplicate`."
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.ChildCreateSerializer, request)
        try:
            child = services.child_create(actor=request.user, **data)
        except services.DuplicateChild as exc:
            body: dict[str, Any] = dict(validation_error_detail(exc))
            body["matches"] = s.ChildMatchSerializer(exc.matches, many=True).data
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(s.ChildSerializer(child).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a child's details (only the fields given)",
        description="Send the ETag of your last read in If-Match: if the child's record has "
        "changed since, nothing is saved and the answer is 412. The answer's ETag is the new "
        "version's.",
        request=s.ChildUpdateSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.ChildSerializer, 400: ERRORS[400], 412: PRECONDITION_FAILED},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        child = self.get_object()
        data = validated(s.ChildUpdateSerializer, request)
        child = services.child_update(
            actor=request.user,
            child=child,
            expected_version=self.expected_version(child.version),
            **data,
        )
        return Response(s.ChildSerializer(child).data)

    @extend_schema(
        summary="Change a child's details (only the fields given)",
        description="As PUT: only the fields given change; If-Match is checked the same way.",
        request=s.ChildUpdateSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.ChildSerializer, 400: ERRORS[400], 412: PRECONDITION_FAILED},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    @extend_schema(
        summary="Who has seen this child (managers and administrators)",
        description="Every read and change of the child's records, and every list, search and "
        "download that named them, newest first. Reading it is recorded too.",
        responses={200: s.AccessLogEntrySerializer(many=True), 403: ERRORS_403},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="access-log",
        pagination_class=None,
        filter_backends=[],
    )
    def access_log(self, request: Request, pk: str | None = None) -> Response:
        if not user_roles(request.user) & ACCESS_LOG_ROLES:
            raise PermissionDenied(f"You need {describe(set(ACCESS_LOG_ROLES))} for this.")
        child = selectors.child_get(user=request.user, pk=self.kwargs["pk"], audit=False)
        record(actor=request.user, action=ACCESS_LOG_VIEWED, obj=child, child_id=child.pk)
        entries = child_access_log(child=child)
        return Response(s.AccessLogEntrySerializer(entries, many=True).data)


# --- assessment requests -------------------------------------------------------------------------


def _action_schema(summary: str, body: type[Any]) -> Callable[[F], F]:
    return extend_schema(
        summary=summary,
        request=body,
        responses={200: s.AssessmentRequestDetailSerializer, **ERRORS},
    )


@extend_schema_view(
    list=extend_schema(summary="Assessment requests"),
    retrieve=extend_schema(
        summary="An assessment request with its advice, exceptions and deadlines (audited)",
        responses=s.AssessmentRequestDetailSerializer,
    ),
)
class AssessmentRequestViewSet(AuditedListMixin, mixins.ListModelMixin, _CaseworkViewSet):
    audit_child_id = "child_id"
    serializer_class = s.AssessmentRequestSerializer
    queryset = AssessmentRequest.objects.none()
    filterset_class = AssessmentRequestFilter

    def get_queryset(self) -> QuerySet[AssessmentRequest]:
        return selectors.request_list(user=self.request.user)

    def get_object(self) -> AssessmentRequest:
        found = selectors.request_get(
            user=self.request.user, pk=self.kwargs["pk"], audit=self._audit_read()
        )
        self.check_object_permissions(self.request, found)
        return found

    def _detail(self, found: AssessmentRequest, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.request_get(user=self.request.user, pk=found.pk, audit=False)
        context = {
            "request": self.request,
            "deadlines": selectors.request_deadlines(fresh),
            "calendar": services.working_calendar(),
        }
        return Response(s.AssessmentRequestDetailSerializer(fresh, context=context).data, code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = self.get_object()
        context = {
            "request": request,
            "deadlines": selectors.request_deadlines(found),
            "calendar": services.working_calendar(),
        }
        return Response(s.AssessmentRequestDetailSerializer(found, context=context).data)

    @extend_schema(
        summary="Record a request for an EHC needs assessment",
        request=s.AssessmentRequestCreateSerializer,
        responses={201: s.AssessmentRequestDetailSerializer, 400: ERRORS[400]},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.AssessmentRequestCreateSerializer, request)
        values = dict(data)
        if "received_at" in values:
            created = services.assessment_request_create(actor=request.user, **values)
        else:
            created = services.assessment_request_create_on(actor=request.user, **values)
        return self._detail(created, status.HTTP_201_CREATED)

    def _body(self, serializer_class: type[Any]) -> dict[str, Any]:
        return validated(serializer_class, self.request)

    @_action_schema("Record the decision whether to assess", s.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        services.assessment_request_decide(
            actor=request.user, request=found, **self._body(s.DecisionSerializer)
        )
        return self._detail(found)

    @_action_schema("Request advice (6 weeks for the adviser)", s.AdviceRequestCreateSerializer)
    @action(detail=True, methods=["post"], url_path="advice-requests")
    def advice_requests(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        services.advice_request_create(
            actor=request.user, request=found, **self._body(s.AdviceRequestCreateSerializer)
        )
        return self._detail(found)

    @_action_schema("Record a permitted exception to a time limit", s.ExceptionCreateSerializer)
    @action(detail=True, methods=["post"])
    def exceptions(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        body = self._body(s.ExceptionCreateSerializer)
        kind = body.pop("reason")
        rule = body.pop("rule", None) or services.default_exception_rule(found, kind)
        try:
            services.timescale_exception_add(
                actor=request.user,
                request=found,
                kind=kind,
                rule=rule,
                reason=body.pop("note"),
                **body,
            )
        except DjangoValidationError as exc:
            # The API calls the kind of exception `reason` and the caseworker's text `note`.
            detail = validation_error_detail(exc)
            renamed = {EXCEPTION_FIELDS.get(key, key): value for key, value in detail.items()}
            return Response(renamed, status=status.HTTP_400_BAD_REQUEST)
        return self._detail(found)

    @_action_schema("Record the decision whether to issue a plan", s.IssueDecisionSerializer)
    @action(detail=True, methods=["post"], url_path="issue-decision")
    def issue_decision(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        services.assessment_request_decide_issue(
            actor=request.user, request=found, **self._body(s.IssueDecisionSerializer)
        )
        return self._detail(found)

    @_action_schema("Issue the draft plan (the family's 15 days start)", s.DraftPlanSerializer)
    @action(detail=True, methods=["post"], url_path="draft-plan")
    def draft_plan(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        services.draft_plan_issue(
            actor=request.user, request=found, **self._body(s.DraftPlanSerializer)
        )
        return self._detail(found)

    @_action_schema("Issue the final EHC plan (creates the plan)", s.FinalPlanSerializer)
    @action(detail=True, methods=["post"], url_path="final-plan")
    def final_plan(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        services.final_plan_issue_and_place(
            actor=request.user, request=found, **self._body(s.FinalPlanSerializer)
        )
        return self._detail(found)

    @_action_schema("Withdraw the request", s.WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        services.assessment_request_withdraw(
            actor=request.user, request=found, **self._body(s.WithdrawSerializer)
        )
        return self._detail(found)

    @_action_schema("Record a transfer to another LA", s.TransferOutSerializer)
    @action(detail=True, methods=["post"], url_path="transfer-out")
    def transfer_out(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        services.assessment_request_transfer_out(
            actor=request.user, request=found, **self._body(s.TransferOutSerializer)
        )
        return self._detail(found)


# --- advice requests -----------------------------------------------------------------------------


def _advice_schema(summary: str, body: type[Any]) -> Callable[[F], F]:
    return extend_schema(
        summary=summary, request=body, responses={200: s.AdviceRequestSerializer, **ERRORS}
    )


@extend_schema_view(
    list=extend_schema(summary="Advice requests"),
    retrieve=extend_schema(summary="An advice request (audited)"),
)
class AdviceRequestViewSet(
    AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, _CaseworkViewSet
):
    audit_child_id = "request.child_id"
    serializer_class = s.AdviceRequestSerializer
    queryset = AdviceRequest.objects.none()
    filterset_class = AdviceRequestFilter

    def get_queryset(self) -> QuerySet[AdviceRequest]:
        return selectors.advice_request_list(user=self.request.user)

    def get_object(self) -> AdviceRequest:
        advice = selectors.advice_request_get(
            user=self.request.user, pk=self.kwargs["pk"], audit=self._audit_read()
        )
        self.check_object_permissions(self.request, advice)
        return advice

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "calendar": services.working_calendar()}

    def _advice(self, advice: AdviceRequest) -> Response:
        advice.refresh_from_db()
        return Response(
            s.AdviceRequestSerializer(advice, context=self.get_serializer_context()).data
        )

    def _date(self, serializer_class: type[Any], field: str) -> Any:
        return validated(serializer_class, self.request)[field]

    @_advice_schema("Record the advice received", s.ReceivedSerializer)
    @action(detail=True, methods=["post"])
    def received(self, request: Request, pk: str | None = None) -> Response:
        advice = self.get_object()
        services.advice_request_receive(
            actor=request.user,
            advice=advice,
            received_on=self._date(s.ReceivedSerializer, "received_on"),
        )
        return self._advice(advice)

    @_advice_schema("Return the advice to the adviser for quality", s.ReturnedSerializer)
    @action(detail=True, methods=["post"])
    def returned(self, request: Request, pk: str | None = None) -> Response:
        advice = self.get_object()
        services.advice_request_return_for_quality(
            actor=request.user,
            advice=advice,
            returned_on=self._date(s.ReturnedSerializer, "returned_on"),
        )
        return self._advice(advice)

    @_advice_schema("Record the corrected advice received", s.ReceivedSerializer)
    @action(detail=True, methods=["post"], url_path="re-received")
    def re_received(self, request: Request, pk: str | None = None) -> Response:
        advice = self.get_object()
        services.advice_request_re_receive(
            actor=request.user,
            advice=advice,
            received_on=self._date(s.ReceivedSerializer, "received_on"),
        )
        return self._advice(advice)


# --- plans and placements ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="EHC plans"),
    retrieve=extend_schema(
        summary="An EHC plan with its versions and section I (audited)",
        responses=s.PlanDetailSerializer,
    ),
)
class PlanViewSet(
    AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, _CaseworkViewSet
):
    audit_child_id = "child_id"
    serializer_class = s.PlanSerializer
    queryset = Plan.objects.none()
    filterset_class = PlanFilter

    def get_queryset(self) -> QuerySet[Plan]:
        return selectors.plan_list(user=self.request.user)

    def get_object(self) -> Plan:
        plan = selectors.plan_get(
            user=self.request.user, pk=self.kwargs["pk"], audit=self._audit_read()
        )
        self.check_object_permissions(self.request, plan)
        return plan

    def get_serializer_class(self) -> type[Any]:
        return s.PlanDetailSerializer if self.action == "retrieve" else s.PlanSerializer

    @extend_schema(
        summary="Cease the plan (not before the family's appeal deadline has passed)",
        request=s.CeaseSerializer,
        responses={200: s.PlanDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cease(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        data = validated(s.CeaseSerializer, request)
        body = data
        services.plan_cease(
            actor=request.user,
            plan=plan,
            decided_on=body.get("decided_on", body["ceased_on"]),
            ceased_on=body["ceased_on"],
            reason=body["reason"],
            appeal_decided=body["appeal_decided"],
        )
        fresh = selectors.plan_get(user=request.user, pk=plan.pk, audit=False)
        return Response(s.PlanDetailSerializer(fresh).data)


@extend_schema_view(
    list=extend_schema(summary="Placements over time"),
    retrieve=extend_schema(summary="A placement (audited)"),
)
class PlacementViewSet(
    AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, _CaseworkViewSet
):
    audit_child_id = "plan.child_id"
    serializer_class = s.PlacementSerializer
    queryset = Placement.objects.none()
    filterset_class = PlacementFilter

    def get_queryset(self) -> QuerySet[Placement]:
        return selectors.placement_list(user=self.request.user)

    def get_object(self) -> Placement:
        placement = selectors.placement_get(
            user=self.request.user, pk=self.kwargs["pk"], audit=self._audit_read()
        )
        self.check_object_permissions(self.request, placement)
        return placement

    @extend_schema(
        summary="Record a placement (ends the open one of the same rank the day before)",
        request=s.PlacementCreateSerializer,
        responses={201: s.PlacementSerializer, **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.PlacementCreateSerializer, request)
        placement = services.placement_create(actor=request.user, **data)
        return Response(s.PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)


# --- establishments ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Schools, colleges and other settings"),
    retrieve=extend_schema(summary="A setting"),
)
class EstablishmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _CaseworkViewSet):
    serializer_class = s.EstablishmentSerializer
    queryset = Establishment.objects.none()
    filterset_class = EstablishmentFilter

    def get_queryset(self) -> QuerySet[Establishment]:
        return selectors.establishment_list(user=self.request.user)

    @extend_schema(
        summary="Add a setting (most come from the import of the DfE register)",
        request=s.EstablishmentCreateSerializer,
        responses={201: s.EstablishmentSerializer, 400: ERRORS[400]},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.EstablishmentCreateSerializer, request)
        establishment = services.establishment_create(actor=request.user, **data)
        return Response(s.EstablishmentSerializer(establishment).data, status.HTTP_201_CREATED)
