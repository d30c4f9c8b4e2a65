"""The assessment request's workflow: for each status, the actions it allows and where each leads.

One table, read by the services (to refuse a step out of order with a clear message), the case
page (to show only the buttons that will work) and the API (409 for the rest). An action that
leads back to the same status records something without moving the case on (an advice request,
an exception, a consultation).

The decision to assess and the decision to issue each have two outcomes, so each outcome is its
own action ("assess" / "not_assess", "issue" / "not_issue"); `STEPS` groups them into the
buttons a caseworker sees ("Record the decision to assess").
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from cases.models import OPEN_REQUEST_STATUSES, AdviceRequest, RequestStatus
from send_cms.common.workflow import Refusal, Transition, Workflow

S = RequestStatus


class Action(StrEnum):
    ASSESS = "assess"
    NOT_ASSESS = "not_assess"
    REQUEST_ADVICE = "request_advice"
    ADD_EXCEPTION = "add_exception"
    ISSUE = "issue"
    NOT_ISSUE = "not_issue"
    ISSUE_DRAFT = "issue_draft"
    CONSULT = "consult"
    ISSUE_FINAL = "issue_final"
    WITHDRAW = "withdraw"
    TRANSFER_OUT = "transfer_out"


A = Action

_OPEN = frozenset(OPEN_REQUEST_STATUSES)
#: The journey has ended, but an exception can still be recorded after the event: the
#: timeliness of the 6, 16 or 20 weeks is reported with and without it (SEN2 Week20).
_EXCEPTION_ALLOWED = _OPEN | {S.NOT_ASSESSING, S.NOT_ISSUING, S.FINAL_ISSUED}

# --- refusals: the clear message for an action the status does not allow ----------------------
DECISION_ALREADY_MADE = "The decision whether to assess has already been recorded."
DECISION_CLOSED = "No decision can be recorded on this request: {status}."
ADVICE_NEEDS_ASSESSMENT = "Advice can only be requested during the assessment."
ISSUE_DECISION_NEEDS_ASSESSMENT = (
    "The decision whether to issue a plan can only follow a decision to assess."
)
ISSUE_DECISION_ALREADY_MADE = "The decision whether to issue a plan has already been recorded."
DRAFT_NEEDS_ISSUE_DECISION = "The draft plan can only follow a decision to issue a plan."
DRAFT_ALREADY_ISSUED = "The draft plan has already been issued."
CONSULTATION_NEEDS_ISSUE_DECISION = "Settings can only be consulted once a plan is being drafted."
FINAL_NEEDS_ISSUE_DECISION = "The final plan cannot be issued before a decision to issue a plan."
FINAL_NEEDS_DRAFT = "Issue the draft plan first: the family must have 15 days to comment on it."
FINAL_ALREADY_ISSUED = "The final plan has already been issued."
REQUEST_CLOSED = "Nothing more can be recorded on this request: {status}."
EXCEPTION_CLOSED = "No exception can be recorded on this request: {status}."


#: The buttons of the case page: a step, and the actions it records.
STEPS: MappingProxyType[str, tuple[Action, ...]] = MappingProxyType(
    {
        "decision": (A.ASSESS, A.NOT_ASSESS),
        "advice_request": (A.REQUEST_ADVICE,),
        "exception": (A.ADD_EXCEPTION,),
        "issue_decision": (A.ISSUE, A.NOT_ISSUE),
        "draft_plan": (A.ISSUE_DRAFT,),
        "consultation": (A.CONSULT,),
        "final_plan": (A.ISSUE_FINAL,),
        "withdraw": (A.WITHDRAW,),
        "transfer_out": (A.TRANSFER_OUT,),
    }
)

STEP_LABELS: MappingProxyType[str, str] = MappingProxyType(
    {
        "decision": "Record the decision to assess",
        "advice_request": "Request advice",
        "exception": "Record an exception",
        "issue_decision": "Record the decision to issue a plan",
        "draft_plan": "Issue the draft plan",
        "consultation": "Consult a setting",
        "final_plan": "Issue the final plan",
        "withdraw": "Withdraw the request",
        "transfer_out": "Transfer to another LA",
    }
)


def status_phrase(status: str) -> str:
    """The status label inside a sentence: "final plan issued", "transferred to another LA"."""
    label = str(S(status).label)
    return label[0].lower() + label[1:]


def _t(
    action: Action, allowed_from: Iterable[str], to: str | None, refusal: str
) -> Transition[Action]:
    return Transition(action, frozenset(allowed_from), to, refusal)


_DECIDED_TO_ASSESS = frozenset(
    {S.ASSESSING, S.ISSUING, S.DRAFT_ISSUED, S.NOT_ISSUING, S.FINAL_ISSUED}
)
_NO_ISSUE_DECISION = frozenset({S.RECEIVED, S.ASSESSING, S.NOT_ASSESSING, S.NOT_ISSUING})

#: The assessment request's table, in the order of the journey: each action, the statuses it is
#: allowed from, the status it leads to (None: it records something and the status stays), and
#: the refusal anywhere else; `Refusal` rows name what is missing for the common mistakes.
REQUEST_WORKFLOW: Workflow[Action] = Workflow(
    statuses=S.values,
    transitions=(
        _t(A.ASSESS, [S.RECEIVED], S.ASSESSING, DECISION_CLOSED),
        _t(A.NOT_ASSESS, [S.RECEIVED], S.NOT_ASSESSING, DECISION_CLOSED),
        _t(A.REQUEST_ADVICE, [S.ASSESSING], None, ADVICE_NEEDS_ASSESSMENT),
        _t(A.ADD_EXCEPTION, _EXCEPTION_ALLOWED, None, EXCEPTION_CLOSED),
        _t(A.ISSUE, [S.ASSESSING], S.ISSUING, REQUEST_CLOSED),
        _t(A.NOT_ISSUE, [S.ASSESSING], S.NOT_ISSUING, REQUEST_CLOSED),
        _t(A.ISSUE_DRAFT, [S.ISSUING], S.DRAFT_ISSUED, REQUEST_CLOSED),
        _t(A.CONSULT, [S.ISSUING, S.DRAFT_ISSUED], None, REQUEST_CLOSED),
        _t(A.ISSUE_FINAL, [S.DRAFT_ISSUED], S.FINAL_ISSUED, REQUEST_CLOSED),
        # Leaving the journey early is possible from every open status.
        _t(A.WITHDRAW, _OPEN, S.WITHDRAWN, REQUEST_CLOSED),
        _t(A.TRANSFER_OUT, _OPEN, S.TRANSFERRED_OUT, REQUEST_CLOSED),
    ),
    refusals=(
        Refusal(
            frozenset({A.ASSESS, A.NOT_ASSESS}),
            _DECIDED_TO_ASSESS | {S.NOT_ASSESSING},
            DECISION_ALREADY_MADE,
        ),
        Refusal(
            frozenset({A.ISSUE, A.NOT_ISSUE}),
            frozenset({S.ISSUING, S.DRAFT_ISSUED, S.NOT_ISSUING, S.FINAL_ISSUED}),
            ISSUE_DECISION_ALREADY_MADE,
        ),
        Refusal(
            frozenset({A.ISSUE, A.NOT_ISSUE}),
            frozenset({S.RECEIVED, S.NOT_ASSESSING}),
            ISSUE_DECISION_NEEDS_ASSESSMENT,
        ),
        Refusal(
            frozenset({A.ISSUE_DRAFT}),
            frozenset({S.DRAFT_ISSUED, S.FINAL_ISSUED}),
            DRAFT_ALREADY_ISSUED,
        ),
        Refusal(frozenset({A.ISSUE_DRAFT}), _NO_ISSUE_DECISION, DRAFT_NEEDS_ISSUE_DECISION),
        Refusal(
            frozenset({A.CONSULT}),
            frozenset({S.RECEIVED, S.ASSESSING}),
            CONSULTATION_NEEDS_ISSUE_DECISION,
        ),
        Refusal(frozenset({A.ISSUE_FINAL}), frozenset({S.FINAL_ISSUED}), FINAL_ALREADY_ISSUED),
        Refusal(frozenset({A.ISSUE_FINAL}), frozenset({S.ISSUING}), FINAL_NEEDS_DRAFT),
        Refusal(frozenset({A.ISSUE_FINAL}), _NO_ISSUE_DECISION, FINAL_NEEDS_ISSUE_DECISION),
    ),
    phrase=status_phrase,
)

#: status -> {action: next status}, every status a row (an empty one allows nothing).
TRANSITIONS: Mapping[str, Mapping[Action, str]] = REQUEST_WORKFLOW.by_status()


def refusal(action: Action | str, status: str) -> str:
    """Why `action` is refused in `status`, in the words a caseworker needs to act on."""
    return REQUEST_WORKFLOW.refusal(Action(action), status)


def allowed(action: Action | str, status: str) -> bool:
    return REQUEST_WORKFLOW.allowed(Action(action), status)


def next_status(action: Action | str, status: str) -> str:
    """Where `action` leads from `status` (`TransitionNotAllowed` when it is not allowed)."""
    return REQUEST_WORKFLOW.next_status(Action(action), status)


def allowed_actions(status: str) -> list[str]:
    """The actions `status` allows, in the order of the journey."""
    return [action.value for action in REQUEST_WORKFLOW.allowed_steps(status)]


def allowed_steps(status: str) -> list[str]:
    """The steps (case page buttons) `status` allows, in the order of the journey."""
    return [step for step, actions in STEPS.items() if any(allowed(a, status) for a in actions)]


def is_open(status: str) -> bool:
    return status in OPEN_REQUEST_STATUSES


# --- the advice request's own small workflow ---------------------------------------------------


class AdviceState(StrEnum):
    REQUESTED = "requested"
    RECEIVED = "received"
    RETURNED = "returned_for_quality"
    RE_RECEIVED = "re_received"

    @property
    def label(self) -> str:
        return ADVICE_STATE_LABELS[self]


ADVICE_STATE_LABELS = MappingProxyType(
    {
        AdviceState.REQUESTED: "Awaiting advice",
        AdviceState.RECEIVED: "Received",
        AdviceState.RETURNED: "Returned for quality",
        AdviceState.RE_RECEIVED: "Received again",
    }
)


class AdviceAction(StrEnum):
    RECEIVE = "receive"
    RETURN_FOR_QUALITY = "return_for_quality"
    RE_RECEIVE = "re_receive"


ADVICE_ALREADY_RECEIVED = "This advice has already been received."
ADVICE_NOT_RECEIVED = "The advice can only be returned for quality once it has been received."
ADVICE_ALREADY_RETURNED = "This advice has already been returned for quality."
ADVICE_NOT_RETURNED = "Advice can only be received again after it was returned for quality."
ADVICE_ALREADY_RE_RECEIVED = "The corrected advice has already been received."

#: The advice request's table: received, returned for quality once, received again.
ADVICE_WORKFLOW: Workflow[AdviceAction] = Workflow(
    statuses=[state.value for state in AdviceState],
    transitions=(
        Transition(
            AdviceAction.RECEIVE,
            frozenset({AdviceState.REQUESTED}),
            AdviceState.RECEIVED,
            ADVICE_ALREADY_RECEIVED,
        ),
        Transition(
            AdviceAction.RETURN_FOR_QUALITY,
            frozenset({AdviceState.RECEIVED}),
            AdviceState.RETURNED,
            ADVICE_NOT_RECEIVED,
        ),
        Transition(
            AdviceAction.RE_RECEIVE,
            frozenset({AdviceState.RETURNED}),
            AdviceState.RE_RECEIVED,
            ADVICE_NOT_RETURNED,
        ),
    ),
    refusals=(
        Refusal(
            frozenset({AdviceAction.RETURN_FOR_QUALITY}),
            frozenset({AdviceState.RETURNED, AdviceState.RE_RECEIVED}),
            ADVICE_ALREADY_RETURNED,
        ),
        Refusal(
            frozenset({AdviceAction.RE_RECEIVE}),
            frozenset({AdviceState.RE_RECEIVED}),
            ADVICE_ALREADY_RE_RECEIVED,
        ),
    ),
)

#: state -> {action: next state}.
ADVICE_TRANSITIONS: Mapping[str, Mapping[AdviceAction, str]] = ADVICE_WORKFLOW.by_status()


def advice_state(advice: AdviceRequest | Any) -> AdviceState:
    if advice.re_received_on is not None:
        return AdviceState.RE_RECEIVED
    if advice.returned_for_quality_on is not None:
        return AdviceState.RETURNED
    if advice.received_on is not None:
        return AdviceState.RECEIVED
    return AdviceState.REQUESTED


def advice_allowed(action: AdviceAction | str, state: str) -> bool:
    return ADVICE_WORKFLOW.allowed(AdviceAction(action), state)


def advice_refusal(action: AdviceAction | str, state: str) -> str:
    return ADVICE_WORKFLOW.refusal(AdviceAction(action), state)
