"""Assessment requests and their advice, scoped to the user; reads of one are audited."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cases import workflow
from cases.models import OPEN_REQUEST_STATUSES, AdviceRequest, AssessmentRequest
from cases.selectors.children import VIEWED, _scope
from send_cms.audit.services import record
from send_cms.deadlines.models import Deadline

# --- assessment requests -------------------------------------------------------------------------


def request_list(*, user: Any) -> QuerySet[AssessmentRequest]:
    return _scope(
        AssessmentRequest.objects.select_related("child", "child__caseworker", "plan").order_by(
            "-received_on", "-created_at"
        ),
        user,
        "child_id",
    )


def request_get(*, user: Any, pk: Any, audit: bool = True) -> AssessmentRequest:
    """One request the user may read, with its advice, exceptions and consultations (audited)."""
    request = (
        request_list(user=user)
        .select_related("preferred_setting", "child__current_setting")
        .prefetch_related(
            Prefetch(
                "advice_requests", queryset=AdviceRequest.objects.order_by("requested_on", "kind")
            ),
            "exceptions__applied_by",
            "exceptions__approved_by",
            "exceptions__advice_request",
            "consultations__establishment",
        )
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No assessment request with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=request, child_id=request.child_id)
    return request


def request_allowed_actions(request: AssessmentRequest) -> list[str]:
    """The actions the request's status allows (`cases.workflow.Action` values)."""
    return workflow.allowed_actions(request.status)


def request_allowed_steps(request: AssessmentRequest) -> list[str]:
    """The case page's buttons for the request (`cases.workflow.STEPS` keys)."""
    return workflow.allowed_steps(request.status)


def request_deadlines(request: AssessmentRequest) -> list[Deadline]:
    """The stored deadlines of the request and of its advice requests, by due date."""
    subject_ids = [request.pk, *(a.pk for a in request.advice_requests.all())]
    return list(
        Deadline.objects.filter(child_id=request.child_id, subject_id__in=subject_ids).order_by(
            "due_on", "rule"
        )
    )


def advice_request_list(*, user: Any) -> QuerySet[AdviceRequest]:
    return _scope(
        AdviceRequest.objects.select_related("request", "request__child").order_by(
            "requested_on", "kind"
        ),
        user,
        "request__child_id",
    )


def advice_request_get(*, user: Any, pk: Any, audit: bool = True) -> AdviceRequest:
    advice = advice_request_list(user=user).filter(pk=pk).first()
    if advice is None:
        raise Http404("No advice request with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=advice, child_id=advice.request.child_id)
    return advice


def outstanding_advice(*, user: Any, caseworker: Any = None) -> QuerySet[AdviceRequest]:
    """Advice still awaited from the adviser (never received, or returned and not re-sent),
    on open requests, oldest request first: the advice tracker."""
    advice = advice_request_list(user=user).filter(
        Q(received_on__isnull=True)
        | Q(returned_for_quality_on__isnull=False, re_received_on__isnull=True),
        request__status__in=OPEN_REQUEST_STATUSES,
    )
    if caseworker is not None:
        advice = advice.filter(request__child__caseworker=getattr(caseworker, "pk", caseworker))
    return advice.select_related("request__child__caseworker").order_by("requested_on", "kind")
