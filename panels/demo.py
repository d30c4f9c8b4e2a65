"""Demo panels: members for the demo panel users, a closed needs assessment panel whose decisions
reached the cases, the next one with a deferred case back on its agenda, and a provision and
placement panel in session today. Made through the services, after the cases seeder; idempotent
(nothing more is made once demo meetings exist)."""

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from cases.models import Child
from panels.models import ItemKind, Outcome, PanelMeeting, PanelType, ProfessionalRole
from panels.selectors import agenda_suggestions
from panels.services import (
    agenda_item_add,
    decision_record,
    meeting_close,
    meeting_create,
    meeting_start,
    panel_member_save,
)

DEMO_LOCATION = "Council offices, committee room 2"

MEMBERS = {
    "panel": (ProfessionalRole.LA_OFFICER, "SEND service, Demo Borough Council", None),
    "panel2": (ProfessionalRole.EDUCATIONAL_PSYCHOLOGIST, "Educational Psychology Service", None),
    "panel3": (
        ProfessionalRole.HEAD_TEACHER,
        "Oakfield Primary School",
        ["needs-assessment", "provision-and-placement", "cease"],
    ),
}

REASONS = {
    Outcome.AGREE: "The evidence from school and the family shows needs that may require "
    "provision through an EHC plan: the graduated approach has been followed for two terms "
    "without the expected progress.",
    Outcome.DECLINE: "Needs are being met through SEN support. The school's plan has been "
    "reviewed termly and the child is making progress; the SEND district team will offer an "
    "assessment of need and support to the school.",
    Outcome.DEFER: "The panel needs the educational psychologist's consultation notes before "
    "deciding.",
}


def _suggested(meeting: PanelMeeting, kind: str, limit: int) -> list[Any]:
    return [s for s in agenda_suggestions(meeting=meeting) if s.kind == kind][:limit]


def _add(meeting: PanelMeeting, caseworker: Any, suggestion: Any, summary: str) -> Any:
    return agenda_item_add(
        actor=caseworker,
        meeting=meeting,
        kind=suggestion.kind,
        request=suggestion.request,
        plan=suggestion.plan,
        summary=summary,
    )


@transaction.atomic
def seed(*, rng: random.Random, users: dict[str, Any], children: int, stdout: TextIO) -> str:
    panels = {p.slug: p for p in PanelType.objects.all()}
    for username, (role, organisation, slugs) in MEMBERS.items():
        panel_member_save(
            actor=None,
            user=users[username],
            organisation=organisation,
            professional_role=role,
            panel_types=[panels[s] for s in (slugs or panels)],
        )
    if PanelMeeting.objects.filter(location=DEMO_LOCATION).exists():
        return "panels: demo meetings already made"
    if not Child.objects.exists():
        return "panels: members ready; no casework yet to put on agendas"

    today = timezone.localdate()
    chair, caseworker = users["panel"], users["caseworker"]
    members = [users["panel"], users["panel2"], users["panel3"]]
    needs = panels["needs-assessment"]

    # Two weeks ago: a needs assessment panel that met, decided and closed.
    past = meeting_create(
        actor=caseworker,
        panel=needs,
        held_on=today - dt.timedelta(days=14),
        chair=chair,
        members=members,
        location=DEMO_LOCATION,
    )
    due = [
        s
        for s in agenda_suggestions(meeting=past)
        if s.kind == ItemKind.DECISION_TO_ASSESS
        and s.request is not None
        and s.request.received_on <= past.held_on
    ][:4]
    items = [
        _add(past, caseworker, s, "Request from the family with the school's SEN support plan.")
        for s in due
    ]
    meeting_start(actor=chair, meeting=past)
    outcomes = [Outcome.AGREE, Outcome.DECLINE, Outcome.AGREE, Outcome.DEFER]
    for item, outcome in zip(items, outcomes, strict=False):
        decision_record(actor=chair, item=item, outcome=outcome, reasons=REASONS[outcome])
    # The next needs assessment panel, planned for next week, takes the deferred case.
    upcoming = meeting_create(
        actor=caseworker,
        panel=needs,
        held_on=today + dt.timedelta(days=7),
        chair=chair,
        members=members,
        location=DEMO_LOCATION,
    )
    meeting_close(actor=chair, meeting=past)
    for suggestion in _suggested(upcoming, ItemKind.DECISION_TO_ASSESS, 2):
        _add(
            upcoming,
            caseworker,
            suggestion,
            "Request from the school, with two terms of SEN support.",
        )

    # Today: the provision and placement panel, in session.
    provision = meeting_create(
        actor=caseworker,
        panel=panels["provision-and-placement"],
        held_on=today,
        chair=chair,
        members=members,
        location=DEMO_LOCATION,
    )
    for suggestion in _suggested(provision, ItemKind.ISSUE_DECISION, 2):
        _add(provision, caseworker, suggestion, "All advice received: the EP recommends a plan.")
    for suggestion in _suggested(provision, ItemKind.PLACEMENT, 2):
        _add(
            provision,
            caseworker,
            suggestion,
            "The family and school ask for a mainstream place with band 2 support.",
        )
    meeting_start(actor=chair, meeting=provision)
    count = PanelMeeting.objects.filter(location=DEMO_LOCATION).count()
    return f"panels: {count} meetings, {len(items)} decisions sent to cases"
