"""The Panels resources of api.md: panels, panel-meetings (and their items), panel-items (and
their decision), funding-bands. Reads go through selectors, writes through services."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from panels.api.filters import FundingBandFilter, ItemFilter, MeetingFilter
from panels.api.serializers import (
    AttendanceSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    DeclarationCreateSerializer,
    FundingBandInputSerializer,
    FundingBandSerializer,
    ItemCreateSerializer,
    ItemSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    PanelSerializer,
    PanelUpdateSerializer,
)
from panels.models import AgendaItem, FundingBand, PanelMeeting, PanelType
from panels.rules import is_clerk
from panels.selectors import band_list, item_get, item_list, meeting_get, meeting_list, panel_list
from panels.services import (
    agenda_item_add,
    decision_record,
    declaration_add,
    funding_band_create,
    funding_band_update,
    meeting_attendance_set,
    meeting_close,
    meeting_create,
    meeting_start,
    panel_type_update,
)
from send_cms.accounts.roles import ALL_ROLES, Role
from send_cms.common.api import (
    ETAG,
    IF_MATCH,
    PRECONDITION_FAILED,
    AuditedListMixin,
    VersionETagMixin,
    validated,
    validation_error_detail,
)

PM, CW, MG, AD = Role.PANEL_MEMBER, Role.CASEWORKER, Role.MANAGER, Role.ADMIN
_Config = TypeVar("_Config", PanelType, FundingBand)
PLACEMENT_INPUTS = frozenset({"establishment", "band", "annual_cost", "cost_reason", "starts_on"})


class _ConfigViewSet(
    VersionETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[_Config],
):
    """The council's panel set-up: everyone reads it, administrators change it."""

    lookup_value_converter = "uuid"
    read_roles = ALL_ROLES
    write_roles = frozenset({AD})


class PanelViewSet(_ConfigViewSet[PanelType]):
    """The panels the council runs. Administrators change the quorum rule and threshold."""

    serializer_class = PanelSerializer

    def get_queryset(self) -> QuerySet[PanelType]:
        return panel_list()

    @extend_schema(
        request=PanelUpdateSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: PanelSerializer, 412: PRECONDITION_FAILED},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        panel = self.get_object()
        data = validated(PanelUpdateSerializer, request)
        panel = panel_type_update(
            actor=request.user,
            panel=panel,
            expected_version=self.expected_version(panel.version),
            **data,
        )
        return Response(PanelSerializer(panel).data)


