"""The assessment request's journey: each step, each refusal (with its exact message), and the
one timeline row and audit event each step writes."""

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases import services, workflow
from cases.models import (
    AssessmentRequest,
    Child,
    DraftConsultation,
    Establishment,
    NamedSetting,
    Plan,
    PlanVersion,
    TimelineEntry,
    TimescaleException,
)
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import refusal_message
from tests.cases.conftest import (
    ADVICE_ON,
    DECIDED_ON,
    DRAFT_ON,
    FINAL_ON,
    ISSUE_DECIDED_ON,
    RECEIVED_AT,
    RECEIVED_ON,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
LONDON = ZoneInfo("Europe/London")
Stage = Callable[[str], AssessmentRequest]


def errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def create(actor: Any, child: Child, **kwargs: Any) -> AssessmentRequest:
    values: dict[str, Any] = {"received_at": RECEIVED_AT, "channel": "email", "source": "school"}
    values.update(kwargs)
    return services.assessment_request_create(actor=actor, child=child, **values)


# --- receipt -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "channel", "signed_for_on", "legal"),
    [
        # Fri 12 Sep 2025 (BST): 17:00 counts that day, 17:01 from Monday.
        (dt.datetime(2025, 9, 12, 17, 0, tzinfo=LONDON), "email", None, dt.date(2025, 9, 12)),
        (dt.datetime(2025, 9, 12, 17, 1, tzinfo=LONDON), "online", None, dt.date(2025, 9, 15)),
        # Saturday by hand: Monday.
        (dt.datetime(2025, 9, 13, 10, 0, tzinfo=LONDON), "hand", None, dt.date(2025, 9, 15)),
        # Thu 24 Dec 2025 after 5pm: the next working day is Mon 29 Dec (25, 26 Dec holidays).
        (dt.datetime(2025, 12, 24, 18, 0, tzinfo=LONDON), "email", None, dt.date(2025, 12, 29)),
        # Post: the day after posting, or the day it was signed for.
        (dt.datetime(2025, 9, 12, 9, 0, tzinfo=LONDON), "post", None, dt.date(2025, 9, 13)),
        (dt.datetime(2025, 9, 12, 9, 0, tzinfo=LONDON), "post", dt.date(2025, 9, 16), None),
    ],
)
def test_the_legal_received_date_comes_from_the_time_and_channel(
    caseworker: User,
    child: Child,
    received_at: dt.datetime,
    channel: str,
    signed_for_on: dt.date | None,
    legal: dt.date | None,
) -> None:
    request = create(
        caseworker, child, received_at=received_at, channel=channel, signed_for_on=signed_for_on
    )
    assert request.received_on == (legal or signed_for_on)
    assert request.status == "received"
    entry = TimelineEntry.objects.get(request=request)
    assert entry.title == "Request for an EHC needs assessment received"
    assert entry.occurred_on == request.received_on
    assert entry.to_status == "received"
    event = AuditEvent.objects.get(action="assessment_request.created")
    assert event.child_id == child.pk
    assert event.changes["received_on"] == request.received_on.isoformat()


def test_a_signed_for_date_only_for_post_and_not_before_posting(
    caseworker: User, child: Child
) -> None:
    with pytest.raises(ValidationError) as caught:
        create(caseworker, child, signed_for_on=dt.date(2025, 9, 9))
    assert errors(caught) == {"signed_for_on": [services.SIGNED_FOR_ONLY_BY_POST]}
    with pytest.raises(ValidationError) as caught:
        create(caseworker, child, channel="post", signed_for_on=dt.date(2025, 9, 7))
    assert errors(caught) == {"signed_for_on": [services.SIGNED_FOR_BEFORE_POSTING]}


def test_only_a_manager_overrides_the_received_date_and_with_a_reason(
    caseworker: User, manager: User, child: Child
) -> None:
    override = dt.date(2025, 9, 5)
    with pytest.raises(ValidationError) as caught:
        create(caseworker, child, received_on_override=override, override_reason="Lost in post")
    assert errors(caught) == {"received_on_override": [services.OVERRIDE_NEEDS_MANAGER]}
    with pytest.raises(ValidationError) as caught:
        create(manager, child, received_on_override=override)
    assert errors(caught) == {"override_reason": [services.OVERRIDE_NEEDS_REASON]}
    request = create(
        manager,
        child,
        received_on_override=override,
        override_reason="The school emailed it on Friday to the wrong inbox",
    )
    assert request.received_on == override
    assert request.received_on_override_reason.startswith("The school emailed")
    detail = TimelineEntry.objects.get(request=request).detail
    assert "Received date set to 5 Sep 2025 instead of 8 Sep 2025" in detail
    changes = AuditEvent.objects.get(action="assessment_request.created").changes
    assert changes["derived_received_on"] == "2025-09-08"


