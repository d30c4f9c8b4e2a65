"""The assessment request's journey: one service per step of `cases.workflow.TRANSITIONS`."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cases.codes import AdviceKind, Channel, SenType
from cases.models import (
    OPEN_REQUEST_STATUSES,
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    Child,
    DraftConsultation,
    Establishment,
    IssueDecision,
    Plan,
    PlanStatus,
    PlanVersion,
    RequestStatus,
    TimescaleException,
)
from cases.plan_content.services import plan_content_issue_draft, plan_content_issue_version
from cases.services import messages as msg
from cases.services.children import age_on
from cases.services.common import (
    Errors,
    _deadlines_changed,
    actor_user,
    add_error,
    check_not_future,
    deadlines_deferred,
    fmt,
    lock,
    raise_if,
    step_record,
    working_calendar,
)
from cases.services.plans import (
    check_named_settings,
    check_starts_on,
    named_settings_save,
    place_at_named_setting,
    placement_create,
    plan_issued,
)
from cases.workflow import (
    Action,
    AdviceAction,
    advice_allowed,
    advice_refusal,
    advice_state,
    allowed,
    next_status,
    refusal,
)
from send_cms.accounts.roles import Role
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import Channel as ReceiptChannel
from send_cms.timescales import (
    ExceptionNotApplicable,
    ExceptionType,
    absence_refusal,
    closure_refusal,
    compute,
    ensure_exception_applies,
    get_rule,
    legal_received_date,
)

LONDON = ZoneInfo("Europe/London")
#: The time limits of an assessment request a recorded exception can name.
REQUEST_RULES = (
    "decision_to_assess",
    "advice",
    "decision_not_to_issue",
    "final_plan",
    "reassessment_final_plan",
)
OVERRIDE_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


# --- helpers -------------------------------------------------------------------------------------


def _transition(request: AssessmentRequest, action: Action) -> str:
    """Lock the request and check the workflow table allows `action`; the status it leads to."""
    lock(request)
    if not allowed(action, request.status):
        raise TransitionNotAllowed(refusal(action, request.status))
    return next_status(action, request.status)


def _save_request(request: AssessmentRequest, fields: list[str]) -> None:
    request.full_clean()
    request.save(update_fields=[*fields, "updated_at"])


def _step(
    *,
    actor: Any,
    request: AssessmentRequest,
    action: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    from_status: str,
    detail: str = "",
    obj: Any = None,
    plan: Plan | None = None,
) -> None:
    """Audit, timeline and deadlines for one recorded step."""
    step_record(
        actor=actor,
        child=request.child,
        action=action,
        title=title,
        occurred_on=occurred_on,
        changes=changes,
        obj=obj if obj is not None else request,
        detail=detail,
        request=request,
        plan=plan,
        from_status=from_status,
        to_status=request.status,
    )


def derive_received_on(
    *,
    received_at: dt.datetime,
    channel: str,
    signed_for_on: dt.date | None = None,
    cut_off: dt.time | None = None,
) -> dt.date:
    """The legal received date from the timestamp and channel (timescales.md section 1), with
    the council's cut-off time (`REQUEST_CUT_OFF`) unless another is given."""
    return legal_received_date(
        received_at=received_at,
        channel=ReceiptChannel(channel),
        calendar=working_calendar(),
        signed_for_on=signed_for_on,
        cut_off=cut_off or settings.REQUEST_CUT_OFF,
    )


def received_at_for_date(received_on: dt.date, channel: str) -> dt.datetime:
    """A receipt time for a known date: noon London time, or noon the day before for post."""
    day = received_on - dt.timedelta(days=1) if channel == Channel.POST else received_on
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=LONDON)


def _open_request(child: Child) -> AssessmentRequest | None:
    return (
        AssessmentRequest.objects.filter(child=child, status__in=OPEN_REQUEST_STATUSES)
        .order_by("-received_on")
        .first()
    )


