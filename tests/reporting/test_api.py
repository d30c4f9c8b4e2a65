"""The reporting API (api.md "Reporting"): the registry, a figure with its breakdown, the cases
behind it (audited), plans in force by month and published scorecards; who may read them."""

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from reporting.api.messages import (
    MONTH_IMPOSSIBLE,
    MONTH_MALFORMED,
    MONTH_REQUIRED,
    NO_SUCH_BREAKDOWN,
    SPAN_TOO_LONG,
    TO_BEFORE_FROM,
    UNKNOWN_METRIC,
)
from reporting.api.views import CASES_VIEWED
from reporting.metrics import METRICS
from reporting.models import Scorecard
from reporting.periods import PERIOD_HELP
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from tests.factories import AssessmentRequestFactory, ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = dt.date
METRICS_URL = "/api/v1/reports/metrics/"


def decided(received: dt.date, after: int, **fields: Any) -> Any:
    """A request received on `received` and decided (to assess) `after` days later."""
    return AssessmentRequestFactory(
        assessing=True,
        received_on=received,
        decided_on=received + dt.timedelta(days=after),
        decision_letter_sent_on=received + dt.timedelta(days=after),
        **fields,
    )


def two_decisions(**fields: Any) -> tuple[Any, Any]:
    """October 2025: one decision in 42 days (in time), one in 43 (late)."""
    on_time = decided(
        D(2025, 9, 8),
        42,
        child__reference="REF-ON-TIME",
        child__first_name="Ava",
        child__last_name="Ahmed",
        **fields,
    )
    late = decided(
        D(2025, 9, 9),
        43,
        source="school",
        child__reference="REF-LATE",
        child__first_name="Ben",
        child__last_name="Brown",
        **fields,
    )
    return on_time, late


def figure(client: APIClient, metric: str, **query: str) -> Any:
    return client.get(f"{METRICS_URL}{metric}/", query)


# --- the registry --------------------------------------------------------------------------------


