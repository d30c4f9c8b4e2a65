"""Several kinds of advice in one request, and the kinds of regulation 6(1) (issue 13, item 7).

One form asks several advisers on one day, each with its provider, all or nothing. The family's
own advice (regulation 6(1)(a)) has no 6 weeks; preparing-for-adulthood advice (6(1)(g)) has.
"""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases import messages as msg
from cases import services
from cases.codes import AdviceKind
from cases.models import AdviceRequest, AssessmentRequest
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import recompute_for_children
from tests.factories import AdviceRequestFactory, AssessmentRequestFactory

pytestmark = pytest.mark.django_db

REQUESTED = dt.date(2025, 10, 14)  # Tue: the advisers' 6 weeks end Tue 25 Nov 2025


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def assessing(caseworker: User) -> AssessmentRequest:
    return AssessmentRequestFactory.create(assessing=True, child__caseworker=caseworker)


def _post(client: Client, request: AssessmentRequest, data: dict[str, Any]) -> Any:
    return client.post(
        reverse("cases:request-advice", args=[request.pk]),
        {
            "requested_on_day": str(REQUESTED.day),
            "requested_on_month": str(REQUESTED.month),
            "requested_on_year": str(REQUESTED.year),
            **data,
        },
    )


def test_the_kinds_of_regulation_6_are_all_offered(caseworker_client, assessing) -> None:
    html = caseworker_client.get(reverse("cases:request-advice", args=[assessing.pk])).content
    page = html.decode()

    labels = re.findall(r'govuk-checkboxes__label" for="id_kinds_\d+">([^<]+)</label>', page)
    assert labels == [
        "Educational",
        "Educational psychology",
        "Health",
        "Social care",
        "Parent or young person",
        "Preparing for adulthood (from year 9)",
        "Other",
    ]
    # Each kind has its own adviser box, named for screen readers.
    assert 'name="provider_preparing_for_adulthood"' in page
    assert 'Adviser or service<span class="govuk-visually-hidden"> for parent or young' in page


def test_four_kinds_are_requested_in_one_go_each_with_its_adviser(
    caseworker_client, assessing
) -> None:
    response = _post(
        caseworker_client,
        assessing,
        {
            "kinds": ["educational", "psychological", "health", "parent"],
            "provider_educational": "Oak Primary School (SENCO)",
            "provider_psychological": "Demo EP Service",
            "provider_health": "Designated clinical officer",
            "provider_parent": "Grace Okoro (mother)",
            "provider_social_care": "Typed but not ticked",
        },
    )

    assert response.status_code == 302
    page = caseworker_client.get(response["Location"]).content.decode()
    assert (
        "4 kinds of advice requested: Educational advice, Educational psychology advice, "
        "Health advice, Parent&#x27;s or young person&#x27;s advice"
    ) in page
    advisers = dict(assessing.advice_requests.values_list("kind", "provider"))
    assert advisers == {
        "educational": "Oak Primary School (SENCO)",
        "psychological": "Demo EP Service",
        "health": "Designated clinical officer",
        "parent": "Grace Okoro (mother)",
    }
    assert set(assessing.advice_requests.values_list("requested_on", flat=True)) == {REQUESTED}
    assert AuditEvent.objects.filter(action="advice_request.created").count() == 4


def test_no_kind_ticked_asks_for_one(caseworker_client, assessing) -> None:
    response = _post(caseworker_client, assessing, {"provider_health": "DCO"})

    assert response.status_code == 200
    page = response.content.decode()
    error_summary = page.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", error_summary) == [msg.ADVICE_KINDS_NEEDED]
    assert f'<span class="govuk-visually-hidden">Error:</span> {msg.ADVICE_KINDS_NEEDED}' in page
    # What was typed is kept.
    assert 'value="DCO"' in page
    assert not assessing.advice_requests.exists()


