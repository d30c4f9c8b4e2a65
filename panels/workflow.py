"""The panel meeting's workflow: planned, then in session, then closed, one way only.

The same workflow type as the assessment request, the review and the appeal, so the services
refuse a step out of order the same way (`TransitionNotAllowed`, a 409 in the API).
"""

from enum import StrEnum

from panels.models import MeetingStatus
from send_cms.common.workflow import Transition, Workflow

S = MeetingStatus


class MeetingStep(StrEnum):
    START = "start"
    CLOSE = "close"


#: The refusal names where the meeting is and where the step would take it.
CANNOT_MOVE = "A {status} meeting cannot become {to_status}"


def _phrase(status: str) -> str:
    return S(status).label.lower()


#: The only status changes the services may make.
MEETING_WORKFLOW: Workflow[MeetingStep] = Workflow(
    statuses=S.values,
    transitions=(
        Transition(MeetingStep.START, frozenset({S.PLANNED}), S.IN_SESSION, CANNOT_MOVE, "Start"),
        Transition(MeetingStep.CLOSE, frozenset({S.IN_SESSION}), S.CLOSED, CANNOT_MOVE, "Close"),
    ),
    phrase=_phrase,
)
