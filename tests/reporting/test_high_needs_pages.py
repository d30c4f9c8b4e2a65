"""High-needs pages: the census for a date, the return period's entries with their forms and
history, place funding rates and commissioned places; who may read and who may enter."""

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from reporting.high_needs.forms import MONEY_INVALID
from reporting.high_needs.periods import ReturnPeriod
from reporting.models import CommissionedPlaces, HighNeedsFigure, PlaceFunding, PressureEntry
from reporting.selectors.high_needs import return_entries
from reporting.services.high_needs import (
    CHANGED_MEANWHILE,
    FigureInput,
    condition_update_enter,
    high_needs_figures_enter,
    place_funding_set,
    safety_valve_condition_add,
)
from reporting.views.high_needs import PLACEMENTS_VIEWED
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.factories import ChildFactory, EstablishmentFactory, PlacementFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = dt.date
CENSUS = "/reporting/high-needs/"
RETURN = "/reporting/high-needs/return/"
Q3 = ReturnPeriod(2025, 3)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    """15 October 2025: quarter 3 of the financial year 2025 to 2026."""
    with time_machine.travel(dt.datetime(2025, 10, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def text(response: Any) -> str:
    """The page's words with tags and runs of space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def placed(kind: str, fee: str, *, name: str = "", **child: Any) -> Any:
    plan = PlanFactory(child=ChildFactory(**child), request=None, issued_on=D(2025, 4, 1))
    school = EstablishmentFactory(kind=kind, **({"name": name} if name else {}))
    return PlacementFactory(
        plan=plan,
        establishment=school,
        starts_on=D(2025, 4, 1),
        band="",
        annual_cost=Decimal(fee),
        cost_reason="Individual fee",
    )


# --- who may see what ---------------------------------------------------------------------------
@pytest.mark.parametrize("url", [CENSUS, RETURN, f"{RETURN}FY2025-Q3/history/"])
def test_caseworkers_read_and_panel_members_are_refused(
    url: str, caseworker_client: Client, panel_member_client: Client
) -> None:
    assert caseworker_client.get(url).status_code == 200
    assert panel_member_client.get(url).status_code == 403
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        f"{RETURN}FY2025-Q3/figures/",
        f"{RETURN}FY2025-Q3/pressures/add/",
        "/reporting/high-needs/conditions/add/",
    ],
)
def test_only_managers_and_administrators_enter(
    url: str, caseworker_client: Client, manager_client: Client, admin_client_: Client
) -> None:
    assert caseworker_client.get(url).status_code == 403
    assert caseworker_client.post(url, {}).status_code == 403
    assert manager_client.get(url).status_code == 200
    assert admin_client_.get(url).status_code == 200


def test_caseworkers_may_not_enter_rates_or_places(caseworker_client: Client) -> None:
    rate = {"kind": "special", "annual_value": "10000"}
    assert caseworker_client.post("/reporting/high-needs/place-funding/", rate).status_code == 403
    assert caseworker_client.post("/reporting/high-needs/places/", {}).status_code == 403
    assert not PlaceFunding.objects.exists()


def test_a_period_that_is_not_a_quarter_is_a_404(manager_client: Client) -> None:
    assert manager_client.get(f"{RETURN}2025-10/figures/").status_code == 404


# --- the census page ----------------------------------------------------------------------------
def test_the_census_page_shows_today_s_plans_by_category_with_cost(manager_client: Client) -> None:
    placed("special", "15000", date_of_birth=D(2014, 8, 31))
    placed("special", "12000", date_of_birth=D(2014, 9, 1))

    page = text(manager_client.get(CENSUS))

    assert "High needs on 15 Oct 2025" in page
    assert "EHC plans in force 2" in page
    assert "Annual cost of their placements £27,000.00" in page
    # Under 5, 5 to 10, 11 to 15, 16 to 19, 20 to 25, plans, cost, average.
    assert "Maintained special school or special academy 0 1 1 0 0 2 £27,000.00 £13,500.00" in page


def test_the_census_page_takes_a_date(manager_client: Client) -> None:
    placed("special", "15000")

    by_boxes = text(
        manager_client.get(CENSUS, {"on_day": "31", "on_month": "3", "on_year": "2025"})
    )
    by_link = text(manager_client.get(CENSUS, {"on": "2025-03-31"}))

    assert "High needs on 31 Mar 2025" in by_boxes
    assert "EHC plans in force 0" in by_boxes
    assert by_link == by_boxes


def test_a_bad_census_date_is_an_error_and_the_page_shows_today(manager_client: Client) -> None:
    page = text(manager_client.get(CENSUS, {"on_day": "31", "on_month": "2", "on_year": "2025"}))

    assert "There is a problem" in page
    assert "Census date must be a real date" in page
    assert "High needs on 15 Oct 2025" in page


def test_independent_placements_are_listed_and_the_read_audited(manager_client: Client) -> None:
    placement = placed(
        "independent_special",
        "73000",
        name="Hillcrest School",
        reference="IND-7",
        first_name="Noah",
        last_name="Reid",
    )

    page = text(manager_client.get(CENSUS))

    # 1 April to 15 October 2025: 198 days of 365 at 73,000 = 39,600.
    assert "IND-7 Noah Reid Hillcrest School 1 Apr 2025 £73,000.00 Individual fee" in page
    assert "£39,600.00 £73,000.00" in page
    event = AuditEvent.objects.get(action=PLACEMENTS_VIEWED)
    assert event.changes["children"] == [str(placement.plan.child_id)]


def test_places_used_against_commissioned_on_the_census_page(manager_client: Client) -> None:
    placement = placed("special", "12000", name="Brook Special School")
    manager_client.post(
        "/reporting/high-needs/places/",
        {
            "establishment": str(placement.establishment_id),
            "academic_year": "2025",
            "places": "40",
        },
    )

    page = text(manager_client.get(CENSUS))

    assert CommissionedPlaces.objects.get().places == 40
    assert "Brook Special School Maintained special school or special academy 40 1 39" in page


# --- the return and its forms -------------------------------------------------------------------
def test_the_return_shows_this_quarter_s_entries(manager: User, caseworker_client: Client) -> None:
    high_needs_figures_enter(
        actor=manager,
        period=Q3,
        figures={
            "in_year_balance": FigureInput(Decimal("-6100000")),
            "in_year_profile": FigureInput(Decimal("-2500000")),
        },
    )
    condition = safety_valve_condition_add(actor=manager, number=1, title="Improve decisions.")
    condition_update_enter(
        actor=manager, condition=condition, period=Q3, rag="red", narrative="Behind plan."
    )

    page = text(caseworker_client.get(RETURN))

    assert "October to December 2025 (quarter 3 of 2025 to 2026)" in page
    assert "In-year DSG balance -£6,100,000.00 Chris Evans" in page
    assert "In-year balance against the agreed profile -£3,600,000.00 Worse than agreed" in page
    assert "1. Improve decisions. Red: off track Behind plan." in page
    assert "Enter the figures" not in page  # a caseworker only reads


def test_a_manager_enters_the_figures_and_a_change_is_a_new_version(
    manager_client: Client,
) -> None:
    url = f"{RETURN}FY2025-Q3/figures/"
    version = manager_client.get(url).context["form"].initial["version"]
    response = manager_client.post(
        url, {"version": version, "hnb_allocation": "£108,000,000", "note": "Budget book"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{RETURN}?period=FY2025-Q3"

    version = manager_client.get(url).context["form"].initial["version"]
    manager_client.post(url, {"version": version, "hnb_allocation": "109000000"})

    figures = HighNeedsFigure.objects.order_by("created_at")
    assert [(f.amount, f.note) for f in figures] == [
        (Decimal("108000000.00"), "Budget book"),
        (Decimal("109000000.00"), ""),
    ]
    history = text(manager_client.get(f"{RETURN}FY2025-Q3/history/"))
    assert "High-needs block allocation £109,000,000.00 Current" in history
    assert "High-needs block allocation £108,000,000.00 Budget book Replaced" in history


def test_figures_form_errors_are_summarised(manager_client: Client) -> None:
    response = manager_client.post(f"{RETURN}FY2025-Q3/figures/", {"other_spend": "lots"})

    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert MONEY_INVALID.format(label="Other high-needs spend (£)") in page
    assert not HighNeedsFigure.objects.exists()


def test_figures_from_an_out_of_date_form_are_refused(
    manager_client: Client, admin_user: User
) -> None:
    url = f"{RETURN}FY2025-Q3/figures/"
    version = manager_client.get(url).context["form"].initial["version"]
    high_needs_figures_enter(
        actor=admin_user, period=Q3, figures={"hnb_allocation": FigureInput(Decimal("1"))}
    )

    response = manager_client.post(url, {"version": version, "hnb_allocation": "2"})

    assert CHANGED_MEANWHILE in response.content.decode().replace("&#x27;", "'")
    assert return_entries(period=Q3).figures["hnb_allocation"].amount == Decimal("1.00")


def test_a_condition_update_needs_a_rag(manager: User, manager_client: Client) -> None:
    safety_valve_condition_add(actor=manager, number=3, title="Outreach model.")
    url = f"{RETURN}FY2025-Q3/conditions/3/"

    refused = text(manager_client.post(url, {"narrative": "Launched."}))
    saved = manager_client.post(url, {"rag": "green", "narrative": "Launched.", "replaces": ""})

    assert "There is a problem" in refused
    assert "Select a RAG rating" in refused
    assert saved.status_code == 302
    update = return_entries(period=Q3).conditions[0].update
    assert update is not None
    assert (update.rag, update.narrative) == ("green", "Launched.")
    assert manager_client.get(f"{RETURN}FY2025-Q3/conditions/9/").status_code == 404


def test_a_pressure_is_added_changed_and_withdrawn_from_the_pages(manager_client: Client) -> None:
    add = f"{RETURN}FY2025-Q3/pressures/add/"
    manager_client.post(
        add, {"kind": "pressure", "title": "Placement inflation", "amount": "2,400,000"}
    )
    entry = PressureEntry.objects.get()
    edit = f"{RETURN}FY2025-Q3/pressures/{entry.pk}/"
    form = manager_client.get(edit).context["form"].initial

    manager_client.post(edit, {**form, "amount": "2600000"})
    current = PressureEntry.objects.get(supersedes=entry)
    manager_client.post(edit, {**form, "replaces": str(current.pk), "withdraw": "1"})

    assert return_entries(period=Q3).pressures == ()
    assert PressureEntry.objects.count() == 3
    history = text(manager_client.get(f"{RETURN}FY2025-Q3/history/"))
    assert "Pressure: Placement inflation Withdrawn" in history
    assert "Pressure: Placement inflation £2,600,000.00" in history


def test_a_manager_enters_a_place_funding_rate(manager_client: Client) -> None:
    url = "/reporting/high-needs/place-funding/"
    refused = manager_client.post(url, {"kind": "special", "annual_value": "-5"})
    saved = manager_client.post(
        url,
        {
            "kind": "special",
            "annual_value": "10,000",
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2025",
        },
    )

    assert refused.status_code == 400
    assert "There is a problem" in text(refused)
    assert saved.status_code == 302
    rate = PlaceFunding.objects.get()
    assert (rate.kind, rate.annual_value, rate.effective_from) == (
        "special",
        Decimal("10000.00"),
        D(2025, 4, 1),
    )
    assert "£10,000.00 1 Apr 2025 No end date" in text(manager_client.get(url))


def test_place_funding_rates_count_in_the_census(manager: User, manager_client: Client) -> None:
    place_funding_set(
        actor=manager, kind="special", annual_value=Decimal("10000"), effective_from=D(2020, 4, 1)
    )
    placed("special", "12000")

    assert "Annual cost of their placements £22,000.00" in text(manager_client.get(CENSUS))
