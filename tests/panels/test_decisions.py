"""Recording decisions: who may, quorum, conflicts, reasons, placements and bands, history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from panels.models import Decision, ItemKind, ItemStatus, MeetingStatus, Outcome, ProfessionalRole
from panels.services import (
    BAND_NOT_FOUND,
    BAND_OR_COST_REQUIRED,
    CONFLICT_CANNOT_DECIDE,
    COST_ABOVE_THRESHOLD,
    COST_REASON_REQUIRED,
    INQUORATE,
    MEETING_NOT_STARTED,
    ONLY_MEMBERS_PRESENT_DECIDE,
    REASONS_REQUIRED,
    decision_record,
    declaration_add,
    meeting_attendance_set,
)
from send_cms.audit.models import AuditEvent
from send_cms.common.exceptions import TransitionNotAllowed
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting():
    """A provision and placement panel in session, three members present (LA officer, EP,
    head teacher), with a placement item for a mainstream school."""
    meeting = f.meeting()
    school = f.establishment(name="Oak Primary School", kind="mainstream")
    item = f.item(meeting, ItemKind.PLACEMENT, proposed_establishment=school)
    return meeting, item, school


def members(meeting):
    return {m.user.username: m.user for m in meeting.memberships.select_related("user")}


def test_reasons_are_required(sitting) -> None:
    meeting, item, _ = sitting
    chair = meeting.chair
    with pytest.raises(ValidationError) as refused:
        decision_record(actor=chair, item=item, outcome=Outcome.DECLINE, reasons="  ")
    assert refused.value.message_dict == {"reasons": [REASONS_REQUIRED]}
    assert not Decision.objects.exists()


def test_an_inquorate_meeting_cannot_decide(sitting) -> None:
    meeting, item, _ = sitting
    people = members(meeting)
    meeting_attendance_set(actor=None, meeting=meeting, present=[people["chair"], people["head"]])
    with pytest.raises(TransitionNotAllowed) as refused:
        decision_record(actor=meeting.chair, item=item, outcome=Outcome.DEFER, reasons="Later")
    assert refused.value.message == INQUORATE.format(
        detail="2 of the 3 members needed are present; no educational psychologist is present"
    )
    assert not Decision.objects.exists()


def test_quorum_needs_every_required_role_even_with_enough_members(sitting) -> None:
    meeting, item, _ = sitting
    people = members(meeting)
    senco = f.panel_user("senco", ProfessionalRole.SENCO, [meeting.panel])
    meeting_attendance_set(
        actor=None, meeting=meeting, present=[people["chair"], people["head"], senco]
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        decision_record(actor=meeting.chair, item=item, outcome=Outcome.DEFER, reasons="Later")
    assert "no educational psychologist is present" in refused.value.message


def test_a_member_with_a_conflict_cannot_decide_and_does_not_count(sitting) -> None:
    meeting, item, _ = sitting
    people = members(meeting)
    declaration_add(
        actor=people["head"], item=item, member=people["head"], interest="Head of Oak Primary"
    )
    item.refresh_from_db()
    with pytest.raises(PermissionDenied) as refused:
        decision_record(actor=people["head"], item=item, outcome=Outcome.DEFER, reasons="Later")
    assert str(refused.value) == CONFLICT_CANNOT_DECIDE
    # The other two are not enough on their own: the conflicted member sits out of the quorum.
    with pytest.raises(TransitionNotAllowed) as inquorate:
        decision_record(actor=meeting.chair, item=item, outcome=Outcome.DEFER, reasons="Later")
    assert "2 of the 3 members needed are present" in inquorate.value.message


def test_only_a_member_present_may_decide(sitting, make_user) -> None:
    meeting, item, _ = sitting
    people = members(meeting)
    outsider = f.panel_user("outsider", ProfessionalRole.HEALTH, [meeting.panel])
    caseworker = make_user("cw", "caseworker")
    for actor in (outsider, caseworker):
        with pytest.raises(PermissionDenied) as refused:
            decision_record(actor=actor, item=item, outcome=Outcome.DEFER, reasons="Later")
        assert str(refused.value) == ONLY_MEMBERS_PRESENT_DECIDE
    extra = f.panel_user("extra", ProfessionalRole.HEALTH, [meeting.panel])
    meeting_attendance_set(actor=None, meeting=meeting, present=[*people.values(), extra])
    meeting_attendance_set(actor=None, meeting=meeting, present=[*people.values()])
    with pytest.raises(PermissionDenied):  # invited, but marked absent
        decision_record(actor=extra, item=item, outcome=Outcome.DEFER, reasons="Later")


def test_a_planned_meeting_cannot_decide_yet() -> None:
    meeting = f.meeting(status=MeetingStatus.PLANNED)
    item = f.item(meeting, ItemKind.ISSUE_DECISION, request=f.assessing_request())
    with pytest.raises(TransitionNotAllowed) as refused:
        decision_record(actor=meeting.chair, item=item, outcome=Outcome.AGREE, reasons="Needs met")
    assert refused.value.message == MEETING_NOT_STARTED


def test_an_approved_placement_costs_the_band_value_on_the_start_date(sitting, admin_user) -> None:
    meeting, item, school = sitting
    from panels.services import funding_band_create

    funding_band_create(
        actor=admin_user,
        kind="mainstream",
        code="M2",
        name="Mainstream band 2",
        annual_value=Decimal("3255.00"),
        effective_from=dt.date(2026, 4, 1),
    )
    decision, created = decision_record(
        actor=meeting.chair,
        item=item,
        outcome=Outcome.AGREE,
        reasons="Needs can be met with band 2 support.",
        band="M2",
        starts_on=dt.date(2026, 4, 20),
    )
    assert created
    assert decision.establishment == school
    assert (decision.band_code, decision.annual_cost) == ("M2", Decimal("3255.00"))
    assert decision.starts_on == dt.date(2026, 4, 20)
    item.refresh_from_db()
    assert item.status == ItemStatus.DECIDED
    # The same band before the uplift is the 2023/24 value.
    again, _ = decision_record(
        actor=meeting.chair,
        item=item,
        outcome=Outcome.AGREE,
        reasons="Needs can be met with band 2 support.",
        band="M2",
        starts_on=dt.date(2026, 3, 9),
    )
    assert again.annual_cost == Decimal("3100.00")


def test_an_individual_cost_needs_a_reason_and_a_band_or_cost_is_needed(sitting) -> None:
    meeting, item, _ = sitting
    with pytest.raises(ValidationError) as no_reason:
        decision_record(
            actor=meeting.chair,
            item=item,
            outcome=Outcome.AGREE,
            reasons="Agreed",
            annual_cost=Decimal("9000"),
        )
    assert no_reason.value.message_dict == {"cost_reason": [COST_REASON_REQUIRED]}
    with pytest.raises(ValidationError) as nothing:
        decision_record(actor=meeting.chair, item=item, outcome=Outcome.AGREE, reasons="Agreed")
    assert nothing.value.message_dict == {"band": [BAND_OR_COST_REQUIRED]}
    with pytest.raises(ValidationError) as wrong_kind:
        decision_record(
            actor=meeting.chair, item=item, outcome=Outcome.AGREE, reasons="Agreed", band="S1"
        )
    assert wrong_kind.value.message_dict == {
        "band": [
            BAND_NOT_FOUND.format(code="S1", kind="mainstream school or academy", day="2 Mar 2026")
        ]
    }
    decision, _ = decision_record(
        actor=meeting.chair,
        item=item,
        outcome=Outcome.AGREE,
        reasons="Agreed",
        band="M3",
        annual_cost=Decimal("9000"),
        cost_reason="1:1 support agreed for transition",
    )
    assert (decision.band_code, decision.annual_cost) == ("M3", Decimal("9000"))
    assert decision.cost_reason == "1:1 support agreed for transition"


def test_a_placement_above_the_high_cost_threshold_goes_to_that_panel(sitting) -> None:
    meeting, item, _ = sitting
    with pytest.raises(ValidationError) as refused:
        decision_record(
            actor=meeting.chair,
            item=item,
            outcome=Outcome.AGREE,
            reasons="Agreed",
            annual_cost=Decimal("60000"),
            cost_reason="Independent specialist place",
        )
    assert refused.value.message_dict == {
        "annual_cost": [
            COST_ABOVE_THRESHOLD.format(
                threshold=Decimal("25000"), panel="High-cost placement panel"
            )
        ]
    }


def test_the_same_decision_posted_twice_is_recorded_once(sitting) -> None:
    meeting, item, _ = sitting
    first, created = decision_record(
        actor=meeting.chair, item=item, outcome=Outcome.DEFER, reasons="Awaiting the EP report"
    )
    again, created_again = decision_record(
        actor=meeting.chair, item=item, outcome=Outcome.DEFER, reasons="Awaiting the EP report"
    )
    assert created
    assert not created_again
    assert again == first
    assert Decision.objects.filter(item=item).count() == 1
    assert AuditEvent.objects.filter(action="panel_decision.recorded").count() == 1


def test_a_change_before_closing_keeps_the_earlier_decision_as_history(sitting) -> None:
    meeting, item, _ = sitting
    people = members(meeting)
    first, _ = decision_record(
        actor=meeting.chair, item=item, outcome=Outcome.DEFER, reasons="Awaiting the EP report"
    )
    second, created = decision_record(
        actor=people["ep"],
        item=item,
        outcome=Outcome.DECLINE,
        reasons="Needs can be met in the current school",
        dissent="The head teacher preferred to defer",
        dissenters=[people["head"]],
    )
    assert created
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert second.supersedes == first
    assert list(second.dissenters.all()) == [people["head"]]
    assert Decision.objects.filter(item=item, is_current=True).get() == second
    item.refresh_from_db()
    assert item.status == ItemStatus.DECIDED
