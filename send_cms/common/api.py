"""API conventions from api.md: pagination, field-keyed 400s, 409 for refused state changes, 412
for a change sent with a stale If-Match, ETags of versioned records, and list reads of children
recorded in the audit trail."""

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from send_cms.audit.reads import record_list_read
from send_cms.common import messages as msg
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.versioning import StaleVersion


def validated(
    input_class: type[BaseSerializer[Any]], request: Request, *, partial: bool = False
) -> dict[str, Any]:
    """The request body through an input serializer: its clean data, or a 400 with the
    serializer's field-keyed messages."""
    body = input_class(data=request.data, partial=partial)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class ServiceActionMixin:
    """For viewsets whose state changes are POST actions that each call one service.

    `act(request, Input, service)` reads the record (`get_object`), checks the body with
    `Input`, calls `service(actor=the user, <subject_name>=the record, **the body)` and answers
    with the record read again through `get_queryset()`, so the answer shows the change.
    """

    #: The service's keyword for the record ("review", "appeal").
    subject_name: str = ""

    def fresh(self, record: Any, code: int = status.HTTP_200_OK) -> Response:
        """The record read again through the user's queryset, serialized."""
        view: Any = self
        record = view.get_queryset().get(pk=record.pk)
        return Response(view.get_serializer(record).data, status=code)

    def act(
        self,
        request: Request,
        input_class: type[BaseSerializer[Any]],
        service: Callable[..., Any],
    ) -> Response:
        view: Any = self
        record = view.get_object()
        body = validated(input_class, request)
        service(actor=request.user, **{self.subject_name: record}, **body)
        return self.fresh(record)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class AuditedListMixin:
    """For viewsets whose list names children: each page read is recorded once (who, the query,
    how many rows matched, the children on the page), as the list pages do.

    Set `audit_child_id` to the attribute path from a row to its child's id ("child_id",
    "plan.child_id"; the selector's select_related must cover it), or override `audit_children`
    when a row names several children. Put the mixin first among the bases.
    """

    audit_child_id: str = ""

    def audit_children(self, rows: Sequence[Any]) -> Iterable[Any]:
        get = attrgetter(self.audit_child_id)
        return (get(row) for row in rows)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        if page is not None:
            view: Any = self
            record_list_read(
                actor=view.request.user,
                name=f"api:{getattr(view, 'basename', None) or type(view).__name__}",
                query=view.request.query_params,
                rows=view.paginator.page.paginator.count,
                children=self.audit_children(page),
            )
        return page


def version_etag(version: int) -> str:
    """A versioned record's ETag: its version, quoted (a strong ETag, so If-Match can use it)."""
    return quote_etag(str(version))


#: The If-Match header of a PATCH or PUT, for the OpenAPI schema.
IF_MATCH = OpenApiParameter(
    name="If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag from your last read of the record (recommended). If the record has "
    "changed since, nothing is saved and the answer is 412.",
)
#: The ETag of a versioned record's answers, for the OpenAPI schema.
ETAG = OpenApiParameter(
    name="ETag",
    location=OpenApiParameter.HEADER,
    response=[200, 412],
    description="The record's version, quoted: send it in If-Match with your next change.",
)
#: The answer to a PATCH or PUT whose If-Match is stale, for the OpenAPI schema.
PRECONDITION_FAILED = OpenApiResponse(
    description="The record changed since the If-Match ETag was read; nothing was saved: "
    '`{"detail", "version", "etag"}`, with the current ETag in the ETag header.'
)


class VersionETagMixin:
    """For viewsets of versioned records: an `ETag` on each record read or changed, and the
    version a PATCH or PUT expects, from its `If-Match`, for the service to check.

    The serializer must give the record's `version`. A request without If-Match (or with `*`)
    is not checked: If-Match is recommended, not required (see the README's Decisions).
    """

    ETAG_ACTIONS = frozenset({"retrieve", "update", "partial_update"})

    def expected_version(self, current: int) -> int | None:
        """The version the client's If-Match names; 0 (no version) when it names none of ours,
        so the service refuses it as stale."""
        view: Any = self
        header = view.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            return None
        versions = []
        for tag in parse_etags(header):
            if tag.startswith('"') and tag[1:-1].isdigit():  # weak tags never match If-Match
                versions.append(int(tag[1:-1]))
        if current in versions:
            return current
        return versions[0] if versions else 0

    def finalize_response(self, request: Any, response: Response, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        data = getattr(response, "data", None)
        if (
            getattr(self, "action", None) in self.ETAG_ACTIONS
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = version_etag(data["version"])
        return response


def stale_version_response(exc: StaleVersion) -> Response:
    etag = version_etag(exc.current)
    detail = msg.STALE_API.format(
        name=exc.change.by, when=exc.change.when, version=exc.current, etag=etag
    )
    body = {"detail": detail, "version": exc.current, "etag": etag}
    return Response(body, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag})


def validation_error_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A model-layer ValidationError as api.md's body: field -> messages, else non_field_errors."""
    if hasattr(exc, "error_dict"):
        detail: dict[str, list[str]] = {}
        for field, errors in exc.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
            detail.setdefault(key, []).extend(errors)
        return detail
    return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StaleVersion):
        return stale_version_response(exc)
    if isinstance(exc, DjangoValidationError):
        exc = DRFValidationError(detail=validation_error_detail(exc))
    return drf_exception_handler(exc, context)
