"""Reads of panels, bands, meetings, items and decisions, scoped to the user."""

import datetime as dt
import uuid
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from cases.models import AssessmentRequest, Plan
from panels.models import (
    AgendaItem,
    Decision,
    Declaration,
    FundingBand,
    MeetingMember,
    MeetingStatus,
    PanelMeeting,
    PanelType,
)
from panels.rules import sees_every_meeting
from send_cms.accounts.actor import Actor, account_of

#: The agenda builder suggests statutory decisions due within this many days of the meeting.


# --- panels and bands -----------------------------------------------------------------------


def panel_list() -> QuerySet[PanelType]:
    return PanelType.objects.order_by("name")


def band_list(*, kind: str | None = None, on: dt.date | None = None) -> QuerySet[FundingBand]:
    bands = FundingBand.objects.order_by("kind", "code", "-effective_from")
    if kind:
        bands = bands.filter(kind=kind)
    if on is not None:
        bands = bands.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )
    return bands


def band_on(*, kind: str, code: str, day: dt.date) -> FundingBand | None:
    """The band's row in force on `day` for this kind of setting, if any."""
    return band_list(kind=kind, on=day).filter(code=code).first()


def band_overlapping(band: FundingBand) -> FundingBand | None:
    """Another period of the same kind and code that shares at least one day with this one."""
    others = FundingBand.objects.filter(kind=band.kind, code=band.code).exclude(pk=band.pk)
    others = others.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=band.effective_from))
    if band.effective_to is not None:
        others = others.filter(effective_from__lte=band.effective_to)
    return others.order_by("effective_from").first()


# --- meetings and items ---------------------------------------------------------------------


def _memberships() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=MeetingMember.objects.select_related("user__panel_membership"),
    )


def _current_decisions() -> Prefetch[Any]:
    return Prefetch(
        "decisions",
        queryset=Decision.objects.filter(is_current=True)
        .select_related("establishment", "band", "recorded_by")
        .prefetch_related("dissenters"),
        to_attr="current_decisions",
    )


def _item_queryset() -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.select_related("child", "request", "plan", "proposed_establishment")
        .prefetch_related(
            _current_decisions(),
            Prefetch("declarations", queryset=Declaration.objects.select_related("member")),
        )
        .order_by("position")
    )


def _scope_meetings(meetings: QuerySet[PanelMeeting], user: Actor) -> QuerySet[PanelMeeting]:
    if sees_every_meeting(user):
        return meetings
    return meetings.filter(memberships__user=account_of(user))


def meeting_list(
    *,
    user: Actor,
    status: str | None = None,
    panel: PanelType | None = None,
    upcoming: bool | None = None,
    with_items: bool = False,
) -> QuerySet[PanelMeeting]:
    """Meetings the user may see, with members (and items) loaded in a fixed number of queries."""
    meetings = _scope_meetings(
        PanelMeeting.objects.select_related("panel", "chair").prefetch_related(_memberships()),
        user,
    ).annotate(item_count=Count("items", distinct=True))
    meetings = meetings.order_by("-held_on", "panel__name")  # GROUP BY drops Meta.ordering
    if status:
        meetings = meetings.filter(status=status)
    if panel is not None:
        meetings = meetings.filter(panel=panel)
    if upcoming is True:
        meetings = meetings.exclude(status=MeetingStatus.CLOSED).order_by("held_on", "panel__name")
    elif upcoming is False:
        meetings = meetings.filter(status=MeetingStatus.CLOSED).order_by("-held_on", "panel__name")
    if with_items:
        meetings = meetings.prefetch_related(Prefetch("items", queryset=_item_queryset()))
    return meetings


def meeting_get(*, user: Actor, pk: uuid.UUID | str) -> PanelMeeting:
    try:
        return meeting_list(user=user, with_items=True).get(pk=pk)
    except (PanelMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting") from None


def item_list(*, user: Actor) -> QuerySet[AgendaItem]:
    items = _item_queryset().select_related("meeting__panel", "meeting__chair")
    items = items.prefetch_related(
        Prefetch("meeting__memberships", queryset=_memberships().queryset)
    )
    if not sees_every_meeting(user):
        items = items.filter(meeting__memberships__user=account_of(user))
    return items.order_by("-meeting__held_on", "position")


def item_get(*, user: Actor, pk: uuid.UUID | str) -> AgendaItem:
    try:
        return item_list(user=user).get(pk=pk)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such item") from None


def current_decision(item: AgendaItem) -> Decision | None:
    loaded = getattr(item, "current_decisions", None)
    if loaded is not None:
        return loaded[0] if loaded else None
    return item.decisions.filter(is_current=True).first()


def decision_history(item: AgendaItem) -> QuerySet[Decision]:
    """Every decision recorded on the item, newest first (the current one and those it replaced)."""
    return (
        item.decisions.select_related("recorded_by", "establishment", "band")
        .prefetch_related("dissenters")
        .order_by("-created_at")
    )


def decision_get(*, user: Actor, pk: uuid.UUID | str) -> Decision:
    items = item_list(user=user)
    try:
        return (
            Decision.objects.select_related(
                "item__meeting__panel",
                "item__child",
                "item__request",
                "item__plan",
                "establishment",
                "band",
                "recorded_by",
            )
            .filter(item__in=items.values("pk"))
            .get(pk=pk)
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such decision") from None


def decision_list(
    *,
    user: Actor,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    panel: PanelType | None = None,
    kind: str | None = None,
    outcome: str | None = None,
) -> QuerySet[Decision]:
    """Current decisions of closed meetings (the record), newest meeting first."""
    decisions = Decision.objects.filter(
        is_current=True, item__meeting__status=MeetingStatus.CLOSED
    ).select_related("item__meeting__panel", "item__child", "establishment", "band", "recorded_by")
    if not sees_every_meeting(user):
        decisions = decisions.filter(item__meeting__memberships__user=account_of(user))
    if date_from is not None:
        decisions = decisions.filter(item__meeting__held_on__gte=date_from)
    if date_to is not None:
        decisions = decisions.filter(item__meeting__held_on__lte=date_to)
    if panel is not None:
        decisions = decisions.filter(item__meeting__panel=panel)
    if kind:
        decisions = decisions.filter(item__kind=kind)
    if outcome:
        decisions = decisions.filter(outcome=outcome)
    return decisions.order_by("-item__meeting__held_on", "item__position")


# --- carrying items forward ---------------------------------------------------------------


def item_open_for(
    kind: str, request: AssessmentRequest | None, plan: Plan | None
) -> AgendaItem | None:
    """The item still open for this decision on the request or plan, on any agenda."""
    items = AgendaItem.objects.select_related("meeting__panel").filter(kind=kind, is_open=True)
    if request is not None:
        return items.filter(request=request).first()
    return items.filter(plan=plan).first()


def meeting_next_for(item: AgendaItem) -> PanelMeeting | None:
    """The next planned meeting of the same panel on or after the deferring meeting's date."""
    return (
        PanelMeeting.objects.filter(
            panel_id=item.meeting.panel_id,
            status=MeetingStatus.PLANNED,
            held_on__gte=item.meeting.held_on,
        )
        .exclude(pk=item.meeting_id)
        .order_by("held_on", "created_at")
        .first()
    )
