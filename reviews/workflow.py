"""The annual review's workflow: which step each status allows, and where it leads.

One table, read by the services (to refuse a step out of order), the pages (to show only the
buttons that will work) and the API (409 for the rest).
"""

from dataclasses import dataclass
from enum import StrEnum

from reviews.models import Decision, ReviewStatus

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


@dataclass(frozen=True)
class Transition:
    label: str
    allowed_from: frozenset[str]
    #: None: the step records a date without changing the status.
    to_status: str | None
    #: Why the step is refused in any other status.
    refusal: str


_BEFORE_MEETING = frozenset({S.AWAITING_MEETING, S.INVITED})
_ANY = frozenset(S.values)

TRANSITIONS: dict[Step, Transition] = {
    Step.INVITATIONS: Transition(
        "Record invitations sent",
        _BEFORE_MEETING,
        S.INVITED,
        "Invitations can only be recorded before the review meeting is held.",
    ),
    Step.ADVICE: Transition(
        "Record advice gathered",
        _BEFORE_MEETING,
        None,
        "Advice for the review can only be recorded before the meeting is held.",
    ),
    Step.MEETING: Transition(
        "Record the review meeting",
        _BEFORE_MEETING,
        S.MEETING_HELD,
        "The review meeting has already been recorded.",
    ),
    Step.REPORT: Transition(
        "Record the meeting report received",
        frozenset({S.MEETING_HELD}),
        S.REPORT_RECEIVED,
        "The report can only be recorded after the meeting and before the decision.",
    ),
    Step.DECISION: Transition(
        "Record the decision",
        frozenset({S.MEETING_HELD, S.REPORT_RECEIVED}),
        None,  # depends on the decision: see DECISION_STATUS
        "The decision can only be recorded once, after the review meeting.",
    ),
    Step.AMENDMENTS: Transition(
        "Record proposed amendments sent",
        frozenset({S.AMENDMENTS_DUE}),
        S.AMENDMENTS_SENT,
        "Proposed amendments can only be sent once, after a decision to amend the plan.",
    ),
    Step.FINAL_AMENDED_PLAN: Transition(
        "Record the final amended plan",
        frozenset({S.AMENDMENTS_SENT}),
        S.AMENDED,
        "The final amended plan can only be issued once, after the proposed amendments.",
    ),
    Step.PHASE_TRANSFER: Transition(
        "Change the phase transfer", _ANY, None, "The phase transfer cannot be changed."
    ),
}

DECISION_STATUS: dict[str, str] = {
    Decision.MAINTAIN: S.MAINTAINED,
    Decision.AMEND: S.AMENDMENTS_DUE,
    Decision.CEASE: S.CEASE_PROPOSED,
}

#: More precise refusals for the orders people most often get wrong.
DECISION_NEEDS_MEETING = "Record the review meeting before the decision."
FINAL_NEEDS_AMENDMENTS = "Send the proposed amendments before issuing the final amended plan."
AMENDMENTS_NEED_AMEND_DECISION = "Proposed amendments follow a decision to amend the plan."
REPORT_NEEDS_MEETING = "Record the review meeting before the report."


def refusal(step: Step, status: str) -> str:
    """The message for a step the status does not allow."""
    if step is Step.DECISION and status in _BEFORE_MEETING:
        return DECISION_NEEDS_MEETING
    if step is Step.REPORT and status in _BEFORE_MEETING:
        return REPORT_NEEDS_MEETING
    if step is Step.FINAL_AMENDED_PLAN and status in (
        _BEFORE_MEETING | {S.MEETING_HELD, S.REPORT_RECEIVED, S.AMENDMENTS_DUE}
    ):
        return FINAL_NEEDS_AMENDMENTS
    if step is Step.AMENDMENTS and status in (
        _BEFORE_MEETING | {S.MEETING_HELD, S.REPORT_RECEIVED, S.MAINTAINED, S.CEASE_PROPOSED}
    ):
        return AMENDMENTS_NEED_AMEND_DECISION
    return TRANSITIONS[step].refusal


def allowed(step: Step, status: str) -> bool:
    return status in TRANSITIONS[step].allowed_from


def allowed_steps(status: str) -> list[Step]:
    """The steps a review in this status offers, in the order of the workflow."""
    return [step for step in Step if step is not Step.PHASE_TRANSFER and allowed(step, status)]
