"""What fuzzing the API found, each now a 400 with the field's message instead of a server error:
a decision to cease dated before the law began, an id too big for any column, a search of a
thousand words; and a reference with a line break that broke the chronology's file name."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Plan, PlanStatus
from reviews import services as reviews
from send_cms.common.downloads import content_disposition, safe_filename
from send_cms.common.search import ID_INVALID, SEARCH_TOO_LONG, SEARCH_TOO_MANY_WORDS
from tests.factories import ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_a_decision_to_cease_dated_2000_is_a_400_on_its_field(caseworker_api: APIClient) -> None:
    plan = PlanFactory.create()
    response = caseworker_api.post(
        f"/api/v1/plans/{plan.pk}/cease/",
        {"decided_on": "2000-01-01", "ceased_on": "2026-11-30", "reason": 1},
    )
    assert response.status_code == 400
    assert response.json() == {
        "decided_on": ["The decision to cease cannot be before the plan was issued on 12 Jan 2026."]
    }
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_a_decision_before_the_law_began_on_a_plan_from_before_it_is_a_400(
    caseworker_api: APIClient,
) -> None:
    plan = PlanFactory.create(request=None, issued_on=dt.date(2013, 5, 1))
    response = caseworker_api.post(
        f"/api/v1/plans/{plan.pk}/cease/",
        {"decided_on": "2014-06-01", "ceased_on": "2026-11-30", "reason": 1},
    )
    assert response.status_code == 400
    assert response.json() == {
        "decided_on": [
            "The date of the decision must be on or after 1 Sep 2014, when the time limit began."
        ]
    }
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE


@pytest.mark.parametrize(
    "path",
    ["children/", "assessment-requests/", "plans/", "annual-reviews/"],
)
@pytest.mark.parametrize("value", ["1e30", "99999999999999999999", "1.5", "-3"])
def test_an_impossible_caseworker_id_is_a_400(
    manager_api: APIClient, path: str, value: str
) -> None:
    response = manager_api.get(f"/api/v1/{path}?caseworker={value}")
    assert response.status_code == 400
    assert response.json() == {"caseworker": [ID_INVALID]}


@pytest.mark.parametrize("path", ["children/", "assessment-requests/", "establishments/"])
def test_a_search_is_bounded(caseworker_api: APIClient, path: str) -> None:
    words = caseworker_api.get(f"/api/v1/{path}", {"q": " ".join(["a"] * 1000)})
    assert words.status_code == 400
    assert words.json() == {"q": [SEARCH_TOO_LONG]}
    many = caseworker_api.get(f"/api/v1/{path}", {"q": " ".join(["ab"] * 11)})
    assert many.status_code == 400
    assert many.json() == {"q": [SEARCH_TOO_MANY_WORDS]}
    assert caseworker_api.get(f"/api/v1/{path}", {"q": "Ava Okoro"}).status_code == 200


def test_the_caseload_ignores_a_filter_the_user_does_not_have(
    caseworker_client: Client,
) -> None:
    response = caseworker_client.get("/cases/?caseworker=1e30&q=Ava")
    assert response.status_code == 200
    assert [tag.heading for tag in response.context["filter_tags"]] == ["Name, reference or UPN"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("chronology-999-2026-00001.pdf", "chronology-999-2026-00001.pdf"),
        ('chronology-AB\r\n"12".pdf', "chronology-AB-12.pdf"),
        ("chronology-../../etc/passwd.pdf", "chronology-etc-passwd.pdf"),
        ("reviews-due-summer-2026.csv", "reviews-due-summer-2026.csv"),
        ("Zoë  Åberg.pdf", "Zoë Åberg.pdf"),
        ('"\n".pdf', "download.pdf"),
    ],
)
def test_every_download_name_is_made_safe(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_a_non_ascii_name_is_encoded_as_rfc_6266_asks() -> None:
    assert content_disposition("Zoë.pdf", inline=True) == ("inline; filename*=utf-8''Zo%C3%AB.pdf")


def test_the_chronology_of_a_child_with_a_line_break_in_the_reference_downloads(
    caseworker_client: Client, caseworker: object
) -> None:
    child = ChildFactory.create(reference='AB\n"12', caseworker=caseworker)  # an old record
    response = caseworker_client.get(f"/tribunals/children/{child.pk}/chronology.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="chronology-AB-12.pdf"'


def test_a_review_meeting_dated_2000_is_a_400_on_its_field(caseworker_api: APIClient) -> None:
    plan = PlanFactory.create()
    review = reviews.annual_review_open_first(plan=plan)
    invited = caseworker_api.post(
        f"/api/v1/annual-reviews/{review.pk}/invitations/",
        {"sent_on": "2026-10-01", "meeting_planned_on": "2000-01-01"},
    )
    assert invited.status_code == 400
    assert invited.json() == {
        "meeting_planned_on": [
            "The meeting cannot be before the plan was issued or last reviewed on 12 Jan 2026"
        ]
    }
    reviews.review_invitations_send(
        actor=None,
        review=review,
        sent_on=dt.date(2026, 10, 1),
        meeting_planned_on=dt.date(2026, 11, 2),
    )
    held = caseworker_api.post(
        f"/api/v1/annual-reviews/{review.pk}/meeting/", {"held_on": "2000-01-01"}
    )
    assert held.status_code == 400
    assert list(held.json()) == ["held_on"]
