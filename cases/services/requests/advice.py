"""Advice for the assessment: asking advisers (6 weeks, regulation 8), and the advice's own small
workflow (received, returned for quality, received again)."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.db import transaction

from cases import messages as msg
from cases.codes import AdviceKind
from cases.models import AdviceRequest, AssessmentRequest
from cases.services.common import (
    Errors,
    _deadlines_changed,
    add_error,
    check_not_future,
    deadlines_deferred,
    fmt,
    lock,
    raise_if,
)
from cases.services.requests.journey import transition
from cases.services.steps import case_step, check_not_before, save_fields, save_new
from cases.workflow import Action, AdviceAction, advice_allowed, advice_refusal, advice_state
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed


@transaction.atomic
def advice_request_create(
    *,
    actor: Actor | None,
    request: AssessmentRequest,
    kind: str,
    requested_on: dt.date,
    provider: str = "",
) -> AdviceRequest:
    """Ask an adviser for advice; they have 6 weeks (regulation 8)."""
    transition(request, Action.REQUEST_ADVICE)
    errors: Errors = {}
    check_not_future(errors, "requested_on", requested_on, "The date advice was requested")
    check_not_before(
        errors, "requested_on", requested_on, request.decided_on, msg.ADVICE_BEFORE_DECISION
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
    save_new(advice)
    case_step(
        actor=actor,
        subject=request,
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
    actor: Actor | None,
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


@dataclass(frozen=True)
class _AdviceStep:
    """How one step of the advice request's own workflow is recorded."""

    model_field: str
    #: The form field a date error is keyed by.
    field: str
    #: The date the step cannot come before, and the message naming it.
    after: str
    too_early: str
    audit: str
    title: str


_ADVICE_STEPS: Mapping[AdviceAction, _AdviceStep] = MappingProxyType(
    {
        AdviceAction.RECEIVE: _AdviceStep(
            "received_on",
            "received_on",
            "requested_on",
            msg.ADVICE_RECEIVED_BEFORE_REQUESTED,
            "advice_request.received",
            "{kind} received",
        ),
        AdviceAction.RETURN_FOR_QUALITY: _AdviceStep(
            "returned_for_quality_on",
            "returned_on",
            "received_on",
            msg.ADVICE_RETURNED_BEFORE_RECEIVED,
            "advice_request.returned_for_quality",
            "{kind} returned for quality",
        ),
        AdviceAction.RE_RECEIVE: _AdviceStep(
            "re_received_on",
            "received_on",
            "returned_for_quality_on",
            msg.ADVICE_RE_RECEIVED_BEFORE_RETURN,
            "advice_request.re_received",
            "Corrected {kind} received",
        ),
    }
)


def _advice_step(
    *, actor: Actor | None, advice: AdviceRequest, action: AdviceAction, on: dt.date
) -> AdviceRequest:
    """Record one step of the advice's own workflow on `on`: refused out of order, in the
    future, or before the step it follows."""
    step = _ADVICE_STEPS[action]
    earliest: dt.date | None = getattr(advice, step.after)
    lock(advice)
    state = advice_state(advice)
    if not advice_allowed(action, state):
        raise TransitionNotAllowed(advice_refusal(action, state))
    errors: Errors = {}
    check_not_future(errors, step.field, on, "The date")
    check_not_before(errors, step.field, on, earliest, step.too_early)
    raise_if(errors)
    save_fields(advice, **{step.model_field: on})
    request = advice.request
    case_step(
        actor=actor,
        subject=request,
        action=step.audit,
        title=step.title.format(kind=AdviceKind(advice.kind).advice),
        occurred_on=on,
        changes={step.model_field: on},
        from_status=request.status,
        detail=advice.provider,
        obj=advice,
    )
    return advice


@transaction.atomic
def advice_request_receive(
    *, actor: Actor | None, advice: AdviceRequest, received_on: dt.date
) -> AdviceRequest:
    """The adviser's advice arrived."""
    return _advice_step(actor=actor, advice=advice, action=AdviceAction.RECEIVE, on=received_on)


@transaction.atomic
def advice_request_return_for_quality(
    *, actor: Actor | None, advice: AdviceRequest, returned_on: dt.date
) -> AdviceRequest:
    """The advice was not good enough and went back to the adviser."""
    return _advice_step(
        actor=actor, advice=advice, action=AdviceAction.RETURN_FOR_QUALITY, on=returned_on
    )


@transaction.atomic
def advice_request_re_receive(
    *, actor: Actor | None, advice: AdviceRequest, received_on: dt.date
) -> AdviceRequest:
    """The corrected advice arrived."""
    return _advice_step(actor=actor, advice=advice, action=AdviceAction.RE_RECEIVE, on=received_on)
