"""The appeal's workflow: which step each status allows, and where it leads.

One table, read by the services (to refuse a step out of order), the pages (to show only the
forms that will work) and the API (409 for the rest).

    registered -> response_submitted -> hearing_listed -> decided
    any open status -> conceded | withdrawn | struck_out | decided
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from send_cms.common.workflow import Transition, Workflow
from tribunals.codes import OPEN_APPEAL_STATUSES, AppealStatus, Outcome

S = AppealStatus


class AppealStep(StrEnum):
    RESPONSE = "response"
    HEARING = "hearing"
    DECIDE = "decide"
    CONCEDE = "concede"
    WITHDRAW = "withdraw"
    STRIKE_OUT = "strike_out"
    DIRECTION = "direction"
    ORDER = "order"
    RECOMMENDATION = "recommendation"


APPEAL_CLOSED = "This appeal is closed ({status}): its outcome has already been recorded."

_OPEN = frozenset(OPEN_APPEAL_STATUSES)
_DECIDED_OR_CONCEDED = frozenset({S.DECIDED, S.CONCEDED})


def _phrase(status: str) -> str:
    return S(status).label.lower()


#: The appeal's table, in the order pages list the steps; a step with no destination records
#: something (a direction, an order) without moving the appeal on.
APPEAL_WORKFLOW: Workflow[AppealStep] = Workflow(
    statuses=S.values,
    transitions=(
        Transition(
            AppealStep.RESPONSE,
            frozenset({S.REGISTERED}),
            S.RESPONSE_SUBMITTED,
            "The council's response can only be recorded once, while the appeal is waiting for it.",
            "Record the response submitted",
        ),
        Transition(
            AppealStep.HEARING,
            frozenset({S.RESPONSE_SUBMITTED, S.HEARING_LISTED}),
            S.HEARING_LISTED,
            "A hearing date can only be recorded after the council's response and before the "
            "appeal is closed.",
            "Record the hearing date",
        ),
        Transition(
            AppealStep.DECIDE, _OPEN, S.DECIDED, APPEAL_CLOSED, "Record the tribunal's decision"
        ),
        Transition(
            AppealStep.CONCEDE, _OPEN, S.CONCEDED, APPEAL_CLOSED, "Record that the council conceded"
        ),
        Transition(
            AppealStep.WITHDRAW,
            _OPEN,
            S.WITHDRAWN,
            APPEAL_CLOSED,
            "Record that the appeal was withdrawn",
        ),
        Transition(
            AppealStep.STRIKE_OUT,
            _OPEN,
            S.STRUCK_OUT,
            APPEAL_CLOSED,
            "Record that the appeal was struck out",
        ),
        Transition(
            AppealStep.DIRECTION,
            _OPEN,
            None,
            "Directions can only be added while the appeal is open.",
            "Add a direction",
        ),
        Transition(
            AppealStep.ORDER,
            _DECIDED_OR_CONCEDED,
            None,
            "Orders can only be recorded on an appeal the tribunal has decided or the council "
            "has conceded.",
            "Record an order",
        ),
        Transition(
            AppealStep.RECOMMENDATION,
            _DECIDED_OR_CONCEDED,
            None,
            "Recommendations can only be recorded once the appeal is decided or conceded.",
            "Record a health or social care recommendation",
        ),
    ),
    phrase=_phrase,
)

#: step -> its transition (`.label`, `.allowed_from`, `.to_status`, `.refusal`).
TRANSITIONS: Mapping[AppealStep, Transition[AppealStep]] = APPEAL_WORKFLOW.transitions

#: The workflow step that records each outcome.
OUTCOME_STEP: Mapping[str, AppealStep] = MappingProxyType(
    {
        Outcome.UPHELD: AppealStep.DECIDE,
        Outcome.UPHELD_IN_PART: AppealStep.DECIDE,
        Outcome.DISMISSED: AppealStep.DECIDE,
        Outcome.CONCEDED: AppealStep.CONCEDE,
        Outcome.WITHDRAWN: AppealStep.WITHDRAW,
        Outcome.STRUCK_OUT: AppealStep.STRIKE_OUT,
    }
)


def refusal(step: AppealStep, status: str) -> str:
    return APPEAL_WORKFLOW.refusal(step, status)


def next_status(step: AppealStep, status: str) -> str | None:
    """Where the step leads from `status`, or None when the step is not allowed there."""
    if not APPEAL_WORKFLOW.allowed(step, status):
        return None
    return APPEAL_WORKFLOW.next_status(step, status)


def allowed_steps(status: str) -> list[AppealStep]:
    """The steps the current status allows, in table order (for buttons and forms)."""
    return APPEAL_WORKFLOW.allowed_steps(status)
