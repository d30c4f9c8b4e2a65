"""The only place panels touch a case: through the cases app's services, never its tables."""

import datetime as dt
from decimal import Decimal

from cases import services as case_services
from cases.models import AssessmentRequest, Child, Establishment, Placement, Plan
from send_cms.accounts.actor import Actor


def timeline(
    *,
    actor: Actor,
    child: Child,
    event: str,
    title: str,
    occurred_on: dt.date,
    detail: str = "",
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
) -> None:
    case_services.timeline_record(
        actor=actor,
        child=child,
        event=event,
        title=title,
        occurred_on=occurred_on,
        detail=detail,
        request=request,
        plan=plan,
    )


def decide_assessment(
    *, actor: Actor, request: AssessmentRequest, assess: bool, decided_on: dt.date, reasons: str
) -> None:
    case_services.assessment_request_decide(
        actor=actor,
        request=request,
        decision="assess" if assess else "not_assess",
        decided_on=decided_on,
        reasons=reasons,
    )


def decide_issue(
    *, actor: Actor, request: AssessmentRequest, issue: bool, decided_on: dt.date, reasons: str
) -> None:
    case_services.assessment_request_decide_issue(
        actor=actor,
        request=request,
        decision="issue" if issue else "not_issue",
        decided_on=decided_on,
        reasons=reasons,
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
