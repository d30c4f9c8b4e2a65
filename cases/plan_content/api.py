"""The plan's content in the API: each edition read and (while being written) replaced whole by
caseworkers, with its quality checklist, its differences and its PDF.

`/api/v1/plan-contents/` lists and starts editions; `/{id}/` reads and replaces one (PUT, with
an ETag and If-Match); `/{id}/checks/`, `/{id}/differences/` and `/{id}/pdf/` read it.
`/api/v1/plans/{id}/versions/{number}/content/` and `/pdf/` give an issued version's content.
Rows are linked by their `key` (a UUID the client may choose for a new row).
"""

import hashlib
import json
import uuid
from typing import Any

import django_filters
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors
from cases.plan_content.checks import quality_checks
from cases.plan_content.differences import plan_differences
from cases.plan_content.models import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    PlanContent,
)
from cases.plan_content.sections import (
    plan_content_section_save,
)
from cases.plan_content.selectors import plan_content_get, plan_content_list, with_sections
from cases.plan_content.serializers import (
    PlanCheckSerializer,
    PlanContentSerializer,
    PlanContentStartSerializer,
    PlanContentSummarySerializer,
    PlanDifferencesSerializer,
)
from cases.plan_content.services import (
    EDITION_FIELDS,
    plan_content_start,
    plan_content_update,
)
from cases.views.plan_content import plan_pdf
from send_cms.accounts.permissions import HasRole
from send_cms.accounts.roles import CASEWORK_READ, CASEWORK_WRITE
from send_cms.common.api import AuditedListMixin

ERRORS: dict[int | str, Any] = {
    400: OpenApiResponse(description='Field-keyed messages: `{"field": ["..."]}`.'),
    409: OpenApiResponse(description='The edition has been issued: `{"detail"}`.'),
    412: OpenApiResponse(description="If-Match names an older ETag: nothing was saved."),
}
PDF_RESPONSE = {(200, "application/pdf"): OpenApiTypes.BINARY}


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `application/pdf`; the view itself returns the file."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        return bytes(JSONRenderer().render(data))


# --- views ---------------------------------------------------------------------------------------


def content_etag(content: PlanContent) -> str:
    """A strong ETag from what the edition says: any change to any section changes it."""
    body = json.dumps(PlanContentSerializer(content).data, sort_keys=True, default=str)
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


class PlanContentFilter(django_filters.FilterSet):  # type: ignore[misc]  # no types shipped
    child = django_filters.UUIDFilter(field_name="child_id")
    plan = django_filters.UUIDFilter(field_name="plan_id")
    request = django_filters.UUIDFilter(field_name="request_id")
    stage = django_filters.ChoiceFilter(choices=PlanContent.Stage.choices)

    class Meta:
        model = PlanContent
        fields = ["child", "plan", "request", "stage"]


