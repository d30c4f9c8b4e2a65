"""The plan's content through the API: start, read, replace whole (with ETag and If-Match), the
checklist, the differences, and the PDFs; issued editions refuse changes with 409."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from cases import services
from cases.models import AssessmentRequest, Child, Plan
from cases.plan_content.models import PlanContent
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.cases.conftest import DRAFT_ON, FINAL_ON
from tests.cases.test_plan_content import receive_advice
from tests.factories import AssessmentRequestFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/plan-contents/"


@pytest.fixture
def drafting(
    today: dt.date, caseworker: User, at_stage: Callable[[str], AssessmentRequest]
) -> AssessmentRequest:
    request = at_stage("assessing")
    receive_advice(caseworker, request)
    services.assessment_request_decide_issue(
        actor=caseworker, request=request, decision="issue", decided_on=dt.date(2025, 12, 1)
    )
    return request


def plan_body(advice_id: str) -> dict[str, Any]:
    need, outcome, adulthood = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    return {
        "views": "I want to learn to cook.",
        "interests": "Cooking, music",
        "aspirations": "To live with friends",
        "placement": "Mainstream secondary school",
        "personal_budget_requested": True,
        "personal_budget_amount": "1200.00",
        "personal_budget_details": "Direct payments for a weekend club",
        "needs": [
            {"key": str(need), "section": "B", "need": "MLD", "description": "Reading age 7"},
            {"section": "D", "description": "Needs help with personal care"},
        ],
        "outcomes": [
            {"key": str(outcome), "description": "Reads a recipe", "needs": [str(need)]},
            {
                "key": str(adulthood),
                "description": "Cooks a meal",
                "adulthood": "independent_living",
            },
        ],
        "provision": [
            {
                "section": "F",
                "description": "Phonics teaching 1:1",
                "frequency": "4 sessions of 20 minutes a week",
                "duration": "Until the annual review",
                "provider": "Specialist teacher",
                "outcomes": [str(outcome)],
            },
            {"section": "H2", "description": "Cooking club", "outcomes": [str(adulthood)]},
        ],
        "advice": [
            {"advice_request": advice_id, "description": "Educational psychology advice"},
            {"description": "School report", "author": "Oak Hill", "dated": "2025-11-01"},
        ],
    }


def test_a_plan_round_trips_through_the_api(
    caseworker_api: APIClient, drafting: AssessmentRequest, child: Child
) -> None:
    started = caseworker_api.post(URL, {"child": str(child.pk)}, format="json")
    assert started.status_code == 201, started.json()
    again = caseworker_api.post(URL, {"child": str(child.pk)}, format="json")
    assert (again.status_code, again.json()["id"]) == (200, started.json()["id"])
    url = f"{URL}{started.json()['id']}/"
    advice = drafting.advice_requests.get(kind="psychological")

    body = plan_body(str(advice.pk))
    put = caseworker_api.put(url, body, format="json", HTTP_IF_MATCH=started["ETag"])
    assert put.status_code == 200, put.json()
    read = caseworker_api.get(url)
    data = read.json()
    assert read["ETag"] == put["ETag"]
    assert data["stage"] == "draft"
    assert data["views"] == "I want to learn to cook."
    assert data["personal_budget_amount"] == "1200.00"
    assert [(n["ref"], n["section"]) for n in data["needs"]] == [("B1", "B"), ("D1", "D")]
    assert data["needs"][0]["key"] == body["needs"][0]["key"]
    assert data["outcomes"][0]["needs"] == [body["needs"][0]["key"]]
    assert [(p["ref"], p["outcomes"]) for p in data["provision"]] == [
        ("F.1", [body["outcomes"][0]["key"]]),
        ("H2.1", [body["outcomes"][1]["key"]]),
    ]
    assert data["advice"][0]["advice_request"] == str(advice.pk)
    assert data["advice"][1]["dated"] == "2025-11-01"

    # Sending back what was read changes nothing.
    same = caseworker_api.put(url, data, format="json")
    assert same.json()["needs"] == data["needs"]

    checks = {c["key"]: c for c in caseworker_api.get(f"{url}checks/").json()}
    assert checks["f_specific"]["passed"] is True
    assert checks["needs_outcomes"]["problems"] == [
        "D1 has no outcome in section E: Needs help with personal care"
    ]
    assert checks["k"]["problems"] == [
        "Section K does not list the health advice received on 20 Nov 2025."
    ]
    assert AuditEvent.objects.filter(action="plan_content.section_saved").exists()


def test_a_stale_etag_saves_nothing_and_bad_rows_are_400_by_list_and_row(
    caseworker_api: APIClient, drafting: AssessmentRequest, child: Child
) -> None:
    started = caseworker_api.post(URL, {"child": str(child.pk)}, format="json")
    url = f"{URL}{started.json()['id']}/"
    caseworker_api.put(url, {"views": "First"}, format="json")
    stale = caseworker_api.put(
        url, {"views": "Second"}, format="json", HTTP_IF_MATCH=started["ETag"]
    )
    assert stale.status_code == 412
    fresh = caseworker_api.get(url)
    assert fresh.json()["views"] == "First"
    # The answer names the current ETag, as every other stale If-Match answer does.
    assert stale.json()["etag"] == stale["ETag"] == fresh["ETag"]
    listed = caseworker_api.put(
        url, {"views": "Second"}, format="json", HTTP_IF_MATCH=f'"old", {fresh["ETag"]}'
    )
    assert listed.status_code == 200

    bad = caseworker_api.put(
        url,
        {
            "needs": [
                {"section": "B", "description": "Fine"},
                {"section": "C", "need": "ASD", "description": "Sleep"},
            ]
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json() == {"needs.1.need": ["Only section B needs have an area of need."]}
    unknown = caseworker_api.put(
        url, {"outcomes": [{"description": "X", "needs": [str(uuid.uuid4())]}]}, format="json"
    )
    assert unknown.json() == {"outcomes.0.needs": ["Choose needs from this plan."]}


def test_issued_editions_refuse_changes_and_give_their_version_and_pdf(
    caseworker: User, caseworker_api: APIClient, drafting: AssessmentRequest, child: Child
) -> None:
    started = caseworker_api.post(URL, {"child": str(child.pk)}, format="json")
    draft_url = f"{URL}{started.json()['id']}/"
    advice = drafting.advice_requests.get(kind="psychological")
    caseworker_api.put(draft_url, plan_body(str(advice.pk)), format="json")
    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    refused = caseworker_api.put(draft_url, {"views": "Late"}, format="json")
    assert refused.status_code == 409
    assert "cannot change" in refused.json()["detail"]

    final = caseworker_api.post(URL, {"child": str(child.pk)}, format="json").json()
    assert (final["stage"], final["based_on"]) == ("final", started.json()["id"])
    caseworker_api.put(f"{URL}{final['id']}/", {"views": "I want to learn to bake."}, format="json")
    differences = caseworker_api.get(f"{URL}{final['id']}/differences/").json()
    changed = [s for s in differences["sections"] if s["changes"]]
    assert [(s["section"], s["changes"][0]["after"]) for s in changed] == [
        ("A", "I want to learn to bake.")
    ]
    plan = services.final_plan_issue(
        actor=caseworker, request=drafting, issued_on=FINAL_ON, primary_need="MLD"
    )
    version = caseworker_api.get(f"/api/v1/plans/{plan.pk}/versions/1/content/")
    assert version.status_code == 200
    assert (version.json()["version"], version.json()["issued_on"]) == (1, "2026-01-12")
    pdf = caseworker_api.get(f"/api/v1/plans/{plan.pk}/versions/1/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert caseworker_api.get(f"/api/v1/plans/{plan.pk}/versions/2/pdf/").status_code == 404
    assert AuditEvent.objects.filter(
        action="file.downloaded", object_id=final["id"], changes__download="EHC plan"
    ).exists()
    listed = caseworker_api.get(URL, {"child": str(child.pk)}).json()
    assert [(r["stage"], r["version"]) for r in listed["results"]] == [
        ("final", 1),
        ("draft", None),
    ]


def test_panel_members_and_managers_cannot_write(
    panel_member_api: APIClient, manager_api: APIClient, drafting: AssessmentRequest, child: Child
) -> None:
    assert panel_member_api.get(URL).status_code == 403
    assert manager_api.get(URL).status_code == 200
    refused = manager_api.post(URL, {"child": str(child.pk)}, format="json")
    assert refused.status_code == 403
    assert not PlanContent.objects.exists()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("editions", [1, 20])
def test_the_list_reads_a_fixed_number_of_queries(
    caseworker_api: APIClient,
    today: dt.date,
    editions: int,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(editions):
        request = AssessmentRequestFactory.create(issuing=True)
        PlanContent.objects.create(child=request.child, request=request, stage="draft")
    caseworker_api.get(URL)  # the session and the role, read once
    with django_assert_max_num_queries(8):
        response = caseworker_api.get(URL)
    assert response.json()["count"] == editions
