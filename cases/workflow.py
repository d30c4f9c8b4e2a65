"""The assessment request's workflow: for each status, the actions it allows and where each leads.

One table, read by the services (to refuse a step out of order with a clear message), the case
page (to show only the buttons that will work) and the API (409 for the rest). An action that
leads back to the same status records something without moving the case on (an advice request,
an exception, a consultation).

The decision to assess and the decision to issue each have two outcomes, so each outcome is its
own action ("assess" / "not_assess", "issue" / "not_issue"); `STEPS` groups them into the
buttons a caseworker sees ("Record the decision to assess").
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from cases.models import OPEN_REQUEST_STATUSES, AdviceRequest, RequestStatus

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

# Leaving the journey early is possible from every open status.
_EXITS: dict[str, str] = {A.WITHDRAW: S.WITHDRAWN, A.TRANSFER_OUT: S.TRANSFERRED_OUT}

#: status -> {action: next status}. A status missing here (or an action missing from its row)
#: allows nothing.
TRANSITIONS: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {
        S.RECEIVED: MappingProxyType(
            {
                A.ASSESS: S.ASSESSING,
                A.NOT_ASSESS: S.NOT_ASSESSING,
                A.ADD_EXCEPTION: S.RECEIVED,
                **_EXITS,
            }
        ),
        S.ASSESSING: MappingProxyType(
            {
                A.REQUEST_ADVICE: S.ASSESSING,
                A.ADD_EXCEPTION: S.ASSESSING,
                A.ISSUE: S.ISSUING,
                A.NOT_ISSUE: S.NOT_ISSUING,
                **_EXITS,
            }
        ),
        S.ISSUING: MappingProxyType(
            {
                A.ADD_EXCEPTION: S.ISSUING,
                A.CONSULT: S.ISSUING,
                A.ISSUE_DRAFT: S.DRAFT_ISSUED,
                **_EXITS,
            }
        ),
        S.DRAFT_ISSUED: MappingProxyType(
            {
                A.ADD_EXCEPTION: S.DRAFT_ISSUED,
                A.CONSULT: S.DRAFT_ISSUED,
                A.ISSUE_FINAL: S.FINAL_ISSUED,
                **_EXITS,
            }
        ),
        # The journey has ended, but an exception can still be recorded after the event: the
        # timeliness of the 6, 16 or 20 weeks is reported with and without it (SEN2 Week20).
        S.NOT_ASSESSING: MappingProxyType({A.ADD_EXCEPTION: S.NOT_ASSESSING}),
        S.NOT_ISSUING: MappingProxyType({A.ADD_EXCEPTION: S.NOT_ISSUING}),
        S.FINAL_ISSUED: MappingProxyType({A.ADD_EXCEPTION: S.FINAL_ISSUED}),
        S.WITHDRAWN: MappingProxyType({}),
        S.TRANSFERRED_OUT: MappingProxyType({}),
    }
)

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


_NOTHING: Mapping[str, str] = MappingProxyType({})


def status_phrase(status: str) -> str:
    """The status label inside a sentence: "final plan issued", "transferred to another LA"."""
    label = str(S(status).label)
    return label[0].lower() + label[1:]


def _closed(status: str) -> str:
    return REQUEST_CLOSED.format(status=status_phrase(status))


def refusal(action: Action | str, status: str) -> str:
    """Why `action` is refused in `status`, in the words a caseworker needs to act on."""
    action = Action(action)
    label = status_phrase(status)
    if action in (A.ASSESS, A.NOT_ASSESS):
        if status in (S.ASSESSING, S.ISSUING, S.DRAFT_ISSUED, S.NOT_ISSUING, S.FINAL_ISSUED):
            return DECISION_ALREADY_MADE
        if status == S.NOT_ASSESSING:
            return DECISION_ALREADY_MADE
        return DECISION_CLOSED.format(status=label)
    if action is A.REQUEST_ADVICE:
        return ADVICE_NEEDS_ASSESSMENT
    if action in (A.ISSUE, A.NOT_ISSUE):
        if status in (S.ISSUING, S.DRAFT_ISSUED, S.NOT_ISSUING, S.FINAL_ISSUED):
            return ISSUE_DECISION_ALREADY_MADE
        if status in (S.RECEIVED, S.NOT_ASSESSING):
            return ISSUE_DECISION_NEEDS_ASSESSMENT
        return _closed(status)
    if action is A.ISSUE_DRAFT:
        if status in (S.DRAFT_ISSUED, S.FINAL_ISSUED):
            return DRAFT_ALREADY_ISSUED
        if status in (S.RECEIVED, S.ASSESSING, S.NOT_ASSESSING, S.NOT_ISSUING):
            return DRAFT_NEEDS_ISSUE_DECISION
        return _closed(status)
    if action is A.CONSULT:
        if status in (S.RECEIVED, S.ASSESSING):
            return CONSULTATION_NEEDS_ISSUE_DECISION
        return _closed(status)
    if action is A.ISSUE_FINAL:
        if status == S.FINAL_ISSUED:
            return FINAL_ALREADY_ISSUED
        if status == S.ISSUING:
            return FINAL_NEEDS_DRAFT
        if status in (S.RECEIVED, S.ASSESSING, S.NOT_ASSESSING, S.NOT_ISSUING):
            return FINAL_NEEDS_ISSUE_DECISION
        return _closed(status)
    if action is A.ADD_EXCEPTION:
        return EXCEPTION_CLOSED.format(status=label)
    return _closed(status)


def allowed(action: Action | str, status: str) -> bool:
    return Action(action) in TRANSITIONS.get(status, _NOTHING)


def next_status(action: Action | str, status: str) -> str:
    """Where `action` leads from `status` (KeyError when it is not allowed: check first)."""
    return TRANSITIONS[status][Action(action)]


def allowed_actions(status: str) -> list[str]:
    """The actions `status` allows, in the order of the journey."""
    row: Mapping[str, str] = TRANSITIONS.get(status, _NOTHING)
    return [action.value for action in Action if action in row]


def allowed_steps(status: str) -> list[str]:
    """The steps (case page buttons) `status` allows, in the order of the journey."""
    row: Mapping[str, str] = TRANSITIONS.get(status, _NOTHING)
    return [step for step, actions in STEPS.items() if any(a in row for a in actions)]


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


ADVICE_TRANSITIONS: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {
        AdviceState.REQUESTED: MappingProxyType({AdviceAction.RECEIVE: AdviceState.RECEIVED}),
        AdviceState.RECEIVED: MappingProxyType(
            {AdviceAction.RETURN_FOR_QUALITY: AdviceState.RETURNED}
        ),
        AdviceState.RETURNED: MappingProxyType({AdviceAction.RE_RECEIVE: AdviceState.RE_RECEIVED}),
        AdviceState.RE_RECEIVED: MappingProxyType({}),
    }
)

ADVICE_ALREADY_RECEIVED = "This advice has already been received."
ADVICE_NOT_RECEIVED = "The advice can only be returned for quality once it has been received."
ADVICE_ALREADY_RETURNED = "This advice has already been returned for quality."
ADVICE_NOT_RETURNED = "Advice can only be received again after it was returned for quality."
ADVICE_ALREADY_RE_RECEIVED = "The corrected advice has already been received."

_ADVICE_REFUSALS = {
    AdviceAction.RECEIVE: ADVICE_ALREADY_RECEIVED,
    AdviceAction.RETURN_FOR_QUALITY: ADVICE_NOT_RECEIVED,
    AdviceAction.RE_RECEIVE: ADVICE_NOT_RETURNED,
}


def advice_state(advice: AdviceRequest | Any) -> AdviceState:
    if advice.re_received_on is not None:
        return AdviceState.RE_RECEIVED
    if advice.returned_for_quality_on is not None:
        return AdviceState.RETURNED
    if advice.received_on is not None:
        return AdviceState.RECEIVED
    return AdviceState.REQUESTED


def advice_allowed(action: AdviceAction | str, state: str) -> bool:
    return AdviceAction(action) in ADVICE_TRANSITIONS[state]


def advice_refusal(action: AdviceAction | str, state: str) -> str:
    action = AdviceAction(action)
    if action is AdviceAction.RETURN_FOR_QUALITY and state in (
        AdviceState.RETURNED,
        AdviceState.RE_RECEIVED,
    ):
        return ADVICE_ALREADY_RETURNED
    if action is AdviceAction.RE_RECEIVE and state == AdviceState.RE_RECEIVED:
        return ADVICE_ALREADY_RE_RECEIVED
    return _ADVICE_REFUSALS[action]
