"""The timescale calculator page: a GET form, the due date with its explanation, GOV.UK errors."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from send_cms.deadlines.messages import (
    CHOOSE_RULE,
    DATE_TOO_EARLY,
    PARAMETER_NOT_USED,
)
from send_cms.deadlines.models import ClosureDay
from send_cms.deadlines.services import closure_day_save

pytestmark = pytest.mark.django_db
URL = "/timescales/"


def _query(rule: str, start: dt.date | None, **params: dt.date) -> dict[str, Any]:
    query: dict[str, Any] = {"rule": rule}
    for name, value in {"start": start, **params}.items():
        if value is not None:
            query.update(
                {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}
            )
    return query


def _text(response: Any) -> str:
    """The page's words with tags and runs of white space collapsed, as a reader sees them."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _error_summary(response: Any) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary is not None, "no error summary"
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


@pytest.mark.parametrize(
    "client_fixture",
    ["caseworker_client", "panel_member_client", "manager_client", "admin_client_"],
)
def test_every_role_may_use_it(client_fixture: str, request: pytest.FixtureRequest) -> None:
    client: Client = request.getfixturevalue(client_fixture)
    response = client.get(URL)

    assert response.status_code == 200
    text = _text(response)
    assert "Timescale calculator" in text
    assert "There is a problem" not in text
    assert 'method="get"' in response.content.decode()


def test_the_worked_example_for_the_final_plan(caseworker_client: Client) -> None:
    response = caseworker_client.get(URL, _query("final_plan", dt.date(2025, 9, 8)))

    assert response.status_code == 200
    text = _text(response)
    assert "Final EHC plan due Due Monday 26 Jan 2026" in text
    assert "20 weeks from the request received on 8 Sep 2025, regulation 13(2)." in text
    assert "SEND Regulations 2014, regulation 13(2)" in text
    assert "Request received: Monday 8 Sep 2025" in text
    assert "Practical target" not in text
    # The answer is a link: the form keeps what was asked.
    assert 'value="final_plan" selected' in response.content.decode()


def test_a_due_date_on_a_weekend_shows_the_practical_target(caseworker_client: Client) -> None:
    response = caseworker_client.get(URL, _query("phase_transfer_school", dt.date(2026, 9, 1)))

    text = _text(response)
    assert "Due Saturday 14 Feb 2026" in text
    assert "Practical target Friday 13 Feb 2026" in text
    assert "Statutory date Sunday 15 Feb 2026" in text


def test_a_council_closure_day_moves_the_practical_target(
    caseworker_client: Client, admin_user: Any
) -> None:
    closure_day_save(
        actor=admin_user,
        closure=ClosureDay(date=dt.date(2026, 2, 13), reason="Office move"),
    )

    response = caseworker_client.get(URL, _query("phase_transfer_school", dt.date(2026, 9, 1)))

    assert "Practical target Thursday 12 Feb 2026" in _text(response)


def test_the_appeal_deadline_with_a_certificate(caseworker_client: Client) -> None:
    query = _query("appeal_deadline", dt.date(2025, 10, 27), certificate=dt.date(2025, 12, 4))
    response = caseworker_client.get(URL, query)

    text = _text(response)
    assert "Due Monday 5 Jan 2026" in text
    assert "or 1 month after the mediation certificate issued on 4 Dec 2025 if later" in text


def test_an_empty_submission_lists_both_problems(caseworker_client: Client) -> None:
    response = caseworker_client.get(URL, {"rule": "", "start_day": "", "start_month": ""})

    assert response.status_code == 200
    assert _error_summary(response) == [CHOOSE_RULE, "Enter start date"]
    assert "<title>Error: Timescale calculator" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            {"rule": "final_plan", "start_day": "30", "start_month": "2", "start_year": "2026"},
            "Start date must be a real date",
        ),
        (
            {"rule": "final_plan", "start_day": "8", "start_month": "9"},
            "Start date must include a year",
        ),
        (
            {"rule": "final_plan", "start_day": "8", "start_month": "9", "start_year": "25"},
            "Year must include 4 numbers",
        ),
        (
            {"rule": "no_such_rule", "start_day": "8", "start_month": "9", "start_year": "2025"},
            CHOOSE_RULE,
        ),
        (
            _query("final_plan", dt.date(2013, 9, 2)),
            DATE_TOO_EARLY.format(label="Start date", earliest="1 Sep 2014"),
        ),
        (
            _query("final_plan", dt.date(2025, 9, 8), certificate=dt.date(2025, 10, 1)),
            PARAMETER_NOT_USED.format(
                label="Mediation certificate issued",
                uses="Appeal deadline (the tribunal must receive the appeal)",
            ),
        ),
    ],
    ids=["impossible", "no-year", "short-year", "unknown-rule", "before-2014", "unused-date"],
)
def test_bad_input_shows_the_govuk_error(
    caseworker_client: Client, query: dict[str, Any], error: str
) -> None:
    response = caseworker_client.get(URL, query)

    assert response.status_code == 200
    assert _error_summary(response) == [error]
    assert "govuk-form-group--error" in response.content.decode()
    assert (
        "Due "
        not in _text(response).split("Work out a statutory deadline")[1].split("Time limit")[0]
    )


def test_anonymous_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_person_without_a_role_is_refused(roleless_client: Client) -> None:
    assert roleless_client.get(URL).status_code == 403
