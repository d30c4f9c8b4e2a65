"""The annual review's workflow: which step each status allows, and where it leads.

One table, read by the services (to refuse a step out of order), the pages (to show only the
buttons that will work) and the API (409 for the rest).
"""

from collections.abc import Mapping
from enum import StrEnum

from reviews.models import Decision, ReviewStatus
from send_cms.common.workflow import Refusal, Transition, Workflow

S = ReviewStatus


class Step(StrEnum):
    INVITATIONS = "invitations"
    ADVICE = "advice"
    MEETING = "meeting"
    REPORT = "report"
    DECISION = "decision"
    AMENDMENTS = "amendments"
    FINAL_AMENDED_PLAN = "final-amended-plan"
    PHASE_TRANSFER = "phase-transfer"


_BEFORE_MEETING = frozenset({S.AWAITING_MEETING, S.INVITED})
_ANY = frozenset(S.values)

#: More precise refusals for the orders people most often get wrong.
DECISION_NEEDS_MEETING = "Record the review meeting before the decision."
FINAL_NEEDS_AMENDMENTS = "Send the proposed amendments before issuing the final amended plan."
AMENDMENTS_NEED_AMEND_DECISION = "Proposed amendments follow a decision to amend the plan."
REPORT_NEEDS_MEETING = "Record the review meeting before the report."

_BEFORE_DECISION = _BEFORE_MEETING | {S.MEETING_HELD, S.REPORT_RECEIVED}

#: The review's table in the order of the workflow; a step with no destination records a date
#: without changing the status (the decision's destination depends on it: `DECISION_STATUS`).
REVIEW_WORKFLOW: Workflow[Step] = Workflow(
    statuses=S.values,
    transitions=(
        Transition(
            Step.INVITATIONS,
            _BEFORE_MEETING,
            S.INVITED,
            "Invitations can only be recorded before the review meeting is held.",
            "Record invitations sent",
        ),
        Transition(
            Step.ADVICE,
            _BEFORE_MEETING,
            None,
            "Advice for the review can only be recorded before the meeting is held.",
            "Record advice gathered",
        ),
        Transition(
            Step.MEETING,
            _BEFORE_MEETING,
            S.MEETING_HELD,
            "The review meeting has already been recorded.",
            "Record the review meeting",
        ),
        Transition(
            Step.REPORT,
            frozenset({S.MEETING_HELD}),
            S.REPORT_RECEIVED,
            "The report can only be recorded after the meeting and before the decision.",
            "Record the meeting report received",
        ),
        Transition(
            Step.DECISION,
            frozenset({S.MEETING_HELD, S.REPORT_RECEIVED}),
            None,
            "The decision can only be recorded once, after the review meeting.",
            "Record the decision",
        ),
        Transition(
            Step.AMENDMENTS,
            frozenset({S.AMENDMENTS_DUE}),
            S.AMENDMENTS_SENT,
            "Proposed amendments can only be sent once, after a decision to amend the plan.",
            "Record proposed amendments sent",
        ),
        Transition(
            Step.FINAL_AMENDED_PLAN,
            frozenset({S.AMENDMENTS_SENT}),
            S.AMENDED,
            "The final amended plan can only be issued once, after the proposed amendments.",
            "Record the final amended plan",
        ),
        Transition(
            Step.PHASE_TRANSFER,
            _ANY,
            None,
            "The phase transfer cannot be changed.",
            "Change the phase transfer",
        ),
    ),
    refusals=(
        Refusal(frozenset({Step.DECISION}), _BEFORE_MEETING, DECISION_NEEDS_MEETING),
        Refusal(frozenset({Step.REPORT}), _BEFORE_MEETING, REPORT_NEEDS_MEETING),
        Refusal(
            frozenset({Step.FINAL_AMENDED_PLAN}),
            _BEFORE_DECISION | {S.AMENDMENTS_DUE},
            FINAL_NEEDS_AMENDMENTS,
        ),
        Refusal(
            frozenset({Step.AMENDMENTS}),
            _BEFORE_DECISION | {S.MAINTAINED, S.CEASE_PROPOSED},
            AMENDMENTS_NEED_AMEND_DECISION,
        ),
    ),
)

#: step -> its transition (`.label`, `.allowed_from`, `.to_status`, `.refusal`).
TRANSITIONS: Mapping[Step, Transition[Step]] = REVIEW_WORKFLOW.transitions

DECISION_STATUS: dict[str, str] = {
    Decision.MAINTAIN: S.MAINTAINED,
    Decision.AMEND: S.AMENDMENTS_DUE,
    Decision.CEASE: S.CEASE_PROPOSED,
}


def refusal(step: Step, status: str) -> str:
    """The message for a step the status does not allow."""
    return REVIEW_WORKFLOW.refusal(step, status)


def allowed(step: Step, status: str) -> bool:
    return REVIEW_WORKFLOW.allowed(step, status)


def allowed_steps(status: str) -> list[Step]:
    """The steps a review in this status offers, in the order of the workflow (the phase
    transfer is changed from its own link, never offered as a step)."""
    return [s for s in REVIEW_WORKFLOW.allowed_steps(status) if s is not Step.PHASE_TRANSFER]
