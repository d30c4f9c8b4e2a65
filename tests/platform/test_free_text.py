"""Every box of free text has a length: the GOV.UK character count on the page, the Design
System's message on the form, and the model's check behind the API."""

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from reviews import services as reviews
from send_cms.accounts.models import User
from send_cms.common.models import FREE_TEXT_TOO_LONG
from tests.factories import AssessmentRequestFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_a_box_of_free_text_shows_its_limit_and_refuses_more(
    caseworker_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)
    url = reverse("cases:request-decision", args=[request.pk])
    page = caseworker_client.get(url).content.decode()
    group = re.search(r'<div class="govuk-form-group govuk-character-count"[^>]*>', page)
    assert group is not None
    assert 'data-module="govuk-character-count"' in group[0]
    assert 'data-maxlength="5000"' in group[0]
    textarea = re.search(r"<textarea[^>]*>", page)
    assert textarea is not None
    assert "govuk-js-character-count" in textarea[0]
    assert "maxlength" not in textarea[0]  # a pasted text is not cut off without a word
    assert "id_reasons-info" in textarea[0]
    assert '<div id="id_reasons-info" class="govuk-hint govuk-character-count__message">' in page
    assert "You can enter up to 5,000 characters" in page
    response = caseworker_client.post(
        url,
        {
            "decision": "assess",
            "decided_on_day": "13",
            "decided_on_month": "10",
            "decided_on_year": "2025",
            "reasons": "x" * 10_000,
        },
    )
    assert response.status_code == 200
    assert "Reasons must be 5,000 characters or less" in response.content.decode()
    request.refresh_from_db()
    assert request.decided_on is None


def test_the_api_refuses_a_text_longer_than_the_limit(caseworker_api: APIClient) -> None:
    review = reviews.annual_review_open_first(plan=PlanFactory.create())
    reviews.review_invitations_send(
        actor=None,
        review=review,
        sent_on=dt.date(2026, 4, 1),
        meeting_planned_on=dt.date(2026, 5, 1),
    )
    response = caseworker_api.post(
        f"/api/v1/annual-reviews/{review.pk}/meeting/",
        {"held_on": "2026-05-01", "attendees": "Parent, SENCO. " * 700},
    )
    assert response.status_code == 400
    assert response.json() == {"attendees": [FREE_TEXT_TOO_LONG]}
    review.refresh_from_db()
    assert review.meeting_on is None


def test_the_casework_api_refuses_reasons_longer_than_the_limit(
    caseworker_api: APIClient, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)
    response = caseworker_api.post(
        f"/api/v1/assessment-requests/{request.pk}/decision/",
        {"decision": "assess", "decided_on": "2025-10-13", "reasons": "x" * 5001},
    )
    assert response.status_code == 400
    assert FREE_TEXT_TOO_LONG in str(response.json())
    request.refresh_from_db()
    assert request.decided_on is None