class PanelMeetingViewSet(
    AuditedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[PanelMeeting],
):
    """Meetings with their members and items. Panel members see only their own meetings."""

    serializer_class = MeetingSerializer
    queryset = PanelMeeting.objects.none()  # for the schema; get_queryset scopes to the user
    lookup_value_converter = "uuid"
    filterset_class = MeetingFilter
    read_roles = ALL_ROLES
    _WRITE_ROLES = {
        "create": frozenset({CW, AD}),
        "items": frozenset({CW, AD}),
        "attendance": frozenset({CW, AD, PM}),
        "start": frozenset({PM, AD}),
        "close": frozenset({PM, AD}),
    }

    @property
    def write_roles(self) -> frozenset[str]:
        return self._WRITE_ROLES.get(getattr(self, "action", "") or "", frozenset({AD}))

    def get_queryset(self) -> QuerySet[PanelMeeting]:
        return meeting_list(user=self.request.user, with_items=True)

    def audit_children(self, rows: Any) -> list[Any]:
        """A meeting names the children on its agenda (prefetched with its items)."""
        return [item.child_id for meeting in rows for item in meeting.items.all()]

    def _meeting_response(self, meeting: PanelMeeting, code: int = status.HTTP_200_OK) -> Response:
        fresh = meeting_get(user=self.request.user, pk=meeting.pk)
        return Response(MeetingSerializer(fresh).data, status=code)

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(MeetingCreateSerializer, request)
        meeting = meeting_create(actor=request.user, **data)
        return self._meeting_response(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=ItemCreateSerializer, responses={201: ItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        """Add an item: `{"kind", "request" | "plan", "summary"?}`."""
        meeting = self.get_object()
        data = validated(ItemCreateSerializer, request)
        item = agenda_item_add(actor=request.user, meeting=meeting, **data)
        fresh = item_get(user=request.user, pk=item.pk)
        return Response(ItemSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        """Record who is present: `{"members": [user ids]}` (the clerk or the chair)."""
        meeting = self.get_object()
        if not (is_clerk(request.user) or request.user.pk == meeting.chair_id):
            raise PermissionDenied("Only the clerk or the chair records who is present.")
        data = validated(AttendanceSerializer, request)
        meeting = meeting_attendance_set(
            actor=request.user, meeting=meeting, present=data["members"]
        )
        return self._meeting_response(meeting)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        meeting = meeting_start(actor=request.user, meeting=self.get_object())
        return self._meeting_response(meeting)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """The chair closes the meeting: decisions go to their cases, once."""
        meeting = meeting_close(actor=request.user, meeting=self.get_object())
        return self._meeting_response(meeting)


class PanelItemViewSet(
    AuditedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[AgendaItem],
):
    audit_child_id = "child_id"
    serializer_class = ItemSerializer
    queryset = AgendaItem.objects.none()  # for the schema; get_queryset scopes to the user
    lookup_value_converter = "uuid"
    filterset_class = ItemFilter
    read_roles = ALL_ROLES
    _WRITE_ROLES = {
        "decision": frozenset({PM, AD}),
        "declarations": frozenset({PM, CW, AD}),
    }

    @property
    def write_roles(self) -> frozenset[str]:
        return self._WRITE_ROLES.get(getattr(self, "action", "") or "", frozenset({AD}))

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return item_list(user=self.request.user)

    @extend_schema(
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer, 200: DecisionSerializer},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str | None = None) -> Response:
        """Record the decision; only a member present at the meeting may. 201 when recorded,
        200 when the same decision was already the current one (a retried request)."""
        item = self.get_object()
        data = validated(DecisionCreateSerializer, request)
        values = data
        placement = values.get("placement") or {}
        try:
            decision, created = decision_record(
                actor=request.user,
                item=item,
                outcome=values["outcome"],
                reasons=values["reasons"],
                dissent=values["dissent"],
                dissenters=values["dissenters"],
                establishment=placement.get("establishment"),
                band=placement.get("band", ""),
                annual_cost=placement.get("annual_cost"),
                cost_reason=placement.get("cost_reason", ""),
                starts_on=placement.get("starts_on"),
            )
        except ValidationError as exc:
            raise DRFValidationError(_nest_placement_errors(validation_error_detail(exc))) from exc
        return Response(
            DecisionSerializer(decision).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=DeclarationCreateSerializer, responses={201: ItemSerializer})
    @action(detail=True, methods=["post"])
    def declarations(self, request: Request, pk: str | None = None) -> Response:
        """Declare an interest: `{"interest", "member"?}` (members declare their own)."""
        item = self.get_object()
        data = validated(DeclarationCreateSerializer, request)
        declaration_add(
            actor=request.user,
            item=item,
            member=data.get("member") or request.user,
            interest=data["interest"],
        )
        fresh = item_get(user=request.user, pk=item.pk)
        return Response(ItemSerializer(fresh).data, status=status.HTTP_201_CREATED)


def _nest_placement_errors(detail: dict[str, list[str]]) -> dict[str, Any]:
    """Errors about the approved placement sit under "placement", as the input does."""
    nested: dict[str, Any] = {k: v for k, v in detail.items() if k not in PLACEMENT_INPUTS}
    placement = {k: v for k, v in detail.items() if k in PLACEMENT_INPUTS}
    if placement:
        nested["placement"] = placement
    return nested


class FundingBandViewSet(_ConfigViewSet[FundingBand]):
    """The dated band values; administrators add uplifts and correct bands."""

    serializer_class = FundingBandSerializer
    filterset_class = FundingBandFilter

    def get_queryset(self) -> QuerySet[FundingBand]:
        return band_list()

    @extend_schema(request=FundingBandInputSerializer, responses={201: FundingBandSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(FundingBandInputSerializer, request)
        band = funding_band_create(actor=request.user, **data)
        return Response(FundingBandSerializer(band).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=FundingBandInputSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: FundingBandSerializer, 412: PRECONDITION_FAILED},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        band = self.get_object()
        partial = kwargs.pop("partial", False)
        data = validated(FundingBandInputSerializer, request, partial=partial)
        band = funding_band_update(
            actor=request.user,
            band=band,
            expected_version=self.expected_version(band.version),
            **data,
        )
        return Response(FundingBandSerializer(band).data)

    @extend_schema(
        request=FundingBandInputSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: FundingBandSerializer, 412: PRECONDITION_FAILED},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)
