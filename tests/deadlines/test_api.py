"""The timescale calculator API (api.md): the rules, one rule computed, and its errors."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from send_cms.deadlines.messages import (
    DATE_IMPOSSIBLE,
    DATE_MALFORMED,
    DATE_TOO_EARLY,
    DATE_TOO_LATE,
    PARAMETER_NOT_USED,
    START_REQUIRED,
    UNKNOWN_RULE,
)
from send_cms.timescales import RULE_IDS
from tests.deadlines.worked_examples import WORKED_EXAMPLES

pytestmark = pytest.mark.django_db


def test_the_list_has_every_rule_with_its_parameters(panel_member_api: APIClient) -> None:
    response = panel_member_api.get("/api/v1/timescales/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(RULE_IDS) == 33
    assert [item["rule"] for item in body["results"]] == list(RULE_IDS)
    assert body["results"][0] == {
        "rule": "decision_to_assess",
        "title": "Decision whether to assess due",
        "regulation": "SEND Regulations 2014, regulations 4(1) and 5(1)",
        "unit": "weeks",
        "trigger": "request received",
        "parameters": [],
    }
    appeal = next(item for item in body["results"] if item["rule"] == "appeal_deadline")
    assert appeal["unit"] == "months"
    assert appeal["parameters"] == [
        {"name": "certificate", "label": "Mediation certificate issued", "required": False}
    ]


@pytest.mark.parametrize(
    ("rule", "start", "params", "due"),
    WORKED_EXAMPLES,
    ids=[f"{r}-{s}" for r, s, _, _ in WORKED_EXAMPLES],
)
def test_each_worked_example(
    caseworker_api: APIClient,
    rule: str,
    start: dt.date,
    params: dict[str, dt.date],
    due: dt.date,
) -> None:
    query = {"start": start.isoformat(), **{k: v.isoformat() for k, v in params.items()}}
    response = caseworker_api.get(f"/api/v1/timescales/{rule}/", query)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["rule"] == rule
    assert body["start"] == start.isoformat()
    assert body["due"] == due.isoformat()
    assert body["explanation"].endswith(".")


def test_one_rule_in_full(manager_api: APIClient) -> None:
    response = manager_api.get("/api/v1/timescales/phase_transfer_school/?start=2026-09-01")

    assert response.json() == {
        "rule": "phase_transfer_school",
        "title": "Phase transfer: amended plan naming the next school due",
        "start": "2026-09-01",
        "due": "2026-02-14",
        "practical_target": "2026-02-13",
        "statutory_date": "2026-02-15",
        "regulation": "SEND Regulations 2014, regulation 18(1)(b)",
        "trigger": "year of transfer",
        "explanation": (
            "Before 15 February in the year of transfer (15 Feb 2026), regulation 18(1)."
        ),
    }


def test_the_appeal_deadline_explains_the_certificate(admin_api: APIClient) -> None:
    response = admin_api.get(
        "/api/v1/timescales/appeal_deadline/", {"start": "2025-10-27", "certificate": "2025-12-04"}
    )

    assert response.json()["due"] == "2026-01-05"
    assert response.json()["explanation"] == (
        "2 months after the decision notice sent on 27 Oct 2025, or 1 month after the mediation "
        "certificate issued on 4 Dec 2025 if later (4 Jan 2026, not a working day, so the next "
        "working day), rules 20 and 12."
    )


def test_an_unknown_rule_is_404(caseworker_api: APIClient) -> None:
    response = caseworker_api.get("/api/v1/timescales/forty_weeks/?start=2025-09-08")

    assert response.status_code == 404
    assert response.json() == {"detail": UNKNOWN_RULE.format(rule="forty_weeks")}
    assert response.json() == {"detail": "No timescale rule has the id 'forty_weeks'."}


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("", {"start": [START_REQUIRED]}),
        ("?start=", {"start": [START_REQUIRED]}),
        ("?start=8/9/2025", {"start": [DATE_MALFORMED]}),
        ("?start=2025-9-8", {"start": [DATE_MALFORMED]}),
        ("?start=2026-02-30", {"start": [DATE_IMPOSSIBLE.format(value="2026-02-30")]}),
        (
            "?start=2010-01-04",
            {"start": [DATE_TOO_EARLY.format(label="Start date", earliest="1 Sep 2014")]},
        ),
        (
            "?start=9999-12-31",
            {"start": [DATE_TOO_LATE.format(label="Start date", latest="31 Dec 2199")]},
        ),
        (
            "?start=2025-09-08&certificate=2025-10-01",
            {
                "certificate": [
                    PARAMETER_NOT_USED.format(
                        label="Mediation certificate issued",
                        uses="Appeal deadline (the tribunal must receive the appeal)",
                    )
                ]
            },
        ),
        ("?start=2025-09-08&certificate=soon", {"certificate": [DATE_MALFORMED]}),
    ],
)
def test_bad_input_is_400_naming_the_field(
    caseworker_api: APIClient, query: str, body: dict[str, list[str]]
) -> None:
    response = caseworker_api.get(f"/api/v1/timescales/final_plan/{query}")

    assert response.status_code == 400
    assert response.json() == body


def test_the_exact_words_of_the_400s(caseworker_api: APIClient) -> None:
    impossible = caseworker_api.get("/api/v1/timescales/final_plan/?start=2026-02-30")
    missing = caseworker_api.get("/api/v1/timescales/final_plan/")

    assert impossible.json() == {"start": ["2026-02-30 is not a real date."]}
    assert missing.json() == {
        "start": ["Enter the start date as YYYY-MM-DD, for example 2025-09-08."]
    }


def test_a_certificate_on_the_appeal_rule_is_checked_too(caseworker_api: APIClient) -> None:
    response = caseworker_api.get(
        "/api/v1/timescales/appeal_deadline/?start=2026-06-10&certificate=2026-02-30"
    )

    assert response.status_code == 400
    assert response.json() == {"certificate": ["2026-02-30 is not a real date."]}


def test_anyone_signed_in_without_a_role_is_refused(roleless_user: object) -> None:
    client = APIClient()
    client.force_authenticate(roleless_user)  # type: ignore[arg-type]

    assert client.get("/api/v1/timescales/").status_code == 403
    assert client.get("/api/v1/timescales/final_plan/?start=2025-09-08").status_code == 403
    assert APIClient().get("/api/v1/timescales/").status_code == 401


def test_the_openapi_schema_documents_both_endpoints(caseworker_api: APIClient) -> None:
    schema = caseworker_api.get("/api/v1/schema/", {"format": "json"}).json()

    detail = schema["paths"]["/api/v1/timescales/{rule}/"]["get"]
    parameters = {p["name"]: p for p in detail["parameters"]}
    assert parameters["start"]["required"] is True
    assert parameters["start"]["schema"] == {"type": "string", "format": "date"}
    assert parameters["certificate"].get("required", False) is False
    assert "final_plan" in parameters["rule"]["schema"]["enum"]
    assert set(detail["responses"]) == {"200", "400", "404"}
    assert "/api/v1/timescales/" in schema["paths"]
