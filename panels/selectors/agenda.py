"""The agenda builder: cases due for a panel's decision."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from cases.models import (
    AssessmentRequest,
    Child,
    Placement,
    Plan,
    PlanStatus,
    RequestStatus,
)
from panels.models import (
    AgendaItem,
    ItemKind,
    ItemStatus,
    PanelMeeting,
)
from send_cms.deadlines.calendar import council_calendar
from send_cms.deadlines.models import Deadline
from send_cms.timescales import WorkingCalendar, compute, format_date

#: The agenda builder suggests statutory decisions due within this many days of the meeting.


#: The agenda builder suggests statutory decisions due within this many days of the meeting.
SUGGESTION_HORIZON_DAYS = 21


# --- the agenda builder ---------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A case due for this panel's decision, with why it is suggested."""

    kind: str
    child: Child
    request: AssessmentRequest | None
    plan: Plan | None
    reason: str
    due_on: dt.date | None = None
    deferred_item: AgendaItem | None = None

    @property
    def kind_label(self) -> str:
        return ItemKind(self.kind).label


def _stored_due(subject_ids: list[uuid.UUID], rules: Iterable[str]) -> dict[uuid.UUID, Deadline]:
    """The earliest unmet stored deadline of these rules for each subject."""
    found: dict[uuid.UUID, Deadline] = {}
    rows = Deadline.objects.filter(
        subject_type=AssessmentRequest._meta.label_lower,
        subject_id__in=subject_ids,
        rule__in=list(rules),
        met_on__isnull=True,
    ).order_by("due_on")
    for row in rows:
        found.setdefault(row.subject_id, row)
    return found


def _due(
    request: AssessmentRequest,
    stored: dict[uuid.UUID, Deadline],
    rule: str,
    calendar: WorkingCalendar,
) -> tuple[dt.date, str]:
    row = stored.get(request.pk)
    if row is not None:
        return row.due_on, row.title
    due = compute(rule, request.received_on, calendar)
    return due.due, due.title


def agenda_suggestions(*, meeting: PanelMeeting, today: dt.date | None = None) -> list[Suggestion]:
    """Cases due for this panel: requests within three weeks of their 6-week decision (or past it);
    assessments with all advice in (ready, sorted by their 16-week date); plans awaiting a
    placement; proposed ceasings; and first, deferred items waiting for a meeting."""
    today = today or timezone.localdate()
    horizon = max(today, meeting.held_on) + dt.timedelta(days=SUGGESTION_HORIZON_DAYS)
    open_items = AgendaItem.objects.filter(is_open=True).values_list(
        "kind", "request_id", "plan_id"
    )
    taken = {(k, r or p) for k, r, p in open_items}
    kinds = set(meeting.panel.decision_kinds)
    calendar = council_calendar()
    found: list[Suggestion] = []

    if ItemKind.DECISION_TO_ASSESS in kinds:
        received = list(
            AssessmentRequest.objects.filter(status=RequestStatus.RECEIVED).select_related("child")
        )
        stored = _stored_due([r.pk for r in received], ["decision_to_assess"])
        for request in received:
            if (ItemKind.DECISION_TO_ASSESS, request.pk) in taken:
                continue
            due_on, title = _due(request, stored, "decision_to_assess", calendar)
            if due_on <= horizon:
                found.append(
                    Suggestion(
                        ItemKind.DECISION_TO_ASSESS,
                        request.child,
                        request,
                        None,
                        f"{title}: {format_date(due_on)}",
                        due_on,
                    )
                )

    if ItemKind.ISSUE_DECISION in kinds:
        assessing = list(
            AssessmentRequest.objects.filter(status=RequestStatus.ASSESSING)
            .select_related("child")
            .prefetch_related("advice_requests")
        )
        complete = [
            r
            for r in assessing
            if r.advice_requests.all()
            and not any(a.is_outstanding for a in r.advice_requests.all())
        ]
        stored = _stored_due([r.pk for r in complete], ["decision_not_to_issue", "final_plan"])
        for request in complete:
            if (ItemKind.ISSUE_DECISION, request.pk) in taken:
                continue
            # Ready for the panel as soon as the advice is in, whatever the date.
            due_on, title = _due(request, stored, "decision_not_to_issue", calendar)
            found.append(
                Suggestion(
                    ItemKind.ISSUE_DECISION,
                    request.child,
                    request,
                    None,
                    f"All advice received. {title}: {format_date(due_on)}",
                    due_on,
                )
            )

    if ItemKind.PLACEMENT in kinds:
        plans = Plan.objects.filter(status=PlanStatus.ACTIVE).select_related("child")
        plans = plans.prefetch_related(
            Prefetch("placements", queryset=Placement.objects.filter(ends_on__isnull=True))
        )
        for plan in plans:
            if (ItemKind.PLACEMENT, plan.pk) in taken:
                continue
            current = list(plan.placements.all())
            if not current:
                reason = "No placement recorded on the plan"
            elif any(p.awaiting_placement for p in current):
                reason = "Awaiting placement"
            else:
                continue
            found.append(Suggestion(ItemKind.PLACEMENT, plan.child, None, plan, reason))

    if ItemKind.CEASE in kinds:
        proposed = Plan.objects.filter(
            status=PlanStatus.ACTIVE,
            cease_proposed_on__isnull=False,
            cease_decided_on__isnull=True,
        ).select_related("child")
        for plan in proposed:
            if (ItemKind.CEASE, plan.pk) in taken:
                continue
            proposed_on = plan.cease_proposed_on
            reason = "Ceasing proposed"
            if proposed_on:
                reason += f" on {format_date(proposed_on)}"
            found.append(Suggestion(ItemKind.CEASE, plan.child, None, plan, reason))

    waiting = AgendaItem.objects.filter(
        status=ItemStatus.DEFERRED,
        is_open=False,
        carried_to__isnull=True,
        meeting__panel_id=meeting.panel_id,
    ).select_related("child", "request", "plan", "meeting")
    deferred = []
    for item in waiting:
        if (item.kind, item.request_id or item.plan_id) in taken:
            continue
        times = item.deferral_count + 1
        held_on = format_date(item.meeting.held_on)
        reason = f"Deferred on {held_on} ({times} time{'s' if times > 1 else ''})"
        deferred.append(
            Suggestion(item.kind, item.child, item.request, item.plan, reason, None, item)
        )
    found.sort(key=lambda s: (s.due_on or dt.date.max, s.child.last_name, s.child.first_name))
    return deferred + found
