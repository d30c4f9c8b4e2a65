"""Appeals: registration, the details, the council's response, the hearing and the outcome.
Each step goes through the workflow table (workflow.py) and leaves a row on the appeal and on the
case timeline. Directions and recommendations are in directions.py, orders in orders.py."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from cases.models import AssessmentRequest, Child, Plan
from cases.services.common import deadlines_changed
from send_cms.accounts.actor import Actor
from send_cms.accounts.models import User
from send_cms.audit.services import record
from send_cms.common.services import fmt, today
from send_cms.common.versioning import check_version
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
from tribunals.models import Appeal, Mediation
from tribunals.services.common import (
    RECEIVED,
    Errors,
    add_error,
    appeal_locked,
    appeal_move,
    appeal_moved,
    appeal_step,
    check_order,
    check_past,
    check_subject,
    raise_if,
)
from tribunals.workflow import OUTCOME_STEP, AppealStep

NOTICE = "the decision notice"
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
                    other=fmt(appeal.received_by_la_on),
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
    sections_text = f" (sections {', '.join(appeal.sections)})" if appeal.sections else ""
    appeal_step(
        actor=actor,
        appeal=appeal,
        action="appeal.registered",
        event="appeal.registered",
        title=f"Appeal registered: {AppealType(appeal_type).label.lower()}{sections_text}",
        occurred_on=received_by_la_on,
        changes={
            "appeal_type": appeal_type,
            "sections": appeal.sections,
            "decision_notice_on": decision_notice_on,
            "received_by_la_on": received_by_la_on,
            "response_due_on": response_due_on,
        },
        to_status=AppealStatus.REGISTERED,
    )
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
    appeal = appeal_locked(appeal)
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
    if "response_due_on" in changes and appeal.response_due_on is not None:
        appeal_step(
            actor=actor,
            appeal=appeal,
            action="appeal.updated",
            event="appeal.response_date_set",
            title=f"Tribunal set the response date: {fmt(appeal.response_due_on)}",
            occurred_on=today(),
            changes=changes,
        )
        return appeal
    # Details alone are no step on the timeline: audited, and the deadlines follow them.
    if changes:
        record(
            actor=actor,
            action="appeal.updated",
            obj=appeal,
            child_id=appeal.child_id,
            changes=changes,
        )
    deadlines_changed(appeal.child_id)
    return appeal


@transaction.atomic
def appeal_submit_response(*, actor: Actor, appeal: Appeal, submitted_on: dt.date) -> Appeal:
    """The council sent its response to the tribunal."""
    appeal = appeal_locked(appeal)
    from_status, to_status = appeal_move(appeal, AppealStep.RESPONSE)
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
    return appeal_moved(
        actor,
        appeal,
        (from_status, to_status),
        action="appeal.response_submitted",
        event="appeal.response",
        title="Council's response sent to the tribunal",
        occurred_on=submitted_on,
        changes={"response_submitted_on": submitted_on},
    )


@transaction.atomic
def appeal_list_hearing(*, actor: Actor, appeal: Appeal, hearing_on: dt.date) -> Appeal:
    """The tribunal listed (or moved) the hearing."""
    appeal = appeal_locked(appeal)
    from_status, to_status = appeal_move(appeal, AppealStep.HEARING)
    errors: Errors = {}
    check_order(
        errors, "hearing_on", hearing_on, "Date of the hearing", appeal.received_by_la_on, RECEIVED
    )
    raise_if(errors)
    previous = appeal.hearing_on
    appeal.hearing_on = hearing_on
    return appeal_moved(
        actor,
        appeal,
        (from_status, to_status),
        action="appeal.hearing_listed",
        event="appeal.hearing",
        title=f"Hearing {'moved' if previous else 'listed'} for {fmt(hearing_on)}",
        occurred_on=today(),
        changes={"hearing_on": {"from": previous, "to": hearing_on}},
    )


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
    appeal = appeal_locked(appeal)
    from_status, to_status = appeal_move(appeal, OUTCOME_STEP[outcome])
    errors: Errors = {}
    label = "Date of the outcome"
    check_past(errors, "decided_on", decided_on, label)
    check_order(errors, "decided_on", decided_on, label, appeal.received_by_la_on, RECEIVED)
    if outcome in TRIBUNAL_DECISIONS and appeal.hearing_on and decided_on < appeal.hearing_on:
        add_error(
            errors,
            "decided_on",
            msg.DECISION_BEFORE_HEARING.format(hearing=fmt(appeal.hearing_on)),
        )
    raise_if(errors)
    appeal.unopposed = outcome == Outcome.CONCEDED and concession_is_unopposed(appeal, decided_on)
    appeal.outcome = outcome
    appeal.decided_on = decided_on
    return appeal_moved(
        actor,
        appeal,
        (from_status, to_status),
        action="appeal.outcome_recorded",
        event="appeal.outcome",
        title=OUTCOME_TITLES[Outcome(outcome)],
        detail=UNOPPOSED_NOTE.format(on=fmt(decided_on)) if appeal.unopposed else "",
        occurred_on=decided_on,
        changes={"outcome": outcome, "decided_on": decided_on, "unopposed": appeal.unopposed},
    )
