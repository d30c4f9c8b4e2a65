"""Agenda items, declarations of interest, and deferred items returning to the next agenda."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import (
    AssessmentRequest,
    Child,
    Establishment,
    Plan,
    PlanStatus,
    RequestStatus,
)
from panels.models import (
    REQUEST_KINDS,
    AgendaItem,
    Declaration,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    PanelMeeting,
)
from panels.rules import is_clerk, is_invited
from panels.selectors import item_open_for, meeting_next_for
from panels.services import casework
from send_cms.accounts.actor import Actor, account_of
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import fmt

MEETING_CLOSED = "The meeting is closed: its record cannot be changed"
KIND_NOT_TAKEN = "The {panel} does not decide {kind} items"
UNKNOWN_KIND = "Choose what the panel is asked to decide"
REQUEST_REQUIRED = "Choose the assessment request the panel is asked to decide on"
PLAN_REQUIRED = "Choose the EHC plan the panel is asked to decide on"
REQUEST_NOT_AWAITING_DECISION = "This request is not awaiting a decision to assess"
REQUEST_NOT_ASSESSING = "This request is not at the stage of deciding whether to issue a plan"
PLAN_NOT_ACTIVE = "This plan is not active"
PLAN_ALREADY_CEASING = "A decision to cease this plan has already been made"
ALREADY_ON_AGENDA = "This case is already on the agenda of the {meeting} for this decision"
INTEREST_REQUIRED = "Enter the interest being declared"
MEMBER_NOT_INVITED = "Only a member of this meeting can declare an interest"
DECLARE_OWN_ONLY = "Panel members declare their own interests; the clerk records others"

_KIND_STATE = {
    ItemKind.DECISION_TO_ASSESS: (RequestStatus.RECEIVED, REQUEST_NOT_AWAITING_DECISION),
    ItemKind.ISSUE_DECISION: (RequestStatus.ASSESSING, REQUEST_NOT_ASSESSING),
}


def ensure_open(meeting: PanelMeeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise TransitionNotAllowed(MEETING_CLOSED)


def _check_subject(
    kind: str, request: AssessmentRequest | None, plan: Plan | None
) -> tuple[AssessmentRequest | None, Plan | None, Child]:
    """The request or plan the item decides on (the other None), and its child."""
    if kind in REQUEST_KINDS:
        if request is None:
            raise ValidationError({"request": [REQUEST_REQUIRED]})
        status, message = _KIND_STATE[ItemKind(kind)]
        if request.status != status:
            raise TransitionNotAllowed(message)
        return request, None, request.child
    if plan is None:
        raise ValidationError({"plan": [PLAN_REQUIRED]})
    if plan.status != PlanStatus.ACTIVE:
        raise TransitionNotAllowed(PLAN_NOT_ACTIVE)
    if kind == ItemKind.CEASE and plan.cease_decided_on is not None:
        raise TransitionNotAllowed(PLAN_ALREADY_CEASING)
    return None, plan, plan.child


def _next_position(meeting: PanelMeeting) -> int:
    top = meeting.items.aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


@transaction.atomic
def agenda_item_add(
    *,
    actor: Actor,
    meeting: PanelMeeting,
    kind: str,
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    summary: str = "",
    proposed_establishment: Establishment | None = None,
    proposed_band: str = "",
    proposed_starts_on: dt.date | None = None,
) -> AgendaItem:
    """Put a case on a meeting's agenda. One open item per case step across all meetings, so a
    retried request is refused rather than recorded twice."""
    meeting = PanelMeeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    ensure_open(meeting)
    if kind not in ItemKind.values:
        raise ValidationError({"kind": [UNKNOWN_KIND]})
    if not meeting.panel.takes(kind):
        raise ValidationError(
            {
                "kind": [
                    KIND_NOT_TAKEN.format(
                        panel=meeting.panel.name, kind=ItemKind(kind).label.lower()
                    )
                ]
            }
        )
    request, plan, child = _check_subject(kind, request, plan)
    existing = item_open_for(kind, request, plan)
    if existing is not None:
        raise TransitionNotAllowed(ALREADY_ON_AGENDA.format(meeting=existing.meeting))
    placement_fields = kind == ItemKind.PLACEMENT
    item = AgendaItem(
        meeting=meeting,
        kind=kind,
        child=child,
        request=request,
        plan=plan,
        summary=summary.strip(),
        position=_next_position(meeting),
        added_by=account_of(actor),
        proposed_establishment=proposed_establishment if placement_fields else None,
        proposed_band=proposed_band.strip() if placement_fields else "",
        proposed_starts_on=proposed_starts_on if placement_fields else None,
    )
    item.full_clean()
    item.save()
    record(
        actor=actor,
        action="panel_item.added",
        obj=item,
        child_id=child.pk,
        changes={
            "meeting": meeting.pk,
            "kind": kind,
            "request": request,
            "plan": plan,
            "summary": item.summary,
            "proposed_establishment": item.proposed_establishment,
            "proposed_band": item.proposed_band,
            "proposed_starts_on": item.proposed_starts_on,
        },
    )
    casework.timeline(
        actor=actor,
        child=child,
        event="panel.item_added",
        title=f"Added to the agenda of the {meeting.panel.name} on {fmt(meeting.held_on)}",
        detail=item.summary,
        occurred_on=timezone.localdate(),
        request=request,
        plan=plan,
    )
    return item


@transaction.atomic
def declaration_add(*, actor: Actor, item: AgendaItem, member: Actor, interest: str) -> Declaration:
    """A member declares an interest in one item; they may not then decide it. Idempotent."""
    meeting = item.meeting
    ensure_open(meeting)
    if not is_invited(member, meeting):
        raise ValidationError({"member": [MEMBER_NOT_INVITED]})
    if getattr(actor, "pk", None) != member.pk and not is_clerk(actor):
        raise PermissionDenied(DECLARE_OWN_ONLY)
    if not interest.strip():
        raise ValidationError({"interest": [INTEREST_REQUIRED]})
    declaration, created = Declaration.objects.get_or_create(
        item=item,
        member=member,
        defaults={"interest": interest.strip(), "recorded_by": actor},
    )
    if created:
        record(
            actor=actor,
            action="panel_item.interest_declared",
            obj=item,
            child_id=item.child_id,
            changes={"member": member.pk, "interest": declaration.interest},
        )
    return declaration


def carry_forward(
    *, actor: Actor | None, item: AgendaItem, to: PanelMeeting | None = None
) -> AgendaItem | None:
    """Put a deferred item on the next agenda (a new item pointing back to it). None when there is
    no planned meeting yet (the item waits for the next one created) or the case is already on an
    agenda for the same decision."""
    meeting = to or meeting_next_for(item)
    if meeting is None or not meeting.panel.takes(item.kind):
        return None
    if hasattr(item, "carried_to") or item_open_for(item.kind, item.request, item.plan):
        return None
    carried = AgendaItem(
        meeting=meeting,
        kind=item.kind,
        child_id=item.child_id,
        request=item.request,
        plan=item.plan,
        summary=item.summary,
        position=_next_position(meeting),
        added_by=account_of(actor),
        carried_from=item,
        deferral_count=item.deferral_count + 1,
        proposed_establishment=item.proposed_establishment,
        proposed_band=item.proposed_band,
        proposed_starts_on=item.proposed_starts_on,
    )
    carried.full_clean()
    carried.save()
    record(
        actor=actor,
        action="panel_item.carried_forward",
        obj=carried,
        child_id=item.child_id,
        changes={"from_item": item.pk, "meeting": meeting.pk},
    )
    return carried


def carry_waiting_items(*, actor: Actor | None, meeting: PanelMeeting) -> list[AgendaItem]:
    """Deferred items of this panel still waiting for a meeting join this (new) meeting."""
    waiting = (
        AgendaItem.objects.select_related("meeting__panel", "request", "plan")
        .filter(
            status=ItemStatus.DEFERRED,
            is_open=False,
            carried_to__isnull=True,
            meeting__panel_id=meeting.panel_id,
            meeting__status=MeetingStatus.CLOSED,
            meeting__held_on__lte=meeting.held_on,
        )
        .order_by("meeting__held_on", "position")
    )
    carried = []
    for item in waiting:
        new = carry_forward(actor=actor, item=item, to=meeting)
        if new is not None:
            carried.append(new)
    return carried
