"""Documents in the API (api.md "Documents and generated PDFs") and the letters made for
families: upload (multipart), list, download.

An upload is checked by the same service as the page (type by content, size, the records it
is attached to belong to the child); a download is sent to those who may read the child and
recorded in the audit trail; a letter downloads as the PDF it was made as.
"""

from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors
from cases.documents import attachables
from cases.models import (
    AdviceRequest,
    Child,
    Document,
    DocumentKind,
    Letter,
    LetterKind,
    PlanVersion,
)
from cases.services.documents import document_upload
from cases.views.documents import document_download, letter_response
from send_cms.accounts.roles import ALL_ROLES, CASEWORK_READ, CASEWORK_WRITE
from send_cms.common.api import AuditedListMixin

NOT_FOUND = "Not found, or not a record of a child you may read."
#: The API's names of the records a document may belong to, besides its child.
ATTACHED = ("review", "panel_item", "appeal")


class DocumentSerializer(serializers.ModelSerializer[Document]):
    name = serializers.CharField(source="filename", read_only=True)
    content_type = serializers.CharField(source="mime_type", read_only=True)
    uploaded_by = serializers.SerializerMethodField()
    uploaded_at = serializers.DateTimeField(source="created_at", read_only=True)
    plan = serializers.SerializerMethodField()
    attached_to = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "child",
            "name",
            "size",
            "content_type",
            "kind",
            "title",
            "received_on",
            "advice_request",
            "plan",
            "plan_version",
            "attached_to",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    def get_uploaded_by(self, document: Document) -> str:
        user = document.uploaded_by
        return (user.get_full_name() or user.get_username()) if user is not None else ""

    def get_plan(self, document: Document) -> str | None:
        version = document.plan_version
        return str(version.plan_id) if version is not None else None

    def get_attached_to(self, document: Document) -> dict[str, str] | None:
        """`{"kind": "appeal", "id": ...}` for a review, a panel agenda item or an appeal."""
        if document.attached_type is None:
            return None
        model = document.attached_type.model_class()
        kind = next((a.name for a in attachables().values() if a.model is model), "")
        return {"kind": kind, "id": str(document.attached_id)}

    def get_download(self, document: Document) -> str:
        return f"/api/v1/documents/{document.pk}/download/"


class DocumentUploadSerializer(serializers.Serializer[Any]):
    """The upload's shape; the service checks the file and the links."""

    child = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(allow_empty_file=True)  # the service says "is empty"
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    advice_request = serializers.UUIDField(required=False, allow_null=True, default=None)
    plan = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A plan: the document belongs to its newest version.",
    )
    plan_version = serializers.UUIDField(required=False, allow_null=True, default=None)
    review = serializers.UUIDField(required=False, allow_null=True, default=None)
    panel_item = serializers.UUIDField(required=False, allow_null=True, default=None)
    appeal = serializers.UUIDField(required=False, allow_null=True, default=None)
    advice_received = serializers.BooleanField(
        required=False,
        default=False,
        help_text="With an advice report for an advice request still awaited: record the advice "
        "as received on `received_on`.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in (*ATTACHED, "plan", "plan_version") if attrs.get(name)]
        given += ["advice_request"] if attrs.get("advice_request") else []
        if len(given) > 1:
            raise serializers.ValidationError(
                {given[1]: ["Give at most one of advice_request, plan, review, panel_item, appeal"]}
            )
        return attrs


def _one(queryset: QuerySet[Any], pk: Any, field: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: [NOT_FOUND]})
    return found


class DocumentFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    child = django_filters.UUIDFilter(field_name="child_id")
    kind = django_filters.MultipleChoiceFilter(choices=DocumentKind.choices)
    advice_request = django_filters.UUIDFilter(field_name="advice_request_id")
    plan = django_filters.UUIDFilter(field_name="plan_version__plan_id")

    class Meta:
        model = Document
        fields = ["child", "kind", "advice_request", "plan"]


@extend_schema_view(
    list=extend_schema(summary="Documents on the records of the children you may read"),
    retrieve=extend_schema(summary="A document's details"),
)
class DocumentViewSet(
    AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """Everyone with a role reads the documents of the children they may read (panel members
    those on their panels' agendas); caseworkers and administrators upload."""

    lookup_value_converter = "uuid"
    read_roles = ALL_ROLES
    write_roles = CASEWORK_WRITE
    audit_child_id = "child_id"
    serializer_class = DocumentSerializer
    queryset = Document.objects.none()  # for the schema; get_queryset scopes to the user
    filterset_class = DocumentFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[Document]:
        return selectors.document_list(user=self.request.user)

    def get_object(self) -> Document:
        document = selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, document)
        return document

    @extend_schema(
        summary="Upload a document (multipart)",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: DocumentSerializer,
            400: OpenApiResponse(
                description='Field-keyed messages: `{"file": ["..."]}` for a type not allowed '
                "(judged by the content, not the name), a file that is not what its name says, "
                "or one too large."
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        child: Child = _one(selectors.child_list(user=user), values["child"], "child")
        links: dict[str, Any] = {}
        if values["advice_request"]:
            links["advice_request"] = _one(
                AdviceRequest.objects.filter(request__child=child).select_related("request"),
                values["advice_request"],
                "advice_request",
            )
        if values["plan_version"]:
            links["plan_version"] = _one(
                PlanVersion.objects.filter(plan__child=child).select_related("plan"),
                values["plan_version"],
                "plan_version",
            )
        if values["plan"]:
            plan = _one(child.plans.all(), values["plan"], "plan")
            links["plan_version"] = plan.versions.order_by("-number").first()
        for name in ATTACHED:
            if values[name]:
                attachable = attachables().get(name)
                if attachable is None:
                    raise serializers.ValidationError({name: [NOT_FOUND]})
                manager = attachable.model._default_manager
                record: Model = _one(manager.all(), values[name], name)
                links["attached_to"] = record
        document = document_upload(
            actor=user,
            child=child,
            file=values["file"],
            kind=values["kind"],
            title=values["title"],
            received_on=values["received_on"],
            advice_received=values["advice_received"],
            **links,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download the document (audited)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        return document_download(request._request, self.get_object())


class LetterSerializer(serializers.ModelSerializer[Letter]):
    template_version = serializers.IntegerField(source="template_version.number", read_only=True)
    kind = serializers.ChoiceField(choices=LetterKind.choices, read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "child",
            "kind",
            "dated",
            "request",
            "plan",
            "template_version",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, letter: Letter) -> str:
        return f"/api/v1/letters/{letter.pk}/pdf/"


class LetterFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    child = django_filters.UUIDFilter(field_name="child_id")
    kind = django_filters.MultipleChoiceFilter(choices=LetterKind.choices)

    class Meta:
        model = Letter
        fields = ["child", "kind"]


@extend_schema_view(
    list=extend_schema(summary="Letters made for families"),
    retrieve=extend_schema(summary="A letter's details"),
)
class LetterViewSet(
    AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    lookup_value_converter = "uuid"
    read_roles = CASEWORK_READ
    write_roles = CASEWORK_WRITE
    audit_child_id = "child_id"
    serializer_class = LetterSerializer
    queryset = Letter.objects.none()
    filterset_class = LetterFilter

    def get_queryset(self) -> QuerySet[Letter]:
        return selectors.letter_list(user=self.request.user)

    def get_object(self) -> Letter:
        letter = selectors.letter_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, letter)
        return letter

    @extend_schema(
        summary="The letter as a PDF, as it was made (audited)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        return letter_response(request._request, self.get_object())