def test_the_registry_lists_every_metric_with_its_words(caseworker_api: APIClient) -> None:
    response = caseworker_api.get(METRICS_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(METRICS)
    assert [m["id"] for m in body["results"]] == [m.id for m in METRICS][:50]
    decision = next(m for m in body["results"] if m["id"] == "decision_6wk_pct")
    assert decision == {
        "id": "decision_6wk_pct",
        "title": "Decisions to assess made within 6 weeks",
        "definition": "Of the decisions whether to assess made in the period, the percentage "
        "made within 6 weeks (42 days) of the request being received (regulation 4(1)).",
        "unit": "percent",
        "polarity": "higher_better",
        "kind": "flow",
        "section": "Demand and the front door",
        "numerator": "decisions made at most 42 days after the request was received",
        "denominator": "decisions whether to assess made in the period",
        "version": 1,
        "variant_of": "",
        "breakdowns": ["age_band", "caseworker", "primary_need", "source", "category"],
    }
    excluding = next(m for m in body["results"] if m["id"] == "final_20wk_exc_exc_pct")
    assert excluding["variant_of"] == "final_20wk_inc_exc_pct"
    open_plans = next(m for m in body["results"] if m["id"] == "open_plans")
    assert (open_plans["unit"], open_plans["kind"], open_plans["denominator"]) == (
        "count",
        "stock",
        "",
    )


# --- one figure ----------------------------------------------------------------------------------


def test_a_percentage_with_its_numerator_and_denominator(manager_api: APIClient) -> None:
    two_decisions()
    decided(D(2025, 8, 1), 30)  # decided in August: not October's

    response = figure(manager_api, "decision_6wk_pct", period="2025-10")

    assert response.status_code == 200
    assert response.json() == {
        "id": "decision_6wk_pct",
        "title": "Decisions to assess made within 6 weeks",
        "unit": "percent",
        "period": "2025-10",
        "period_label": "October 2025",
        "scope": "Whole council",
        "value": 50.0,
        "numerator": 1,
        "denominator": 2,
    }
    # Numbers, not strings (decimals are strings elsewhere in DRF by default).
    assert '"value":50.0' in response.content.decode().replace(" ", "")


def test_a_percentage_is_unrounded(manager_api: APIClient) -> None:
    two_decisions()
    decided(D(2025, 9, 10), 50)

    body = figure(manager_api, "decision_6wk_pct", period="2025-10").json()

    assert (body["numerator"], body["denominator"]) == (1, 3)
    assert body["value"] == float(Decimal(100) / Decimal(3))
    assert str(body["value"]).startswith("33.33333333333")


def test_a_count_has_its_value_as_numerator_and_no_denominator(admin_api: APIClient) -> None:
    for day in (1, 15, 31):
        AssessmentRequestFactory(received_on=D(2025, 10, day))
    AssessmentRequestFactory(received_on=D(2025, 11, 1))

    body = figure(admin_api, "requests_received", period="2025-10").json()

    assert (body["value"], body["numerator"], body["denominator"]) == (3, 3, None)
    assert '"numerator":3,' in json.dumps(body, separators=(",", ":"))


def test_an_empty_denominator_gives_no_value(manager_api: APIClient) -> None:
    body = figure(manager_api, "decision_6wk_pct", period="2025-Q4").json()

    assert (body["value"], body["numerator"], body["denominator"]) == (None, 0, 0)
    assert (body["period"], body["period_label"]) == ("2025-Q4", "Oct to Dec 2025")


def test_a_breakdown_gives_one_row_per_group(manager_api: APIClient) -> None:
    two_decisions()

    body = figure(manager_api, "decision_6wk_pct", period="2025-10", breakdown="source").json()

    assert (body["value"], body["numerator"], body["denominator"]) == (50.0, 1, 2)
    assert body["breakdown"] == [
        {
            "key": "parent_or_young_person",
            "label": "Parent or young person",
            "value": 100.0,
            "numerator": 1,
            "denominator": 1,
        },
        {
            "key": "school",
            "label": "School or education setting",
            "value": 0.0,
            "numerator": 0,
            "denominator": 1,
        },
    ]


def test_an_unknown_metric_is_404(manager_api: APIClient) -> None:
    response = figure(manager_api, "nope", period="2025-10")

    assert response.status_code == 404
    assert response.json() == {"detail": UNKNOWN_METRIC.format(id="nope")}
    cases = manager_api.get(f"{METRICS_URL}nope/cases/", {"period": "2025-10"})
    assert cases.status_code == 404
    assert cases.json() == {"detail": "No metric has the id 'nope'."}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2025-13"}, f"2025-13 is not a real month. {PERIOD_HELP}"),
        ({"period": "last month"}, f"last month is not a period. {PERIOD_HELP}"),
        ({"period": ""}, f"An empty period is not a period. {PERIOD_HELP}"),
        ({}, f"An empty period is not a period. {PERIOD_HELP}"),
        ({"period": "1999"}, "Enter a year from 2000 to 2100."),
    ],
)
def test_a_bad_or_missing_period_is_400_on_period(
    manager_api: APIClient, query: dict[str, str], message: str
) -> None:
    response = figure(manager_api, "decision_6wk_pct", **query)

    assert response.status_code == 400
    assert response.json() == {"period": [message]}
    cases = manager_api.get(f"{METRICS_URL}decision_6wk_pct/cases/", query)
    assert (cases.status_code, cases.json()) == (400, {"period": [message]})


def test_a_breakdown_the_metric_lacks_is_400_on_breakdown(manager_api: APIClient) -> None:
    response = figure(manager_api, "decision_6wk_pct", period="2025-10", breakdown="cease_reason")

    assert response.status_code == 400
    assert response.json() == {
        "breakdown": [
            NO_SUCH_BREAKDOWN.format(
                title="Decisions to assess made within 6 weeks",
                breakdown="cease_reason",
                choices="age_band, caseworker, primary_need, source, category",
            )
        ]
    }


# --- whose figures -------------------------------------------------------------------------------


def test_a_caseworker_reads_their_teams_figures_only(make_user: Callable[..., User]) -> None:
    reader = make_user("north1", Role.CASEWORKER, team="North")
    teammate = make_user("north2", Role.CASEWORKER, team="North")
    other = make_user("south1", Role.CASEWORKER, team="South")
    decided(D(2025, 9, 8), 42, child__caseworker=reader)
    decided(D(2025, 9, 8), 43, child__caseworker=teammate)
    decided(D(2025, 9, 8), 10, child__caseworker=other)
    decided(D(2025, 9, 8), 10, child__caseworker=other)
    client = APIClient()
    client.force_authenticate(reader)

    body = figure(client, "decision_6wk_pct", period="2025-10").json()
    cases = client.get(f"{METRICS_URL}decision_6wk_pct/cases/", {"period": "2025-10"}).json()

    assert (body["scope"], body["value"], body["numerator"], body["denominator"]) == (
        "North team",
        50.0,
        1,
        2,
    )
    assert cases["count"] == 2


