"""Each casework form: the happy path (redirect, success banner, the step recorded) and the
refusal shown in the GOV.UK error summary with the services' own words, the typed data kept."""

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases import forms as case_forms
from cases import messages as msg
from cases import workflow
from cases.fields import SETTING_NONE
from cases.models import (
    AssessmentRequest,
    Child,
    DraftConsultation,
    Plan,
    RequestStatus,
    TimelineEntry,
)
from cases.validators import UPN_CHECK_LETTER
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.timescales import refusal_message
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def day(name: str, value: dt.date) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: three boxes."""
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def summary(response: Any) -> list[str]:
    """The messages of the GOV.UK error summary, as the user reads them."""
    text = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in text
    body = text.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", body, re.S)
    ]


def banner(client: Client, response: Any) -> str:
    """Follow the redirect back to the case; the success banner's text."""
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    found = re.search(r'govuk-notification-banner__heading">(.*?)</p>', page)
    assert found, "no success banner"
    return html.unescape(found[1])


@pytest.fixture
def received(caseworker: User) -> AssessmentRequest:
    return AssessmentRequestFactory.create(child__caseworker=caseworker)


@pytest.fixture
def assessing(caseworker: User) -> AssessmentRequest:
    return AssessmentRequestFactory.create(assessing=True, child__caseworker=caseworker)


def url(name: str, *args: Any) -> str:
    return reverse(f"cases:{name}", args=args)


# --- decision to assess --------------------------------------------------------------------------
def test_recording_the_decision_to_assess(
    caseworker_client: Client, received: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-decision", received.pk),
        {"decision": "assess", **day("decided_on", dt.date(2025, 10, 13)), "reasons": "Needs"},
    )
    assert response["Location"] == url("child-detail", received.child_id)
    assert banner(caseworker_client, response) == "Decision to assess recorded"
    received.refresh_from_db()
    assert received.status == RequestStatus.ASSESSING
    assert received.decided_on == dt.date(2025, 10, 13)
    assert TimelineEntry.objects.filter(request=received, title="Decided to assess").exists()


def test_a_second_decision_is_refused_in_the_error_summary(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-decision", assessing.pk),
        {"decision": "not_assess", **day("decided_on", dt.date(2025, 10, 20))},
    )
    assert summary(response) == [workflow.DECISION_ALREADY_MADE]


def test_a_decision_before_the_request_is_refused_on_its_field_keeping_what_was_typed(
    caseworker_client: Client, received: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-decision", received.pk),
        {
            "decision": "assess",
            **day("decided_on", dt.date(2025, 9, 1)),
            "reasons": "Typed reasons",
        },
    )
    assert summary(response) == [msg.DECISION_BEFORE_RECEIPT.format(received_on="8 Sep 2025")]
    page = response.content.decode()
    assert '<a href="#id_decided_on_day">' in page
    assert (
        'name="decided_on_day" type="text" inputmode="numeric" autocomplete="off" value="1"' in page
    )
    assert "Typed reasons</textarea>" in page
    assert 'value="assess" checked' in page


def test_a_decision_in_the_future_is_refused(
    caseworker_client: Client, received: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-decision", received.pk),
        {"decision": "assess", **day("decided_on", dt.date(2026, 2, 3))},
    )
    assert summary(response) == [msg.DATE_IN_FUTURE.format(label="The date of the decision")]


def test_a_form_left_empty_says_what_to_enter(
    caseworker_client: Client, received: AssessmentRequest
) -> None:
    response = caseworker_client.post(url("request-decision", received.pk), {})
    assert summary(response) == ["Select decision", "Enter date of the decision"]


# --- advice --------------------------------------------------------------------------------------
def test_requesting_and_receiving_advice(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-advice", assessing.pk),
        {
            "kinds": "psychological",
            **day("requested_on", dt.date(2025, 10, 14)),
            "provider_psychological": "EPS",
        },
    )
    assert banner(caseworker_client, response) == "Educational psychology advice requested"
    advice = assessing.advice_requests.get()
    response = caseworker_client.post(
        url("advice-receive", assessing.pk, advice.pk),
        day("received_on", dt.date(2025, 11, 20)),
    )
    assert banner(caseworker_client, response) == "Educational psychology advice received"
    advice.refresh_from_db()
    assert advice.received_on == dt.date(2025, 11, 20)


def test_advice_before_the_decision_to_assess_is_refused(
    caseworker_client: Client, received: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-advice", received.pk),
        {"kinds": "health", **day("requested_on", dt.date(2025, 9, 10))},
    )
    assert summary(response) == [workflow.ADVICE_NEEDS_ASSESSMENT]