def test_one_kind_still_awaited_refuses_them_all(caseworker_client, assessing) -> None:
    AdviceRequestFactory.create(request=assessing, kind="health", requested_on=REQUESTED)

    response = _post(
        caseworker_client, assessing, {"kinds": ["psychological", "health", "social_care"]}
    )

    assert response.status_code == 200
    assert (
        msg.ADVICE_ALREADY_OUTSTANDING.format(kind="Health advice", requested_on="14 Oct 2025")
        in response.content.decode()
    )
    assert list(assessing.advice_requests.values_list("kind", flat=True)) == ["health"]


def test_the_service_reports_every_refusal_at_once_and_records_nothing(
    caseworker: User, assessing: AssessmentRequest
) -> None:
    AdviceRequestFactory.create(request=assessing, kind="health", requested_on=REQUESTED)

    with pytest.raises(ValidationError) as refused:
        services.advice_requests_create(
            actor=caseworker,
            request=assessing,
            requested_on=dt.date(2025, 10, 1),  # before the decision to assess on 13 Oct
            advisers=[("psychological", "EPS"), ("health", ""), ("social_care", "")],
        )

    assert refused.value.message_dict == {
        "requested_on": [msg.ADVICE_BEFORE_DECISION.format(decided_on="13 Oct 2025")],
        "kinds": [
            msg.ADVICE_ALREADY_OUTSTANDING.format(kind="Health advice", requested_on="14 Oct 2025")
        ],
    }
    assert assessing.advice_requests.count() == 1


def test_the_familys_advice_has_no_time_limit_and_preparing_for_adulthood_has_six_weeks(
    caseworker: User, assessing: AssessmentRequest
) -> None:
    family, adulthood = services.advice_requests_create(
        actor=caseworker,
        request=assessing,
        requested_on=REQUESTED,
        advisers=[("parent", ""), ("preparing_for_adulthood", "Careers service")],
    )
    recompute_for_children([assessing.child_id], today=dt.date(2025, 12, 1))

    assert not Deadline.objects.filter(subject_id=family.pk).exists()
    stored = Deadline.objects.get(subject_id=adulthood.pk)
    assert stored.title == "Preparing for adulthood advice due (Careers service)"
    assert (stored.due_on, stored.status) == (dt.date(2025, 11, 25), "overdue")
    assert str(family) == "Parent's or young person's advice requested 14 Oct 2025"


def test_the_advice_tracker_never_counts_the_familys_advice_overdue(
    caseworker_client, assessing
) -> None:
    AdviceRequestFactory.create(request=assessing, kind="parent", provider="")
    AdviceRequestFactory.create(request=assessing, kind="health", provider="")

    page = caseworker_client.get(reverse("cases:advice-tracker")).content.decode()

    counts, listed = page.split('<table class="govuk-table" id="advice">', 1)
    numbers = counts.split("Parent or young person", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"numeric\">\s*(\d+)\s*</td>", numbers) == ["1", "0"]
    family_row = listed.split("Parent or young person", 1)[1].split("</tr>", 1)[0]
    assert "No time limit" in family_row
    assert "Overdue" not in family_row
    health_row = listed.split("Health", 1)[1].split("</tr>", 1)[0]
    assert "Overdue" in health_row


def test_the_api_gives_the_familys_advice_no_due_date(caseworker_api: APIClient) -> None:
    family = AdviceRequestFactory.create(kind="parent", provider="")

    body = caseworker_api.get(f"/api/v1/advice-requests/{family.pk}/").json()

    assert (body["kind"], body["due"], body["deadline_status"]) == (
        "parent",
        None,
        "not_applicable",
    )


@pytest.mark.parametrize("kind", [k.value for k in AdviceKind])
def test_every_kind_can_be_requested_through_the_api(caseworker_api: APIClient, kind: str) -> None:
    request = AssessmentRequestFactory.create(assessing=True)

    response = caseworker_api.post(
        f"/api/v1/assessment-requests/{request.pk}/advice-requests/",
        {"kind": kind, "requested_on": "2025-10-14"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert AdviceRequest.objects.get(request=request).kind == kind