def test_a_request_received_in_the_future_is_refused(caseworker: User, child: Child) -> None:
    with pytest.raises(ValidationError) as caught:
        create(caseworker, child, received_at=dt.datetime(2026, 3, 3, 9, tzinfo=LONDON))
    assert errors(caught) == {
        "received_at": [services.DATE_IN_FUTURE.format(label="The date received")]
    }


def test_a_request_is_for_a_child_or_young_person_aged_0_to_25(
    caseworker: User, new_child: Callable[..., Child]
) -> None:
    too_old = new_child(date_of_birth=dt.date(1999, 9, 7))  # 26 on 8 Sep 2025
    with pytest.raises(ValidationError) as caught:
        create(caseworker, too_old)
    assert errors(caught) == {
        "child": [
            services.AGE_OUTSIDE_0_25.format(
                name=too_old.full_name, age=26, received_on="8 Sep 2025"
            )
        ]
    }
    unborn = new_child(date_of_birth=dt.date(2025, 9, 9))
    with pytest.raises(ValidationError) as caught:
        create(caseworker, unborn)
    assert errors(caught) == {"child": [services.BORN_AFTER_REQUEST.format(dob="9 Sep 2025")]}
    aged_25 = new_child(date_of_birth=dt.date(1999, 9, 9))  # 25 until 9 Sep 2025
    assert create(caseworker, aged_25).status == "received"


def test_a_second_open_request_for_the_same_child_is_refused(
    caseworker: User, child: Child
) -> None:
    first = create(caseworker, child)
    with pytest.raises(ValidationError) as caught:
        create(caseworker, child, received_at=dt.datetime(2025, 9, 10, 9, tzinfo=LONDON))
    assert errors(caught) == {
        "child": [
            services.SECOND_OPEN_REQUEST.format(name=child.full_name, received_on="8 Sep 2025")
        ]
    }
    services.assessment_request_withdraw(
        actor=caseworker, request=first, withdrawn_on=dt.date(2025, 9, 9), reason="Moved school"
    )
    again = create(caseworker, child, received_at=dt.datetime(2025, 9, 10, 9, tzinfo=LONDON))
    assert again.status == "received"


def test_a_request_known_by_its_date_must_be_a_date_the_rules_give(
    caseworker: User, child: Child
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.assessment_request_create_on(
            actor=caseworker, child=child, received_on=dt.date(2025, 9, 13), source="school"
        )
    assert errors(caught) == {
        "received_on": [
            services.RECEIVED_ON_NOT_LEGAL.format(
                channel_phrase="received by email", given="13 Sep 2025", legal="15 Sep 2025"
            )
        ]
    }
    by_post = services.assessment_request_create_on(
        actor=caseworker,
        child=child,
        received_on=dt.date(2025, 9, 13),
        source="school",
        channel="post",
    )
    assert by_post.received_on == dt.date(2025, 9, 13)


# --- decision to assess --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "status", "title"),
    [
        ("assess", "assessing", "Decided to assess"),
        ("not_assess", "not_assessing", "Decided not to assess"),
    ],
)
def test_the_decision_to_assess(
    caseworker: User, at_stage: Stage, decision: str, status: str, title: str
) -> None:
    request = at_stage("received")
    services.assessment_request_decide(
        actor=caseworker,
        request=request,
        decision=decision,
        decided_on=DECIDED_ON,
        reasons="Panel on 13 Oct",
        letter_sent_on=DECIDED_ON,
    )
    request.refresh_from_db()
    assert (request.status, request.decision, request.decided_on) == (status, decision, DECIDED_ON)
    entry = TimelineEntry.objects.get(request=request, event="assessment_request.decided")
    assert (entry.title, entry.detail, entry.from_status, entry.to_status) == (
        title,
        "Panel on 13 Oct",
        "received",
        status,
    )