def test_advice_already_awaited_is_refused_on_the_kind(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    AdviceRequestFactory.create(request=assessing, kind="health")
    response = caseworker_client.post(
        url("request-advice", assessing.pk),
        {"kinds": "health", **day("requested_on", dt.date(2025, 10, 20))},
    )
    assert summary(response) == [
        msg.ADVICE_ALREADY_OUTSTANDING.format(kind="Health advice", requested_on="14 Oct 2025")
    ]


def test_advice_received_twice_is_refused(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    advice = AdviceRequestFactory.create(request=assessing, received_on=dt.date(2025, 11, 1))
    response = caseworker_client.post(
        url("advice-receive", assessing.pk, advice.pk), day("received_on", dt.date(2025, 11, 2))
    )
    assert summary(response) == [workflow.ADVICE_ALREADY_RECEIVED]


def test_returning_advice_for_quality_and_receiving_it_again(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    advice = AdviceRequestFactory.create(request=assessing, received_on=dt.date(2025, 11, 1))
    too_early = caseworker_client.post(
        url("advice-return", assessing.pk, advice.pk), day("returned_on", dt.date(2025, 10, 30))
    )
    assert summary(too_early) == [
        msg.ADVICE_RETURNED_BEFORE_RECEIVED.format(received_on="1 Nov 2025")
    ]
    returned = caseworker_client.post(
        url("advice-return", assessing.pk, advice.pk), day("returned_on", dt.date(2025, 11, 3))
    )
    assert (
        banner(caseworker_client, returned) == "Educational psychology advice returned for quality"
    )
    again = caseworker_client.post(
        url("advice-re-receive", assessing.pk, advice.pk),
        day("received_on", dt.date(2025, 11, 17)),
    )
    assert banner(caseworker_client, again) == "Corrected educational psychology advice received"


def test_advice_of_another_request_is_not_found(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    elsewhere = AdviceRequestFactory.create()
    response = caseworker_client.get(url("advice-receive", assessing.pk, elsewhere.pk))
    assert response.status_code == 404


# --- exceptions ----------------------------------------------------------------------------------
def test_recording_an_exception(caseworker_client: Client, assessing: AssessmentRequest) -> None:
    response = caseworker_client.post(
        url("request-exception", assessing.pk),
        {
            "kind": "personal_circumstances",
            "rule": "final_plan",
            **day("starts_on", dt.date(2025, 11, 3)),
            "reason": "In hospital",
        },
    )
    assert banner(caseworker_client, response) == "Exception recorded"
    assert assessing.exceptions.get().kind == "personal_circumstances"


def test_an_exception_the_law_does_not_allow_is_refused(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-exception", assessing.pk),
        {
            "kind": "missed_appointment",
            "rule": "final_plan",
            **day("starts_on", dt.date(2025, 11, 3)),
        },
    )
    assert summary(response) == [refusal_message("missed_appointment", "final_plan")]


def test_an_exception_to_the_advice_time_limit_needs_the_advice_request(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    advice = AdviceRequestFactory.create(request=assessing)
    form = caseworker_client.get(url("request-exception", assessing.pk)).content.decode()
    assert f'<option value="{advice.pk}">' in form
    response = caseworker_client.post(
        url("request-exception", assessing.pk),
        {"kind": "missed_appointment", "rule": "advice", **day("starts_on", dt.date(2025, 11, 3))},
    )
    assert summary(response) == [msg.EXCEPTION_NEEDS_ADVICE_REQUEST]


# --- decision to issue, draft, consultations, final plan ----------------------------------------
def test_recording_the_decision_to_issue(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-issue-decision", assessing.pk),
        {"decision": "issue", **day("decided_on", dt.date(2025, 12, 1))},
    )
    assert banner(caseworker_client, response) == "Decision to issue a plan recorded"
    assessing.refresh_from_db()
    assert assessing.status == RequestStatus.ISSUING


def test_the_decision_to_issue_needs_the_decision_to_assess(
    caseworker_client: Client, received: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-issue-decision", received.pk),
        {"decision": "issue", **day("decided_on", dt.date(2025, 12, 1))},
    )
    assert summary(response) == [workflow.ISSUE_DECISION_NEEDS_ASSESSMENT]


def test_issuing_the_draft_with_the_familys_preferred_setting(
    caseworker_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(issuing=True, child__caseworker=caseworker)
    school = EstablishmentFactory.create(urn="654321", name="Brook Special School")
    unknown = caseworker_client.post(
        url("request-draft-plan", request.pk),
        {**day("issued_on", dt.date(2025, 12, 8)), "preferred_setting": "999999"},
    )
    assert summary(unknown) == [SETTING_NONE.format(text="999999")]
    response = caseworker_client.post(
        url("request-draft-plan", request.pk),
        {**day("issued_on", dt.date(2025, 12, 8)), "preferred_setting": "654321"},
    )
    assert banner(caseworker_client, response) == "Draft plan issued"
    request.refresh_from_db()
    assert request.preferred_setting == school


def test_the_draft_needs_the_decision_to_issue(
    caseworker_client: Client, assessing: AssessmentRequest
) -> None:
    response = caseworker_client.post(
        url("request-draft-plan", assessing.pk), day("issued_on", dt.date(2025, 12, 8))
    )
    assert summary(response) == [workflow.DRAFT_NEEDS_ISSUE_DECISION]


def test_consulting_a_setting_and_recording_its_reply(
    caseworker_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(issuing=True, child__caseworker=caseworker)
    EstablishmentFactory.create(urn="222222", name="River School")
    response = caseworker_client.post(
        url("request-consultation", request.pk),
        {"establishment": "222222", **day("sent_on", dt.date(2025, 12, 2))},
    )
    assert banner(caseworker_client, response) == "Consultation with River School recorded"
    consultation = request.consultations.get()
    page = caseworker_client.get(url("child-detail", request.child_id)).content.decode()
    assert url("consultation-reply", request.pk, consultation.pk) in page
    reply = caseworker_client.post(
        url("consultation-reply", request.pk, consultation.pk),
        {"reply": "can_meet", **day("replied_on", dt.date(2025, 12, 10))},
    )
    assert banner(caseworker_client, reply) == "Reply from River School recorded"
    consultation.refresh_from_db()
    assert consultation.reply == DraftConsultation.Reply.CAN_MEET


def test_issuing_the_final_plan_after_the_familys_15_days(
    caseworker_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(draft_issued=True, child__caseworker=caseworker)
    school = EstablishmentFactory.create(urn="333333")
    inside = caseworker_client.post(
        url("request-final-plan", request.pk),
        {**day("issued_on", dt.date(2025, 12, 15)), "primary_need": "ASD"},
    )
    assert summary(inside) == [
        msg.FINAL_INSIDE_DRAFT_WINDOW.format(earliest="23 Dec 2025", served="8 Dec 2025")
    ]
    response = caseworker_client.post(
        url("request-final-plan", request.pk),
        {
            **day("issued_on", dt.date(2026, 1, 12)),
            "primary_need": "ASD",
            "secondary_need": "SLCN",
            "establishment": "333333",
        },
    )
    assert banner(caseworker_client, response) == "Final plan issued"
    plan = Plan.objects.get(request=request)
    assert (plan.primary_need, plan.secondary_need) == ("ASD", "SLCN")
    assert plan.named_settings.get().establishment == school


def test_the_final_plan_before_the_draft_is_refused(
    caseworker_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(issuing=True, child__caseworker=caseworker)
    response = caseworker_client.post(
        url("request-final-plan", request.pk),
        {**day("issued_on", dt.date(2026, 1, 12)), "primary_need": "ASD"},
    )
    assert summary(response) == [workflow.FINAL_NEEDS_DRAFT]


def test_the_final_plan_form_checks_its_own_fields(
    caseworker_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(draft_issued=True, child__caseworker=caseworker)
    EstablishmentFactory.create(urn="444444")
    both = caseworker_client.post(
        url("request-final-plan", request.pk),
        {
            **day("issued_on", dt.date(2026, 1, 12)),
            "primary_need": "ASD",
            "establishment": "444444",
            "sen_setting": "EHE",
        },
    )
    assert summary(both) == [case_forms.SETTING_AND_TYPE]
    same = caseworker_client.post(
        url("request-final-plan", request.pk),
        {**day("issued_on", dt.date(2026, 1, 12)), "primary_need": "ASD", "secondary_need": "ASD"},
    )
    assert summary(same) == [msg.SECONDARY_NEED_SAME]


# --- withdrawal and transfer ---------------------------------------------------------------------
def test_withdrawing_a_request(caseworker_client: Client, received: AssessmentRequest) -> None:
    early = caseworker_client.post(
        url("request-withdraw", received.pk),
        {**day("withdrawn_on", dt.date(2025, 9, 1)), "reason": "Moved away"},
    )
    assert summary(early) == [msg.WITHDRAWAL_BEFORE_RECEIPT.format(received_on="8 Sep 2025")]
    response = caseworker_client.post(
        url("request-withdraw", received.pk),
        {**day("withdrawn_on", dt.date(2025, 9, 20)), "reason": "Moved away"},
    )
    assert banner(caseworker_client, response) == "Request withdrawn"
    received.refresh_from_db()
    assert received.status == RequestStatus.WITHDRAWN
    again = caseworker_client.post(
        url("request-withdraw", received.pk),
        {**day("withdrawn_on", dt.date(2025, 9, 21)), "reason": "Twice"},
    )
    assert summary(again) == [workflow.REQUEST_CLOSED.format(status="withdrawn")]


def test_transferring_a_request_out(caseworker_client: Client, received: AssessmentRequest) -> None:
    ours = caseworker_client.post(
        url("request-transfer-out", received.pk),
        {**day("transferred_on", dt.date(2025, 9, 20)), "new_la_code": "999"},
    )
    assert summary(ours) == [msg.LA_CODE_OURS.format(code="999")]
    response = caseworker_client.post(
        url("request-transfer-out", received.pk),
        {**day("transferred_on", dt.date(2025, 9, 20)), "new_la_code": "201"},
    )
    assert banner(caseworker_client, response) == "Transfer to another LA recorded"


# --- a new request, and a child added with it ----------------------------------------------------
def new_child(**extra: str) -> dict[str, str]:
    return {
        "first_name": "Noah",
        "last_name": "Baker",
        **day("date_of_birth", dt.date(2016, 5, 4)),
        "sex": "M",
        "postcode": "ab1 2cd",
        **day("received_date", dt.date(2026, 1, 5)),
        "received_time": "10:15am",
        "channel": "email",
        "source": "school",
        "requester_name": "Oak Hill Primary",
        **extra,
    }


def test_a_request_with_a_new_child(caseworker_client: Client, caseworker: User) -> None:
    response = caseworker_client.post(url("request-create"), new_child())
    child = Child.objects.get(last_name="Baker")
    assert response["Location"] == url("child-detail", child.pk)
    assert banner(caseworker_client, response) == "Request recorded for Noah Baker"
    assert child.caseworker == caseworker
    request = child.requests.get()
    assert request.received_on == dt.date(2026, 1, 5)
    assert request.source == "school"


def test_a_request_after_5pm_counts_from_the_next_working_day(
    caseworker_client: Client,
) -> None:
    caseworker_client.post(url("request-create"), new_child(received_time="17:30"))
    request = AssessmentRequest.objects.get(child__last_name="Baker")
    assert request.received_on == dt.date(2026, 1, 6)


def test_a_request_for_a_child_on_the_system(caseworker_client: Client, caseworker: User) -> None:
    child = ChildFactory.create(first_name="Isla", last_name="Reed", caseworker=caseworker)
    found = caseworker_client.get(url("request-create"), {"find": "reed"}).content.decode()
    assert f'href="?child={child.pk}"' in found
    form = caseworker_client.get(url("request-create"), {"child": str(child.pk)}).content.decode()
    assert "Isla Reed" in form
    assert 'name="first_name"' not in form
    fields = {
        k: v for k, v in new_child().items() if k.startswith(("received", "channel", "source"))
    }
    response = caseworker_client.post(f"{url('request-create')}?child={child.pk}", fields)
    assert banner(caseworker_client, response) == "Request recorded for Isla Reed"
    assert child.requests.count() == 1


def test_a_second_open_request_is_refused(caseworker_client: Client, caseworker: User) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)
    fields = {
        k: v for k, v in new_child().items() if k.startswith(("received", "channel", "source"))
    }
    response = caseworker_client.post(f"{url('request-create')}?child={request.child_id}", fields)
    assert summary(response) == [
        msg.SECOND_OPEN_REQUEST.format(name=request.child.full_name, received_on="8 Sep 2025")
    ]


def test_a_possible_duplicate_is_shown_and_needs_confirming(
    caseworker_client: Client, caseworker: User
) -> None:
    existing = ChildFactory.create(
        first_name="Noah", last_name="Baker", date_of_birth=dt.date(2016, 5, 4)
    )
    response = caseworker_client.post(url("request-create"), new_child())
    assert summary(response) == [msg.DUPLICATE_CHILD]
    page = response.content.decode()
    assert url("child-detail", existing.pk) in page
    assert f'href="?child={existing.pk}"' in page
    assert 'name="confirm_not_duplicate"' in page
    assert 'value="Noah"' in page  # nothing typed is lost
    assert Child.objects.filter(last_name="Baker").count() == 1

    confirmed = caseworker_client.post(url("request-create"), new_child(confirm_not_duplicate="on"))
    assert confirmed.status_code == 302
    assert Child.objects.filter(last_name="Baker").count() == 2


def test_the_same_upn_is_never_a_different_child(
    caseworker_client: Client, caseworker: User
) -> None:
    existing = ChildFactory.create(upn="A123456789012", upn_unknown="")
    response = caseworker_client.post(
        url("request-create"), new_child(upn="A123456789012", confirm_not_duplicate="on")
    )
    assert summary(response) == [msg.DUPLICATE_UPN.format(reference=existing.reference)]
    assert 'name="confirm_not_duplicate"' not in response.content.decode()


def test_a_refused_request_leaves_no_child_behind(caseworker_client: Client) -> None:
    response = caseworker_client.post(
        url("request-create"), new_child(**day("received_date", dt.date(2026, 2, 10)))
    )
    assert summary(response) == [msg.DATE_IN_FUTURE.format(label="The date received")]
    assert not Child.objects.filter(last_name="Baker").exists()


def test_a_time_that_is_not_a_time_is_refused(caseworker_client: Client) -> None:
    response = caseworker_client.post(url("request-create"), new_child(received_time="teatime"))
    assert summary(response) == [case_forms.TIME_INVALID]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9:30am", dt.time(9, 30)),
        ("2pm", dt.time(14, 0)),
        ("12am", dt.time(0, 0)),
        ("14:30", dt.time(14, 30)),
        ("14.05", dt.time(14, 5)),
        ("14", None),
        ("25:00", None),
        ("13pm", None),
    ],
)
def test_times_are_read_as_people_type_them(typed: str, expected: dt.time | None) -> None:
    assert case_forms.parse_time(typed) == expected


# --- the child, contacts and reallocation --------------------------------------------------------
def test_changing_a_childs_details(caseworker_client: Client, caseworker: User) -> None:
    child = ChildFactory.create(caseworker=caseworker, first_name="Ava")
    form = caseworker_client.get(url("child-edit", child.pk)).content.decode()
    assert 'value="Ava"' in form
    data = {
        "first_name": "Eva",
        "last_name": child.last_name,
        **day("date_of_birth", child.date_of_birth),
        "sex": "F",
        "ethnicity": "WBRI",
        "upn_unknown": "UN5",
    }
    bad = caseworker_client.post(
        url("child-edit", child.pk), {**data, "upn": "B123456789012", "upn_unknown": ""}
    )
    assert summary(bad) == [UPN_CHECK_LETTER]
    response = caseworker_client.post(url("child-edit", child.pk), data)
    assert banner(caseworker_client, response) == "Details saved"
    child.refresh_from_db()
    assert child.first_name == "Eva"


def test_adding_a_contact(caseworker_client: Client, caseworker: User) -> None:
    child = ChildFactory.create(caseworker=caseworker)
    missing = caseworker_client.post(
        url("contact-create", child.pk),
        {"name": "Grace", "relationship": "Mother", "preferred_contact": "email"},
    )
    assert summary(missing) == [msg.CONTACT_NEEDS_EMAIL]
    response = caseworker_client.post(
        url("contact-create", child.pk),
        {
            "name": "Grace",
            "relationship": "Mother",
            "preferred_contact": "email",
            "email": "grace@example.com",
            "parental_responsibility": "on",
        },
    )
    assert banner(caseworker_client, response) == "Grace added as a contact"
    assert child.contacts.get().parental_responsibility is True


def test_a_manager_reallocates_a_case(
    manager_client: Client, caseworker: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other", Role.CASEWORKER, first_name="Olu", last_name="Ade")
    child = ChildFactory.create(caseworker=caseworker)
    same = manager_client.post(
        url("child-reallocate", child.pk), {"caseworker": caseworker.pk, "reason": "Balance"}
    )
    assert summary(same) == [msg.ALREADY_ALLOCATED.format(name="Sam Okafor")]
    response = manager_client.post(
        url("child-reallocate", child.pk), {"caseworker": other.pk, "reason": "Balance"}
    )
    assert banner(manager_client, response) == "Case reallocated to Olu Ade"
    child.refresh_from_db()
    assert child.caseworker == other
    assert child.allocations.get().reason == "Balance"


def test_the_step_forms_are_plain_html_posts_that_need_no_javascript(
    caseworker_client: Client, received: AssessmentRequest
) -> None:
    page = caseworker_client.get(url("request-decision", received.pk)).content.decode()
    assert '<form method="post" novalidate>' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<button type="submit" class="govuk-button"' in page
    assert 'type="radio" name="decision"' in page
    overview = caseworker_client.get(url("child-detail", received.child_id)).content.decode()
    assert f'href="{url("request-decision", received.pk)}" role="button"' in overview
