"""Mediation: the decision notice, the family's contact with the adviser, the meeting, the
certificate (its kind derived from the record) and an agreement's actions."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models, transaction

from cases.models import AssessmentRequest, Child, Plan
from cases.services.common import step_record, timeline_record
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import fmt, locked
from send_cms.timescales import get_rule
from tribunals import messages as msg
from tribunals.codes import (
    PLAN_DECISIONS,
    REQUEST_DECISIONS,
    AgreementMatter,
    CertificateKind,
    DecisionType,
    MediationOutcome,
    agreement_rules,
)
from tribunals.deadlines import certificate_kind_for, certificate_trigger_on
from tribunals.models import ComplianceStep, Mediation, MediationAction
from tribunals.services.common import (
    Errors,
    add_error,
    check_order,
    check_past,
    check_subject,
    raise_if,
)
from tribunals.services.compliance import comply, create_steps

NOTICE = "the decision notice"
CERTIFICATE_EVENT = {
    CertificateKind.DECLINED: "the family declining mediation",
    CertificateKind.AFTER_MEDIATION: "the mediation meeting",
    CertificateKind.DEEMED: "the council saying it could not arrange mediation",
}


def _needs(decision_type: str) -> str:
    if decision_type in REQUEST_DECISIONS:
        return "request"
    if decision_type in PLAN_DECISIONS:
        return "plan"
    return "either"


def _check_dates(mediation: Mediation, errors: Errors) -> None:
    """Every date has happened and comes after the decision notice."""
    notice = mediation.decision_notice_on
    check_past(errors, "decision_notice_on", notice, "Date of the decision notice")
    for field, label in (
        ("family_contacted_on", "Date the family contacted the mediation adviser"),
        ("la_informed_on", "Date the council was told the family wants mediation"),
        ("not_arranged_on", "Date the council said it could not arrange mediation"),
        ("held_on", "Date of the mediation"),
        ("certificate_issued_on", "Date of the certificate"),
    ):
        value = getattr(mediation, field)
        check_past(errors, field, value, label)
        check_order(errors, field, value, label, notice, NOTICE)


def _check_certificate(mediation: Mediation, errors: Errors) -> None:
    """A certificate needs an event that allows one; its kind follows from that event."""
    if mediation.certificate_issued_on is None:
        mediation.certificate_kind = ""
        return
    kind = certificate_kind_for(mediation)
    if not kind:
        add_error(errors, "certificate_issued_on", msg.CERTIFICATE_NOT_YET)
        return
    mediation.certificate_kind = kind
    trigger = certificate_trigger_on(mediation)
    if trigger is not None and mediation.certificate_issued_on < trigger:
        add_error(
            errors,
            "certificate_issued_on",
            msg.CERTIFICATE_BEFORE_EVENT.format(
                event_label=CERTIFICATE_EVENT[CertificateKind(kind)], event=fmt(trigger)
            ),
        )


def _check_wanted(mediation: Mediation, errors: Errors) -> None:
    wanted = mediation.mediation_wanted
    for field, what in (
        ("la_informed_on", "the date the council was told"),
        ("not_arranged_on", "that mediation could not be arranged"),
        ("held_on", "a mediation meeting"),
    ):
        if getattr(mediation, field) is None:
            continue
        if wanted is None:
            add_error(errors, "mediation_wanted", msg.WANTED_UNKNOWN.format(what=what))
        elif wanted is False:
            add_error(errors, field, msg.NOT_WANTED.format(what=what))
    if mediation.held_on is not None and mediation.not_arranged_on is not None:
        add_error(errors, "not_arranged_on", msg.NOT_ARRANGED_AFTER_HELD)
    if wanted is False and mediation.family_contacted_on is not None:
        mediation.outcome = MediationOutcome.DECLINED
    if mediation.held_on is not None:
        if not mediation.outcome:
            add_error(errors, "outcome", msg.HELD_OUTCOME_NEEDED)
        elif mediation.outcome == MediationOutcome.DECLINED:
            add_error(errors, "outcome", msg.HELD_OUTCOME_INVALID)


def _validate(mediation: Mediation) -> None:
    errors: Errors = {}
    _check_dates(mediation, errors)
    _check_wanted(mediation, errors)
    _check_certificate(mediation, errors)
    raise_if(errors)
    mediation.full_clean()


def _step(
    actor: Actor,
    mediation: Mediation,
    *,
    action: str,
    changes: dict[str, Any],
    event: str,
    title: str,
    on: dt.date,
    obj: models.Model | None = None,
) -> None:
    """One step of the mediation: `action` audited on `obj` (the mediation unless named), and
    `event` on the case timeline."""
    step_record(
        actor=actor,
        child=mediation.child,
        action=action,
        changes=changes,
        obj=obj or mediation,
        event=event,
        title=title[:200],
        occurred_on=on,
        request=mediation.request,
        plan=mediation.plan,
    )


def _history(actor: Actor, mediation: Mediation, step: tuple[str, str, dt.date]) -> None:
    """A later step given with the record (for history): on the case timeline only, since the
    record's one audit row holds it."""
    event, title, on = step
    timeline_record(
        actor=actor,
        child=mediation.child,
        event=event,
        title=title[:200],
        occurred_on=on,
        request=mediation.request,
        plan=mediation.plan,
    )


