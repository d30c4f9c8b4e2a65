"""The appeal workflow: each step moves the status as the table says, refuses the rest with a
clear message, and leaves a row on the appeal, the case timeline and the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import TimelineEntry
from send_cms.audit.models import AuditEvent
from send_cms.common.exceptions import TransitionNotAllowed
from tribunals import messages as msg
from tribunals import services
from tribunals.models import Appeal
from tribunals.workflow import TRANSITIONS, AppealStep, allowed_steps

from .factories import make_child, plan_for, refused_request, register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = dt.date


def test_registering_writes_the_appeal_its_event_the_timeline_and_the_audit(caseworker):
    appeal = register_appeal(caseworker, tribunal_reference="EH999/25/00012")
    assert appeal.status == "registered"
    event = appeal.events.get()
    assert (event.event, event.title, event.to_status) == (
        "appeal.registered",
        "Appeal registered: refusal to assess",
        "registered",
    )
    assert event.recorded_by_name == "Sam Okafor"
    entry = TimelineEntry.objects.get(child=appeal.child, event="appeal.registered")
    assert entry.request == appeal.request
    assert entry.occurred_on == D(2025, 12, 1)
    audit = AuditEvent.objects.get(action="appeal.registered")
    assert audit.child_id == appeal.child_id
    assert audit.changes["appeal_type"] == "refusal_to_assess"


def test_the_happy_path_registered_response_hearing_decided(caseworker):
    appeal = register_appeal(caseworker, appeal_type="contents", sections=["F", "I"])
    assert allowed_steps(appeal.status) == [
        AppealStep.RESPONSE,
        AppealStep.DECIDE,
        AppealStep.CONCEDE,
        AppealStep.WITHDRAW,
        AppealStep.STRIKE_OUT,
        AppealStep.DIRECTION,
    ]
    appeal = services.appeal_submit_response(
        actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 12)
    )
    assert appeal.status == "response_submitted"
    appeal = services.appeal_list_hearing(
        actor=caseworker, appeal=appeal, hearing_on=D(2026, 4, 20)
    )
    assert appeal.status == "hearing_listed"
    appeal = services.appeal_list_hearing(
        actor=caseworker, appeal=appeal, hearing_on=D(2026, 5, 11)
    )
    assert appeal.hearing_on == D(2026, 5, 11)
    appeal = services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="upheld_in_part", decided_on=D(2026, 5, 20)
    )
    assert (appeal.status, appeal.outcome, appeal.unopposed) == ("decided", "upheld_in_part", False)
    titles = [e.title for e in appeal.events.order_by("id")]
    assert titles == [
        "Appeal registered: contents of the plan (sections F, I)",
        "Council's response sent to the tribunal",
        "Hearing listed for 20 Apr 2026",
        "Hearing moved for 11 May 2026",
        "Tribunal upheld the appeal in part",
    ]
    statuses = [
        (e.from_status, e.to_status)
        for e in TimelineEntry.objects.filter(child=appeal.child).order_by("id")
        if e.to_status
    ]
    assert statuses == [
        ("", "registered"),
        ("registered", "response_submitted"),
        ("response_submitted", "hearing_listed"),
        ("hearing_listed", "hearing_listed"),
        ("hearing_listed", "decided"),
    ]


def test_a_second_response_is_refused_with_a_409_message(caseworker):
    appeal = register_appeal(caseworker)
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 12))
    with pytest.raises(TransitionNotAllowed) as refused:
        services.appeal_submit_response(
            actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 13)
        )
    assert refused.value.message == TRANSITIONS[AppealStep.RESPONSE].refusal
    assert Appeal.objects.get(pk=appeal.pk).response_submitted_on == D(2026, 1, 12)


def test_a_hearing_before_the_response_is_refused(caseworker):
    appeal = register_appeal(caseworker)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.appeal_list_hearing(actor=caseworker, appeal=appeal, hearing_on=D(2026, 4, 20))
    assert refused.value.message == (
        "A hearing date can only be recorded after the council's response and before the "
        "appeal is closed."
    )


def test_a_closed_appeal_refuses_another_outcome(caseworker):
    appeal = register_appeal(caseworker)
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="withdrawn", decided_on=D(2026, 1, 5)
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        services.appeal_record_outcome(
            actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2026, 2, 5)
        )
    assert (
        refused.value.message
        == "This appeal is closed (withdrawn): its outcome has already been recorded."
    )


def test_orders_need_a_decided_or_conceded_appeal(caseworker):
    appeal = register_appeal(caseworker)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.appeal_order_add(
            actor=caseworker,
            appeal=appeal,
            kind="assess",
            made_on=D(2026, 1, 5),
            sent_on=D(2026, 1, 5),
        )
    assert refused.value.message == TRANSITIONS[AppealStep.ORDER].refusal
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="struck_out", decided_on=D(2026, 1, 5)
    )
    with pytest.raises(TransitionNotAllowed):
        services.appeal_order_add(
            actor=caseworker,
            appeal=appeal,
            kind="assess",
            made_on=D(2026, 1, 5),
            sent_on=D(2026, 1, 5),
        )


@pytest.mark.parametrize(
    ("appeal_type", "outcome", "kind", "message"),
    [
        ("refusal_to_assess", "upheld", "continue", msg.ORDER_ONLY_ON_CEASE_APPEAL),
        ("refusal_to_assess", "dismissed", "assess", msg.ORDER_DISMISSED_ONLY_CEASE),
        ("cease", "upheld", "cease", msg.ORDER_NO_CEASE_WHEN_UPHELD),
    ],
)
def test_an_order_must_fit_the_appeal(caseworker, appeal_type, outcome, kind, message):
    appeal = register_appeal(caseworker, appeal_type=appeal_type)
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 5))
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome=outcome, decided_on=D(2026, 3, 2)
    )
    with pytest.raises(ValidationError) as refused:
        services.appeal_order_add(
            actor=caseworker, appeal=appeal, kind=kind, made_on=D(2026, 3, 2), sent_on=D(2026, 3, 3)
        )
    assert refused.value.message_dict == {"kind": [message]}


def test_an_order_needs_its_dates_unless_the_appeal_was_unopposed(caseworker):
    appeal = register_appeal(caseworker)
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 5))
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2026, 3, 2)
    )
    with pytest.raises(ValidationError) as refused:
        services.appeal_order_add(actor=caseworker, appeal=appeal, kind="assess")
    assert refused.value.message_dict == {
        "made_on": ["Enter the date the order was made"],
        "sent_on": ["Enter the date the order was sent"],
    }
    services.appeal_order_add(
        actor=caseworker, appeal=appeal, kind="assess", made_on=D(2026, 3, 2), sent_on=D(2026, 3, 3)
    )
    with pytest.raises(ValidationError) as twice:
        services.appeal_order_add(
            actor=caseworker,
            appeal=appeal,
            kind="assess",
            made_on=D(2026, 3, 2),
            sent_on=D(2026, 3, 3),
        )
    assert twice.value.message_dict == {
        "__all__": ["This appeal already has an order to carry out an assessment."]
    }


def test_dates_in_the_future_and_out_of_order_are_refused(caseworker):
    child = make_child()
    with pytest.raises(ValidationError) as refused:
        register_appeal(
            caseworker,
            child=child,
            decision_notice_on=D(2026, 9, 11),
            received_by_la_on=D(2026, 9, 1),
        )
    assert refused.value.message_dict == {
        "decision_notice_on": ["Date of the decision notice cannot be in the future"],
        "received_by_la_on": [
            "Date the council received the appeal must be on or after the decision notice "
            "(11 Sep 2026)"
        ],
    }
    appeal = register_appeal(caseworker, child=child)
    with pytest.raises(ValidationError) as early:
        services.appeal_submit_response(
            actor=caseworker, appeal=appeal, submitted_on=D(2025, 11, 30)
        )
    assert early.value.message_dict == {
        "submitted_on": [
            "Date the response was submitted must be on or after the day the council received "
            "the appeal (1 Dec 2025)"
        ]
    }


def test_sections_are_needed_for_a_contents_appeal_and_refused_for_others(caseworker):
    child = make_child()
    with pytest.raises(ValidationError) as none:
        register_appeal(caseworker, child=child, appeal_type="contents", sections=[])
    assert none.value.message_dict == {"sections": [msg.SECTIONS_NEEDED]}
    with pytest.raises(ValidationError) as extra:
        register_appeal(caseworker, child=child, sections=["B"])
    assert extra.value.message_dict == {"sections": [msg.SECTIONS_NOT_FOR_TYPE]}


def test_the_decision_must_be_about_the_childs_own_request_or_plan(caseworker):
    child, other = make_child(), make_child()
    with pytest.raises(ValidationError) as wrong_child:
        register_appeal(caseworker, child=child, request=refused_request(other))
    assert wrong_child.value.message_dict == {"request": [msg.NOT_THIS_CHILD_REQUEST]}
    with pytest.raises(ValidationError) as wrong_kind:
        register_appeal(caseworker, child=child, request=None, plan=plan_for(child))
    assert wrong_kind.value.message_dict == {"plan": [msg.PLAN_NOT_FOR_REQUEST_DECISION]}


def test_one_open_appeal_of_a_type_per_decision(caseworker):
    appeal = register_appeal(caseworker)
    with pytest.raises(ValidationError) as twice:
        register_appeal(caseworker, child=appeal.child, request=appeal.request)
    assert twice.value.message_dict == {
        "__all__": [
            "An open appeal of this type is already registered for this assessment request."
        ]
    }


def test_details_costs_and_representation_are_audited(caseworker):
    appeal = register_appeal(caseworker)
    services.appeal_update_details(
        actor=caseworker,
        appeal=appeal,
        legal_costs=Decimal("1200.50"),
        counsel_costs=Decimal("2500"),
        la_representation="counsel",
        la_representative_name="Ms A Barrister",
    )
    appeal.refresh_from_db()
    assert appeal.total_costs == Decimal("3700.50")
    audit = AuditEvent.objects.get(action="appeal.updated")
    assert audit.changes["legal_costs"] == {"from": "0.00", "to": "1200.50"}
    with pytest.raises(ValidationError) as negative:
        services.appeal_update_details(actor=caseworker, appeal=appeal, expert_costs=Decimal("-1"))
    assert negative.value.message_dict == {"expert_costs": [msg.COSTS_NEGATIVE]}


def test_directions_have_their_own_due_dates_and_are_complied_once(caseworker):
    appeal = register_appeal(caseworker)
    direction = services.appeal_direction_add(
        actor=caseworker,
        appeal=appeal,
        description="Send the EP report",
        due_on=D(2026, 2, 6),
        made_on=D(2026, 1, 9),
    )
    services.direction_complied(actor=caseworker, direction=direction, complied_on=D(2026, 2, 5))
    with pytest.raises(TransitionNotAllowed) as twice:
        services.direction_complied(
            actor=caseworker, direction=direction, complied_on=D(2026, 2, 6)
        )
    assert twice.value.message == "This direction was already complied with on 5 Feb 2026."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "decided"),  # decided without an outcome
        ("outcome", "upheld"),  # an outcome on an open appeal
        ("unopposed", True),  # unopposed but not conceded
        ("section_b", True),  # a section on a refusal to assess
        ("legal_costs", Decimal("-5")),
    ],
)
def test_the_database_refuses_what_the_rules_forbid(caseworker, field, value):
    appeal = register_appeal(caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(**{field: value})