def test_a_decision_before_the_request_was_received_is_refused(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("received")
    with pytest.raises(ValidationError) as caught:
        services.assessment_request_decide(
            actor=caseworker, request=request, decision="assess", decided_on=dt.date(2025, 9, 7)
        )
    assert errors(caught) == {
        "decided_on": [services.DECISION_BEFORE_RECEIPT.format(received_on="8 Sep 2025")]
    }


def test_dates_in_the_future_are_refused(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("received")
    with pytest.raises(ValidationError) as caught:
        services.assessment_request_decide(
            actor=caseworker,
            request=request,
            decision="assess",
            decided_on=dt.date(2026, 3, 3),
            letter_sent_on=dt.date(2026, 3, 4),
        )
    assert errors(caught) == {
        "decided_on": ["The date of the decision cannot be in the future."],
        "letter_sent_on": ["The date the letter was sent cannot be in the future."],
    }


def test_the_letter_cannot_be_sent_before_the_decision(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("received")
    with pytest.raises(ValidationError) as caught:
        services.assessment_request_decide(
            actor=caseworker,
            request=request,
            decision="assess",
            decided_on=DECIDED_ON,
            letter_sent_on=DECIDED_ON - dt.timedelta(days=1),
        )
    assert errors(caught) == {
        "letter_sent_on": [services.LETTER_BEFORE_DECISION.format(decided_on="13 Oct 2025")]
    }


def test_a_repeated_decision_is_refused_and_recorded_once(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.assessment_request_decide(
            actor=caseworker, request=request, decision="assess", decided_on=DECIDED_ON
        )
    assert caught.value.message == workflow.DECISION_ALREADY_MADE
    assert TimelineEntry.objects.filter(event="assessment_request.decided").count() == 1
    assert AuditEvent.objects.filter(action="assessment_request.decided").count() == 1


def test_a_stale_copy_of_the_request_cannot_decide_twice(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("received")
    stale = AssessmentRequest.objects.get(pk=request.pk)
    services.assessment_request_decide(
        actor=caseworker, request=request, decision="assess", decided_on=DECIDED_ON
    )
    with pytest.raises(TransitionNotAllowed):
        services.assessment_request_decide(
            actor=caseworker, request=stale, decision="not_assess", decided_on=DECIDED_ON
        )
    assert AssessmentRequest.objects.get(pk=request.pk).decision == "assess"


# --- advice --------------------------------------------------------------------------------------


def test_advice_is_requested_received_returned_and_received_again(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    advice = services.advice_request_create(
        actor=caseworker,
        request=request,
        kind="psychological",
        requested_on=ADVICE_ON,
        provider="EP service",
    )
    assert workflow.advice_state(advice) is workflow.AdviceState.REQUESTED
    services.advice_request_receive(
        actor=caseworker, advice=advice, received_on=dt.date(2025, 11, 20)
    )
    services.advice_request_return_for_quality(
        actor=caseworker, advice=advice, returned_on=dt.date(2025, 11, 21)
    )
    assert advice.is_outstanding
    services.advice_request_re_receive(
        actor=caseworker, advice=advice, received_on=dt.date(2025, 11, 28)
    )
    advice.refresh_from_db()
    assert workflow.advice_state(advice) is workflow.AdviceState.RE_RECEIVED
    titles = list(
        TimelineEntry.objects.filter(request=request, event__startswith="advice_request")
        .order_by("occurred_on")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Educational psychology advice requested",
        "Educational psychology advice received",
        "Educational psychology advice returned for quality",
        "Corrected Educational psychology advice received",
    ]
    request.refresh_from_db()
    assert request.status == "assessing"


def test_advice_is_requested_only_during_the_assessment(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("received")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.advice_request_create(
            actor=caseworker, request=request, kind="health", requested_on=ADVICE_ON
        )
    assert caught.value.message == workflow.ADVICE_NEEDS_ASSESSMENT


def test_advice_not_before_the_decision_and_not_twice_while_awaited(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    with pytest.raises(ValidationError) as caught:
        services.advice_request_create(
            actor=caseworker, request=request, kind="health", requested_on=dt.date(2025, 10, 1)
        )
    assert errors(caught) == {
        "requested_on": [services.ADVICE_BEFORE_DECISION.format(decided_on="13 Oct 2025")]
    }
    services.advice_request_create(
        actor=caseworker, request=request, kind="health", requested_on=ADVICE_ON
    )
    with pytest.raises(ValidationError) as caught:
        services.advice_request_create(
            actor=caseworker, request=request, kind="health", requested_on=ADVICE_ON
        )
    assert errors(caught) == {
        "kind": [
            services.ADVICE_ALREADY_OUTSTANDING.format(
                kind="Health advice", requested_on="14 Oct 2025"
            )
        ]
    }


def test_advice_received_before_it_was_requested_is_refused(
    caseworker: User, at_stage: Stage
) -> None:
    advice = services.advice_request_create(
        actor=caseworker, request=at_stage("assessing"), kind="health", requested_on=ADVICE_ON
    )
    with pytest.raises(ValidationError) as caught:
        services.advice_request_receive(
            actor=caseworker, advice=advice, received_on=dt.date(2025, 10, 13)
        )
    assert errors(caught) == {
        "received_on": [
            services.ADVICE_RECEIVED_BEFORE_REQUESTED.format(requested_on="14 Oct 2025")
        ]
    }


def test_advice_steps_out_of_order_are_refused(caseworker: User, at_stage: Stage) -> None:
    advice = services.advice_request_create(
        actor=caseworker, request=at_stage("assessing"), kind="health", requested_on=ADVICE_ON
    )
    with pytest.raises(TransitionNotAllowed) as caught:
        services.advice_request_return_for_quality(
            actor=caseworker, advice=advice, returned_on=dt.date(2025, 11, 1)
        )
    assert caught.value.message == workflow.ADVICE_NOT_RECEIVED
    with pytest.raises(TransitionNotAllowed) as caught:
        services.advice_request_re_receive(
            actor=caseworker, advice=advice, received_on=dt.date(2025, 11, 1)
        )
    assert caught.value.message == workflow.ADVICE_NOT_RETURNED
    services.advice_request_receive(
        actor=caseworker, advice=advice, received_on=dt.date(2025, 11, 1)
    )
    with pytest.raises(TransitionNotAllowed) as caught:
        services.advice_request_receive(
            actor=caseworker, advice=advice, received_on=dt.date(2025, 11, 2)
        )
    assert caught.value.message == workflow.ADVICE_ALREADY_RECEIVED
    assert AuditEvent.objects.filter(action="advice_request.received").count() == 1


# --- exceptions ----------------------------------------------------------------------------------


def test_an_exception_is_recorded_against_a_rule_it_can_excuse(
    caseworker: User, manager: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    exception = services.timescale_exception_add(
        actor=caseworker,
        request=request,
        kind="personal_circumstances",
        rule="final_plan",
        starts_on=dt.date(2025, 11, 3),
        reason="In hospital",
        approved_by=manager,
        family_told_on=dt.date(2025, 11, 4),
    )
    assert exception.applied_by == caseworker
    entry = TimelineEntry.objects.get(event="timescale_exception.added")
    assert entry.title == "Exception recorded: Exceptional personal circumstances"
    assert entry.detail == "Excuses: Final EHC plan due. In hospital"
    request.refresh_from_db()
    assert request.status == "assessing"


def test_a_missed_appointment_cannot_excuse_the_councils_20_weeks(
    caseworker: User, at_stage: Stage
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(
            actor=caseworker,
            request=at_stage("assessing"),
            kind="missed_appointment",
            rule="final_plan",
            starts_on=dt.date(2025, 11, 3),
        )
    assert errors(caught) == {"kind": [refusal_message("missed_appointment", "final_plan")]}
    assert errors(caught)["kind"] == [
        "Missed appointment cannot excuse the time limit: Final EHC plan due."
    ]


def test_a_missed_appointment_excuses_one_advisers_6_weeks(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(
            actor=caseworker,
            request=request,
            kind="missed_appointment",
            rule="advice",
            starts_on=dt.date(2025, 11, 3),
        )
    assert errors(caught) == {"advice_request": [services.EXCEPTION_NEEDS_ADVICE_REQUEST]}
    advice = services.advice_request_create(
        actor=caseworker, request=request, kind="psychological", requested_on=ADVICE_ON
    )
    exception = services.timescale_exception_add(
        actor=caseworker,
        request=request,
        kind="missed_appointment",
        rule="advice",
        starts_on=dt.date(2025, 11, 3),
        advice_request=advice,
    )
    assert exception.advice_request == advice


def test_an_exception_names_a_time_limit_of_the_assessment_and_a_known_kind(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(
            actor=caseworker,
            request=request,
            kind="personal_circumstances",
            rule="annual_review",
            starts_on=dt.date(2025, 11, 3),
        )
    assert errors(caught) == {
        "rule": [
            services.EXCEPTION_RULE_NOT_ON_REQUEST.format(
                rules="Decision whether to assess due, Advice due, Decision not to issue a plan "
                "due, Final EHC plan due, Final EHC plan after reassessment due"
            )
        ]
    }
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(
            actor=caseworker,
            request=request,
            kind="holiday",
            rule="final_plan",
            starts_on=dt.date(2025, 11, 3),
        )
    assert errors(caught) == {"kind": [services.EXCEPTION_UNKNOWN_KIND]}


def test_the_school_closure_test_of_the_worked_example(
    caseworker: User, new_child: Callable[..., Child]
) -> None:
    """Closed 23 Jul-3 Sep 2025: school advice requested 18 Jul is inside 16 Jul-27 Aug."""
    request = services.assessment_request_create(
        actor=caseworker,
        child=new_child(),
        received_at=dt.datetime(2025, 5, 12, 9, tzinfo=LONDON),
        channel="email",
        source="parent_or_young_person",
    )
    services.assessment_request_decide(
        actor=caseworker, request=request, decision="assess", decided_on=dt.date(2025, 6, 20)
    )
    services.advice_request_create(
        actor=caseworker, request=request, kind="educational", requested_on=dt.date(2025, 7, 18)
    )
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(
            actor=caseworker,
            request=request,
            kind="school_closure",
            rule="final_plan",
            starts_on=dt.date(2025, 7, 23),
        )
    assert errors(caught) == {"ends_on": [services.CLOSURE_NEEDS_REOPENING]}
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(
            actor=caseworker,
            request=request,
            kind="school_closure",
            rule="final_plan",
            starts_on=dt.date(2025, 7, 28),
            ends_on=dt.date(2025, 9, 3),
        )
    assert errors(caught) == {
        "__all__": [
            "Advice was requested on 18 Jul 2025, outside the closure window "
            "21 Jul 2025 to 27 Aug 2025."
        ]
    }
    services.timescale_exception_add(
        actor=caseworker,
        request=request,
        kind="school_closure",
        rule="final_plan",
        starts_on=dt.date(2025, 7, 23),
        ends_on=dt.date(2025, 9, 3),
    )
    assert TimescaleException.objects.get().kind == "school_closure"


def test_an_absence_shorter_than_4_weeks_cannot_excuse(caseworker: User, at_stage: Stage) -> None:
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(
            actor=caseworker,
            request=at_stage("assessing"),
            kind="absence_from_area",
            rule="final_plan",
            starts_on=dt.date(2025, 11, 3),
            ends_on=dt.date(2025, 11, 24),
        )
    assert errors(caught) == {
        "ends_on": [
            "An absence of 21 days is shorter than the 28 days needed to excuse the time "
            "limit: Final EHC plan due."
        ]
    }


def test_the_same_exception_twice_and_on_a_closed_request(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    values: dict[str, Any] = {
        "kind": "personal_circumstances",
        "rule": "final_plan",
        "starts_on": dt.date(2025, 11, 3),
    }
    services.timescale_exception_add(actor=caseworker, request=request, **values)
    with pytest.raises(ValidationError) as caught:
        services.timescale_exception_add(actor=caseworker, request=request, **values)
    assert errors(caught) == {"__all__": [services.EXCEPTION_ALREADY_RECORDED]}
    services.assessment_request_withdraw(
        actor=caseworker, request=request, withdrawn_on=dt.date(2025, 11, 10), reason="Moved"
    )
    with pytest.raises(TransitionNotAllowed) as caught_closed:
        services.timescale_exception_add(
            actor=caseworker, request=request, **{**values, "starts_on": dt.date(2025, 11, 4)}
        )
    assert caught_closed.value.message == workflow.EXCEPTION_CLOSED.format(status="withdrawn")


def test_an_exception_can_be_recorded_after_the_final_plan(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("final_issued")
    services.timescale_exception_add(
        actor=caseworker,
        request=request,
        kind="absence_from_area",
        rule="final_plan",
        starts_on=dt.date(2025, 10, 20),
        ends_on=dt.date(2025, 11, 24),
    )
    request.refresh_from_db()
    assert request.status == "final_issued"


# --- decision to issue, draft, consultations ------------------------------------------------------


def test_the_decision_to_issue_follows_a_decision_to_assess(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("received")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.assessment_request_decide_issue(
            actor=caseworker, request=request, decision="issue", decided_on=ISSUE_DECIDED_ON
        )
    assert caught.value.message == workflow.ISSUE_DECISION_NEEDS_ASSESSMENT


def test_the_decision_to_issue_cannot_precede_the_decision_to_assess(
    caseworker: User, at_stage: Stage
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.assessment_request_decide_issue(
            actor=caseworker,
            request=at_stage("assessing"),
            decision="issue",
            decided_on=dt.date(2025, 10, 12),
        )
    assert errors(caught) == {
        "decided_on": [services.ISSUE_DECISION_BEFORE_DECISION.format(decided_on="13 Oct 2025")]
    }


def test_a_decision_not_to_issue_ends_the_journey(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("assessing")
    services.assessment_request_decide_issue(
        actor=caseworker,
        request=request,
        decision="not_issue",
        decided_on=ISSUE_DECIDED_ON,
        reasons="Needs met at SEN support",
    )
    assert request.status == "not_issuing"
    assert workflow.allowed_actions(request.status) == ["add_exception"]
    with pytest.raises(TransitionNotAllowed) as caught:
        services.assessment_request_decide_issue(
            actor=caseworker, request=request, decision="issue", decided_on=ISSUE_DECIDED_ON
        )
    assert caught.value.message == workflow.ISSUE_DECISION_ALREADY_MADE


def test_the_draft_plan_after_the_decision_to_issue(
    caseworker: User, at_stage: Stage, school: Establishment
) -> None:
    assessing = at_stage("assessing")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.draft_plan_issue(actor=caseworker, request=assessing, issued_on=DRAFT_ON)
    assert caught.value.message == workflow.DRAFT_NEEDS_ISSUE_DECISION
    services.assessment_request_decide_issue(
        actor=caseworker, request=assessing, decision="issue", decided_on=ISSUE_DECIDED_ON
    )
    with pytest.raises(ValidationError) as caught_early:
        services.draft_plan_issue(
            actor=caseworker, request=assessing, issued_on=dt.date(2025, 11, 30)
        )
    assert caught_early.value.message_dict == {
        "issued_on": [services.DRAFT_BEFORE_ISSUE_DECISION.format(issue_decided_on="1 Dec 2025")]
    }
    services.draft_plan_issue(
        actor=caseworker, request=assessing, issued_on=DRAFT_ON, preferred_setting=school
    )
    entry = TimelineEntry.objects.get(event="assessment_request.draft_issued")
    assert entry.title == "Draft EHC plan issued"
    assert "Oak Hill Primary" in entry.detail
    with pytest.raises(TransitionNotAllowed) as caught:
        services.draft_plan_issue(actor=caseworker, request=assessing, issued_on=DRAFT_ON)
    assert caught.value.message == workflow.DRAFT_ALREADY_ISSUED


def test_a_setting_is_consulted_and_replies_once(
    caseworker: User, at_stage: Stage, school: Establishment
) -> None:
    request = at_stage("draft_issued")
    consultation = services.consultation_add(
        actor=caseworker, request=request, establishment=school, sent_on=DRAFT_ON
    )
    with pytest.raises(ValidationError) as caught:
        services.consultation_reply(
            actor=caseworker,
            consultation=consultation,
            replied_on=dt.date(2025, 12, 7),
            reply="can_meet",
        )
    assert errors(caught) == {
        "replied_on": [services.CONSULTATION_REPLY_BEFORE_SENT.format(sent_on="8 Dec 2025")]
    }
    services.consultation_reply(
        actor=caseworker,
        consultation=consultation,
        replied_on=dt.date(2025, 12, 15),
        reply="can_meet",
    )
    with pytest.raises(TransitionNotAllowed) as caught_twice:
        services.consultation_reply(
            actor=caseworker,
            consultation=consultation,
            replied_on=dt.date(2025, 12, 16),
            reply="cannot_meet",
        )
    assert caught_twice.value.message == services.CONSULTATION_ALREADY_REPLIED
    assert DraftConsultation.objects.get().reply == "can_meet"
    assert TimelineEntry.objects.get(event="consultation.replied").title == (
        "Oak Hill Primary replied: can meet needs"
    )


# --- final plan ----------------------------------------------------------------------------------


@pytest.fixture
def drafted_1_sep(caseworker: User, new_child: Callable[..., Child]) -> AssessmentRequest:
    """The worked example: draft served Mon 1 Sep 2025."""
    request = services.assessment_request_create(
        actor=caseworker,
        child=new_child(),
        received_at=dt.datetime(2025, 5, 12, 9, tzinfo=LONDON),
        channel="email",
        source="school",
    )
    services.assessment_request_decide(
        actor=caseworker, request=request, decision="assess", decided_on=dt.date(2025, 6, 20)
    )
    services.assessment_request_decide_issue(
        actor=caseworker, request=request, decision="issue", decided_on=dt.date(2025, 8, 20)
    )
    return services.draft_plan_issue(
        actor=caseworker, request=request, issued_on=dt.date(2025, 9, 1)
    )


def test_the_final_plan_inside_the_familys_15_days_is_refused(
    caseworker: User, drafted_1_sep: AssessmentRequest
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.final_plan_issue(
            actor=caseworker,
            request=drafted_1_sep,
            issued_on=dt.date(2025, 9, 15),
            primary_need="ASD",
        )
    assert errors(caught) == {
        "issued_on": [
            "The final plan cannot be issued before 16 Sep 2025: the family have 15 days from "
            "the draft (served 1 Sep 2025) to comment."
        ]
    }
    assert services.earliest_final_on(dt.date(2025, 9, 1)) == dt.date(2025, 9, 16)
    plan = services.final_plan_issue(
        actor=caseworker, request=drafted_1_sep, issued_on=dt.date(2025, 9, 16), primary_need="ASD"
    )
    assert plan.issued_on == dt.date(2025, 9, 16)


def test_the_final_plan_before_a_decision_to_issue_is_refused(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.final_plan_issue(
            actor=caseworker, request=request, issued_on=FINAL_ON, primary_need="ASD"
        )
    assert caught.value.message == (
        "The final plan cannot be issued before a decision to issue a plan."
    )
    services.assessment_request_decide_issue(
        actor=caseworker, request=request, decision="issue", decided_on=ISSUE_DECIDED_ON
    )
    with pytest.raises(TransitionNotAllowed) as caught:
        services.final_plan_issue(
            actor=caseworker, request=request, issued_on=FINAL_ON, primary_need="ASD"
        )
    assert caught.value.message == workflow.FINAL_NEEDS_DRAFT


def test_the_final_plan_creates_the_plan_its_first_version_and_section_i(
    caseworker: User, at_stage: Stage, school: Establishment
) -> None:
    request = at_stage("draft_issued")
    plan = services.final_plan_issue(
        actor=caseworker,
        request=request,
        issued_on=FINAL_ON,
        primary_need="ASD",
        secondary_need="SLCN",
        named_settings=[
            {"establishment": school, "rank": 1, "resourced_provision": True},
            {"sen_setting": "OTH", "sen_setting_other": "Hospital school", "rank": 2},
        ],
    )
    assert (plan.status, plan.child, plan.request, plan.issued_on) == (
        "active",
        request.child,
        request,
        FINAL_ON,
    )
    version = PlanVersion.objects.get(plan=plan)
    assert (version.number, version.kind, version.issued_by) == (1, "final", caseworker)
    named = list(NamedSetting.objects.filter(plan=plan).order_by("rank"))
    assert [(n.establishment, n.sen_setting, n.resourced_provision) for n in named] == [
        (school, "", True),
        (None, "OTH", False),
    ]
    request.refresh_from_db()
    assert (request.status, request.final_issued_on) == ("final_issued", FINAL_ON)
    entry = TimelineEntry.objects.get(event="plan.issued")
    assert (entry.plan, entry.title) == (plan, "Final EHC plan issued")
    assert entry.detail == "18.0 weeks after the request was received on 8 Sep 2025."
    with pytest.raises(TransitionNotAllowed) as caught:
        services.final_plan_issue(
            actor=caseworker, request=request, issued_on=FINAL_ON, primary_need="ASD"
        )
    assert caught.value.message == workflow.FINAL_ALREADY_ISSUED
    assert Plan.objects.count() == 1


def test_what_section_i_and_the_needs_may_hold(
    caseworker: User, at_stage: Stage, school: Establishment
) -> None:
    request = at_stage("draft_issued")
    with pytest.raises(ValidationError) as caught:
        services.final_plan_issue(
            actor=caseworker,
            request=request,
            issued_on=FINAL_ON,
            primary_need="ASD",
            secondary_need="ASD",
            named_settings=[{"sen_setting": "NEET", "rank": 1}],
        )
    assert errors(caught) == {
        "secondary_need": [services.SECONDARY_NEED_SAME],
        "named_settings": [
            services.SETTING_NOT_IN_PLAN.format(setting="Not in education, employment or training")
        ],
    }
    with pytest.raises(ValidationError) as caught:
        services.final_plan_issue(
            actor=caseworker,
            request=request,
            issued_on=FINAL_ON,
            primary_need="ASD",
            named_settings=[
                {"establishment": school, "rank": 1},
                {"sen_setting": "EHE", "rank": 1},
            ],
        )
    assert errors(caught) == {"named_settings": [services.NAMED_SETTING_RANKS]}
    with pytest.raises(ValidationError) as caught:
        services.final_plan_issue(
            actor=caseworker,
            request=request,
            issued_on=FINAL_ON,
            primary_need="ASD",
            named_settings=[{"establishment": school, "sen_setting": "EHE", "rank": 1}],
        )
    assert errors(caught) == {"named_settings": [services.SETTING_ONE_KIND]}


def test_a_child_with_a_plan_in_force_gets_an_amended_plan_not_a_second_one(
    caseworker: User, at_stage: Stage
) -> None:
    first = at_stage("final_issued")
    child = first.child
    second = services.assessment_request_create(
        actor=caseworker,
        child=child,
        received_at=dt.datetime(2026, 1, 20, 9, tzinfo=LONDON),
        channel="email",
        source="school",
        is_reassessment=True,
    )
    services.assessment_request_decide(
        actor=caseworker, request=second, decision="assess", decided_on=dt.date(2026, 1, 21)
    )
    services.assessment_request_decide_issue(
        actor=caseworker, request=second, decision="issue", decided_on=dt.date(2026, 1, 22)
    )
    services.draft_plan_issue(actor=caseworker, request=second, issued_on=dt.date(2026, 1, 23))
    with pytest.raises(ValidationError) as caught:
        services.final_plan_issue(
            actor=caseworker, request=second, issued_on=dt.date(2026, 2, 9), primary_need="ASD"
        )
    assert errors(caught) == {
        "__all__": [
            services.CHILD_HAS_ACTIVE_PLAN.format(name=child.full_name, issued_on="12 Jan 2026")
        ]
    }


# --- withdrawal and transfer ---------------------------------------------------------------------


def test_a_withdrawal_needs_a_reason_and_a_date_after_receipt(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("assessing")
    with pytest.raises(ValidationError) as caught:
        services.assessment_request_withdraw(
            actor=caseworker, request=request, withdrawn_on=dt.date(2025, 9, 7), reason=" "
        )
    assert errors(caught) == {
        "withdrawn_on": [services.WITHDRAWAL_BEFORE_RECEIPT.format(received_on="8 Sep 2025")],
        "reason": [services.WITHDRAWAL_NEEDS_REASON],
    }
    services.assessment_request_withdraw(
        actor=caseworker, request=request, withdrawn_on=dt.date(2025, 11, 1), reason="Moved away"
    )
    assert request.status == "withdrawn"
    assert workflow.allowed_actions("withdrawn") == []


def test_a_finished_request_cannot_be_withdrawn(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("final_issued")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.assessment_request_withdraw(
            actor=caseworker, request=request, withdrawn_on=FINAL_ON, reason="Too late"
        )
    assert caught.value.message == workflow.REQUEST_CLOSED.format(status="final plan issued")


def test_a_transfer_out_names_another_la(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("assessing")
    for code, message in (
        ("12", services.LA_CODE_FORMAT),
        ("999", services.LA_CODE_OURS.format(code="999")),
    ):
        with pytest.raises(ValidationError) as caught:
            services.assessment_request_transfer_out(
                actor=caseworker,
                request=request,
                transferred_on=dt.date(2025, 11, 1),
                new_la_code=code,
            )
        assert errors(caught) == {"new_la_code": [message]}
    services.assessment_request_transfer_out(
        actor=caseworker, request=request, transferred_on=dt.date(2025, 11, 1), new_la_code="201"
    )
    assert (request.status, request.transferred_to_la) == ("transferred_out", "201")
    assert TimelineEntry.objects.get(event="assessment_request.transferred_out").title == (
        "Transferred to LA 201"
    )


# --- every step: one timeline row, one audit event, one recompute --------------------------------


def test_the_whole_journey_writes_one_row_and_one_event_per_step(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("final_issued")
    events = list(
        TimelineEntry.objects.filter(request=request)
        .order_by("occurred_on", "id")
        .values_list("event", "from_status", "to_status")
    )
    assert events == [
        ("assessment_request.created", "", "received"),
        ("assessment_request.decided", "received", "assessing"),
        ("assessment_request.issue_decided", "assessing", "issuing"),
        ("assessment_request.draft_issued", "issuing", "draft_issued"),
        ("plan.issued", "draft_issued", "final_issued"),
    ]
    audited = AuditEvent.objects.filter(child_id=request.child_id).values_list("action", flat=True)
    assert sorted(audited) == sorted(
        [
            "child.created",
            "assessment_request.created",
            "assessment_request.decided",
            "assessment_request.issue_decided",
            "assessment_request.draft_issued",
            "plan.issued",
            "annual_review.opened",  # by the reviews app, in the same transaction
        ]
    )


def test_each_step_queues_a_recompute_of_the_childs_deadlines_on_commit(
    caseworker: User,
    child: Child,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[Any] = []
    monkeypatch.setattr(
        "send_cms.deadlines.services.queue_recompute", lambda child_id: queued.append(child_id)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = services.assessment_request_create(
            actor=caseworker, child=child, received_at=RECEIVED_AT, channel="email", source="school"
        )
        assert queued == []  # nothing runs before the commit
    assert len(callbacks) == 1
    assert queued == [child.pk]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assessment_request_decide(
            actor=caseworker, request=request, decision="assess", decided_on=DECIDED_ON
        )
    assert queued == [child.pk, child.pk]


def test_bulk_work_defers_the_recompute_to_its_owner(
    caseworker: User, child: Child, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, services.deadlines_deferred() as ids:
        request = services.assessment_request_create(
            actor=caseworker, child=child, received_at=RECEIVED_AT, channel="email", source="school"
        )
        services.assessment_request_decide(
            actor=caseworker, request=request, decision="assess", decided_on=DECIDED_ON
        )
    assert callbacks == []
    assert ids == {child.pk}


def test_the_stored_deadlines_follow_the_steps(
    caseworker: User, child: Child, django_capture_on_commit_callbacks: Any
) -> None:
    from send_cms.deadlines.models import Deadline

    with django_capture_on_commit_callbacks(execute=True):
        request = services.assessment_request_create(
            actor=caseworker, child=child, received_at=RECEIVED_AT, channel="email", source="school"
        )
    due = dict(Deadline.objects.filter(subject_id=request.pk).values_list("rule", "due_on"))
    assert due["decision_to_assess"] == dt.date(2025, 10, 20)
    assert due["final_plan"] == dt.date(2026, 1, 26)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request_decide(
            actor=caseworker, request=request, decision="assess", decided_on=DECIDED_ON
        )
    met = Deadline.objects.get(subject_id=request.pk, rule="decision_to_assess")
    assert (met.met_on, met.status) == (DECIDED_ON, "met")


def test_time_is_london_time_in_summer(caseworker: User, new_child: Callable[..., Child]) -> None:
    """16:30 UTC on a summer Friday is 17:30 in London: it counts from Monday."""
    with time_machine.travel(dt.datetime(2025, 9, 20, 12, tzinfo=dt.UTC), tick=False):
        request = create(
            caseworker, new_child(), received_at=dt.datetime(2025, 9, 12, 16, 30, tzinfo=dt.UTC)
        )
    assert request.received_on == dt.date(2025, 9, 15)
    assert dt.date(2025, 9, 8) == RECEIVED_ON


def test_the_system_can_record_steps_without_a_user(child: Child) -> None:
    """A scheduled task, an import or the demo data acts as the system (actor None)."""
    request = services.assessment_request_create(
        actor=None, child=child, received_at=RECEIVED_AT, channel="email", source="school"
    )
    services.assessment_request_decide(
        actor=None, request=request, decision="assess", decided_on=DECIDED_ON
    )
    exception = services.timescale_exception_add(
        actor=None,
        request=request,
        kind="personal_circumstances",
        rule="final_plan",
        starts_on=dt.date(2025, 11, 3),
    )
    assert exception.applied_by is None
    entry = TimelineEntry.objects.get(event="assessment_request.decided")
    assert (entry.recorded_by, entry.recorded_by_name) == (None, "system (scheduled task)")
    assert AuditEvent.objects.get(action="assessment_request.decided").actor is None
