"""The decisions that move the request on or end it: whether to assess, whether to issue a plan,
a withdrawal and a transfer to another LA."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cases import messages as msg
from cases.models import AssessmentDecision, AssessmentRequest, IssueDecision
from cases.services.common import Errors, add_error, check_not_future, raise_if
from cases.services.requests.journey import move, transition
from cases.services.steps import case_step, check_not_before
from cases.workflow import Action
from send_cms.accounts.actor import Actor


@transaction.atomic
def assessment_request_decide(
    *,
    actor: Actor | None,
    request: AssessmentRequest,
    decision: str,
    decided_on: dt.date,
    reasons: str = "",
    letter_sent_on: dt.date | None = None,
) -> AssessmentRequest:
    """Record the decision whether to assess (6 weeks, regulations 4 and 5)."""
    action = Action.ASSESS if decision == AssessmentDecision.ASSESS else Action.NOT_ASSESS
    if decision not in AssessmentDecision.values:
        raise ValidationError({"decision": [f"Choose {AssessmentDecision.values}."]})
    to_status = transition(request, action)
    errors: Errors = {}
    check_not_future(errors, "decided_on", decided_on, "The date of the decision")
    check_not_before(
        errors, "decided_on", decided_on, request.received_on, msg.DECISION_BEFORE_RECEIPT
    )
    if letter_sent_on is not None:
        check_not_future(errors, "letter_sent_on", letter_sent_on, "The date the letter was sent")
        check_not_before(
            errors, "letter_sent_on", letter_sent_on, decided_on, msg.LETTER_BEFORE_DECISION
        )
    raise_if(errors)
    before = move(
        request,
        to_status,
        decision=decision,
        decided_on=decided_on,
        decision_reasons=reasons.strip(),
        decision_letter_sent_on=letter_sent_on,
    )
    case_step(
        actor=actor,
        subject=request,
        action="assessment_request.decided",
        title="Decided to assess" if action is Action.ASSESS else "Decided not to assess",
        occurred_on=decided_on,
        changes={"decision": decision, "decided_on": decided_on, "letter_sent_on": letter_sent_on},
        from_status=before,
        detail=reasons.strip(),
    )
    return request


@transaction.atomic
def assessment_request_decide_issue(
    *,
    actor: Actor | None,
    request: AssessmentRequest,
    decision: str,
    decided_on: dt.date,
    reasons: str = "",
) -> AssessmentRequest:
    """Record the decision whether to issue a plan after the assessment."""
    if decision not in IssueDecision.values:
        raise ValidationError({"decision": [f"Choose {IssueDecision.values}."]})
    action = Action.ISSUE if decision == IssueDecision.ISSUE else Action.NOT_ISSUE
    to_status = transition(request, action)
    errors: Errors = {}
    check_not_future(errors, "decided_on", decided_on, "The date of the decision")
    check_not_before(
        errors, "decided_on", decided_on, request.decided_on, msg.ISSUE_DECISION_BEFORE_DECISION
    )
    raise_if(errors)
    before = move(
        request,
        to_status,
        issue_decision=decision,
        issue_decided_on=decided_on,
        issue_decision_reasons=reasons.strip(),
    )
    case_step(
        actor=actor,
        subject=request,
        action="assessment_request.issue_decided",
        title=(
            "Decided to issue a plan" if action is Action.ISSUE else "Decided not to issue a plan"
        ),
        occurred_on=decided_on,
        changes={"issue_decision": decision, "issue_decided_on": decided_on},
        from_status=before,
        detail=reasons.strip(),
    )
    return request


@transaction.atomic
def assessment_request_withdraw(
    *, actor: Actor | None, request: AssessmentRequest, withdrawn_on: dt.date, reason: str
) -> AssessmentRequest:
    """The family (or referrer) withdrew the request."""
    to_status = transition(request, Action.WITHDRAW)
    errors: Errors = {}
    check_not_future(errors, "withdrawn_on", withdrawn_on, "The date of the withdrawal")
    check_not_before(
        errors, "withdrawn_on", withdrawn_on, request.received_on, msg.WITHDRAWAL_BEFORE_RECEIPT
    )
    if not reason.strip():
        add_error(errors, "reason", msg.WITHDRAWAL_NEEDS_REASON)
    raise_if(errors)
    before = move(request, to_status, withdrawn_on=withdrawn_on, withdrawal_reason=reason.strip())
    case_step(
        actor=actor,
        subject=request,
        action="assessment_request.withdrawn",
        title="Request withdrawn",
        occurred_on=withdrawn_on,
        changes={"withdrawn_on": withdrawn_on, "reason": reason.strip()},
        from_status=before,
        detail=reason.strip(),
    )
    return request


@transaction.atomic
def assessment_request_transfer_out(
    *, actor: Actor | None, request: AssessmentRequest, transferred_on: dt.date, new_la_code: str
) -> AssessmentRequest:
    """The family moved to another LA before the assessment finished (SEN2 `Exported`)."""
    to_status = transition(request, Action.TRANSFER_OUT)
    new_la_code = new_la_code.strip()
    errors: Errors = {}
    check_not_future(errors, "transferred_on", transferred_on, "The date of the transfer")
    check_not_before(
        errors, "transferred_on", transferred_on, request.received_on, msg.TRANSFER_BEFORE_RECEIPT
    )
    if not (len(new_la_code) == 3 and new_la_code.isdigit()):
        add_error(errors, "new_la_code", msg.LA_CODE_FORMAT)
    elif new_la_code == settings.LA_CODE:
        add_error(errors, "new_la_code", msg.LA_CODE_OURS.format(code=new_la_code))
    raise_if(errors)
    before = move(
        request, to_status, transferred_out_on=transferred_on, transferred_to_la=new_la_code
    )
    case_step(
        actor=actor,
        subject=request,
        action="assessment_request.transferred_out",
        title=f"Transferred to LA {new_la_code}",
        occurred_on=transferred_on,
        changes={"transferred_out_on": transferred_on, "new_la_code": new_la_code},
        from_status=before,
    )
    return request