# --- receipt -------------------------------------------------------------------------------------


@transaction.atomic
def assessment_request_create(
    *,
    actor: Any,
    child: Child,
    received_at: dt.datetime,
    channel: str,
    source: str,
    requester_name: str = "",
    relevant_youth_accommodation: bool = False,
    signed_for_on: dt.date | None = None,
    received_on_override: dt.date | None = None,
    override_reason: str = "",
    is_reassessment: bool = False,
    arrival_time_known: bool = True,
) -> AssessmentRequest:
    """Record a request for an EHC needs assessment: the statutory clock starts here.

    The legal received date is derived from `received_at` and `channel` (and the signed-for
    date of a posted request) with the council's cut-off time, which is kept on the request so
    the reason shown beside the date stays true; a manager or administrator may override the
    date with a reason. `arrival_time_known=False` (a request known only by its date) counts
    from that date whatever the time, and keeps no cut-off.
    """
    lock(child)
    errors: Errors = {}
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=LONDON)
    if received_at.astimezone(LONDON).date() > dt.datetime.now(tz=LONDON).date():
        add_error(errors, "received_at", msg.DATE_IN_FUTURE.format(label="The date received"))
    if signed_for_on is not None:
        if channel != Channel.POST:
            add_error(errors, "signed_for_on", msg.SIGNED_FOR_ONLY_BY_POST)
        elif signed_for_on < received_at.astimezone(LONDON).date():
            add_error(errors, "signed_for_on", msg.SIGNED_FOR_BEFORE_POSTING)
        check_not_future(errors, "signed_for_on", signed_for_on, "The signed-for date")
    if received_on_override is not None:
        roles: frozenset[str] = getattr(actor_user(actor), "roles", frozenset())
        if not roles & OVERRIDE_ROLES:
            add_error(errors, "received_on_override", msg.OVERRIDE_NEEDS_MANAGER)
        if not override_reason.strip():
            add_error(errors, "override_reason", msg.OVERRIDE_NEEDS_REASON)
        check_not_future(errors, "received_on_override", received_on_override, "The received date")
    raise_if(errors)

    cut_off: dt.time | None = settings.REQUEST_CUT_OFF if arrival_time_known else None
    derived = derive_received_on(
        received_at=received_at,
        channel=channel,
        signed_for_on=signed_for_on,
        cut_off=cut_off or dt.time.max,
    )
    received_on = received_on_override or derived
    if received_on < child.date_of_birth:
        add_error(errors, "child", msg.BORN_AFTER_REQUEST.format(dob=fmt(child.date_of_birth)))
    else:
        age = age_on(child.date_of_birth, received_on)
        if age > 25:
            add_error(
                errors,
                "child",
                msg.AGE_OUTSIDE_0_25.format(
                    name=child.full_name, age=age, received_on=fmt(received_on)
                ),
            )
    existing = _open_request(child)
    if existing is not None:
        add_error(
            errors,
            "child",
            msg.SECOND_OPEN_REQUEST.format(
                name=child.full_name, received_on=fmt(existing.received_on)
            ),
        )
    raise_if(errors)

    request = AssessmentRequest(
        child=child,
        received_at=received_at,
        channel=channel,
        signed_for_on=signed_for_on,
        received_on=received_on,
        received_cut_off=cut_off,
        received_on_override_reason=override_reason.strip() if received_on_override else "",
        source=source,
        requester_name=requester_name.strip(),
        relevant_youth_accommodation=relevant_youth_accommodation,
        is_reassessment=is_reassessment,
    )
    request.full_clean()
    request.save(force_insert=True)
    detail = f"Received by {Channel(channel).label.lower()}"
    if requester_name:
        detail += f" from {requester_name.strip()}"
    if received_on_override:
        detail += (
            f". Received date set to {fmt(received_on)} instead of {fmt(derived)}: "
            f"{override_reason.strip()}"
        )
    _step(
        actor=actor,
        request=request,
        action="assessment_request.created",
        title="Request for a reassessment received"
        if is_reassessment
        else "Request for an EHC needs assessment received",
        occurred_on=received_on,
        changes={
            "received_at": received_at.isoformat(),
            "channel": channel,
            "received_on": received_on,
            "derived_received_on": derived,
            "cut_off": cut_off,
            "override_reason": request.received_on_override_reason,
            "source": source,
        },
        from_status="",
        detail=detail,
    )
    return request


