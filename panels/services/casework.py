"""The only place panels touch a case: through the cases app's services, never its tables."""

import datetime as dt
from decimal import Decimal

from cases import services as case_services
from cases.models import AssessmentRequest, Establishment, Placement, Plan
from send_cms.accounts.actor import Actor

#: A row on the case timeline, through the casework service every app uses.
timeline = case_services.timeline_record


def request_decide(
    *,
    actor: Actor,
    request: AssessmentRequest,
    issue: bool,
    agree: bool,
    decided_on: dt.date,
    reasons: str,
) -> None:
    """The panel's decision on a request: whether to assess it, or (`issue`) whether to issue a
    plan. Nothing is done when the request already holds that decision, so it never happens
    twice."""
    if issue:
        decide, held = case_services.assessment_request_decide_issue, request.issue_decision
        decision = "issue" if agree else "not_issue"
    else:
        decide, held = case_services.assessment_request_decide, request.decision
        decision = "assess" if agree else "not_assess"
    if held != decision:
        decide(
            actor=actor, request=request, decision=decision, decided_on=decided_on, reasons=reasons
        )


def create_placement(
    *,
    actor: Actor,
    plan: Plan,
    starts_on: dt.date,
    establishment: Establishment,
    band: str,
    annual_cost: Decimal,
    cost_reason: str,
) -> Placement:
    return case_services.placement_create(
        actor=actor,
        plan=plan,
        starts_on=starts_on,
        establishment=establishment,
        rank=1,
        band=band,
        annual_cost=annual_cost,
        cost_reason=cost_reason,
    )


def propose_cease(*, actor: Actor, plan: Plan, proposed_on: dt.date) -> None:
    case_services.plan_cease_propose(actor=actor, plan=plan, proposed_on=proposed_on)
