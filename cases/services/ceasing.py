"""Ceasing a plan as the pages take it: proposed, the decision notified, then the day it ends.

The rules stay where they were: `plan_cease_propose` and `plan_cease` (cases.services.plans.cease),
with the appeal records answering through the hook the tribunals app registers. This module
adds the step between them (the decision notice, from which the family's appeal window runs,
recorded while the plan stays in force) and the plan's end from that recorded decision.
"""

import datetime as dt

from django.db import transaction

from cases import messages as msg
from cases.models import Plan
from cases.services.common import Errors, add_error, check_not_future, fmt, raise_if
from cases.services.plans.cease import (
    CEASE_WITHOUT_APPEAL,
    appeal_deadline_for,
    cease_appeals,
    plan_cease,
)
from cases.services.plans.state import active_plan
from cases.services.steps import case_step, save_fields
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import COMMENCEMENT


@transaction.atomic
def plan_cease_decide(
    *, actor: Actor | None, plan: Plan, decided_on: dt.date, reasons: str
) -> Plan:
    """Record the decision to cease, notified to the family on `decided_on` with `reasons`.

    The plan stays in force: the family may appeal until the appeal deadline counted from the
    notice (regulation 31 and timescales.md), after which `plan_cease_after_decision` ends it.
    The proposal must come first, so the family has been told the council was considering it.
    """
    active_plan(plan)
    if plan.cease_proposed_on is None:
        raise TransitionNotAllowed(msg.CEASE_NOT_PROPOSED)
    if plan.cease_decided_on is not None:
        raise TransitionNotAllowed(
            msg.CEASE_ALREADY_DECIDED.format(decided_on=fmt(plan.cease_decided_on))
        )
    errors: Errors = {}
    check_not_future(errors, "decided_on", decided_on, "The date of the decision notice")
    if decided_on < plan.cease_proposed_on:
        add_error(
            errors,
            "decided_on",
            msg.CEASE_DECIDED_BEFORE_PROPOSAL.format(proposed_on=fmt(plan.cease_proposed_on)),
        )
    elif decided_on < COMMENCEMENT:
        add_error(
            errors,
            "decided_on",
            msg.CEASE_NOTICE_BEFORE_COMMENCEMENT.format(commenced=fmt(COMMENCEMENT)),
        )
    if not reasons.strip():
        add_error(errors, "reasons", msg.CEASE_NEEDS_REASONS)
    raise_if(errors)
    save_fields(plan, cease_decided_on=decided_on, cease_decision_reasons=reasons.strip())
    deadline = appeal_deadline_for(
        decided_on, certificate=cease_appeals(plan, decided_on).certificate_on
    )
    case_step(
        actor=actor,
        subject=plan,
        action="plan.cease_decided",
        title="Decided to cease the EHC plan",
        occurred_on=decided_on,
        changes={
            "cease_decided_on": decided_on,
            "reasons": plan.cease_decision_reasons,
            "appeal_deadline": deadline,
        },
        detail=f"The family can appeal until {fmt(deadline)}. {plan.cease_decision_reasons}",
    )
    return plan


@transaction.atomic
def plan_cease_after_decision(
    *, actor: Actor | None, plan: Plan, ceased_on: dt.date, reason: int
) -> Plan:
    """End the plan on `ceased_on` under the decision recorded on it (`plan_cease`'s rules: not
    before the appeal deadline has passed unless an appeal was decided, never while one is
    open). A plan that ends by operation of law (the child moved to another LA in England, or
    died) needs no decision notice: its decision date is the day it ended."""
    decided_on = plan.cease_decided_on
    if decided_on is None:
        if reason not in CEASE_WITHOUT_APPEAL:
            errors: Errors = {}
            add_error(errors, "ceased_on", msg.CEASE_NEEDS_DECISION)
            raise_if(errors)
        decided_on = ceased_on
    return plan_cease(
        actor=actor, plan=plan, decided_on=decided_on, ceased_on=ceased_on, reason=reason
    )