@transaction.atomic
def mediation_create(
    *,
    actor: Actor,
    child: Child,
    decision_type: str,
    decision_notice_on: dt.date,
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    family_contacted_on: dt.date | None = None,
    mediation_wanted: bool | None = None,
    la_informed_on: dt.date | None = None,
    not_arranged_on: dt.date | None = None,
    held_on: dt.date | None = None,
    outcome: str = "",
    certificate_issued_on: dt.date | None = None,
    mediator: str = "",
    notes: str = "",
) -> Mediation:
    """Record a mediation about a decision; later steps may be given at once (for history)."""
    errors: Errors = {}
    check_subject(errors, child=child, request=request, plan=plan, needs=_needs(decision_type))
    if family_contacted_on is None and mediation_wanted is not None:
        add_error(
            errors,
            "family_contacted_on",
            msg.REQUIRED.format(label="the date the family contacted the mediation adviser"),
        )
    raise_if(errors)
    mediation = Mediation(
        child=child,
        request=request,
        plan=plan,
        decision_type=decision_type,
        decision_notice_on=decision_notice_on,
        family_contacted_on=family_contacted_on,
        mediation_wanted=mediation_wanted,
        la_informed_on=la_informed_on,
        not_arranged_on=not_arranged_on,
        held_on=held_on,
        outcome=outcome,
        certificate_issued_on=certificate_issued_on,
        mediator=mediator,
        notes=notes,
    )
    _validate(mediation)
    mediation.save()
    label = DecisionType(decision_type).label.lower()
    _step(
        actor,
        mediation,
        action="mediation.created",
        changes={"decision_type": decision_type, "decision_notice_on": decision_notice_on},
        event="mediation.recorded",
        title=f"Mediation information: decision notice about {label} sent",
        on=decision_notice_on,
    )
    if family_contacted_on is not None:
        _history(actor, mediation, _contacted(mediation))
    if held_on is not None:
        _history(actor, mediation, _held(mediation))
    if certificate_issued_on is not None:
        _history(actor, mediation, _certificate(mediation))
    return mediation


def _contacted(mediation: Mediation) -> tuple[str, str, dt.date]:
    """The timeline's event, title and day for the family's contact with the adviser."""
    assert mediation.family_contacted_on is not None
    wanted = {
        True: "wants mediation",
        False: "does not want mediation",
        None: "has not decided about mediation",
    }[mediation.mediation_wanted]
    title = f"Family contacted the mediation adviser: {wanted}"
    return "mediation.contacted", title, mediation.family_contacted_on


def _held(mediation: Mediation) -> tuple[str, str, dt.date]:
    assert mediation.held_on is not None
    title = f"Mediation held: {MediationOutcome(mediation.outcome).label.lower()}"
    return "mediation.held", title, mediation.held_on


def _certificate(mediation: Mediation) -> tuple[str, str, dt.date]:
    assert mediation.certificate_issued_on is not None
    kind = mediation.get_certificate_kind_display().lower()
    title = f"Mediation certificate issued: {kind}"
    return "mediation.certificate", title, mediation.certificate_issued_on


Describe = Callable[[Mediation], tuple[str, str, dt.date]]
INFORMED = "Council told the family wants mediation"
NOT_ARRANGED = "Council could not arrange mediation within 30 days"


def _update(
    actor: Actor,
    mediation: Mediation,
    action: str,
    fields: dict[str, Any],
    describe: Describe,
    *,
    with_kind: bool = False,
) -> Mediation:
    """A later step on the (locked) record: set `fields`, check the whole record again, save it,
    and record `action` (with the certificate's derived kind when `with_kind`), described on the
    timeline by `describe` (event, title, day)."""
    for name, value in fields.items():
        setattr(mediation, name, value)
    _validate(mediation)
    mediation.save()
    changes = {**fields, "kind": mediation.certificate_kind} if with_kind else fields
    event, title, on = describe(mediation)
    _step(actor, mediation, action=action, changes=changes, event=event, title=title, on=on)
    return mediation


@transaction.atomic
def mediation_record_contact(
    *,
    actor: Actor,
    mediation: Mediation,
    family_contacted_on: dt.date,
    mediation_wanted: bool | None,
    la_informed_on: dt.date | None = None,
) -> Mediation:
    """The family contacted the mediation adviser, and whether they want mediation."""
    mediation = locked(mediation)
    if mediation.family_contacted_on is not None:
        raise TransitionNotAllowed(msg.CONTACT_ALREADY)
    fields = {
        "family_contacted_on": family_contacted_on,
        "mediation_wanted": mediation_wanted,
        "la_informed_on": la_informed_on,
    }
    return _update(actor, mediation, "mediation.contact_recorded", fields, _contacted)


