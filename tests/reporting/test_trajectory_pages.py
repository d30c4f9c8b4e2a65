"""The trajectory page: defaults with their basis, a scenario against do nothing, errors on the
fields, saving (audited), a saved scenario's actuals, and who may do what."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reporting.models import Scenario
from reporting.selectors.trajectory import SHIFTS_NOT_ZERO
from reporting.services.trajectory import NAME_TAKEN
from send_cms.audit.models import AuditEvent
from tests.reporting.test_trajectory_fit import build_history

pytestmark = pytest.mark.django_db
URL = "/reporting/trajectory/"
SAVE = "/reporting/trajectory/save/"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC), tick=False):
        yield


def text(response: Any) -> str:
    """The page's words, tags stripped and spaces squeezed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def value_of(response: Any, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', response.content.decode())
    return match.group(1) if match else ""


def test_the_page_is_prefilled_with_the_fitted_defaults_and_their_basis(
    manager_client: Client,
) -> None:
    build_history()
    response = manager_client.get(URL)
    assert response.status_code == 200
    page = text(response)

    assert value_of(response, "start") == "2026-12"
    assert value_of(response, "agree_to_assess_pct") == "70"
    assert value_of(response, "issue_pct") == "83.3"
    assert value_of(response, "cessation_pct__11_15") == "6.56"
    assert value_of(response, "unit_cost__special") == "20000"
    assert "Default: 70.0% from 10 decisions whether to assess, Dec 2023 to Nov 2026." in page
    assert "The start is the plans in force on 30 Nov 2026" in page
    # Do nothing against itself: nothing avoided.
    assert "Cost avoided over 5 years £0" in page
    assert "Year 5 Dec 2030 to Nov 2031" in page


def test_a_scenario_with_fewer_requests_avoids_cost(manager_client: Client) -> None:
    build_history()
    defaults = manager_client.get(URL)
    query = {
        "start": "2026-12",
        "years": "3",
        "request_change_pct": "-50",
        "agree_to_assess_pct": value_of(defaults, "agree_to_assess_pct"),
    }
    response = manager_client.get(URL, query)
    page = text(response)

    assert response.status_code == 200
    row = re.search(r"Year 1 Dec 2026 to Nov 2027 (\S+) (\S+) (\S+) (\S+) (\S+)", page)
    assert row is not None
    nothing_plans, nothing_cost, plans, cost, avoided = row.groups()
    assert int(plans) < int(nothing_plans)

    def pounds(shown: str) -> int:
        return int(shown.replace("£", "").replace(",", ""))

    assert pounds(avoided) > 0
    assert abs(pounds(nothing_cost) - pounds(cost) - pounds(avoided)) <= 1  # each rounded
    assert value_of(response, "request_change_pct") == "-50"


def test_bad_numbers_are_shown_on_their_fields_and_nothing_is_run(manager_client: Client) -> None:
    response = manager_client.get(
        URL, {"start": "2026-12", "years": "5", "request_change_pct": "lots", "issue_pct": "120"}
    )
    page = text(response)

    assert "There is a problem" in page
    assert "Enter change in requests each year (%) as a number, like 5 or -2.5" in page
    assert "Issue rate after assessment (%) must be from 0 to 100" in page
    assert 'href="#id_request_change_pct"' in response.content.decode()
    assert "Scenario against do nothing" not in page


def test_a_rule_failure_lands_on_its_field(manager_client: Client) -> None:
    build_history()
    response = manager_client.get(
        URL,
        {
            "start": "2026-12",
            "years": "5",
            "placement_mix_shift__mainstream": "2",
            "placement_mix_shift__special": "-1",
        },
    )
    assert SHIFTS_NOT_ZERO.format(total="+1") in text(response)
    assert 'href="#id_placement_mix_shift__mainstream"' in response.content.decode()


def test_a_bad_start_is_shown_on_the_start(manager_client: Client) -> None:
    response = manager_client.get(URL, {"start": "December", "years": "20"})
    page = text(response)
    assert "Enter the first month like 2026-12" in page
    assert "Enter a number of years from 1 to 10" in page