@pytest.mark.parametrize(
    "path",
    [
        METRICS_URL,
        f"{METRICS_URL}decision_6wk_pct/?period=2025-10",
        f"{METRICS_URL}decision_6wk_pct/cases/?period=2025-10",
        "/api/v1/reports/open-plans-by-month/?from=2025-01&to=2025-03",
        "/api/v1/reports/scorecards/",
    ],
)
def test_who_may_read_reports(
    path: str,
    api_client: APIClient,
    caseworker_api: APIClient,
    manager_api: APIClient,
    admin_api: APIClient,
    panel_member_api: APIClient,
    roleless_user: User,
) -> None:
    roleless = APIClient()
    roleless.force_authenticate(roleless_user)

    assert api_client.get(path).status_code == 401
    assert roleless.get(path).status_code == 403
    assert panel_member_api.get(path).status_code == 403
    assert panel_member_api.get(path).json() == {
        "detail": "You need the caseworker, manager or administrator role for this."
    }
    for client in (caseworker_api, manager_api, admin_api):
        assert client.get(path).status_code == 200


# --- the cases behind a figure ------------------------------------------------------------------


def test_the_cases_behind_a_figure_with_the_dates_used(
    manager_api: APIClient, manager: User
) -> None:
    on_time, late = two_decisions()

    response = manager_api.get(f"{METRICS_URL}decision_6wk_pct/cases/", {"period": "2025-10"})

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "child": str(on_time.child_id),
                "reference": "REF-ON-TIME",
                "name": "Ava Ahmed",
                "subject": "request",
                "subject_id": str(on_time.pk),
                "dates": {"Received": "2025-09-08", "Decision to assess or not": "2025-10-20"},
                "counted": "numerator",
                "sign": 1,
            },
            {
                "child": str(late.child_id),
                "reference": "REF-LATE",
                "name": "Ben Brown",
                "subject": "request",
                "subject_id": str(late.pk),
                "dates": {"Received": "2025-09-09", "Decision to assess or not": "2025-10-22"},
                "counted": "denominator only",
                "sign": 1,
            },
        ],
    }


def test_reading_the_cases_is_audited(manager_api: APIClient, manager: User) -> None:
    on_time, late = two_decisions()

    manager_api.get(f"{METRICS_URL}decision_6wk_pct/cases/", {"period": "2025-10"})

    event = AuditEvent.objects.get(action=CASES_VIEWED)
    assert event.actor == manager
    assert event.actor_name == "Chris Evans"
    assert event.changes == {
        "metric": "decision_6wk_pct",
        "period": "2025-10",
        "rows": 2,
        "children": sorted([str(on_time.child_id), str(late.child_id)]),
    }


def test_a_refused_cases_request_is_not_audited(
    manager_api: APIClient, panel_member_api: APIClient
) -> None:
    two_decisions()

    manager_api.get(f"{METRICS_URL}decision_6wk_pct/cases/", {"period": "nope"})
    panel_member_api.get(f"{METRICS_URL}decision_6wk_pct/cases/", {"period": "2025-10"})

    assert not AuditEvent.objects.filter(action=CASES_VIEWED).exists()


def test_the_cases_are_paginated(manager_api: APIClient) -> None:
    for day in range(1, 6):
        AssessmentRequestFactory(received_on=D(2025, 10, day))

    body = manager_api.get(
        f"{METRICS_URL}requests_received/cases/", {"period": "2025-10", "page_size": "2"}
    ).json()

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert [r["dates"]["Received"] for r in body["results"]] == ["2025-10-01", "2025-10-02"]
    assert "page=2" in body["next"]


# --- a constant number of queries ------------------------------------------------------------


def _queries(client: APIClient, path: str) -> int:
    client.get(path)  # warm up: the user's roles are loaded once per user
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def _decisions(n: int, caseworker: User) -> None:
    for i in range(n):
        decided(D(2025, 9, 1) + dt.timedelta(days=i % 20), 40, child__caseworker=caseworker)


@pytest.mark.parametrize(
    "path",
    [METRICS_URL, f"{METRICS_URL}decision_6wk_pct/cases/?period=2025-10"],
)
@pytest.mark.parametrize("who", ["manager_api", "caseworker_api"])
def test_lists_run_a_constant_number_of_queries(
    request: pytest.FixtureRequest, who: str, path: str, caseworker: User
) -> None:
    client: APIClient = request.getfixturevalue(who)
    _decisions(1, caseworker)
    one = _queries(client, path)
    _decisions(24, caseworker)
    many = _queries(client, path)

    assert one == many
    if "cases" in path:
        assert client.get(path).json()["count"] == 25


# --- plans in force by month ---------------------------------------------------------------------

OPEN_PLANS_URL = "/api/v1/reports/open-plans-by-month/"


