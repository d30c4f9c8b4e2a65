"""The rules of ceasing a plan: the proposal, the family's appeal deadline, the hook the appeal
records answer through, and the plan's end (`cases.services.ceasing` adds the page's steps)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from cases import messages as msg
from cases.codes import CeaseReason
from cases.models import Placement, Plan, PlanStatus
from cases.services.common import (
    Errors,
    add_error,
    check_not_future,
    fmt,
    raise_if,
    working_calendar,
)
from cases.services.plans.state import active_plan
from cases.services.steps import case_step, check_not_before, save_fields
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import COMMENCEMENT, compute

#: Cease reasons with no appeal to wait for: the plan ends by operation of law, not by a
#: decision the family can appeal (the plan moves with the child to the new LA; a death).
CEASE_WITHOUT_APPEAL = frozenset({CeaseReason.MOVED_LA_ENGLAND, CeaseReason.DECEASED})


@transaction.atomic
def plan_cease_propose(
    *, actor: Actor | None, plan: Plan, proposed_on: dt.date, reasons: str = ""
) -> Plan:
    """Propose to cease the plan, telling the family why (`reasons`, for their letter); it stays
    in force until ceased (see `plan_cease`)."""
    active_plan(plan)
    if plan.cease_proposed_on is not None:
        raise TransitionNotAllowed(
            msg.CEASE_ALREADY_PROPOSED.format(proposed_on=fmt(plan.cease_proposed_on))
        )
    errors: Errors = {}
    check_not_future(errors, "proposed_on", proposed_on, "The date ceasing was proposed")
    check_not_before(
        errors, "proposed_on", proposed_on, plan.issued_on, msg.CEASE_PROPOSED_BEFORE_ISSUE
    )
    raise_if(errors)
    save_fields(plan, cease_proposed_on=proposed_on, cease_proposal_reasons=reasons.strip())
    case_step(
        actor=actor,
        subject=plan,
        action="plan.cease_proposed",
        title="Proposed to cease the EHC plan",
        occurred_on=proposed_on,
        changes={"cease_proposed_on": proposed_on, "reasons": plan.cease_proposal_reasons},
        detail=plan.cease_proposal_reasons,
    )
    return plan


def appeal_deadline_for(decided_on: dt.date, *, certificate: dt.date | None = None) -> dt.date:
    """The last day the family can appeal a decision to cease notified on `decided_on` (a
    mediation certificate issued later can move it: one month from the certificate)."""
    return compute("appeal_deadline", decided_on, working_calendar(), certificate=certificate).due


@dataclass(frozen=True)
class CeaseAppeals:
    """What the appeal records say about a decision to cease: a reason the plan must stay in
    force whatever the dates (an appeal against ceasing still open), whether an appeal against
    this decision has been decided, and a mediation certificate that moves the appeal deadline."""

    refusal: str = ""
    decided: bool = False
    certificate_on: dt.date | None = None


CeaseAppealsSource = Callable[[Plan, dt.date], CeaseAppeals]


_cease_appeal_sources: list[CeaseAppealsSource] = []


def register_cease_appeals(source: CeaseAppealsSource) -> None:
    """Let the app that records mediation and appeals answer for `plan_cease` (called once in its
    AppConfig.ready): that app imports casework, so casework cannot import it."""
    if source not in _cease_appeal_sources:
        _cease_appeal_sources.append(source)


def cease_appeals(plan: Plan, decided_on: dt.date) -> CeaseAppeals:
    """Every registered source's answer about the decision to cease notified on `decided_on`."""
    answers = [source(plan, decided_on) for source in _cease_appeal_sources]
    certificates = [a.certificate_on for a in answers if a.certificate_on is not None]
    return CeaseAppeals(
        refusal=next((a.refusal for a in answers if a.refusal), ""),
        decided=any(a.decided for a in answers),
        certificate_on=max(certificates, default=None),
    )


@transaction.atomic
def plan_cease(
    *,
    actor: Actor | None,
    plan: Plan,
    decided_on: dt.date,
    ceased_on: dt.date,
    reason: int,
    appeal_decided: bool = False,
) -> Plan:
    """Cease the plan (SEN2 CeaseDate and CeaseReason).

    A plan the family can appeal against ceasing stays in force until the appeal deadline
    (`appeal_deadline` from the decision notice, or from a later mediation certificate) has
    passed, unless an appeal has been decided (`appeal_decided=True`, or a decided appeal on
    record), and always while an appeal against ceasing is open (see `cease_appeals`). Open
    placements end on the day the plan ceased.
    """
    active_plan(plan)
    errors: Errors = {}
    if reason not in CeaseReason.values:
        add_error(errors, "reason", msg.CEASE_REASON_INVALID)
    check_not_future(errors, "decided_on", decided_on, "The date of the decision")
    check_not_future(errors, "ceased_on", ceased_on, "The date the plan ceased")
    if decided_on < plan.issued_on:
        message = msg.CEASE_DECIDED_BEFORE_ISSUE.format(issued_on=fmt(plan.issued_on))
        add_error(errors, "decided_on", message)
    elif plan.cease_proposed_on is not None and decided_on < plan.cease_proposed_on:
        add_error(
            errors,
            "decided_on",
            msg.CEASE_DECIDED_BEFORE_PROPOSAL.format(proposed_on=fmt(plan.cease_proposed_on)),
        )
    if ceased_on < decided_on:
        message = msg.CEASED_BEFORE_DECISION.format(decided_on=fmt(decided_on))
        add_error(errors, "ceased_on", message)
    elif reason not in CEASE_WITHOUT_APPEAL and "decided_on" not in errors:
        # The appeal deadline is counted only from a date the decision could have had.
        if decided_on < COMMENCEMENT:
            add_error(
                errors,
                "decided_on",
                msg.DATE_BEFORE_TIME_LIMIT.format(
                    label="The date of the decision", commenced=fmt(COMMENCEMENT)
                ),
            )
            raise_if(errors)
        appeals = cease_appeals(plan, decided_on)
        deadline = appeal_deadline_for(decided_on, certificate=appeals.certificate_on)
        if appeals.refusal:
            add_error(errors, "ceased_on", appeals.refusal)
        elif not (appeal_decided or appeals.decided) and ceased_on <= deadline:
            add_error(
                errors,
                "ceased_on",
                msg.CEASE_BEFORE_APPEAL_DEADLINE.format(
                    deadline=fmt(deadline), earliest=fmt(deadline + dt.timedelta(days=1))
                ),
            )
    raise_if(errors)
    before = plan.status
    save_fields(
        plan,
        status=PlanStatus.CEASED,
        cease_decided_on=decided_on,
        ceased_on=ceased_on,
        cease_reason=reason,
    )
    for placement in Placement.objects.filter(plan=plan, ends_on__isnull=True):
        starts_on = placement.starts_on or ceased_on
        save_fields(placement, starts_on=starts_on, ends_on=max(ceased_on, starts_on))
    case_step(
        actor=actor,
        subject=plan,
        action="plan.ceased",
        title="EHC plan ceased",
        occurred_on=ceased_on,
        changes={
            "cease_decided_on": decided_on,
            "ceased_on": ceased_on,
            "cease_reason": reason,
            "appeal_decided": appeal_decided,
        },
        detail=CeaseReason(reason).label,
        from_status=before,
    )
    return plan