@extend_schema_view(
    list=extend_schema(summary="Editions of EHC plans: drafts, final and amended plans"),
    retrieve=extend_schema(summary="An edition of a plan, sections A to K (audited)"),
)
class PlanContentViewSet(
    AuditedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Any],
):
    audit_child_id = "child_id"
    lookup_value_converter = "uuid"
    permission_classes = [HasRole]
    read_roles = CASEWORK_READ
    write_roles = CASEWORK_WRITE
    queryset = PlanContent.objects.none()
    serializer_class = PlanContentSerializer
    filterset_class = PlanContentFilter

    def get_queryset(self) -> Any:
        return plan_content_list(user=self.request.user)

    def get_serializer_class(self) -> type[Any]:
        return PlanContentSummarySerializer if self.action == "list" else PlanContentSerializer

    def get_object(self) -> PlanContent:
        return plan_content_get(
            user=self.request.user,
            pk=self.kwargs["pk"],
            audit=self.action in ("retrieve", "checks", "differences"),
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        content = self.get_object()
        return Response(
            PlanContentSerializer(content).data, headers={"ETag": content_etag(content)}
        )

    @extend_schema(
        summary="Start writing the child's plan (or carry on with the edition being written)",
        request=PlanContentStartSerializer,
        responses={201: PlanContentSerializer, 200: PlanContentSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = PlanContentStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        child = selectors.child_get(user=request.user, pk=body.validated_data["child"], audit=False)
        existing = (
            PlanContent.objects.filter(child=child, issued_on__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
        content = plan_content_start(actor=request.user, child=child)
        fresh = plan_content_get(user=request.user, pk=content.pk, audit=False)
        created = existing != content.pk
        return Response(
            PlanContentSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"ETag": content_etag(fresh)},
        )

    @extend_schema(
        summary="Replace the edition being written: every section A to K",
        parameters=[
            OpenApiParameter(
                "If-Match",
                location=OpenApiParameter.HEADER,
                required=False,
                description="The ETag of your last read: if it changed since, 412 and nothing "
                "is saved.",
            )
        ],
        request=PlanContentSerializer,
        responses={200: PlanContentSerializer, **ERRORS},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        content = self.get_object()
        body = PlanContentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            PlanContent.objects.select_for_update().filter(pk=content.pk).values_list("pk").get()
            locked = plan_content_get(user=request.user, pk=content.pk, audit=False)
            match = request.headers.get("If-Match", "").strip()
            current = content_etag(locked)
            if match and match != "*" and current not in parse_etags(match):
                return Response(
                    {
                        "detail": "The plan changed since you read it: read it again.",
                        "etag": current,
                    },
                    status=status.HTTP_412_PRECONDITION_FAILED,
                    headers={"ETag": current},
                )
            fields = {name: data[name] for name in EDITION_FIELDS if name in data}
            plan_content_update(actor=request.user, content=locked, **fields)
            self._save_rows(locked, data)
        fresh = plan_content_get(user=request.user, pk=content.pk, audit=False)
        return Response(PlanContentSerializer(fresh).data, headers={"ETag": content_etag(fresh)})

    def _save_rows(self, content: PlanContent, data: dict[str, Any]) -> None:
        """Needs first, then the outcomes that name them, then provision and advice; an error
        is keyed by its list and row (`needs.0.description`)."""
        from django.core.exceptions import ValidationError

        def save(name: str, section: str, items: list[dict[str, Any]]) -> None:
            try:
                plan_content_section_save(
                    actor=self.request.user, content=content, section=section, items=items
                )
            except ValidationError as error:
                raise serializers.ValidationError(
                    {
                        f"{name}.{positions[int(k.split('.')[0])]}.{k.split('.', 1)[1]}"
                        if k[0].isdigit()
                        else name: v
                        for k, v in error.message_dict.items()
                    }
                ) from None

        for name, sections, field in (
            ("needs", NEED_SECTIONS, "section"),
            ("outcomes", ("E",), None),
            ("provision", PROVISION_SECTIONS, "section"),
            ("advice", ("K",), None),
        ):
            if name not in data:
                continue
            rows = data[name]
            for section in sections:
                positions = [
                    i for i, r in enumerate(rows) if field is None or r.get(field) == section
                ]
                save(name, section, [rows[i] for i in positions])

    @extend_schema(
        summary="The quality checklist (never blocking)", responses=PlanCheckSerializer(many=True)
    )
    @action(detail=True, methods=["get"])
    def checks(self, request: Request, pk: str | None = None) -> Response:
        content = self.get_object()
        checks = [
            {"key": c.key, "title": c.title, "passed": c.passed, "problems": c.problems}
            for c in quality_checks(content)
        ]
        return Response(checks)

    @extend_schema(
        summary="What changed, section by section, from the edition it started from "
        "(or from `against`)",
        parameters=[OpenApiParameter("against", OpenApiTypes.UUID, required=False)],
        responses=PlanDifferencesSerializer,
    )
    @action(detail=True, methods=["get"])
    def differences(self, request: Request, pk: str | None = None) -> Response:
        content = self.get_object()
        against = request.query_params.get("against") or content.based_on_id
        sections: list[Any] = []
        if against:
            try:
                against = uuid.UUID(str(against))
            except ValueError:
                raise serializers.ValidationError(
                    {"against": ["Enter the id of an edition."]}
                ) from None
            before = plan_content_get(user=request.user, pk=against, audit=False)
            if before.child_id != content.child_id:
                raise serializers.ValidationError(
                    {"against": ["Compare with an edition of the same child's plan."]}
                )
            sections = [
                {
                    "section": d.section,
                    "title": d.title,
                    "changes": [c.__dict__ for c in d.changes],
                }
                for d in plan_differences(before, content)
            ]
        return Response({"before": against, "after": content.pk, "sections": sections})

    @extend_schema(summary="The edition as a PDF, as the family reads it", responses=PDF_RESPONSE)
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        return plan_pdf(user=request.user, content=self.get_object())


class PlanVersionContentMixin(APIView):
    read_roles = CASEWORK_READ
    write_roles = CASEWORK_WRITE

    def content(self, request: Request, pk: Any, number: int) -> PlanContent:
        plan = selectors.plan_get(user=request.user, pk=pk, audit=False)
        found = (
            with_sections(plan_content_list(user=request.user))
            .filter(plan=plan, version__number=number)
            .first()
        )
        if found is None:
            raise Http404("No content was written for this version of the plan.")
        return found


class PlanVersionContentView(PlanVersionContentMixin):
    @extend_schema(
        summary="An issued version of the plan, sections A to K (audited)",
        responses=PlanContentSerializer,
    )
    def get(self, request: Request, pk: Any, number: int) -> Response:
        content = plan_content_get(
            user=request.user, pk=self.content(request, pk, number).pk, audit=True
        )
        return Response(
            PlanContentSerializer(content).data, headers={"ETag": content_etag(content)}
        )


class PlanVersionPdfView(PlanVersionContentMixin):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        summary="That version of the EHC plan as a PDF, sections A to K", responses=PDF_RESPONSE
    )
    def get(self, request: Request, pk: Any, number: int) -> HttpResponse:
        return plan_pdf(user=request.user, content=self.content(request, pk, number))
