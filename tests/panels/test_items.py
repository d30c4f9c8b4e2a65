"""Adding items to an agenda, and the agenda builder's suggestions of cases that are due."""

import datetime as dt
import uuid

import pytest

from cases.models import TimelineEntry
from panels.models import AgendaItem, ItemKind, MeetingStatus
from panels.selectors import agenda_suggestions
from panels.services import (
    ALREADY_ON_AGENDA,
    KIND_NOT_TAKEN,
    REQUEST_NOT_AWAITING_DECISION,
    REQUEST_REQUIRED,
    agenda_item_add,
)
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.deadlines.models import Deadline
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


def test_a_caseworker_adds_an_item_and_the_case_timeline_shows_it(caseworker) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"), status=MeetingStatus.PLANNED)
    request = f.assessment_request()
    item = agenda_item_add(
        actor=caseworker,
        meeting=meeting,
        kind=ItemKind.DECISION_TO_ASSESS,
        request=request,
        summary="School reports escalating needs.",
    )
    assert (item.child, item.position, item.is_open) == (request.child, 1, True)
    entry = TimelineEntry.objects.get(child=request.child, event="panel.item_added")
    assert entry.title == "Added to the agenda of the Needs assessment panel on 2 Mar 2026"
    assert entry.detail == "School reports escalating needs."


def test_adding_the_same_case_twice_is_refused(caseworker) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"), status=MeetingStatus.PLANNED)
    request = f.assessment_request()
    agenda_item_add(
        actor=caseworker, meeting=meeting, kind=ItemKind.DECISION_TO_ASSESS, request=request
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        agenda_item_add(
            actor=caseworker, meeting=meeting, kind=ItemKind.DECISION_TO_ASSESS, request=request
        )
    assert refused.value.message == ALREADY_ON_AGENDA.format(meeting=meeting)
    assert AgendaItem.objects.count() == 1


def test_the_api_adds_items_with_field_keyed_errors_and_409s(caseworker_api, panel_member_api):
    meeting = f.meeting(f.panel_type("needs-assessment"), status=MeetingStatus.PLANNED)
    url = f"/api/v1/panel-meetings/{meeting.pk}/items/"
    request = f.assessment_request()
    body = {"kind": "decision_to_assess", "request": str(request.pk), "summary": "Due soon"}
    assert panel_member_api.post(url, body).status_code == 403
    created = caseworker_api.post(url, body)
    assert created.status_code == 201
    data = created.json()
    assert {k: data[k] for k in ("kind", "request", "plan", "summary", "status", "decision")} == {
        "kind": "decision_to_assess",
        "request": str(request.pk),
        "plan": None,
        "summary": "Due soon",
        "status": "pending",
        "decision": None,
    }
    retried = caseworker_api.post(url, body)
    assert retried.status_code == 409
    assert retried.json() == {"detail": ALREADY_ON_AGENDA.format(meeting=meeting)}

    wrong_kind = caseworker_api.post(url, {"kind": "placement", "plan": str(f.plan().pk)})
    assert wrong_kind.status_code == 400
    assert wrong_kind.json() == {
        "kind": [
            KIND_NOT_TAKEN.format(panel="Needs assessment panel", kind="placement and funding band")
        ]
    }
    no_subject = caseworker_api.post(url, {"kind": "decision_to_assess"})
    assert no_subject.json() == {"request": [REQUEST_REQUIRED]}
    decided = f.assessing_request()
    wrong_state = caseworker_api.post(
        url, {"kind": "decision_to_assess", "request": str(decided.pk)}
    )
    assert wrong_state.status_code == 409
    assert wrong_state.json() == {"detail": REQUEST_NOT_AWAITING_DECISION}
    missing = caseworker_api.post(url, {"kind": "decision_to_assess", "request": str(uuid.uuid4())})
    assert missing.status_code == 400
    assert list(missing.json()) == ["request"]


def test_the_agenda_builder_suggests_cases_due_using_the_deadline_table() -> None:
    needs = f.meeting(f.panel_type("needs-assessment"), status=MeetingStatus.PLANNED)
    due_soon = f.assessment_request(received_on=dt.date(2026, 1, 26))  # 6 weeks: 9 Mar 2026
    far_off = f.assessment_request(received_on=dt.date(2026, 2, 27))  # 6 weeks: 10 Apr 2026
    stored = f.assessment_request(received_on=dt.date(2026, 2, 27))
    Deadline.objects.create(
        child_id=stored.child_id,
        subject_type="cases.assessmentrequest",
        subject_id=stored.pk,
        rule="decision_to_assess",
        title="Decision to assess due",
        regulation="SEND Regulations 2014, regulation 5",
        trigger_on=stored.received_on,
        due_on=dt.date(2026, 3, 13),  # a stored date wins over the computed one
        practical_target_on=dt.date(2026, 3, 13),
        status="upcoming",
        explanation="6 weeks from the request.",
    )
    suggestions = agenda_suggestions(meeting=needs)
    assert [(s.request, s.due_on) for s in suggestions] == [
        (due_soon, dt.date(2026, 3, 9)),
        (stored, dt.date(2026, 3, 13)),
    ]
    assert far_off not in [s.request for s in suggestions]
    assert suggestions[1].reason == "Decision to assess due: 13 Mar 2026"

    placement_panel = f.meeting(status=MeetingStatus.PLANNED)
    awaiting = f.placement(establishment=None, starts_on=None, awaiting_placement=True).plan
    placed = f.placement().plan
    complete = f.assessing_request()
    kinds = {(s.kind, s.plan or s.request) for s in agenda_suggestions(meeting=placement_panel)}
    assert (ItemKind.PLACEMENT, awaiting) in kinds
    assert (ItemKind.ISSUE_DECISION, complete) in kinds
    assert (ItemKind.PLACEMENT, placed) not in kinds
    f.item(placement_panel, ItemKind.PLACEMENT, plan=awaiting)
    kinds = {(s.kind, s.plan or s.request) for s in agenda_suggestions(meeting=placement_panel)}
    assert (ItemKind.PLACEMENT, awaiting) not in kinds
