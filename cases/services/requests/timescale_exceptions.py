"""Permitted exceptions to the request's time limits (timescales.md section 2): recorded and
reported, never moving a due date."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases import messages as msg
from cases.models import AdviceRequest, AssessmentRequest, RequestStatus, TimescaleException
from cases.services.common import Errors, actor_user, add_error, check_not_future, raise_if
from cases.services.requests.journey import transition
from cases.services.steps import case_step, save_new
from cases.workflow import Action
from send_cms.accounts.actor import Actor
from send_cms.timescales import (
    ExceptionNotApplicable,
    ExceptionType,
    absence_refusal,
    closure_refusal,
    ensure_exception_applies,
    get_rule,
)

#: The time limits of an assessment request a recorded exception can name.
REQUEST_RULES = (
    "decision_to_assess",
    "advice",
    "decision_not_to_issue",
    "final_plan",
    "reassessment_final_plan",
)


def default_exception_rule(request: AssessmentRequest, kind: str) -> str:
    """The time limit an exception most likely excuses at this stage (for the API's body)."""
    if kind == ExceptionType.missed_appointment:
        return "advice"
    if request.status == RequestStatus.RECEIVED:
        return "decision_to_assess"
    return "reassessment_final_plan" if request.is_reassessment else "final_plan"


@transaction.atomic
def timescale_exception_add(
    *,
    actor: Actor | None,
    request: AssessmentRequest,
    kind: str,
    rule: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    reason: str = "",
    approved_by: Any = None,
    family_told_on: dt.date | None = None,
    advice_request: AdviceRequest | None = None,
) -> TimescaleException:
    """Record a permitted exception (timescales.md section 2). It never moves a due date.

    Refused for a rule the exception cannot excuse (a missed appointment excuses only the
    adviser's 6 weeks). For a closure, `starts_on` is the first day closed and `ends_on` the
    day the setting reopened, and advice must have been requested inside the closure window;
    for an absence from the area, `ends_on` is the day the family came back.
    """
    transition(request, Action.ADD_EXCEPTION)
    errors: Errors = {}
    try:
        kind_ = ExceptionType(kind)
    except ValueError:
        raise ValidationError({"kind": [msg.EXCEPTION_UNKNOWN_KIND]}) from None
    if rule not in REQUEST_RULES:
        titles = ", ".join(get_rule(r).title for r in REQUEST_RULES)
        raise ValidationError({"rule": [msg.EXCEPTION_RULE_NOT_ON_REQUEST.format(rules=titles)]})
    try:
        ensure_exception_applies(kind_, rule)
    except ExceptionNotApplicable as exc:
        raise ValidationError({"kind": [str(exc)]}) from None
    check_not_future(errors, "starts_on", starts_on, "The start date")
    check_not_future(errors, "family_told_on", family_told_on, "The date the family was told")
    if ends_on is not None and ends_on < starts_on:
        add_error(errors, "ends_on", msg.EXCEPTION_ENDS_BEFORE_START)
    if advice_request is not None and advice_request.request_id != request.pk:
        add_error(errors, "advice_request", msg.EXCEPTION_ADVICE_ELSEWHERE)
    if rule == "advice" and advice_request is None:
        add_error(errors, "advice_request", msg.EXCEPTION_NEEDS_ADVICE_REQUEST)
    raise_if(errors)
    if kind_ in (ExceptionType.school_closure, ExceptionType.early_years_closure):
        _check_closure(errors, request, starts_on, ends_on, advice_request)
    elif kind_ is ExceptionType.absence_from_area and ends_on is not None:
        problem = absence_refusal(rule, starts_on, ends_on) if ends_on > starts_on else None
        if problem:
            add_error(errors, "ends_on", problem)
    if TimescaleException.objects.filter(
        request=request, kind=kind_.value, rule=rule, starts_on=starts_on
    ).exists():
        add_error(errors, "__all__", msg.EXCEPTION_ALREADY_RECORDED)
    raise_if(errors)
    exception = TimescaleException(
        request=request,
        advice_request=advice_request,
        kind=kind_.value,
        rule=rule,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        applied_by=actor_user(actor),
        approved_by=approved_by,
        family_told_on=family_told_on,
    )
    save_new(exception)
    case_step(
        actor=actor,
        subject=request,
        action="timescale_exception.added",
        title=f"Exception recorded: {kind_.label}",
        occurred_on=starts_on,
        changes={
            "kind": kind_.value,
            "rule": rule,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "approved_by": approved_by,
        },
        from_status=request.status,
        detail=f"Excuses: {get_rule(rule).title}. {reason.strip()}".strip(),
        obj=exception,
    )
    return exception


def _check_closure(
    errors: Errors,
    request: AssessmentRequest,
    closed_from: dt.date,
    reopens_on: dt.date | None,
    advice_request: AdviceRequest | None,
) -> None:
    if reopens_on is None or reopens_on <= closed_from:
        add_error(errors, "ends_on", msg.CLOSURE_NEEDS_REOPENING)
        return
    candidates = (
        [advice_request] if advice_request is not None else list(request.advice_requests.all())
    )
    if not candidates:
        add_error(errors, "__all__", msg.CLOSURE_NEEDS_ADVICE)
        return
    problems = [closure_refusal(a.requested_on, closed_from, reopens_on) for a in candidates]
    if all(problems):
        add_error(errors, "__all__", str(problems[0]))
