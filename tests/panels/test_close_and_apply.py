"""Closing a meeting sends each decision into its case through cases.services, exactly once;
deferred items return to the next agenda; a closed meeting's record cannot be edited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cases.models import Placement, RequestStatus, TimelineEntry
from panels.models import AgendaItem, Decision, ItemKind, ItemStatus, MeetingStatus, Outcome
from panels.services import (
    CASE_REFUSED,
    CLOSED_SAME_OUTCOME_ONLY,
    ITEMS_UNDECIDED,
    MEETING_CLOSED,
    ONLY_CHAIR_RUNS,
    agenda_item_add,
    apply_decision,
    decision_record,
    meeting_close,
    meeting_create,
)
from send_cms.common.exceptions import TransitionNotAllowed
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


def test_agree_to_assess_and_decline_reach_the_case_once_with_reasons() -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"))
    wanted, refused = f.assessment_request(), f.assessment_request()
    agree = f.item(meeting, ItemKind.DECISION_TO_ASSESS, request=wanted)
    decline = f.item(meeting, ItemKind.DECISION_TO_ASSESS, request=refused)
    decision_record(
        actor=meeting.chair, item=agree, outcome=Outcome.AGREE, reasons="Evidence of SEMH needs"
    )
    refusal, _ = decision_record(
        actor=meeting.chair,
        item=decline,
        outcome=Outcome.DECLINE,
        reasons="Needs are being met at SEN support",
    )
    meeting_close(actor=meeting.chair, meeting=meeting)

    wanted.refresh_from_db()
    refused.refresh_from_db()
    assert (wanted.status, wanted.decision) == (RequestStatus.ASSESSING, "assess")
    assert wanted.decided_on == meeting.held_on
    assert refused.decision == "not_assess"
    assert refused.decision_reasons == "Needs are being met at SEN support"
    entry = TimelineEntry.objects.get(child=decline.child, event="panel.decision")
    assert entry.title == "Panel decided not to assess"
    assert "Reasons: Needs are being met at SEN support" in entry.detail
    refusal.refresh_from_db()
    assert refusal.applied_at is not None
    assert refusal.letter_dated_on == dt.date(2026, 3, 2)

    # Retrying the close, or applying again, records nothing more.
    with pytest.raises(TransitionNotAllowed):
        meeting_close(actor=meeting.chair, meeting=meeting)
    apply_decision(actor=meeting.chair, decision=refusal)
    assert TimelineEntry.objects.filter(child=decline.child, event="panel.decision").count() == 1


def test_an_approved_placement_creates_one_placement_with_band_and_cost() -> None:
    meeting = f.meeting()
    school = f.establishment(name="Oak Primary School")
    item = f.item(meeting, ItemKind.PLACEMENT, proposed_establishment=school)
    decision, _ = decision_record(
        actor=meeting.chair,
        item=item,
        outcome=Outcome.AGREE,
        reasons="Band 2 meets the needs",
        band="M2",
        starts_on=dt.date(2026, 3, 9),
    )
    decision_record(  # a retried request
        actor=meeting.chair,
        item=item,
        outcome=Outcome.AGREE,
        reasons="Band 2 meets the needs",
        band="M2",
        starts_on=dt.date(2026, 3, 9),
    )
    meeting_close(actor=meeting.chair, meeting=meeting)
    placement = Placement.objects.get(plan=item.plan)
    assert placement.establishment == school
    assert (placement.band, placement.annual_cost) == ("M2", Decimal("3100.00"))
    assert placement.starts_on == dt.date(2026, 3, 9)
    decision.refresh_from_db()
    assert decision.placement == placement
    apply_decision(actor=meeting.chair, decision=decision)
    assert Placement.objects.filter(plan=item.plan).count() == 1
    titles = list(
        TimelineEntry.objects.filter(child=item.child, event="panel.decision").values_list(
            "title", flat=True
        )
    )
    assert titles == [f"Panel approved the placement at {school}, band M2, £3,100.00 a year"]


def test_agree_to_issue_and_cease_go_through_the_cases_services() -> None:
    meeting = f.meeting()
    request = f.assessing_request()
    issue = f.item(meeting, ItemKind.ISSUE_DECISION, request=request)
    decision_record(actor=meeting.chair, item=issue, outcome=Outcome.AGREE, reasons="Plan needed")
    meeting_close(actor=meeting.chair, meeting=meeting)
    request.refresh_from_db()
    assert (request.issue_decision, request.status) == ("issue", RequestStatus.ISSUING)

    cease_panel = f.panel_type("cease")
    cease_meeting = f.meeting(cease_panel, members=f.quorate_members(cease_panel, meeting.chair))
    plan = f.plan()
    cease = f.item(cease_meeting, ItemKind.CEASE, plan=plan)
    decision_record(
        actor=cease_meeting.chair, item=cease, outcome=Outcome.AGREE, reasons="Needs met"
    )
    meeting_close(actor=cease_meeting.chair, meeting=cease_meeting)
    plan.refresh_from_db()
    assert plan.cease_proposed_on == cease_meeting.held_on


def test_the_meeting_cannot_close_with_undecided_items_or_by_another_member() -> None:
    meeting = f.meeting()
    f.item(meeting)
    ep = meeting.memberships.get(user__username="ep").user
    with pytest.raises(PermissionDenied) as not_chair:
        meeting_close(actor=ep, meeting=meeting)
    assert str(not_chair.value) == ONLY_CHAIR_RUNS
    with pytest.raises(TransitionNotAllowed) as refused:
        meeting_close(actor=meeting.chair, meeting=meeting)
    assert refused.value.message == ITEMS_UNDECIDED.format(count=1)


def test_a_closed_meeting_cannot_be_edited_only_superseded_with_the_same_outcome() -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"))
    request = f.assessment_request()
    item = f.item(meeting, ItemKind.DECISION_TO_ASSESS, request=request)
    first, _ = decision_record(
        actor=meeting.chair, item=item, outcome=Outcome.DECLINE, reasons="Needs met at SEN support"
    )
    meeting_close(actor=meeting.chair, meeting=meeting)
    with pytest.raises(TransitionNotAllowed) as changed:
        decision_record(
            actor=meeting.chair, item=item, outcome=Outcome.AGREE, reasons="On reflection"
        )
    assert changed.value.message == CLOSED_SAME_OUTCOME_ONLY
    with pytest.raises(TransitionNotAllowed) as adding:
        agenda_item_add(
            actor=meeting.chair,
            meeting=meeting,
            kind=ItemKind.DECISION_TO_ASSESS,
            request=f.assessment_request(),
        )
    assert adding.value.message == MEETING_CLOSED

    corrected, created = decision_record(
        actor=meeting.chair,
        item=item,
        outcome=Outcome.DECLINE,
        reasons="Needs are met at SEN support; the school's plan is working",
    )
    assert created
    assert corrected.supersedes == first
    first.refresh_from_db()
    assert not first.is_current
    assert corrected.applied_at is not None
    request.refresh_from_db()
    assert request.decision_reasons == "Needs met at SEN support"  # the case is not re-decided
    assert (
        TimelineEntry.objects.filter(child=item.child, event="panel.decision_amended").count() == 1
    )
    # The database keeps one current decision per item.
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            item=item, outcome=Outcome.DECLINE, reasons="x", recorded_by=meeting.chair
        )


def test_a_deferred_item_returns_to_the_next_agenda_and_counts_its_deferrals() -> None:
    first = f.meeting(f.panel_type("needs-assessment"))
    request = f.assessment_request()
    item = f.item(first, ItemKind.DECISION_TO_ASSESS, request=request)
    decision_record(actor=first.chair, item=item, outcome=Outcome.DEFER, reasons="Need EP view")
    later = meeting_create(
        actor=None,
        panel=first.panel,
        held_on=dt.date(2026, 3, 16),
        chair=first.chair,
        members=[m.user for m in first.memberships.all()],
    )
    meeting_close(actor=first.chair, meeting=first)
    item.refresh_from_db()
    carried = AgendaItem.objects.get(carried_from=item)
    assert carried.meeting == later
    assert (carried.status, carried.deferral_count, carried.is_open) == (
        ItemStatus.PENDING,
        1,
        True,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED
    assert TimelineEntry.objects.get(child=item.child, event="panel.decision").title == (
        "Panel deferred the decision to assess"
    )


def test_a_deferred_item_waits_for_the_next_meeting_created() -> None:
    first = f.meeting(f.panel_type("needs-assessment"))
    item = f.item(first, ItemKind.DECISION_TO_ASSESS)
    decision_record(actor=first.chair, item=item, outcome=Outcome.DEFER, reasons="Need EP view")
    meeting_close(actor=first.chair, meeting=first)
    assert not AgendaItem.objects.filter(carried_from=item).exists()
    later = meeting_create(
        actor=None,
        panel=first.panel,
        held_on=dt.date(2026, 3, 30),
        chair=first.chair,
        members=[m.user for m in first.memberships.all()],
    )
    assert later.items.get().carried_from == item
    assert later.status == MeetingStatus.PLANNED


def test_a_case_that_moved_on_stops_the_close_with_a_clear_409(caseworker_api) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"))
    request = f.assessment_request(child__first_name="Robin", child__last_name="Hale")
    item = f.item(meeting, ItemKind.DECISION_TO_ASSESS, request=request)
    decision_record(actor=meeting.chair, item=item, outcome=Outcome.DECLINE, reasons="Met")
    # Meanwhile the request was withdrawn on the case.
    request.status = RequestStatus.WITHDRAWN
    request.withdrawn_on = dt.date(2026, 2, 27)
    request.save()
    with pytest.raises(TransitionNotAllowed) as refused:
        meeting_close(actor=meeting.chair, meeting=meeting)
    prefix, _ = CASE_REFUSED.format(child=request.child, why="|").split("|")
    assert refused.value.message.startswith(prefix)
    assert refused.value.message != prefix + ")"  # the cases app says why
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_SESSION
    assert not Decision.objects.filter(applied_at__isnull=False).exists()