def assessment_request_create_on(
    *,
    actor: Any,
    child: Child,
    received_on: dt.date,
    source: str,
    channel: str = Channel.EMAIL,
    **kwargs: Any,
) -> AssessmentRequest:
    """Record a request known only by its received date (the API, imports).

    The date must be one the rules would derive for that channel (a working day, or any day
    for post); otherwise the caller is told the date it counts from, or to give the time.
    """
    received_at = received_at_for_date(received_on, channel)
    if received_on <= dt.datetime.now(tz=LONDON).date():
        derived = derive_received_on(received_at=received_at, channel=channel, cut_off=dt.time.max)
        if derived != received_on:
            raise ValidationError(
                {
                    "received_on": [
                        msg.RECEIVED_ON_NOT_LEGAL.format(
                            channel_phrase=f"received by {Channel(channel).label.lower()}",
                            given=fmt(received_on),
                            legal=fmt(derived),
                        )
                    ]
                }
            )
    else:
        raise ValidationError(
            {"received_on": [msg.DATE_IN_FUTURE.format(label="The received date")]}
        )
    return assessment_request_create(
        actor=actor,
        child=child,
        received_at=received_at,
        channel=channel,
        source=source,
        arrival_time_known=False,
        **kwargs,
    )


# --- decision to assess --------------------------------------------------------------------------