def test_a_manager_saves_a_scenario_with_its_agreed_trajectory(manager_client: Client) -> None:
    build_history()
    query = "start=2026-10&years=2&request_change_pct=10"
    response = manager_client.post(
        SAVE,
        {
            "query": query,
            "name": "Scenario 4: more local places",
            "agreed_trajectory": "27, 30",
            "note": "Agreed by the board in October.",
        },
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reporting/trajectory/{scenario.pk}/"
    assert (scenario.start, scenario.years, scenario.agreed_trajectory) == ("2026-10", 2, [27, 30])
    assert scenario.parameters["request_change_pct"] == 10
    assert scenario.defaults["request_change_pct"] == 0
    assert scenario.defaults["agree_to_assess_pct"] == 70.0
    event = AuditEvent.objects.get(action="report.trajectory.save")
    assert event.object_id == str(scenario.pk)
    assert event.changes["name"] == "Scenario 4: more local places"

    page = text(manager_client.get(response["Location"]))
    assert "Scenario saved: Scenario 4: more local places" in page
    assert "Year 1: 27 plans; Year 2: 30 plans" in page
    # October and November 2026 have ended: 15 plans each, 16 and 17 agreed.
    assert "October 2026 15 16 -1" in page
    assert "November 2026 15 17 -2" in page
    assert "Change in requests each year (%) 10 0" in page


def test_a_name_already_used_is_refused_on_the_name(manager_client: Client) -> None:
    build_history()
    body = {"query": "start=2026-12&years=1", "name": "Baseline", "agreed_trajectory": ""}
    assert manager_client.post(SAVE, body).status_code == 302
    response = manager_client.post(SAVE, {**body, "name": "baseline"})

    assert response.status_code == 200
    assert NAME_TAKEN.format(name="baseline") in text(response)
    assert Scenario.objects.count() == 1


def test_an_agreed_trajectory_longer_than_the_scenario_is_refused(manager_client: Client) -> None:
    body = {"query": "start=2026-12&years=1", "name": "Long", "agreed_trajectory": "1, 2"}
    response = manager_client.post(SAVE, body)
    assert "Enter at most 1 figures: one for the end of each year" in text(response)
    response = manager_client.post(SAVE, {**body, "agreed_trajectory": "lots"})
    assert "Enter the agreed plans in force as whole numbers separated by commas" in text(response)
    assert not Scenario.objects.exists()


def test_a_manager_deletes_a_scenario_and_it_is_audited(manager_client: Client) -> None:
    manager_client.post(SAVE, {"query": "start=2026-12&years=1", "name": "Old"})
    scenario = Scenario.objects.get()
    response = manager_client.post(f"/reporting/trajectory/{scenario.pk}/delete/")

    assert response.status_code == 302
    assert not Scenario.objects.exists()
    assert AuditEvent.objects.get(action="report.trajectory.delete").changes["name"] == "Old"


def test_caseworkers_read_and_run_but_do_not_save_or_delete(
    manager_client: Client, caseworker_client: Client
) -> None:
    manager_client.post(SAVE, {"query": "start=2026-12&years=1", "name": "Board"})
    scenario = Scenario.objects.get()

    page = caseworker_client.get(URL)
    assert page.status_code == 200
    assert "Save this scenario" not in text(page)
    assert "Board" in text(page)
    detail = caseworker_client.get(f"/reporting/trajectory/{scenario.pk}/")
    assert detail.status_code == 200
    assert "Delete this scenario" not in text(detail)
    assert caseworker_client.post(SAVE, {"name": "Mine"}).status_code == 403
    assert caseworker_client.post(f"/reporting/trajectory/{scenario.pk}/delete/").status_code == 403
    assert Scenario.objects.count() == 1


def test_panel_members_are_refused_everywhere(
    manager_client: Client, panel_member_client: Client
) -> None:
    manager_client.post(SAVE, {"query": "start=2026-12&years=1", "name": "Board"})
    scenario = Scenario.objects.get()
    for path in (URL, f"/reporting/trajectory/{scenario.pk}/"):
        assert panel_member_client.get(path).status_code == 403
    assert panel_member_client.post(SAVE, {"name": "x"}).status_code == 403


def test_an_unknown_scenario_is_404(manager_client: Client) -> None:
    missing = "00000000-0000-0000-0000-000000000001"
    assert manager_client.get(f"/reporting/trajectory/{missing}/").status_code == 404


def test_plans_sent_to_a_category_without_a_unit_cost_are_flagged(manager_client: Client) -> None:
    """Special is full: its new plans go to independent schools, which have no plans at the
    start and so no average cost."""
    build_history()
    query = {"start": "2026-12", "years": "2", "capacity__special": "12"}
    page = text(manager_client.get(URL, query))
    assert (
        "No unit cost for Independent or non-maintained special school: its plans cost nothing "
        "here. Enter a unit cost to count them." in page
    )
    costed = text(manager_client.get(URL, {**query, "unit_cost__independent_special": "55000"}))
    assert "No unit cost for" not in costed


def test_the_page_runs_the_same_queries_whatever_the_saved_scenarios(
    manager_client: Client,
) -> None:
    build_history()
    manager_client.post(SAVE, {"query": "start=2026-12&years=1", "name": "One"})
    with CaptureQueriesContext(connection) as one:
        assert manager_client.get(URL).status_code == 200
    for n in range(2, 21):
        manager_client.post(SAVE, {"query": "start=2026-12&years=1", "name": f"Scenario {n}"})
    with CaptureQueriesContext(connection) as twenty:
        page = manager_client.get(URL)
    assert "Scenario 20" in text(page)
    assert len(twenty) == len(one)
