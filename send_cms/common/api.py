"""API conventions from api.md: pagination, field-keyed 400s, 409 for refused state changes, and
list reads of children recorded in the audit trail."""

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from send_cms.audit.reads import record_list_read
from send_cms.common.exceptions import TransitionNotAllowed


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
    if isinstance(exc, DjangoValidationError):
        exc = DRFValidationError(detail=validation_error_detail(exc))
    return drf_exception_handler(exc, context)
