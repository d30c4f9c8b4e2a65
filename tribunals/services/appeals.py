"""Appeals: registration, the council's response, the hearing, the outcome, directions and
recommendations. Each step goes through the workflow table (workflow.py) and leaves a row on the
appeal and on the case timeline."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone

from cases.models import AssessmentRequest, Child, Plan
from send_cms.accounts.actor import Actor
from send_cms.accounts.models import User
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.versioning import check_version
from send_cms.timescales import format_date
from tribunals import messages as msg
from tribunals.codes import (
    OPEN_APPEAL_STATUSES,
    PLAN_APPEALS,
    REQUEST_APPEALS,
    SECTION_APPEALS,
    TRIBUNAL_DECISIONS,
    AppealStatus,
    AppealType,
    Outcome,
)
from tribunals.deadlines import concession_is_unopposed
from tribunals.models import Appeal, Direction, Mediation, Recommendation
from tribunals.services.common import (
    Errors,
    add_error,
    appeal_event,
    check_order,
    check_past,
    check_subject,
    queue_recompute,
    raise_if,
)
from tribunals.workflow import OUTCOME_STEP, AppealStep, next_status, refusal

NOTICE = "the decision notice"
RECEIVED = "the day the council received the appeal"
SECTION_FIELDS = {"B": "section_b", "F": "section_f", "I": "section_i"}
#: Fields `appeal_update_details` may change; everything else moves through a step.
DETAIL_FIELDS = frozenset(
    {
        "tribunal_reference",
        "appellant_name",
        "appellant_kind",
        "setting_kind_sought",
        "lodged_on",
        "response_due_on",
        "legal_costs",
        "counsel_costs",
        "expert_costs",
        "la_representation",
        "la_representative",
        "la_representative_name",
    }
)


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("child", "request", "plan")
        .get(pk=appeal.pk)
    )


def _move(appeal: Appeal, step: AppealStep) -> tuple[str, str]:
    """The status change this step makes, or TransitionNotAllowed (409) with the reason."""
    to = next_status(step, appeal.status)
    if to is None:
        raise TransitionNotAllowed(refusal(step, appeal.status))
    return appeal.status, to


def _check_appeal_dates(appeal: Appeal, errors: Errors) -> None:
    notice = appeal.decision_notice_on
    check_past(errors, "decision_notice_on", notice, "Date of the decision notice")
    check_past(
        errors,
        "received_by_la_on",
        appeal.received_by_la_on,
        "Date the council received the appeal",
    )
    check_order(
        errors,
        "received_by_la_on",
        appeal.received_by_la_on,
        "Date the council received the appeal",
        notice,
        NOTICE,
    )
    check_past(
        errors, "certificate_issued_on", appeal.certificate_issued_on, "Date of the certificate"
    )
    check_order(
        errors,
        "certificate_issued_on",
        appeal.certificate_issued_on,
        "Date of the certificate",
        notice,
        NOTICE,
    )
    if appeal.lodged_on is not None:
        check_order(
            errors,
            "lodged_on",
            appeal.lodged_on,
            "Date the tribunal received the appeal",
            notice,
            NOTICE,
        )
        if appeal.lodged_on > appeal.received_by_la_on:
            add_error(
                errors,
                "lodged_on",
                msg.NOT_AFTER.format(
                    label="Date the tribunal received the appeal",
                    other_label=RECEIVED,
                    other=format_date(appeal.received_by_la_on),
                ),
            )
    if appeal.response_due_on is not None:
        check_order(
            errors,
            "response_due_on",
            appeal.response_due_on,
            "Response due date",
            appeal.received_by_la_on,
            RECEIVED,
        )
    for field in ("legal_costs", "counsel_costs", "expert_costs"):
        value = getattr(appeal, field)
        if value is not None and Decimal(value) < 0:
            add_error(errors, field, msg.COSTS_NEGATIVE)


def _set_sections(appeal: Appeal, sections: Iterable[str], errors: Errors) -> None:
    chosen = {s.upper() for s in sections}
    for letter, field in SECTION_FIELDS.items():
        setattr(appeal, field, letter in chosen)
    if appeal.appeal_type in SECTION_APPEALS and not chosen:
        add_error(errors, "sections", msg.SECTIONS_NEEDED)
    if appeal.appeal_type not in SECTION_APPEALS and chosen:
        add_error(errors, "sections", msg.SECTIONS_NOT_FOR_TYPE)


@transaction.atomic
def appeal_register(
    *,
    actor: Actor,
    child: Child,
    appeal_type: str,
    decision_notice_on: dt.date,
    received_by_la_on: dt.date,
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    sections: Iterable[str] = (),
    certificate_issued_on: dt.date | None = None,
    mediation: Mediation | None = None,
    lodged_on: dt.date | None = None,
    response_due_on: dt.date | None = None,
    appellant_name: str = "",
    appellant_kind: str = "parent",
    setting_kind_sought: str = "",
    tribunal_reference: str = "",
    la_representation: str = "",
    la_representative: User | None = None,
    la_representative_name: str = "",
) -> Appeal:
    """The council received an appeal from the tribunal: register it and start the clocks."""
    errors: Errors = {}
    needs = (
        "request"
        if appeal_type in REQUEST_APPEALS
        else "plan"
        if appeal_type in PLAN_APPEALS
        else "either"
    )
    check_subject(errors, child=child, request=request, plan=plan, needs=needs)
    if mediation is not None:
        if mediation.child_id != child.pk:
            add_error(errors, "mediation", msg.NOT_THIS_CHILD_MEDIATION)
        elif certificate_issued_on is None:
            certificate_issued_on = mediation.certificate_issued_on
    appeal = Appeal(
        child=child,
        request=request,
        plan=plan,
        mediation=mediation,
        appeal_type=appeal_type,
        decision_notice_on=decision_notice_on,
        received_by_la_on=received_by_la_on,
        certificate_issued_on=certificate_issued_on,
        lodged_on=lodged_on,
        response_due_on=response_due_on,
        appellant_name=appellant_name,
        appellant_kind=appellant_kind,
        setting_kind_sought=setting_kind_sought,
        tribunal_reference=tribunal_reference,
        la_representation=la_representation,
        la_representative=la_representative,
        la_representative_name=la_representative_name,
    )
    _set_sections(appeal, sections, errors)
    _check_appeal_dates(appeal, errors)
    raise_if(errors)
    subject: dict[str, Any] = {"request": request} if request is not None else {"plan": plan}
    if Appeal.objects.filter(
        appeal_type=appeal_type, status__in=OPEN_APPEAL_STATUSES, **subject
    ).exists():
        raise_if(
            {
                NON_FIELD_ERRORS: [
                    msg.DUPLICATE_OPEN_APPEAL.format(
                        subject="assessment request" if request is not None else "plan"
                    )
                ]
            }
        )
    appeal.full_clean()
    appeal.save()
    record(
        actor=actor,
        action="appeal.registered",
        obj=appeal,
        child_id=child.pk,
        changes={
            "appeal_type": appeal_type,
            "sections": appeal.sections,
            "decision_notice_on": decision_notice_on,
            "received_by_la_on": received_by_la_on,
            "response_due_on": response_due_on,
        },
    )
    sections_text = f" (sections {', '.join(appeal.sections)})" if appeal.sections else ""
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.registered",
        title=f"Appeal registered: {AppealType(appeal_type).label.lower()}{sections_text}",
        occurred_on=received_by_la_on,
        to_status=AppealStatus.REGISTERED,
    )
    queue_recompute(child.pk)
    return appeal


@transaction.atomic
def appeal_update_details(
    *, actor: Actor, appeal: Appeal, expected_version: int | None = None, **fields: Any
) -> Appeal:
    """Change the appeal's details (reference, costs, representation, the registration letter's
    response date). Steps that move the appeal on have their own services.

    `expected_version` is the version the person's page or API read showed: if the appeal has
    changed since, `StaleVersion` is raised and nothing is saved.
    """
    unknown = set(fields) - DETAIL_FIELDS
    if unknown:
        raise TypeError(f"appeal_update_details cannot change {sorted(unknown)}")
    appeal = _locked(appeal)
    check_version(appeal, expected_version)
    before = {name: getattr(appeal, name) for name in fields}
    for name, value in fields.items():
        setattr(appeal, name, value)
    errors: Errors = {}
    _check_appeal_dates(appeal, errors)
    raise_if(errors)
    appeal.full_clean()
    appeal.save()
    changes = {
        name: {"from": before[name], "to": value}
        for name, value in fields.items()
        if before[name] != value
    }
    if changes:
        record(
            actor=actor,
            action="appeal.updated",
            obj=appeal,
            child_id=appeal.child_id,
            changes=changes,
        )
    if "response_due_on" in changes and appeal.response_due_on is not None:
        appeal_event(
            actor=actor,
            appeal=appeal,
            event="appeal.response_date_set",
            title=f"Tribunal set the response date: {format_date(appeal.response_due_on)}",
            occurred_on=timezone.localdate(),
        )
    queue_recompute(appeal.child_id)
    return appeal


@transaction.atomic
def appeal_submit_response(*, actor: Actor, appeal: Appeal, submitted_on: dt.date) -> Appeal:
    """The council sent its response to the tribunal."""
    appeal = _locked(appeal)
    from_status, to_status = _move(appeal, AppealStep.RESPONSE)
    errors: Errors = {}
    check_past(errors, "submitted_on", submitted_on, "Date the response was submitted")
    check_order(
        errors,
        "submitted_on",
        submitted_on,
        "Date the response was submitted",
        appeal.received_by_la_on,
        RECEIVED,
    )
    raise_if(errors)
    appeal.response_submitted_on = submitted_on
    appeal.status = to_status
    appeal.full_clean()
    appeal.save()
    record(
        actor=actor,
        action="appeal.response_submitted",
        obj=appeal,
        child_id=appeal.child_id,
        changes={"response_submitted_on": submitted_on, "status": to_status},
    )
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.response",
        title="Council's response sent to the tribunal",
        occurred_on=submitted_on,
        from_status=from_status,
        to_status=to_status,
    )
    queue_recompute(appeal.child_id)
    return appeal


@transaction.atomic
def appeal_list_hearing(*, actor: Actor, appeal: Appeal, hearing_on: dt.date) -> Appeal:
    """The tribunal listed (or moved) the hearing."""
    appeal = _locked(appeal)
    from_status, to_status = _move(appeal, AppealStep.HEARING)
    errors: Errors = {}
    check_order(
        errors, "hearing_on", hearing_on, "Date of the hearing", appeal.received_by_la_on, RECEIVED
    )
    raise_if(errors)
    previous = appeal.hearing_on
    appeal.hearing_on = hearing_on
    appeal.status = to_status
    appeal.full_clean()
    appeal.save()
    record(
        actor=actor,
        action="appeal.hearing_listed",
        obj=appeal,
        child_id=appeal.child_id,
        changes={"hearing_on": {"from": previous, "to": hearing_on}, "status": to_status},
    )
    verb = "moved" if previous else "listed"
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.hearing",
        title=f"Hearing {verb} for {format_date(hearing_on)}",
        occurred_on=timezone.localdate(),
        from_status=from_status,
        to_status=to_status,
    )
    queue_recompute(appeal.child_id)
    return appeal


OUTCOME_TITLES = {
    Outcome.UPHELD: "Tribunal upheld the appeal",
    Outcome.UPHELD_IN_PART: "Tribunal upheld the appeal in part",
    Outcome.DISMISSED: "Tribunal dismissed the appeal",
    Outcome.CONCEDED: "Council conceded the appeal",
    Outcome.WITHDRAWN: "Appeal withdrawn",
    Outcome.STRUCK_OUT: "Appeal struck out",
}
UNOPPOSED_NOTE = (
    "Unopposed: conceded before the response was due, so the order periods run from "
    "{on}, the day the council told the tribunal (regulation 45)."
)


@transaction.atomic
def appeal_record_outcome(
    *, actor: Actor, appeal: Appeal, outcome: str, decided_on: dt.date
) -> Appeal:
    """How the appeal ended. Conceding before the response is due makes it unopposed."""
    if outcome not in Outcome.values:
        raise_if({"outcome": [f"Choose a valid outcome: {', '.join(Outcome.values)}"]})
    appeal = _locked(appeal)
    from_status, to_status = _move(appeal, OUTCOME_STEP[outcome])
    errors: Errors = {}
    label = "Date of the outcome"
    check_past(errors, "decided_on", decided_on, label)
    check_order(errors, "decided_on", decided_on, label, appeal.received_by_la_on, RECEIVED)
    if outcome in TRIBUNAL_DECISIONS and appeal.hearing_on and decided_on < appeal.hearing_on:
        add_error(
            errors,
            "decided_on",
            msg.DECISION_BEFORE_HEARING.format(hearing=format_date(appeal.hearing_on)),
        )
    raise_if(errors)
    appeal.unopposed = outcome == Outcome.CONCEDED and concession_is_unopposed(appeal, decided_on)
    appeal.outcome = outcome
    appeal.decided_on = decided_on
    appeal.status = to_status
    appeal.full_clean()
    appeal.save()
    record(
        actor=actor,
        action="appeal.outcome_recorded",
        obj=appeal,
        child_id=appeal.child_id,
        changes={
            "outcome": outcome,
            "decided_on": decided_on,
            "status": to_status,
            "unopposed": appeal.unopposed,
        },
    )
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.outcome",
        title=OUTCOME_TITLES[Outcome(outcome)],
        detail=UNOPPOSED_NOTE.format(on=format_date(decided_on)) if appeal.unopposed else "",
        occurred_on=decided_on,
        from_status=from_status,
        to_status=to_status,
    )
    queue_recompute(appeal.child_id)
    return appeal


@transaction.atomic
def appeal_direction_add(
    *,
    actor: Actor,
    appeal: Appeal,
    description: str,
    due_on: dt.date,
    made_on: dt.date | None = None,
) -> Direction:
    """A direction from the tribunal with its own due date."""
    appeal = _locked(appeal)
    _move(appeal, AppealStep.DIRECTION)
    errors: Errors = {}
    check_past(errors, "made_on", made_on, "Date of the direction")
    check_order(errors, "due_on", due_on, "Due date", made_on, "the date of the direction")
    raise_if(errors)
    direction = Direction(appeal=appeal, description=description, due_on=due_on, made_on=made_on)
    direction.full_clean()
    direction.save()
    record(
        actor=actor,
        action="appeal.direction_added",
        obj=direction,
        child_id=appeal.child_id,
        changes={"description": description, "due_on": due_on, "made_on": made_on},
    )
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.direction",
        title=f"Tribunal direction, due {format_date(due_on)}",
        detail=description,
        occurred_on=made_on or timezone.localdate(),
    )
    queue_recompute(appeal.child_id)
    return direction


@transaction.atomic
def direction_complied(*, actor: Actor, direction: Direction, complied_on: dt.date) -> Direction:
    direction = (
        Direction.objects.select_for_update(of=("self",))
        .select_related("appeal__child")
        .get(pk=direction.pk)
    )
    if direction.complied_on is not None:
        raise TransitionNotAllowed(msg.DIRECTION_DONE.format(on=format_date(direction.complied_on)))
    errors: Errors = {}
    check_past(errors, "complied_on", complied_on, "Date complied")
    check_order(
        errors, "complied_on", complied_on, "Date complied", direction.made_on, "the direction"
    )
    raise_if(errors)
    direction.complied_on = complied_on
    direction.full_clean()
    direction.save()
    appeal = direction.appeal
    record(
        actor=actor,
        action="appeal.direction_complied",
        obj=direction,
        child_id=appeal.child_id,
        changes={"complied_on": complied_on},
    )
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.direction_complied",
        title="Tribunal direction complied with",
        detail=direction.description,
        occurred_on=complied_on,
    )
    queue_recompute(appeal.child_id)
    return direction


@transaction.atomic
def recommendation_add(
    *, actor: Actor, appeal: Appeal, kind: str, made_on: dt.date, summary: str
) -> Recommendation:
    """A health or social care recommendation: the council responds within 5 weeks."""
    appeal = _locked(appeal)
    _move(appeal, AppealStep.RECOMMENDATION)
    errors: Errors = {}
    check_past(errors, "made_on", made_on, "Date of the recommendation")
    check_order(
        errors, "made_on", made_on, "Date of the recommendation", appeal.received_by_la_on, RECEIVED
    )
    raise_if(errors)
    recommendation = Recommendation(appeal=appeal, kind=kind, made_on=made_on, summary=summary)
    recommendation.full_clean()
    recommendation.save()
    record(
        actor=actor,
        action="appeal.recommendation_added",
        obj=recommendation,
        child_id=appeal.child_id,
        changes={"kind": kind, "made_on": made_on},
    )
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.recommendation",
        title=f"Tribunal recommendation: {recommendation.get_kind_display().lower()}",
        detail=summary,
        occurred_on=made_on,
    )
    queue_recompute(appeal.child_id)
    return recommendation


@transaction.atomic
def recommendation_respond(
    *, actor: Actor, recommendation: Recommendation, responded_on: dt.date, response: str = ""
) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("appeal__child", "appeal__request", "appeal__plan")
        .get(pk=recommendation.pk)
    )
    if recommendation.responded_on is not None:
        raise TransitionNotAllowed(
            msg.RECOMMENDATION_DONE.format(on=format_date(recommendation.responded_on))
        )
    errors: Errors = {}
    check_past(errors, "responded_on", responded_on, "Date of the response")
    check_order(
        errors,
        "responded_on",
        responded_on,
        "Date of the response",
        recommendation.made_on,
        "the recommendation",
    )
    raise_if(errors)
    recommendation.responded_on = responded_on
    recommendation.response = response
    recommendation.full_clean()
    recommendation.save()
    appeal = recommendation.appeal
    record(
        actor=actor,
        action="appeal.recommendation_responded",
        obj=recommendation,
        child_id=appeal.child_id,
        changes={"responded_on": responded_on},
    )
    appeal_event(
        actor=actor,
        appeal=appeal,
        event="appeal.recommendation_response",
        title=f"Council responded to the {recommendation.get_kind_display().lower()} "
        "recommendation",
        detail=response,
        occurred_on=responded_on,
    )
    queue_recompute(appeal.child_id)
    return recommendation
