"""/api/v1/annual-reviews/: bodies, actions, 400s and 409s, roles (api.md "Annual reviews")."""

import datetime as dt

import pytest

from reviews import services
from reviews.models import AnnualReview
from reviews.workflow import DECISION_NEEDS_MEETING, FINAL_NEEDS_AMENDMENTS

D = dt.date
pytestmark = pytest.mark.django_db
URL = "/api/v1/annual-reviews/"


def test_list_and_retrieve_have_the_contract_fields(caseworker_api, review, plan) -> None:
    response = caseworker_api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == str(review.pk)
    assert item["plan"] == str(plan.pk)
    assert item["due_on"] == "2026-03-09"
    for key in (
        "meeting_on",
        "decision",
        "decision_issued_on",
        "amendments_issued_on",
        "final_amended_issued_on",
    ):
        assert key in item
    assert item["phase_transfer"] is False
    first = item["deadlines"][0]
    assert {k: first[k] for k in ("rule", "title", "due", "met_on", "status")} == {
        "rule": "annual_review",
        "title": "Annual review due",
        "due": "2026-03-09",
        "met_on": None,
        "status": "overdue",
    }
    detail = caseworker_api.get(f"{URL}{review.pk}/").json()
    assert detail["due_on"] == "2026-03-09"


def test_the_four_actions_in_order(caseworker_api, review, plan) -> None:
    meeting = caseworker_api.post(
        f"{URL}{review.pk}/meeting/", {"held_on": "2026-01-29", "attendees": "Parent"}
    )
    assert meeting.status_code == 200, meeting.json()
    assert meeting.json()["meeting_on"] == "2026-01-29"
    dues = {d["rule"]: d["due"] for d in meeting.json()["deadlines"]}
    assert dues["review_decision"] == "2026-02-26"
    assert dues["review_longstop"] == "2026-04-23"
    decision = caseworker_api.post(
        f"{URL}{review.pk}/decision/", {"decision": "amend", "issued_on": "2026-02-23"}
    )
    assert decision.json()["decision"] == "amend"
    assert decision.json()["decision_issued_on"] == "2026-02-23"
    amendments = caseworker_api.post(f"{URL}{review.pk}/amendments/", {"issued_on": "2026-02-23"})
    dues = {d["rule"]: d["due"] for d in amendments.json()["deadlines"]}
    assert dues["review_representations"] == "2026-03-09"
    assert dues["review_final_amended_plan"] == "2026-04-20"
    final = caseworker_api.post(
        f"{URL}{review.pk}/final-amended-plan/", {"issued_on": "2026-04-20"}
    )
    assert final.status_code == 200
    assert final.json()["final_amended_issued_on"] == "2026-04-20"
    assert final.json()["status"] == "amended"
    upcoming = caseworker_api.get(URL, {"plan": str(plan.pk), "open": "true"}).json()
    assert [r["due_on"] for r in upcoming["results"]] == ["2027-02-22"]


def test_a_decision_before_the_meeting_is_409(caseworker_api, review) -> None:
    response = caseworker_api.post(
        f"{URL}{review.pk}/decision/", {"decision": "maintain", "issued_on": "2026-02-01"}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": DECISION_NEEDS_MEETING}


def test_a_final_amended_plan_before_amendments_is_409(caseworker_api, review, caseworker):
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 2, 2))
    services.review_decision_issue(
        actor=caseworker, review=review, decision="amend", issued_on=D(2026, 2, 20)
    )
    response = caseworker_api.post(
        f"{URL}{review.pk}/final-amended-plan/", {"issued_on": "2026-04-01"}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": FINAL_NEEDS_AMENDMENTS}


def test_rule_failures_are_400_keyed_by_field(caseworker_api, review) -> None:
    future = caseworker_api.post(f"{URL}{review.pk}/meeting/", {"held_on": "2026-06-02"})
    assert future.status_code == 400
    assert future.json() == {"held_on": [services.IN_FUTURE.format(label="The meeting date")]}
    shape = caseworker_api.post(f"{URL}{review.pk}/meeting/", {"held_on": "29/01/2026"})
    assert shape.status_code == 400
    assert list(shape.json()) == ["held_on"]
    caseworker_api.post(f"{URL}{review.pk}/meeting/", {"held_on": "2026-02-02"})
    early = caseworker_api.post(
        f"{URL}{review.pk}/decision/", {"decision": "amend", "issued_on": "2026-02-01"}
    )
    assert early.status_code == 400
    assert early.json() == {
        "issued_on": [services.DECISION_BEFORE_MEETING.format(date="2 Feb 2026")]
    }
    unknown = caseworker_api.post(
        f"{URL}{review.pk}/decision/", {"decision": "pause", "issued_on": "2026-02-03"}
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"decision": [services.DECISION_UNKNOWN]}


def test_roles(manager_api, panel_member_api, admin_api, review) -> None:
    assert manager_api.get(URL).status_code == 200
    body = {"held_on": "2026-01-29"}
    assert manager_api.post(f"{URL}{review.pk}/meeting/", body).status_code == 403
    assert panel_member_api.get(URL).status_code == 403
    assert panel_member_api.get(f"{URL}{review.pk}/").status_code == 403
    assert admin_api.post(f"{URL}{review.pk}/meeting/", body).status_code == 200
    assert AnnualReview.objects.get(pk=review.pk).meeting_on == D(2026, 1, 29)


def test_anonymous_is_401(api_client, review) -> None:
    assert api_client.get(URL).status_code == 401


def test_an_unknown_review_is_404(caseworker_api, db) -> None:
    assert caseworker_api.get(f"{URL}00000000-0000-0000-0000-000000000001/").status_code == 404
