"""The case chronology for the tribunal bundle: every dated event on one child's case, in order.

Sources, each event saying which it came from:
- the case timeline (every step any app recorded, with who recorded it);
- the dated records themselves, for a request or plan whose first day (received, issued) has
  no casework row on the timeline (history imported from an older system): request received,
  decisions, advice, draft and final plan, withdrawal, ceasing;
- document references: every issued version of the EHC plan, mediation certificates, and the
  tribunal's appeal references;
- deadlines: mediation, appeal, order and recommendation deadlines computed live, tribunal
  directions, and every other app's stored deadlines for the child (assessment, reviews).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cases.models import AssessmentRequest, Child, Plan, PlanVersion, TimelineEntry
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record
from send_cms.deadlines.models import Deadline
from send_cms.timescales import DeadlineStatus, deadline_status, format_date
from tribunals.deadlines import appeal_deadline_rows, mediation_deadline_rows
from tribunals.selectors import appeal_list, mediation_list

TIMELINE = "Case timeline"
RECORD = "Case record"
DOCUMENT = "Document"
DEADLINE = "Deadline"
#: Events this app writes on the timeline (they are about appeals, not the request or plan).
OWN_EVENTS = ("appeal.", "order.", "mediation.")
_SOURCE_ORDER = {RECORD: 0, TIMELINE: 0, DOCUMENT: 1, DEADLINE: 2}


@dataclass(frozen=True)
class ChronologyEvent:
    on: dt.date
    title: str
    detail: str
    source: str
    recorded_by: str = ""


@dataclass(frozen=True)
class Chronology:
    child: Child
    events: list[ChronologyEvent]
    generated_on: dt.date


def _request_events(request: AssessmentRequest) -> list[ChronologyEvent]:
    dated = [
        (
            request.received_on,
            "Request for an EHC needs assessment received",
            request.get_source_display(),
        ),
        (
            request.decided_on,
            f"Decision: {request.get_decision_display().lower()}",
            request.decision_reasons,
        ),
        (
            request.issue_decided_on,
            f"Decision: {request.get_issue_decision_display().lower()}",
            request.issue_decision_reasons,
        ),
        (request.draft_issued_on, "Draft EHC plan issued", ""),
        (request.final_issued_on, "Final EHC plan issued", ""),
        (request.withdrawn_on, "Request withdrawn", request.withdrawal_reason),
    ]
    events = [ChronologyEvent(on, title, detail, RECORD) for on, title, detail in dated if on]
    for advice in request.advice_requests.all():
        label = advice.get_kind_display()
        events.append(
            ChronologyEvent(
                advice.requested_on, f"{label} advice requested", advice.provider, RECORD
            )
        )
        if advice.received_on:
            events.append(
                ChronologyEvent(
                    advice.received_on, f"{label} advice received", advice.provider, RECORD
                )
            )
    return events


def _plan_events(plan: Plan) -> list[ChronologyEvent]:
    dated = [
        (plan.issued_on, "EHC plan issued", f"Primary need: {plan.get_primary_need_display()}"),
        (plan.cease_proposed_on, "Proposal to cease the plan", ""),
        (plan.cease_decided_on, "Decision to cease the plan", ""),
        (
            plan.ceased_on,
            "Plan ceased",
            plan.get_cease_reason_display() if plan.cease_reason else "",
        ),
    ]
    return [ChronologyEvent(on, title, detail or "", RECORD) for on, title, detail in dated if on]


def _deadline_event(
    title: str, due: dt.date, status: str, met_on: dt.date | None, explanation: str
) -> ChronologyEvent:
    state = DeadlineStatus(status).label
    if met_on is not None:
        state += f" (met on {format_date(met_on)})"
    return ChronologyEvent(due, f"Due: {title}", f"{state}. {explanation}", DEADLINE)


def chronology_for(*, user: Actor, child: Child, today: dt.date | None = None) -> Chronology:
    """Every dated event on the child's case, oldest first. Reading it is audited."""
    today = today or timezone.localdate()
    events: list[ChronologyEvent] = []
    timeline = list(TimelineEntry.objects.filter(child=child).order_by("occurred_on", "id"))
    for entry in timeline:
        events.append(
            ChronologyEvent(
                entry.occurred_on, entry.title, entry.detail, TIMELINE, entry.recorded_by_name
            )
        )
    # A record is told by the timeline when a casework row marks its first day (the request
    # received, the plan issued); this app's own rows on a request or plan do not count.
    casework = [e for e in timeline if not e.event.startswith(OWN_EVENTS)]
    told_requests = {(e.request_id, e.occurred_on) for e in casework if e.request_id}
    told_plans = {(e.plan_id, e.occurred_on) for e in casework if e.plan_id} | {
        (e.request_id, e.occurred_on) for e in casework if e.request_id
    }

    requests = AssessmentRequest.objects.filter(child=child).prefetch_related("advice_requests")
    for request in requests:
        if (request.pk, request.received_on) not in told_requests:
            events.extend(_request_events(request))
    plans = list(Plan.objects.filter(child=child))
    for plan in plans:
        if not {(plan.pk, plan.issued_on), (plan.request_id, plan.issued_on)} & told_plans:
            events.extend(_plan_events(plan))
    for version in PlanVersion.objects.filter(plan__child=child).order_by("plan", "number"):
        events.append(
            ChronologyEvent(
                version.issued_on,
                f"EHC plan version {version.number} ({version.get_kind_display().lower()})",
                version.changes,
                DOCUMENT,
            )
        )

    for mediation in mediation_list(user=user, child=child.pk):
        if mediation.certificate_issued_on:
            events.append(
                ChronologyEvent(
                    mediation.certificate_issued_on,
                    "Mediation certificate",
                    mediation.get_certificate_kind_display(),
                    DOCUMENT,
                )
            )
        for row in mediation_deadline_rows(mediation, today=today):
            if row.due is not None:  # always: a tribunal step is listed once it has started
                events.append(
                    _deadline_event(row.title, row.due, row.status, row.met_on, row.explanation)
                )
    for appeal in appeal_list(user=user, child=child.pk):
        if appeal.tribunal_reference:
            events.append(
                ChronologyEvent(
                    appeal.received_by_la_on,
                    f"Tribunal appeal reference {appeal.tribunal_reference}",
                    appeal.get_appeal_type_display(),
                    DOCUMENT,
                )
            )
        for row in appeal_deadline_rows(appeal, today=today):
            title = f"{row.subject_label}: {row.title}" if row.subject_label else row.title
            if row.due is not None:  # always: a tribunal step is listed once it has started
                events.append(
                    _deadline_event(title, row.due, row.status, row.met_on, row.explanation)
                )
        for direction in appeal.directions.all():
            status = deadline_status(
                due=direction.due_on, met_on=direction.complied_on, today=today
            )
            events.append(
                _deadline_event(
                    "Tribunal direction",
                    direction.due_on,
                    status,
                    direction.complied_on,
                    direction.description,
                )
            )
    stored = Deadline.objects.filter(child_id=child.pk).exclude(
        subject_type__startswith="tribunals."
    )
    for deadline in stored.order_by("due_on"):
        events.append(
            _deadline_event(
                deadline.title,
                deadline.due_on,
                deadline.status,
                deadline.met_on,
                deadline.explanation,
            )
        )

    events.sort(key=lambda e: (e.on, _SOURCE_ORDER[e.source]))
    record(
        actor=user,
        action="child.viewed",
        obj=child,
        child_id=child.pk,
        changes={"view": "chronology"},
    )
    return Chronology(child=child, events=events, generated_on=today)
