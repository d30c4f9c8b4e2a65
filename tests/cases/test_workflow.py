"""The workflow table: what each status allows, where each action leads, and why the rest are
refused."""

import pytest

from cases import workflow
from cases.models import OPEN_REQUEST_STATUSES, RequestStatus
from cases.workflow import Action

S = RequestStatus


def test_every_status_has_a_row() -> None:
    assert set(workflow.TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (S.RECEIVED, ["assess", "not_assess", "add_exception", "withdraw", "transfer_out"]),
        (
            S.ASSESSING,
            ["request_advice", "add_exception", "issue", "not_issue", "withdraw", "transfer_out"],
        ),
        (S.ISSUING, ["add_exception", "issue_draft", "consult", "withdraw", "transfer_out"]),
        (S.DRAFT_ISSUED, ["add_exception", "consult", "issue_final", "withdraw", "transfer_out"]),
        (S.NOT_ASSESSING, ["add_exception"]),
        (S.NOT_ISSUING, ["add_exception"]),
        (S.FINAL_ISSUED, ["add_exception"]),
        (S.WITHDRAWN, []),
        (S.TRANSFERRED_OUT, []),
    ],
)
def test_the_actions_each_status_allows(status: str, actions: list[str]) -> None:
    assert workflow.allowed_actions(status) == actions


@pytest.mark.parametrize(
    ("status", "action", "to"),
    [
        (S.RECEIVED, Action.ASSESS, S.ASSESSING),
        (S.RECEIVED, Action.NOT_ASSESS, S.NOT_ASSESSING),
        (S.ASSESSING, Action.ISSUE, S.ISSUING),
        (S.ASSESSING, Action.NOT_ISSUE, S.NOT_ISSUING),
        (S.ASSESSING, Action.REQUEST_ADVICE, S.ASSESSING),
        (S.ISSUING, Action.ISSUE_DRAFT, S.DRAFT_ISSUED),
        (S.DRAFT_ISSUED, Action.ISSUE_FINAL, S.FINAL_ISSUED),
        (S.DRAFT_ISSUED, Action.WITHDRAW, S.WITHDRAWN),
        (S.ISSUING, Action.TRANSFER_OUT, S.TRANSFERRED_OUT),
    ],
)
def test_where_each_action_leads(status: str, action: Action, to: str) -> None:
    assert workflow.next_status(action, status) == to


def test_leaving_early_is_possible_from_every_open_status_only() -> None:
    for status in S.values:
        assert workflow.allowed(Action.WITHDRAW, status) is (status in OPEN_REQUEST_STATUSES)
        assert workflow.allowed(Action.TRANSFER_OUT, status) is (status in OPEN_REQUEST_STATUSES)


def test_every_refused_action_has_a_message() -> None:
    for status in S.values:
        for action in Action:
            if not workflow.allowed(action, status):
                message = workflow.refusal(action, status)
                assert message.endswith(".")
                assert "{" not in message


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        (Action.ASSESS, S.ASSESSING, workflow.DECISION_ALREADY_MADE),
        (Action.ASSESS, S.WITHDRAWN, "No decision can be recorded on this request: withdrawn."),
        (Action.ISSUE, S.RECEIVED, workflow.ISSUE_DECISION_NEEDS_ASSESSMENT),
        (Action.ISSUE_DRAFT, S.ASSESSING, workflow.DRAFT_NEEDS_ISSUE_DECISION),
        (Action.ISSUE_FINAL, S.RECEIVED, workflow.FINAL_NEEDS_ISSUE_DECISION),
        (Action.ISSUE_FINAL, S.ISSUING, workflow.FINAL_NEEDS_DRAFT),
        (Action.ISSUE_FINAL, S.FINAL_ISSUED, workflow.FINAL_ALREADY_ISSUED),
        (Action.CONSULT, S.ASSESSING, workflow.CONSULTATION_NEEDS_ISSUE_DECISION),
        (
            Action.WITHDRAW,
            S.NOT_ASSESSING,
            "Nothing more can be recorded on this request: decided not to assess.",
        ),
    ],
)
def test_refusals_name_what_is_missing(action: Action, status: str, message: str) -> None:
    assert workflow.refusal(action, status) == message


def test_a_status_reads_well_inside_a_sentence() -> None:
    assert workflow.refusal(Action.ASSESS, S.TRANSFERRED_OUT) == (
        "No decision can be recorded on this request: transferred to another LA."
    )
    assert workflow.refusal(Action.ADD_EXCEPTION, S.WITHDRAWN) == (
        "No exception can be recorded on this request: withdrawn."
    )


def test_the_case_page_steps_group_the_outcomes() -> None:
    assert workflow.allowed_steps(S.RECEIVED) == [
        "decision",
        "exception",
        "withdraw",
        "transfer_out",
    ]
    assert workflow.allowed_steps(S.ASSESSING) == [
        "advice_request",
        "exception",
        "issue_decision",
        "withdraw",
        "transfer_out",
    ]
    assert set(workflow.STEP_LABELS) == set(workflow.STEPS)
    grouped = {a for actions in workflow.STEPS.values() for a in actions}
    assert grouped == set(Action)


def test_the_advice_requests_own_table() -> None:
    action = workflow.AdviceAction
    assert workflow.advice_allowed(action.RECEIVE, workflow.AdviceState.REQUESTED)
    assert not workflow.advice_allowed(action.RECEIVE, workflow.AdviceState.RECEIVED)
    assert workflow.advice_refusal(action.RETURN_FOR_QUALITY, workflow.AdviceState.RE_RECEIVED) == (
        workflow.ADVICE_ALREADY_RETURNED
    )
    assert workflow.advice_refusal(action.RE_RECEIVE, workflow.AdviceState.RE_RECEIVED) == (
        workflow.ADVICE_ALREADY_RE_RECEIVED
    )
