"""Mediation: the decision notice, the family's contact with the adviser, the meeting, the
certificate (its kind derived from the record) and an agreement's actions."""

import datetime as dt

from django.db import transaction

from cases.models import AssessmentRequest, Child, Plan
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import format_date, get_rule
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
    queue_recompute,
    raise_if,
    timeline,
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
                event_label=CERTIFICATE_EVENT[CertificateKind(kind)], event=format_date(trigger)
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


def _timeline(actor: Actor, mediation: Mediation, event: str, title: str, on: dt.date) -> None:
    timeline(
        actor=actor,
        child=mediation.child,
        event=event,
        title=title,
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
    record(
        actor=actor,
        action="mediation.created",
        obj=mediation,
        child_id=child.pk,
        changes={"decision_type": decision_type, "decision_notice_on": decision_notice_on},
    )
    label = DecisionType(decision_type).label.lower()
    _timeline(
        actor,
        mediation,
        "mediation.recorded",
        f"Mediation information: decision notice about {label} sent",
        decision_notice_on,
    )
    if family_contacted_on is not None:
        _contact_timeline(actor, mediation)
    if held_on is not None:
        _held_timeline(actor, mediation)
    if certificate_issued_on is not None:
        _certificate_timeline(actor, mediation)
    queue_recompute(child.pk)
    return mediation


def _contact_timeline(actor: Actor, mediation: Mediation) -> None:
    assert mediation.family_contacted_on is not None
    wanted = {
        True: "wants mediation",
        False: "does not want mediation",
        None: "has not decided about mediation",
    }[mediation.mediation_wanted]
    _timeline(
        actor,
        mediation,
        "mediation.contacted",
        f"Family contacted the mediation adviser: {wanted}",
        mediation.family_contacted_on,
    )


def _held_timeline(actor: Actor, mediation: Mediation) -> None:
    assert mediation.held_on is not None
    _timeline(
        actor,
        mediation,
        "mediation.held",
        f"Mediation held: {MediationOutcome(mediation.outcome).label.lower()}",
        mediation.held_on,
    )


def _certificate_timeline(actor: Actor, mediation: Mediation) -> None:
    assert mediation.certificate_issued_on is not None
    _timeline(
        actor,
        mediation,
        "mediation.certificate",
        f"Mediation certificate issued: {mediation.get_certificate_kind_display().lower()}",
        mediation.certificate_issued_on,
    )


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
    mediation = Mediation.objects.select_for_update(of=("self",)).get(pk=mediation.pk)
    if mediation.family_contacted_on is not None:
        raise TransitionNotAllowed(msg.CONTACT_ALREADY)
    mediation.family_contacted_on = family_contacted_on
    mediation.mediation_wanted = mediation_wanted
    mediation.la_informed_on = la_informed_on
    _validate(mediation)
    mediation.save()
    record(
        actor=actor,
        action="mediation.contact_recorded",
        obj=mediation,
        child_id=mediation.child_id,
        changes={
            "family_contacted_on": family_contacted_on,
            "mediation_wanted": mediation_wanted,
            "la_informed_on": la_informed_on,
        },
    )
    _contact_timeline(actor, mediation)
    queue_recompute(mediation.child_id)
    return mediation


@transaction.atomic
def mediation_record_wanted(
    *, actor: Actor, mediation: Mediation, la_informed_on: dt.date
) -> Mediation:
    """The council was told the family wants mediation: the 30 days start."""
    mediation = Mediation.objects.select_for_update(of=("self",)).get(pk=mediation.pk)
    if mediation.la_informed_on is not None:
        raise TransitionNotAllowed(msg.INFORMED_ALREADY)
    mediation.la_informed_on = la_informed_on
    _validate(mediation)
    mediation.save()
    record(
        actor=actor,
        action="mediation.la_informed",
        obj=mediation,
        child_id=mediation.child_id,
        changes={"la_informed_on": la_informed_on},
    )
    _timeline(
        actor,
        mediation,
        "mediation.la_informed",
        "Council told the family wants mediation",
        la_informed_on,
    )
    queue_recompute(mediation.child_id)
    return mediation


@transaction.atomic
def mediation_record_not_arranged(
    *, actor: Actor, mediation: Mediation, not_arranged_on: dt.date
) -> Mediation:
    """The council could not arrange mediation within 30 days: a certificate follows."""
    mediation = Mediation.objects.select_for_update(of=("self",)).get(pk=mediation.pk)
    if mediation.not_arranged_on is not None:
        raise TransitionNotAllowed(msg.NOT_ARRANGED_ALREADY)
    if mediation.held_on is not None:
        raise TransitionNotAllowed(msg.NOT_ARRANGED_AFTER_HELD)
    mediation.not_arranged_on = not_arranged_on
    _validate(mediation)
    mediation.save()
    record(
        actor=actor,
        action="mediation.not_arranged",
        obj=mediation,
        child_id=mediation.child_id,
        changes={"not_arranged_on": not_arranged_on},
    )
    _timeline(
        actor,
        mediation,
        "mediation.not_arranged",
        "Council could not arrange mediation within 30 days",
        not_arranged_on,
    )
    queue_recompute(mediation.child_id)
    return mediation


@transaction.atomic
def mediation_record_held(
    *, actor: Actor, mediation: Mediation, held_on: dt.date, outcome: str
) -> Mediation:
    """The mediation meeting took place, with or without an agreement."""
    mediation = Mediation.objects.select_for_update(of=("self",)).get(pk=mediation.pk)
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
    mediation.held_on = held_on
    mediation.outcome = outcome
    _validate(mediation)
    mediation.save()
    record(
        actor=actor,
        action="mediation.held",
        obj=mediation,
        child_id=mediation.child_id,
        changes={"held_on": held_on, "outcome": outcome},
    )
    _held_timeline(actor, mediation)
    queue_recompute(mediation.child_id)
    return mediation


@transaction.atomic
def mediation_issue_certificate(
    *, actor: Actor, mediation: Mediation, issued_on: dt.date
) -> Mediation:
    """The mediation adviser issued the certificate; its kind follows from the record."""
    mediation = Mediation.objects.select_for_update(of=("self",)).get(pk=mediation.pk)
    if mediation.certificate_issued_on is not None:
        raise TransitionNotAllowed(msg.CERTIFICATE_ALREADY)
    mediation.certificate_issued_on = issued_on
    _validate(mediation)
    mediation.save()
    record(
        actor=actor,
        action="mediation.certificate_issued",
        obj=mediation,
        child_id=mediation.child_id,
        changes={"certificate_issued_on": issued_on, "kind": mediation.certificate_kind},
    )
    _certificate_timeline(actor, mediation)
    queue_recompute(mediation.child_id)
    return mediation


@transaction.atomic
def mediation_action_add(
    *, actor: Actor, mediation: Mediation, matter: str, description: str
) -> MediationAction:
    """Something the council agreed at mediation; its deadlines run from the agreement."""
    mediation = Mediation.objects.select_for_update(of=("self",)).get(pk=mediation.pk)
    if mediation.outcome != MediationOutcome.AGREEMENT or mediation.held_on is None:
        raise TransitionNotAllowed(msg.ACTIONS_NEED_AGREEMENT)
    action = MediationAction(
        mediation=mediation, matter=matter, description=description, agreed_on=mediation.held_on
    )
    action.full_clean()
    action.save()
    create_steps(parent=action, rules=agreement_rules(matter), runs_from=mediation.held_on)
    record(
        actor=actor,
        action="mediation.action_added",
        obj=action,
        child_id=mediation.child_id,
        changes={"matter": matter, "description": description},
    )
    _timeline(
        actor,
        mediation,
        "mediation.action",
        f"Mediation agreement: {AgreementMatter(matter).label.lower()}",
        mediation.held_on,
    )
    queue_recompute(mediation.child_id)
    return action


@transaction.atomic
def mediation_action_complied(
    *, actor: Actor, action: MediationAction, complied_on: dt.date, step: str | None = None
) -> ComplianceStep:
    """One step of an agreement action done (`step` names the rule met)."""
    action = (
        MediationAction.objects.select_for_update(of=("self",))
        .select_related("mediation__child")
        .get(pk=action.pk)
    )
    steps = list(action.steps.order_by("position"))
    done = comply(
        steps=steps,
        rule=step,
        complied_on=complied_on,
        earliest=action.agreed_on,
        earliest_label="the agreement",
    )
    record(
        actor=actor,
        action="mediation.action_complied",
        obj=action,
        child_id=action.mediation.child_id,
        changes={"rule": done.rule, "complied_on": complied_on},
    )
    _timeline(
        actor,
        action.mediation,
        "mediation.action_complied",
        f"Mediation agreement met: {get_rule(done.rule).title}",
        complied_on,
    )
    queue_recompute(action.mediation.child_id)
    return done
