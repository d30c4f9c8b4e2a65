"""Meetings: planning, attendance, starting and closing (which applies the decisions)."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from panels.models import (
    AgendaItem,
    Decision,
    ItemStatus,
    MeetingMember,
    PanelMeeting,
    PanelMember,
    PanelType,
)
from panels.rules import can_run_meeting
from panels.services.decisions import apply_decision
from panels.services.items import carry_forward, carry_waiting_items, ensure_open

# CANNOT_MOVE is re-exported: the message lives with the meeting's workflow table.
from panels.workflow import CANNOT_MOVE as CANNOT_MOVE
from panels.workflow import MEETING_WORKFLOW, MeetingStep
from send_cms.accounts.actor import Actor, account_of
from send_cms.accounts.roles import Role
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import fmt

PANEL_INACTIVE = "This panel is no longer in use"
NOT_ON_PANEL = "{user} is not a member of the {panel}"
CHAIR_MUST_BE_PRESENT = "The chair must be present"
ONLY_CHAIR_RUNS = "Only the chair (or an administrator) can start or close the meeting"
MEETING_IN_FUTURE = "The meeting cannot start before its date ({day})"
ITEMS_UNDECIDED = "Every item needs a decision before the meeting closes: {count} without one"
NO_MEMBERS = "Choose the members of the meeting"


def _check_members(panel: PanelType, users: Sequence[Any], field: str) -> None:
    """Each user must hold the panel member role and sit on this panel."""
    on_panel = set(
        PanelMember.objects.filter(user__in=users, panel_types=panel, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    bad = [u for u in users if u.pk not in on_panel or not u.has_role(Role.PANEL_MEMBER)]
    if bad:
        raise ValidationError({field: [NOT_ON_PANEL.format(user=u, panel=panel.name) for u in bad]})


def _move(meeting: PanelMeeting, step: MeetingStep) -> None:
    """Move the meeting on by `step`, or `TransitionNotAllowed` naming where it is."""
    meeting.status = MEETING_WORKFLOW.next_status(step, meeting.status)


@transaction.atomic
def meeting_create(
    *,
    actor: Actor | None,
    panel: PanelType,
    held_on: dt.date,
    chair: Any,
    members: Sequence[Any],
    location: str = "",
) -> PanelMeeting:
    """Plan a meeting. The chair is always a member; members start as expected to attend.
    Deferred items of this panel waiting for a meeting join its agenda."""
    if not panel.is_active:
        raise ValidationError({"panel": [PANEL_INACTIVE]})
    _check_members(panel, [chair], "chair")
    users = list(dict.fromkeys([chair, *members]))
    _check_members(panel, users, "members")
    meeting = PanelMeeting(
        panel=panel,
        held_on=held_on,
        chair=chair,
        location=location.strip(),
        created_by=account_of(actor),
    )
    meeting.full_clean()
    meeting.save()
    MeetingMember.objects.bulk_create(
        [MeetingMember(meeting=meeting, user=u, present=True) for u in users]
    )
    record(
        actor=actor,
        action="panel_meeting.created",
        obj=meeting,
        changes={
            "panel": panel.slug,
            "held_on": held_on,
            "chair": chair.pk,
            "members": [u.pk for u in users],
            "location": meeting.location,
        },
    )
    carry_waiting_items(actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_attendance_set(
    *, actor: Actor | None, meeting: PanelMeeting, present: Sequence[Any]
) -> PanelMeeting:
    """Record who is present. Anyone present who was not invited (a substitute) is added."""
    meeting = PanelMeeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    ensure_open(meeting)
    users = list(dict.fromkeys(present))
    if not users:
        raise ValidationError({"members": [NO_MEMBERS]})
    if meeting.chair_id not in {u.pk for u in users}:
        raise ValidationError({"members": [CHAIR_MUST_BE_PRESENT]})
    invited = {m.user_id: m for m in meeting.memberships.all()}
    newcomers = [u for u in users if u.pk not in invited]
    _check_members(meeting.panel, newcomers, "members")
    MeetingMember.objects.bulk_create(
        [MeetingMember(meeting=meeting, user=u, present=True) for u in newcomers]
    )
    wanted = {u.pk for u in users}
    changed = [m for m in invited.values() if m.present != (m.user_id in wanted)]
    for membership in changed:
        membership.present = membership.user_id in wanted
    MeetingMember.objects.bulk_update(changed, ["present"])
    if newcomers or changed:
        record(
            actor=actor,
            action="panel_meeting.attendance_recorded",
            obj=meeting,
            changes={"present": sorted(wanted), "added": [u.pk for u in newcomers]},
        )
    return meeting


@transaction.atomic
def meeting_start(*, actor: Actor, meeting: PanelMeeting) -> PanelMeeting:
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_run_meeting(actor, meeting):
        raise PermissionDenied(ONLY_CHAIR_RUNS)
    _move(meeting, MeetingStep.START)
    if meeting.held_on > timezone.localdate():
        raise TransitionNotAllowed(MEETING_IN_FUTURE.format(day=fmt(meeting.held_on)))
    meeting.started_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["status", "started_at", "updated_at"])
    record(
        actor=actor, action="panel_meeting.started", obj=meeting, changes={"status": "in_session"}
    )
    return meeting


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: PanelMeeting) -> PanelMeeting:
    """The chair closes the meeting: every current decision is applied to its case, once;
    deferred items go to the panel's next planned meeting (or wait for the next one created)."""
    meeting = PanelMeeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    if not can_run_meeting(actor, meeting):
        raise PermissionDenied(ONLY_CHAIR_RUNS)
    _move(meeting, MeetingStep.CLOSE)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("meeting__panel", "request", "plan", "child")
        .prefetch_related(
            Prefetch(
                "decisions", queryset=Decision.objects.filter(is_current=True), to_attr="current"
            )
        )
        .order_by("position")
    )
    undecided = [i for i in items if not i.current]
    if undecided:
        raise TransitionNotAllowed(ITEMS_UNDECIDED.format(count=len(undecided)))
    # Items stop being "open" first, so a deferred case can take its place on the next agenda.
    AgendaItem.objects.filter(meeting=meeting).update(is_open=False)
    for item in items:
        item.is_open = False
        apply_decision(actor=actor, decision=item.current[0])
    meeting.closed_at = timezone.now()
    meeting.closed_by = account_of(actor)
    meeting.full_clean()
    meeting.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    for item in items:
        if item.status == ItemStatus.DEFERRED:
            carry_forward(actor=actor, item=item)
    record(
        actor=actor,
        action="panel_meeting.closed",
        obj=meeting,
        changes={"status": "closed", "items": len(items)},
    )
    return meeting
