"""What every step of the assessment request's journey shares: the workflow check under the row
lock, and the status change saved with the step's own fields."""

from typing import Any

from cases.models import AssessmentRequest
from cases.services.common import lock
from cases.services.steps import save_fields
from cases.workflow import REQUEST_WORKFLOW, Action


def transition(request: AssessmentRequest, action: Action) -> str:
    """Lock the request and check the workflow table allows `action` (`TransitionNotAllowed`
    with the refusal if not); the status it leads to."""
    lock(request)
    return REQUEST_WORKFLOW.next_status(action, request.status)


def move(request: AssessmentRequest, to_status: str, **fields: Any) -> str:
    """Set the request's new status and the step's fields, check and save them; the status it
    left (for the timeline's "from")."""
    before = request.status
    save_fields(request, status=to_status, **fields)
    return before