@transaction.atomic
def mediation_record_wanted(
    *, actor: Actor, mediation: Mediation, la_informed_on: dt.date
) -> Mediation:
    """The council was told the family wants mediation: the 30 days start."""
    mediation = locked(mediation)
    if mediation.la_informed_on is not None:
        raise TransitionNotAllowed(msg.INFORMED_ALREADY)
    return _update(
        actor,
        mediation,
        "mediation.la_informed",
        {"la_informed_on": la_informed_on},
        lambda _: ("mediation.la_informed", INFORMED, la_informed_on),
    )


@transaction.atomic
def mediation_record_not_arranged(
    *, actor: Actor, mediation: Mediation, not_arranged_on: dt.date
) -> Mediation:
    """The council could not arrange mediation within 30 days: a certificate follows."""
    mediation = locked(mediation)
    if mediation.not_arranged_on is not None:
        raise TransitionNotAllowed(msg.NOT_ARRANGED_ALREADY)
    if mediation.held_on is not None:
        raise TransitionNotAllowed(msg.NOT_ARRANGED_AFTER_HELD)
    return _update(
        actor,
        mediation,
        "mediation.not_arranged",
        {"not_arranged_on": not_arranged_on},
        lambda _: ("mediation.not_arranged", NOT_ARRANGED, not_arranged_on),
    )


@transaction.atomic
def mediation_record_held(
    *, actor: Actor, mediation: Mediation, held_on: dt.date, outcome: str
) -> Mediation:
    """The mediation meeting took place, with or without an agreement."""
    mediation = locked(mediation)
    if mediation.held_on is not None:
        raise TransitionNotAllowed(msg.HELD_ALREADY)
    if mediation.mediation_wanted is not True:
        raise TransitionNotAllowed(
            msg.NOT_WANTED.format(what="a mediation meeting")
            if mediation.mediation_wanted is False
            else msg.WANTED_UNKNOWN.format(what="a mediation meeting")
        )
    if mediation.not_arranged_on is not None:
        raise TransitionNotAllowed(msg.NOT_ARRANGED_ALREADY)
    if outcome not in (MediationOutcome.AGREEMENT, MediationOutcome.NO_AGREEMENT):
        raise_if({"outcome": [msg.HELD_OUTCOME_INVALID]})
    fields = {"held_on": held_on, "outcome": outcome}
    return _update(actor, mediation, "mediation.held", fields, _held)


@transaction.atomic
def mediation_issue_certificate(
    *, actor: Actor, mediation: Mediation, issued_on: dt.date
) -> Mediation:
    """The mediation adviser issued the certificate; its kind follows from the record."""
    mediation = locked(mediation)
    if mediation.certificate_issued_on is not None:
        raise TransitionNotAllowed(msg.CERTIFICATE_ALREADY)
    fields = {"certificate_issued_on": issued_on}
    return _update(
        actor, mediation, "mediation.certificate_issued", fields, _certificate, with_kind=True
    )


@transaction.atomic
def mediation_action_add(
    *, actor: Actor, mediation: Mediation, matter: str, description: str
) -> MediationAction:
    """Something the council agreed at mediation; its deadlines run from the agreement."""
    mediation = locked(mediation)
    if mediation.outcome != MediationOutcome.AGREEMENT or mediation.held_on is None:
        raise TransitionNotAllowed(msg.ACTIONS_NEED_AGREEMENT)
    action = MediationAction(
        mediation=mediation, matter=matter, description=description, agreed_on=mediation.held_on
    )
    action.full_clean()
    action.save()
    create_steps(parent=action, rules=agreement_rules(matter), runs_from=mediation.held_on)
    _step(
        actor,
        mediation,
        action="mediation.action_added",
        obj=action,
        changes={"matter": matter, "description": description},
        event="mediation.action",
        title=f"Mediation agreement: {AgreementMatter(matter).label.lower()}",
        on=mediation.held_on,
    )
    return action


@transaction.atomic
def mediation_action_complied(
    *, actor: Actor, action: MediationAction, complied_on: dt.date, step: str | None = None
) -> ComplianceStep:
    """One step of an agreement action done (`step` names the rule met)."""
    action = locked(action, "mediation__child")
    steps = list(action.steps.order_by("position"))
    done = comply(
        steps=steps,
        rule=step,
        complied_on=complied_on,
        earliest=action.agreed_on,
        earliest_label="the agreement",
    )
    _step(
        actor,
        action.mediation,
        action="mediation.action_complied",
        obj=action,
        changes={"rule": done.rule, "complied_on": complied_on},
        event="mediation.action_complied",
        title=f"Mediation agreement met: {get_rule(done.rule).title}",
        on=complied_on,
    )
    return done