@transaction.atomic
def assessment_request_decide(
    *,
    actor: Any,
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
    to_status = _transition(request, action)
    errors: Errors = {}
    check_not_future(errors, "decided_on", decided_on, "The date of the decision")
    if decided_on < request.received_on:
        add_error(
            errors,
            "decided_on",
            msg.DECISION_BEFORE_RECEIPT.format(received_on=fmt(request.received_on)),
        )
    if letter_sent_on is not None:
        check_not_future(errors, "letter_sent_on", letter_sent_on, "The date the letter was sent")
        if letter_sent_on < decided_on:
            add_error(
                errors,
                "letter_sent_on",
                msg.LETTER_BEFORE_DECISION.format(decided_on=fmt(decided_on)),
            )
    raise_if(errors)
    before = request.status
    request.status = to_status
    request.decision = decision
    request.decided_on = decided_on
    request.decision_reasons = reasons.strip()
    request.decision_letter_sent_on = letter_sent_on
    _save_request(
        request,
        ["status", "decision", "decided_on", "decision_reasons", "decision_letter_sent_on"],
    )
    _step(
        actor=actor,
        request=request,
        action="assessment_request.decided",
        title="Decided to assess" if action is Action.ASSESS else "Decided not to assess",
        occurred_on=decided_on,
        changes={"decision": decision, "decided_on": decided_on, "letter_sent_on": letter_sent_on},
        from_status=before,
        detail=reasons.strip(),
    )
    return request


# --- advice --------------------------------------------------------------------------------------


@transaction.atomic
def advice_request_create(
    *,
    actor: Any,
    request: AssessmentRequest,
    kind: str,
    requested_on: dt.date,
    provider: str = "",
) -> AdviceRequest:
    """Ask an adviser for advice; they have 6 weeks (regulation 8)."""
    _transition(request, Action.REQUEST_ADVICE)
    errors: Errors = {}
    check_not_future(errors, "requested_on", requested_on, "The date advice was requested")
    if request.decided_on is not None and requested_on < request.decided_on:
        add_error(
            errors,
            "requested_on",
            msg.ADVICE_BEFORE_DECISION.format(decided_on=fmt(request.decided_on)),
        )
    if kind in AdviceKind.values:
        outstanding = [
            a
            for a in request.advice_requests.filter(kind=kind)
            if a.is_outstanding and kind != AdviceKind.OTHER
        ]
        if outstanding:
            add_error(
                errors,
                "kind",
                msg.ADVICE_ALREADY_OUTSTANDING.format(
                    kind=AdviceKind(kind).advice, requested_on=fmt(outstanding[0].requested_on)
                ),
            )
    raise_if(errors)
    advice = AdviceRequest(
        request=request, kind=kind, provider=provider.strip(), requested_on=requested_on
    )
    advice.full_clean()
    advice.save(force_insert=True)
    _step(
        actor=actor,
        request=request,
        action="advice_request.created",
        title=f"{AdviceKind(kind).advice} requested",
        occurred_on=requested_on,
        changes={"kind": kind, "requested_on": requested_on, "provider": advice.provider},
        from_status=request.status,
        detail=advice.provider,
        obj=advice,
    )
    return advice


@transaction.atomic
def advice_requests_create(
    *,
    actor: Any,
    request: AssessmentRequest,
    requested_on: dt.date,
    advisers: Sequence[tuple[str, str]],
) -> list[AdviceRequest]:
    """Ask several advisers on one day, each (kind, provider) as `advice_request_create` would:
    all are recorded or none, and every refusal is reported at once, keyed `kinds` for the kind
    and `provider_<kind>` for its adviser."""
    if not advisers:
        raise ValidationError({"kinds": [msg.ADVICE_KINDS_NEEDED]})
    created: list[AdviceRequest] = []
    errors: Errors = {}
    with deadlines_deferred():  # one recompute of the child's deadlines, not one per adviser
        for kind, provider in advisers:
            try:
                with transaction.atomic():
                    created.append(
                        advice_request_create(
                            actor=actor,
                            request=request,
                            kind=kind,
                            requested_on=requested_on,
                            provider=provider,
                        )
                    )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    key = {"kind": "kinds", "provider": f"provider_{kind}"}.get(field, field)
                    for message in messages:
                        if message not in errors.get(key, []):
                            add_error(errors, key, message)
    raise_if(errors)
    _deadlines_changed(request.child_id)
    return created


def _advice_step(
    *,
    actor: Any,
    advice: AdviceRequest,
    action: AdviceAction,
    field: str,
    on: dt.date,
    earliest: dt.date | None,
    too_early: str,
    audit: str,
    title: str,
) -> AdviceRequest:
    lock(advice)
    state = advice_state(advice)
    if not advice_allowed(action, state):
        raise TransitionNotAllowed(advice_refusal(action, state))
    errors: Errors = {}
    check_not_future(errors, field, on, "The date")
    if earliest is not None and on < earliest:
        add_error(errors, field, too_early)
    raise_if(errors)
    model_field = {
        AdviceAction.RECEIVE: "received_on",
        AdviceAction.RETURN_FOR_QUALITY: "returned_for_quality_on",
        AdviceAction.RE_RECEIVE: "re_received_on",
    }[action]
    setattr(advice, model_field, on)
    advice.full_clean()
    advice.save(update_fields=[model_field, "updated_at"])
    request = advice.request
    _step(
        actor=actor,
        request=request,
        action=audit,
        title=title.format(kind=AdviceKind(advice.kind).advice),
        occurred_on=on,
        changes={model_field: on},
        from_status=request.status,
        detail=advice.provider,
        obj=advice,
    )
    return advice


@transaction.atomic
def advice_request_receive(
    *, actor: Any, advice: AdviceRequest, received_on: dt.date
) -> AdviceRequest:
    """The adviser's advice arrived."""
    return _advice_step(
        actor=actor,
        advice=advice,
        action=AdviceAction.RECEIVE,
        field="received_on",
        on=received_on,
        earliest=advice.requested_on,
        too_early=msg.ADVICE_RECEIVED_BEFORE_REQUESTED.format(
            requested_on=fmt(advice.requested_on)
        ),
        audit="advice_request.received",
        title="{kind} received",
    )


@transaction.atomic
def advice_request_return_for_quality(
    *, actor: Any, advice: AdviceRequest, returned_on: dt.date
) -> AdviceRequest:
    """The advice was not good enough and went back to the adviser."""
    received = advice.received_on
    return _advice_step(
        actor=actor,
        advice=advice,
        action=AdviceAction.RETURN_FOR_QUALITY,
        field="returned_on",
        on=returned_on,
        earliest=received,
        too_early=msg.ADVICE_RETURNED_BEFORE_RECEIVED.format(
            received_on=fmt(received) if received else ""
        ),
        audit="advice_request.returned_for_quality",
        title="{kind} returned for quality",
    )


@transaction.atomic
def advice_request_re_receive(
    *, actor: Any, advice: AdviceRequest, received_on: dt.date
) -> AdviceRequest:
    """The corrected advice arrived."""
    returned = advice.returned_for_quality_on
    return _advice_step(
        actor=actor,
        advice=advice,
        action=AdviceAction.RE_RECEIVE,
        field="received_on",
        on=received_on,
        earliest=returned,
        too_early=msg.ADVICE_RE_RECEIVED_BEFORE_RETURN.format(
            returned_on=fmt(returned) if returned else ""
        ),
        audit="advice_request.re_received",
        title="Corrected {kind} received",
    )


# --- exceptions ----------------------------------------------------------------------------------


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
    actor: Any,
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
    _transition(request, Action.ADD_EXCEPTION)
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
    exception.full_clean()
    exception.save(force_insert=True)
    _step(
        actor=actor,
        request=request,
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


# --- decision to issue, draft, consultations ------------------------------------------------------


@transaction.atomic
def assessment_request_decide_issue(
    *,
    actor: Any,
    request: AssessmentRequest,
    decision: str,
    decided_on: dt.date,
    reasons: str = "",
) -> AssessmentRequest:
    """Record the decision whether to issue a plan after the assessment."""
    if decision not in IssueDecision.values:
        raise ValidationError({"decision": [f"Choose {IssueDecision.values}."]})
    action = Action.ISSUE if decision == IssueDecision.ISSUE else Action.NOT_ISSUE
    to_status = _transition(request, action)
    errors: Errors = {}
    check_not_future(errors, "decided_on", decided_on, "The date of the decision")
    if request.decided_on is not None and decided_on < request.decided_on:
        add_error(
            errors,
            "decided_on",
            msg.ISSUE_DECISION_BEFORE_DECISION.format(decided_on=fmt(request.decided_on)),
        )
    raise_if(errors)
    before = request.status
    request.status = to_status
    request.issue_decision = decision
    request.issue_decided_on = decided_on
    request.issue_decision_reasons = reasons.strip()
    _save_request(
        request, ["status", "issue_decision", "issue_decided_on", "issue_decision_reasons"]
    )
    _step(
        actor=actor,
        request=request,
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
def draft_plan_issue(
    *,
    actor: Any,
    request: AssessmentRequest,
    issued_on: dt.date,
    preferred_setting: Establishment | None = None,
) -> AssessmentRequest:
    """Serve the draft plan; the family have 15 days to comment and to ask for a setting."""
    to_status = _transition(request, Action.ISSUE_DRAFT)
    errors: Errors = {}
    check_not_future(errors, "issued_on", issued_on, "The date the draft was issued")
    if request.issue_decided_on is not None and issued_on < request.issue_decided_on:
        add_error(
            errors,
            "issued_on",
            msg.DRAFT_BEFORE_ISSUE_DECISION.format(issue_decided_on=fmt(request.issue_decided_on)),
        )
    raise_if(errors)
    before = request.status
    request.status = to_status
    request.draft_issued_on = issued_on
    request.preferred_setting = preferred_setting
    _save_request(request, ["status", "draft_issued_on", "preferred_setting"])
    window = compute("draft_representations", issued_on, working_calendar())
    detail = window.explanation
    if preferred_setting is not None:
        detail += f" The family's preferred setting: {preferred_setting}."
    _step(
        actor=actor,
        request=request,
        action="assessment_request.draft_issued",
        title="Draft EHC plan issued",
        occurred_on=issued_on,
        changes={"draft_issued_on": issued_on, "preferred_setting": preferred_setting},
        from_status=before,
        detail=detail,
    )
    plan_content_issue_draft(actor=actor, request=request, issued_on=issued_on)
    return request


@transaction.atomic
def consultation_add(
    *,
    actor: Any,
    request: AssessmentRequest,
    establishment: Establishment,
    sent_on: dt.date,
) -> DraftConsultation:
    """Consult a setting about being named in the plan."""
    _transition(request, Action.CONSULT)
    errors: Errors = {}
    check_not_future(errors, "sent_on", sent_on, "The date the consultation was sent")
    if request.issue_decided_on is not None and sent_on < request.issue_decided_on:
        add_error(
            errors,
            "sent_on",
            msg.CONSULTATION_BEFORE_DECISION.format(issue_decided_on=fmt(request.issue_decided_on)),
        )
    raise_if(errors)
    consultation = DraftConsultation(request=request, establishment=establishment, sent_on=sent_on)
    consultation.full_clean()
    consultation.save(force_insert=True)
    _step(
        actor=actor,
        request=request,
        action="consultation.sent",
        title=f"{establishment.name} consulted",
        occurred_on=sent_on,
        changes={"establishment": establishment, "sent_on": sent_on},
        from_status=request.status,
        obj=consultation,
    )
    return consultation


@transaction.atomic
def consultation_reply(
    *,
    actor: Any,
    consultation: DraftConsultation,
    replied_on: dt.date,
    reply: str,
) -> DraftConsultation:
    """Record the setting's reply (once)."""
    lock(consultation)
    if consultation.replied_on is not None:
        raise TransitionNotAllowed(msg.CONSULTATION_ALREADY_REPLIED)
    errors: Errors = {}
    check_not_future(errors, "replied_on", replied_on, "The date of the reply")
    if replied_on < consultation.sent_on:
        add_error(
            errors,
            "replied_on",
            msg.CONSULTATION_REPLY_BEFORE_SENT.format(sent_on=fmt(consultation.sent_on)),
        )
    if reply not in DraftConsultation.Reply.values:
        add_error(errors, "reply", "Choose the setting's reply.")
    raise_if(errors)
    consultation.replied_on = replied_on
    consultation.reply = reply
    consultation.full_clean()
    consultation.save(update_fields=["replied_on", "reply", "updated_at"])
    request = consultation.request
    _step(
        actor=actor,
        request=request,
        action="consultation.replied",
        title=f"{consultation.establishment.name} replied: "
        f"{consultation.get_reply_display().lower()}",
        occurred_on=replied_on,
        changes={"replied_on": replied_on, "reply": reply},
        from_status=request.status,
        obj=consultation,
    )
    return consultation


# --- final plan ----------------------------------------------------------------------------------


def earliest_final_on(draft_issued_on: dt.date) -> dt.date:
    """The first day the final plan may be issued: the day after the 15-day window ends."""
    window = compute("draft_representations", draft_issued_on, working_calendar())
    return window.due + dt.timedelta(days=1)


@transaction.atomic
def final_plan_issue(
    *,
    actor: Any,
    request: AssessmentRequest,
    issued_on: dt.date,
    primary_need: str,
    secondary_need: str = "",
    named_settings: Sequence[dict[str, Any]] = (),
    starts_on: dt.date | None = None,
    placement: Establishment | None = None,
    awaiting_placement: bool = False,
    band: str = "",
    annual_cost: Decimal | None = None,
    cost_reason: str = "",
) -> Plan:
    """Issue the final EHC plan: the plan, its version 1 and the settings named in section I.

    The child is placed at the setting named at rank 1 (or at `placement`, where they are
    educated instead) from the issue date, or from `starts_on` when they start later, with the
    placement's band and cost; `awaiting_placement` records that no place is available yet.
    The reviews app opens the first annual review in the same transaction (`plan_issued`).
    Refused before a decision to issue, before the draft, and inside the family's 15 days.
    """
    to_status = _transition(request, Action.ISSUE_FINAL)
    errors: Errors = {}
    check_not_future(errors, "issued_on", issued_on, "The date the final plan was issued")
    draft_on = request.draft_issued_on
    if draft_on is not None:
        earliest = earliest_final_on(draft_on)
        if issued_on < earliest:
            add_error(
                errors,
                "issued_on",
                msg.FINAL_INSIDE_DRAFT_WINDOW.format(earliest=fmt(earliest), served=fmt(draft_on)),
            )
    if primary_need not in SenType.values:
        add_error(errors, "primary_need", "Choose the primary need.")
    if secondary_need and secondary_need == primary_need:
        add_error(errors, "secondary_need", msg.SECONDARY_NEED_SAME)
    check_named_settings(errors, named_settings)
    if placement is None:
        check_starts_on(
            errors, starts_on=starts_on, issued_on=issued_on, named_settings=named_settings
        )
    elif starts_on is not None and starts_on < issued_on:
        add_error(errors, "starts_on", msg.STARTS_BEFORE_PLAN.format(issued_on=fmt(issued_on)))
    child = request.child
    active = Plan.objects.filter(child=child, status=PlanStatus.ACTIVE).first()
    if active is not None:
        add_error(
            errors,
            "__all__",
            msg.CHILD_HAS_ACTIVE_PLAN.format(name=child.full_name, issued_on=fmt(active.issued_on)),
        )
    raise_if(errors)

    before = request.status
    request.status = to_status
    request.final_issued_on = issued_on
    _save_request(request, ["status", "final_issued_on"])
    plan = Plan(
        child=child,
        request=request,
        issued_on=issued_on,
        primary_need=primary_need,
        secondary_need=secondary_need,
    )
    plan.full_clean()
    plan.save(force_insert=True)
    version = PlanVersion(
        plan=plan,
        number=1,
        kind=PlanVersion.Kind.FINAL,
        issued_on=issued_on,
        changes="Final plan issued.",
        issued_by=actor_user(actor),
    )
    version.full_clean()
    version.save(force_insert=True)
    named_settings_save(plan=plan, named_settings=named_settings)
    weeks = (issued_on - request.received_on).days / 7
    _step(
        actor=actor,
        request=request,
        action="plan.issued",
        title="Final EHC plan issued",
        occurred_on=issued_on,
        changes={
            "final_issued_on": issued_on,
            "primary_need": primary_need,
            "secondary_need": secondary_need,
            "named_settings": [
                s.get("establishment") or s.get("sen_setting") for s in named_settings
            ],
        },
        from_status=before,
        detail=f"{weeks:.1f} weeks after the request was received on {fmt(request.received_on)}.",
        obj=plan,
        plan=plan,
    )
    details: dict[str, Any] = {"band": band, "annual_cost": annual_cost, "cost_reason": cost_reason}
    if awaiting_placement:
        placement_create(actor=actor, plan=plan, starts_on=issued_on, awaiting_placement=True)
    elif placement is not None:
        placement_create(
            actor=actor,
            plan=plan,
            starts_on=starts_on or issued_on,
            establishment=placement,
            rank=1,
            **details,
        )
    else:
        place_at_named_setting(
            actor=actor,
            plan=plan,
            named_settings=named_settings,
            starts_on=starts_on or issued_on,
            **details,
        )
    plan_content_issue_version(actor=actor, version=version)
    plan_issued(actor=actor, plan=plan)
    return plan


@transaction.atomic
def final_plan_issue_and_place(
    *,
    actor: Any,
    request: AssessmentRequest,
    issued_on: dt.date,
    primary_need: str,
    secondary_need: str = "",
    named_settings: Sequence[dict[str, Any]] = (),
    placement: Establishment | None = None,
    starts_on: dt.date | None = None,
) -> Plan:
    """The final plan, naming `placement` at rank 1 (unless section I already has a rank 1)
    and placing the child there from the issue date (or `starts_on`): the API's `placement`
    in one step."""
    settings_ = [dict(s) for s in named_settings]
    if placement is not None and not any(s.get("rank", 1) == 1 for s in settings_):
        settings_.append({"establishment": placement, "rank": 1})
    return final_plan_issue(
        actor=actor,
        request=request,
        issued_on=issued_on,
        primary_need=primary_need,
        secondary_need=secondary_need,
        named_settings=settings_,
        starts_on=starts_on,
        placement=placement,
    )


# --- other ends ----------------------------------------------------------------------------------


@transaction.atomic
def assessment_request_withdraw(
    *, actor: Any, request: AssessmentRequest, withdrawn_on: dt.date, reason: str
) -> AssessmentRequest:
    """The family (or referrer) withdrew the request."""
    to_status = _transition(request, Action.WITHDRAW)
    errors: Errors = {}
    check_not_future(errors, "withdrawn_on", withdrawn_on, "The date of the withdrawal")
    if withdrawn_on < request.received_on:
        add_error(
            errors,
            "withdrawn_on",
            msg.WITHDRAWAL_BEFORE_RECEIPT.format(received_on=fmt(request.received_on)),
        )
    if not reason.strip():
        add_error(errors, "reason", msg.WITHDRAWAL_NEEDS_REASON)
    raise_if(errors)
    before = request.status
    request.status = to_status
    request.withdrawn_on = withdrawn_on
    request.withdrawal_reason = reason.strip()
    _save_request(request, ["status", "withdrawn_on", "withdrawal_reason"])
    _step(
        actor=actor,
        request=request,
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
    *, actor: Any, request: AssessmentRequest, transferred_on: dt.date, new_la_code: str
) -> AssessmentRequest:
    """The family moved to another LA before the assessment finished (SEN2 `Exported`)."""
    to_status = _transition(request, Action.TRANSFER_OUT)
    new_la_code = new_la_code.strip()
    errors: Errors = {}
    check_not_future(errors, "transferred_on", transferred_on, "The date of the transfer")
    if transferred_on < request.received_on:
        add_error(
            errors,
            "transferred_on",
            msg.TRANSFER_BEFORE_RECEIPT.format(received_on=fmt(request.received_on)),
        )
    if not (len(new_la_code) == 3 and new_la_code.isdigit()):
        add_error(errors, "new_la_code", msg.LA_CODE_FORMAT)
    elif new_la_code == settings.LA_CODE:
        add_error(errors, "new_la_code", msg.LA_CODE_OURS.format(code=new_la_code))
    raise_if(errors)
    before = request.status
    request.status = to_status
    request.transferred_out_on = transferred_on
    request.transferred_to_la = new_la_code
    _save_request(request, ["status", "transferred_out_on", "transferred_to_la"])
    _step(
        actor=actor,
        request=request,
        action="assessment_request.transferred_out",
        title=f"Transferred to LA {new_la_code}",
        occurred_on=transferred_on,
        changes={"transferred_out_on": transferred_on, "new_la_code": new_la_code},
        from_status=before,
    )
    return request
