"""`GET /api/v1/children/{id}/subject-access/`: the subject access export as JSON, for
managers and administrators, recorded as a download."""

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from send_cms.audit.reads import record_download
from send_cms.retention import subject_access
from send_cms.retention.views import EXPORT_NAME, MANAGERS, subject_or_404


class SubjectAccessAPIView(APIView):
    read_roles = MANAGERS
    write_roles: frozenset[str] = frozenset()

    @extend_schema(
        summary="Subject access export of a child (managers and administrators)",
        description=(
            "Everything held about the child, section by section: the child and contacts, "
            "assessment requests and advice, plans and their versions, placements, annual "
            "reviews, panel items, mediation and appeals, the timeline, and the names of the "
            "documents held. Each call is recorded in the audit trail as a download."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The export."),
            403: OpenApiResponse(description='Not a manager or administrator: `{"detail"}`.'),
            404: OpenApiResponse(description='No such child: `{"detail"}`.'),
        },
    )
    def get(self, request: Request, child_id: uuid.UUID) -> Response:
        export = subject_access.subject_access_export(subject=subject_or_404(child_id))
        record_download(
            actor=request.user, name=EXPORT_NAME, fmt="json (API)", child_id=export.subject.id
        )
        return Response(export.document)
