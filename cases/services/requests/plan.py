"""From the decision to issue to the final plan: the draft, the settings consulted, and the final
EHC plan with its first version, section I and the child's placement."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from cases import messages as msg
from cases.codes import SenType
from cases.models import (
    AssessmentRequest,
    DraftConsultation,
    Establishment,
    Plan,
    PlanStatus,
    PlanVersion,
)
from cases.plan_content.services import plan_content_issue_draft, plan_content_issue_version
from cases.services.common import (
    Errors,
    actor_user,
    add_error,
    check_not_future,
    fmt,
    lock,
    raise_if,
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
from cases.services.requests.journey import move, transition
from cases.services.steps import case_step, check_not_before, save_fields, save_new
from cases.workflow import Action
from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import compute


@transaction.atomic
def draft_plan_issue(
    *,
    actor: Actor | None,
    request: AssessmentRequest,
    issued_on: dt.date,
    preferred_setting: Establishment | None = None,
) -> AssessmentRequest:
    """Serve the draft plan; the family have 15 days to comment and to ask for a setting."""
    to_status = transition(request, Action.ISSUE_DRAFT)
    errors: Errors = {}
    check_not_future(errors, "issued_on", issued_on, "The date the draft was issued")
    check_not_before(
        errors, "issued_on", issued_on, request.issue_decided_on, msg.DRAFT_BEFORE_ISSUE_DECISION
    )
    raise_if(errors)
    before = move(
        request, to_status, draft_issued_on=issued_on, preferred_setting=preferred_setting
    )
    window = compute("draft_representations", issued_on, working_calendar())
    detail = window.explanation
    if preferred_setting is not None:
        detail += f" The family's preferred setting: {preferred_setting}."
    case_step(
        actor=actor,
        subject=request,
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
    actor: Actor | None,
    request: AssessmentRequest,
    establishment: Establishment,
    sent_on: dt.date,
) -> DraftConsultation:
    """Consult a setting about being named in the plan."""
    transition(request, Action.CONSULT)
    errors: Errors = {}
    check_not_future(errors, "sent_on", sent_on, "The date the consultation was sent")
    check_not_before(
        errors, "sent_on", sent_on, request.issue_decided_on, msg.CONSULTATION_BEFORE_DECISION
    )
    raise_if(errors)
    consultation = DraftConsultation(request=request, establishment=establishment, sent_on=sent_on)
    save_new(consultation)
    case_step(
        actor=actor,
        subject=request,
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
    actor: Actor | None,
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
    check_not_before(
        errors, "replied_on", replied_on, consultation.sent_on, msg.CONSULTATION_REPLY_BEFORE_SENT
    )
    if reply not in DraftConsultation.Reply.values:
        add_error(errors, "reply", "Choose the setting's reply.")
    raise_if(errors)
    save_fields(consultation, replied_on=replied_on, reply=reply)
    request = consultation.request
    case_step(
        actor=actor,
        subject=request,
        action="consultation.replied",
        title=f"{consultation.establishment.name} replied: "
        f"{consultation.get_reply_display().lower()}",
        occurred_on=replied_on,
        changes={"replied_on": replied_on, "reply": reply},
        from_status=request.status,
        obj=consultation,
    )
    return consultation


def earliest_final_on(draft_issued_on: dt.date) -> dt.date:
    """The first day the final plan may be issued: the day after the 15-day window ends."""
    window = compute("draft_representations", draft_issued_on, working_calendar())
    return window.due + dt.timedelta(days=1)


@transaction.atomic
def final_plan_issue(
    *,
    actor: Actor | None,
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
    to_status = transition(request, Action.ISSUE_FINAL)
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

    before = move(request, to_status, final_issued_on=issued_on)
    plan = Plan(
        child=child,
        request=request,
        issued_on=issued_on,
        primary_need=primary_need,
        secondary_need=secondary_need,
    )
    save_new(plan)
    version = PlanVersion(
        plan=plan,
        number=1,
        kind=PlanVersion.Kind.FINAL,
        issued_on=issued_on,
        changes="Final plan issued.",
        issued_by=actor_user(actor),
    )
    save_new(version)
    named_settings_save(plan=plan, named_settings=named_settings)
    weeks = (issued_on - request.received_on).days / 7
    case_step(
        actor=actor,
        subject=request,
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
    actor: Actor | None,
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
