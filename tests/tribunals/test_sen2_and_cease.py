"""SEN2's mediation and tribunal flags are derived from the records, never typed; a plan with an
open appeal against ceasing must not cease."""

import datetime as dt

import pytest

from tribunals import services
from tribunals.selectors import (
    cease_appeal_pending,
    cease_position,
    sen2_flags,
    sen2_flags_for_requests,
)

from .factories import (
    make_child,
    not_issuing_request,
    plan_for,
    record_mediation,
    refused_request,
    register_appeal,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = dt.date
NONE = {
    "RequestMediation": 0,
    "RequestTribunal": 0,
    "AssessmentMediation": 0,
    "AssessmentTribunal": 0,
    "OtherMediation": 0,
    "OtherTribunal": 0,
}


def _held(caseworker, **kwargs):
    mediation = record_mediation(
        caseworker,
        family_contacted_on=D(2025, 11, 10),
        mediation_wanted=True,
        la_informed_on=D(2025, 11, 11),
        **kwargs,
    )
    return services.mediation_record_held(
        actor=caseworker, mediation=mediation, held_on=D(2025, 12, 1), outcome="no_agreement"
    )


def test_a_request_with_nothing_has_every_flag_0(caseworker):
    assert sen2_flags(refused_request(make_child())) == NONE


def test_a_refusal_to_assess_mediation_held_and_an_appeal_set_the_request_flags(caseworker):
    child = make_child()
    request = refused_request(child)
    _held(caseworker, child=child, request=request)
    register_appeal(caseworker, child=child, request=request)
    assert sen2_flags(request) == {**NONE, "RequestMediation": 1, "RequestTribunal": 1}


def test_mediation_only_counts_once_a_meeting_took_place(caseworker):
    child = make_child()
    request = refused_request(child)
    record_mediation(
        caseworker,
        child=child,
        request=request,
        family_contacted_on=D(2025, 11, 10),
        mediation_wanted=False,
    )
    assert sen2_flags(request) == NONE


def test_a_refusal_to_issue_sets_the_assessment_flags(caseworker):
    child = make_child()
    request = not_issuing_request(child)
    _held(caseworker, child=child, decision_type="refusal_to_issue", request=request)
    appeal = register_appeal(
        caseworker, child=child, appeal_type="refusal_to_issue", request=request
    )
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="withdrawn", decided_on=D(2026, 1, 5)
    )
    assert sen2_flags(request) == {**NONE, "AssessmentMediation": 1, "AssessmentTribunal": 1}


def test_plan_matters_set_the_other_flags_on_the_request_that_led_to_the_plan(caseworker):
    child = make_child()
    plan = plan_for(child, with_request=True)
    request = plan.request
    assert request is not None
    _held(caseworker, child=child, decision_type="cease", plan=plan)
    register_appeal(caseworker, child=child, appeal_type="contents", plan=plan, sections=["I"])
    assert sen2_flags(request) == {**NONE, "OtherMediation": 1, "OtherTribunal": 1}
    # Another child's records never leak in, and many requests cost the same queries.
    other = refused_request(make_child())
    flags = sen2_flags_for_requests([request.pk, other.pk])
    assert flags[other.pk] == NONE


def test_bulk_flags_take_a_constant_number_of_queries(caseworker, django_assert_num_queries):
    requests = []
    for _ in range(3):
        child = make_child()
        request = refused_request(child)
        register_appeal(caseworker, child=child, request=request)
        requests.append(request.pk)
    with django_assert_num_queries(3):
        flags = sen2_flags_for_requests(requests)
    assert all(f["RequestTribunal"] == 1 for f in flags.values())


def test_a_plan_must_not_cease_while_an_appeal_against_ceasing_is_open(caseworker):
    child = make_child()
    plan = plan_for(child)
    plan.cease_proposed_on = D(2025, 10, 27)
    plan.cease_decided_on = D(2025, 10, 27)
    plan.save()
    assert not cease_appeal_pending(plan)
    position = cease_position(plan)
    assert position.appeal_deadline is not None
    assert position.appeal_deadline.due == D(2026, 1, 2)  # Sat 27 Dec 2025 -> Fri 2 Jan 2026
    appeal = register_appeal(
        caseworker, child=child, appeal_type="cease", plan=plan, decision_notice_on=D(2025, 10, 27)
    )
    assert cease_appeal_pending(plan)
    assert cease_position(plan).pending
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 5))
    assert cease_appeal_pending(plan)
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="dismissed", decided_on=D(2026, 3, 2)
    )
    assert not cease_appeal_pending(plan)
    assert cease_position(plan).decided_appeal == appeal
