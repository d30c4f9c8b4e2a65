"""The appeal's workflow: which step each status allows, and where it leads.

One table, read by the services (to refuse a step out of order), the pages (to show only the
forms that will work) and the API (409 for the rest).

    registered -> response_submitted -> hearing_listed -> decided
    any open status -> conceded | withdrawn | struck_out | decided
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

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


@dataclass(frozen=True)
class Transition:
    label: str
    #: from status -> to status. A step that records something without moving the appeal on
    #: maps a status to itself.
    moves: Mapping[str, str]
    #: Why the step is refused in any other status.
    refusal: str

    def allowed_from(self, status: str) -> bool:
        return status in self.moves


def _open_to(to: str) -> Mapping[str, str]:
    return MappingProxyType(dict.fromkeys(OPEN_APPEAL_STATUSES, to))


def _stay(*statuses: str) -> Mapping[str, str]:
    return MappingProxyType({s: s for s in statuses})


APPEAL_CLOSED = "This appeal is closed ({status}): its outcome has already been recorded."

TRANSITIONS: Mapping[AppealStep, Transition] = MappingProxyType(
    {
        AppealStep.RESPONSE: Transition(
            "Record the response submitted",
            MappingProxyType({S.REGISTERED: S.RESPONSE_SUBMITTED}),
            "The council's response can only be recorded once, while the appeal is waiting for it.",
        ),
        AppealStep.HEARING: Transition(
            "Record the hearing date",
            MappingProxyType(
                {S.RESPONSE_SUBMITTED: S.HEARING_LISTED, S.HEARING_LISTED: S.HEARING_LISTED}
            ),
            "A hearing date can only be recorded after the council's response and before the "
            "appeal is closed.",
        ),
        AppealStep.DECIDE: Transition(
            "Record the tribunal's decision", _open_to(S.DECIDED), APPEAL_CLOSED
        ),
        AppealStep.CONCEDE: Transition(
            "Record that the council conceded", _open_to(S.CONCEDED), APPEAL_CLOSED
        ),
        AppealStep.WITHDRAW: Transition(
            "Record that the appeal was withdrawn", _open_to(S.WITHDRAWN), APPEAL_CLOSED
        ),
        AppealStep.STRIKE_OUT: Transition(
            "Record that the appeal was struck out", _open_to(S.STRUCK_OUT), APPEAL_CLOSED
        ),
        AppealStep.DIRECTION: Transition(
            "Add a direction",
            _stay(*OPEN_APPEAL_STATUSES),
            "Directions can only be added while the appeal is open.",
        ),
        AppealStep.ORDER: Transition(
            "Record an order",
            _stay(S.DECIDED, S.CONCEDED),
            "Orders can only be recorded on an appeal the tribunal has decided or the council "
            "has conceded.",
        ),
        AppealStep.RECOMMENDATION: Transition(
            "Record a health or social care recommendation",
            _stay(S.DECIDED, S.CONCEDED),
            "Recommendations can only be recorded once the appeal is decided or conceded.",
        ),
    }
)

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
    return TRANSITIONS[step].refusal.format(status=S(status).label.lower())


def next_status(step: AppealStep, status: str) -> str | None:
    """Where the step leads from `status`, or None when the step is not allowed there."""
    return TRANSITIONS[step].moves.get(status)


def allowed_steps(status: str) -> list[AppealStep]:
    """The steps the current status allows, in table order (for buttons and forms)."""
    return [step for step, t in TRANSITIONS.items() if t.allowed_from(status)]
