"""POST /api/v1/reports/trajectory/: a scenario against do nothing, its 400s and who may run it."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from reporting.selectors.trajectory import SHIFTS_NOT_ZERO, START_TOO_LATE
from tests.reporting.test_trajectory_fit import build_history

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/trajectory/"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC), tick=False):
        yield


def post(client: APIClient, body: dict[str, Any]) -> Any:
    return client.post(URL, body, format="json")


def test_the_body_gives_each_year_against_do_nothing_with_cost_avoided(
    manager_api: APIClient,
) -> None:
    build_history()
    response = post(
        manager_api,
        {
            "start": "2026-12",
            "years": 3,
            "request_change_pct": -50,
            "unit_cost_change_pct": {"special": 5, "mainstream": 5},
            "agreed_trajectory": [16, 17, 18],
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()

    assert body["start"] == "2026-12"
    assert body["start_position"]["on"] == "2026-11-30"
    assert body["start_position"]["open_plans"] == 15
    assert body["start_position"]["annual_cost"] == 250_000
    assert [y["year"] for y in body["years"]] == [1, 2, 3]
    first = body["years"][0]
    assert (first["first_month"], first["last_month"]) == ("2026-12", "2027-11")
    assert first["requests"] == 6  # 12 a year, halved
    assert body["do_nothing"][0]["requests"] == 12
    assert first["do_nothing_open_plans"] == body["do_nothing"][0]["open_plans"]
    for year, nothing in zip(body["years"], body["do_nothing"], strict=True):
        assert year["cost_avoided"] == pytest.approx(
            nothing["annual_cost"] - year["annual_cost"], abs=0.01
        )
        assert year["open_plans"] < nothing["open_plans"]
    assert body["cost_avoided"] == pytest.approx(
        sum(y["cost_avoided"] for y in body["years"]), abs=0.02
    )
    special = next(c for c in first["by_category"] if c["category"] == "special")
    assert special["unit_cost"] == 21_000
    assert set(special["by_age_band"]) == {"under_5", "5_10", "11_15", "16_19", "20_25"}
    assert body["parameters"]["request_change_pct"] == -50
    assert body["defaults"]["request_change_pct"] == 0
    assert body["defaults"]["agree_to_assess_pct"] == 70.0
    assert body["basis"]["issue_pct"].startswith("83.3% from 6 decisions")
    assert body["actuals"] == []  # nothing has happened since the start yet


def test_actuals_come_with_the_agreed_trajectory(manager_api: APIClient) -> None:
    build_history()
    body = post(manager_api, {"start": "2026-10", "years": 1, "agreed_trajectory": [27]}).json()
    assert [(a["month"], a["open_plans"], a["agreed"]) for a in body["actuals"]] == [
        ("2026-10", 15, 16.0),
        ("2026-11", 15, 17.0),
    ]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"start": ["Enter a month as YYYY-MM, for example 2025-08."]}),
        (
            {"start": "2026-13"},
            {"start": ["2026-13 is not a real month."]},
        ),
        (
            {"start": "2026-12", "years": 11},
            {"years": ["Enter a whole number from 1 to 10."]},
        ),
        (
            {"start": "2026-12", "years": 0},
            {"years": ["Enter a whole number from 1 to 10."]},
        ),
        (
            {"start": "2026-12", "request_change_pct": -101},
            {"request_change_pct": ["Enter a number from -100 to 1,000."]},
        ),
        (
            {"start": "2026-12", "request_change_pct": "lots"},
            {"request_change_pct": ["Enter a number, like 5 or -2.5."]},
        ),
        (
            {"start": "2026-12", "agree_to_assess_pct": 101},
            {"agree_to_assess_pct": ["Enter a number from 0 to 100."]},
        ),
        (
            {"start": "2026-12", "cessation_pct": {"under_5": -1}},
            {"cessation_pct": {"under_5": ["Enter a number from 0 to 100."]}},
        ),
        (
            {"start": "2026-12", "unit_cost": {"castle": 5}},
            {
                "unit_cost": [
                    "'castle' is not one of: mainstream, resourced_provision, special, "
                    "independent_special, alternative_provision, further_education, "
                    "early_years, other."
                ]
            },
        ),
        (
            {"start": "2026-12", "placement_mix_shift": {"mainstream": -1}},
            {"placement_mix_shift": [SHIFTS_NOT_ZERO.format(total="-1")]},
        ),
        (
            {"start": "2026-12", "step_down": [{"from": "special", "to": "special", "pct": 5}]},
            {"step_down": ["A step-down must move plans to another category"]},
        ),
        (
            {"start": "2026-12", "capacity": {"other": 5}},
            {"overflow.other": ["Choose where plans go when Other is full"]},
        ),
        (
            {"start": "2028-01"},
            {"start": [START_TOO_LATE.format(month="2027-12")]},
        ),
        (
            {"start": "2026-12", "years": 2, "agreed_trajectory": [1, 2, 3]},
            {"agreed_trajectory": ["Enter at most 2 figures: one for the end of each year"]},
        ),
    ],
)
def test_bad_input_is_400_keyed_by_field(
    manager_api: APIClient, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    response = post(manager_api, body)
    assert (response.status_code, response.json()) == (400, errors)


def test_managers_admins_and_caseworkers_may_run_it_and_panel_members_may_not(
    api_client: APIClient,
    caseworker_api: APIClient,
    admin_api: APIClient,
    panel_member_api: APIClient,
) -> None:
    body = {"start": "2026-12", "years": 1}
    assert post(api_client, body).status_code == 401
    assert post(panel_member_api, body).status_code == 403
    assert post(caseworker_api, body).status_code == 200
    assert post(admin_api, body).status_code == 200
    assert caseworker_api.get(URL).status_code == 405