def test_open_plans_at_each_month_end(manager_api: APIClient) -> None:
    PlanFactory(request=None, issued_on=D(2025, 1, 31))
    PlanFactory(request=None, issued_on=D(2025, 2, 1))
    PlanFactory(request=None, issued_on=D(2025, 2, 28))  # not open at January's end
    PlanFactory(
        request=None,
        issued_on=D(2024, 6, 1),
        status="ceased",
        ceased_on=D(2025, 3, 31),
        cease_reason=2,
    )

    response = manager_api.get(OPEN_PLANS_URL, {"from": "2025-01", "to": "2025-04"})

    assert response.status_code == 200
    assert response.json() == [
        {"month": "2025-01", "open_plans": 2},
        {"month": "2025-02", "open_plans": 4},
        {"month": "2025-03", "open_plans": 3},
        {"month": "2025-04", "open_plans": 3},
    ]


def test_open_plans_for_a_caseworker_are_their_own(
    caseworker_api: APIClient, caseworker: User
) -> None:
    PlanFactory(child=ChildFactory(caseworker=caseworker), request=None, issued_on=D(2025, 1, 10))
    PlanFactory(request=None, issued_on=D(2025, 1, 10))

    body = caseworker_api.get(OPEN_PLANS_URL, {"from": "2025-01", "to": "2025-01"}).json()

    assert body == [{"month": "2025-01", "open_plans": 1}]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"to": "2025-03"}, {"from": [MONTH_REQUIRED]}),
        ({"from": "2025-1", "to": "March"}, {"from": [MONTH_MALFORMED], "to": [MONTH_MALFORMED]}),
        (
            {"from": "2025-13", "to": "2025-12"},
            {"from": [MONTH_IMPOSSIBLE.format(value="2025-13")]},
        ),
        ({"from": "1999-12", "to": "2025-12"}, {"from": ["Enter a year from 2000 to 2100."]}),
        ({"from": "2025-04", "to": "2025-03"}, {"to": [TO_BEFORE_FROM]}),
        (
            {"from": "2000-01", "to": "2020-01"},
            {"to": [SPAN_TOO_LONG.format(max=240, months=241)]},
        ),
    ],
)
def test_bad_months_are_400_keyed_by_field(
    manager_api: APIClient, query: dict[str, str], errors: dict[str, list[str]]
) -> None:
    response = manager_api.get(OPEN_PLANS_URL, query)

    assert response.status_code == 400
    assert response.json() == errors


def test_twenty_years_of_months_is_allowed(manager_api: APIClient) -> None:
    body = manager_api.get(OPEN_PLANS_URL, {"from": "2000-01", "to": "2019-12"}).json()

    assert len(body) == 240
    assert (body[0]["month"], body[-1]["month"]) == ("2000-01", "2019-12")


# --- published scorecards -----------------------------------------------------------------------


def test_published_scorecards_newest_first_with_their_pdf(caseworker_api: APIClient) -> None:
    for period, day in (("2025-09", 1), ("2025-10", 3)):
        Scorecard.objects.create(
            period=period,
            published_at=dt.datetime(2025, int(period[-2:]) + 1, day, 9, 30, tzinfo=dt.UTC),
            pdf=f"scorecards/{period}.pdf",
        )

    response = caseworker_api.get("/api/v1/reports/scorecards/")

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "period": "2025-10",
                "published_at": "2025-11-03T09:30:00Z",
                "pdf": "http://testserver/reporting/scorecards/2025-10.pdf",
            },
            {
                "period": "2025-09",
                "published_at": "2025-10-01T10:30:00+01:00",
                "pdf": "http://testserver/reporting/scorecards/2025-09.pdf",
            },
        ],
    }


# --- the schema ---------------------------------------------------------------------------------


def test_the_schema_documents_every_reporting_endpoint(manager_api: APIClient) -> None:
    schema = manager_api.get("/api/v1/schema/", {"format": "json"}).json()

    paths = schema["paths"]
    for path in (
        "/api/v1/reports/metrics/",
        "/api/v1/reports/metrics/{id}/",
        "/api/v1/reports/metrics/{id}/cases/",
        "/api/v1/reports/open-plans-by-month/",
        "/api/v1/reports/scorecards/",
    ):
        assert "get" in paths[path], path
    figure_parameters = {
        p["name"] for p in paths["/api/v1/reports/metrics/{id}/"]["get"]["parameters"]
    }
    assert figure_parameters == {"id", "period", "breakdown"}
    months = {p["name"] for p in paths["/api/v1/reports/open-plans-by-month/"]["get"]["parameters"]}
    assert months == {"from", "to"}
    assert schema["components"]["schemas"]["Figure"]["properties"]["value"] == {
        "type": "number",
        "nullable": True,
        "description": "A percentage is 100 x numerator / denominator; null when the "
        "denominator is 0.",
    }
