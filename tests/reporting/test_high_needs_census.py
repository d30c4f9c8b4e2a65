"""High needs: the census of plans in force on a date by DSG category, age band and need with
their annual cost, the pro-rating of placement costs, committed spend and the API's body."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.models import Placement
from panels.services.bands import funding_band_create
from reporting.high_needs.costs import chosen_on, with_annual_cost
from reporting.high_needs.periods import census_age_date
from reporting.periods import month_period
from reporting.selectors import metric_figure, scope_for
from reporting.selectors.high_needs import (
    committed_spend,
    high_needs_census,
    independent_placements,
    places_used,
    spend_between,
)
from reporting.services.high_needs import commissioned_places_set, place_funding_set
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from tests.factories import ChildFactory, EstablishmentFactory, PlacementFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/api/v1/reports/high-needs/"
BORN = dt.date(2015, 3, 1)
ISSUED = dt.date(2024, 1, 15)
RATES_FROM = dt.date(2020, 4, 1)
PANEL_REASON = "Individual fee agreed by the high-cost panel"


def plan(*, born: dt.date = BORN, issued: dt.date = ISSUED, **fields: Any) -> Any:
    """A plan in force from `issued` (no request: the census reads only the plan's dates)."""
    child = ChildFactory(date_of_birth=born, **fields.pop("child", {}))
    return PlanFactory(child=child, request=None, issued_on=issued, **fields)


def setting(kind: str, name: str = "") -> Any:
    return EstablishmentFactory(kind=kind, **({"name": name} if name else {}))


def place(the_plan: Any, kind: str, *, starts: dt.date | None = None, **fields: Any) -> Any:
    fields.setdefault("band", "")
    return PlacementFactory(
        plan=the_plan,
        establishment=fields.pop("establishment", None) or setting(kind),
        starts_on=starts or the_plan.issued_on,
        **fields,
    )


def fee(amount: str, reason: str = PANEL_REASON) -> dict[str, Any]:
    return {"band": "", "annual_cost": Decimal(amount), "cost_reason": reason}


def rate(manager: User, kind: str, value: str, start: dt.date = RATES_FROM) -> None:
    place_funding_set(actor=manager, kind=kind, annual_value=Decimal(value), effective_from=start)


def cells(census: Any) -> dict[tuple[str, str], tuple[int, Decimal]]:
    return {(r.category, r.age_band): (r.plans, r.annual_cost) for r in census.rows}


# --- age bands: the age on 31 August before the date's school year -----------------------------
def test_the_age_is_taken_on_31_august_before_the_school_year() -> None:
    assert census_age_date(D(2025, 10, 1)) == D(2025, 8, 31)
    assert census_age_date(D(2025, 9, 1)) == D(2025, 8, 31)
    assert census_age_date(D(2025, 8, 31)) == D(2024, 8, 31)
    assert census_age_date(D(2026, 1, 18)) == D(2025, 8, 31)


def test_born_on_31_august_is_a_year_older_than_born_on_1_september() -> None:
    plan(born=D(2014, 8, 31))  # 11 on 31 August 2025
    plan(born=D(2014, 9, 1))  # 10 on 31 August 2025, 11 the day after
    plan(born=D(2020, 8, 31))  # 5
    plan(born=D(2020, 9, 1))  # 4

    census = high_needs_census(on=D(2026, 1, 18))

    assert cells(census) == {
        ("none", "under_5"): (1, Decimal("0.00")),
        ("none", "5_10"): (2, Decimal("0.00")),
        ("none", "11_15"): (1, Decimal("0.00")),
    }


def test_a_birthday_in_the_school_year_does_not_move_the_band_until_the_next_one() -> None:
    plan(born=D(2009, 9, 1))  # 16 on 1 September 2025, 15 on 31 August 2025

    assert cells(high_needs_census(on=D(2026, 8, 31))) == {("none", "11_15"): (1, Decimal(0))}
    assert cells(high_needs_census(on=D(2026, 9, 1))) == {("none", "16_19"): (1, Decimal(0))}


# --- which plans and which placement ------------------------------------------------------------
def test_only_plans_in_force_on_the_date_are_counted() -> None:
    plan(issued=D(2025, 10, 2))  # issued the day after
    ceased = plan(issued=D(2024, 1, 15))
    ceased.status, ceased.ceased_on, ceased.cease_reason = "ceased", D(2025, 10, 1), 1
    ceased.save()
    plan(issued=D(2025, 10, 1))  # issued that day: in force

    assert high_needs_census(on=D(2025, 10, 1)).total_plans == 1


def test_a_placement_starting_after_the_date_leaves_the_plan_without_one(manager: User) -> None:
    rate(manager, "mainstream", "6000")
    the_plan = plan(issued=D(2025, 1, 10))
    place(the_plan, "mainstream", starts=D(2025, 10, 2), **fee("4500"))

    before = high_needs_census(on=D(2025, 10, 1))
    on_the_day = high_needs_census(on=D(2025, 10, 2))

    assert cells(before) == {("none", "5_10"): (1, Decimal("0.00"))}
    assert cells(on_the_day) == {("mainstream", "5_10"): (1, Decimal("10500.00"))}


def test_the_rank_1_placement_gives_the_category_and_both_settings_are_paid_for(
    manager: User,
) -> None:
    rate(manager, "special", "10000")
    rate(manager, "mainstream", "6000")
    dual = plan()
    place(dual, "mainstream", rank=2, **fee("3000"))
    place(dual, "special", rank=1, **fee("15000"))

    census = high_needs_census(on=D(2025, 10, 1))

    # 10,000 + 15,000 for the special place; 6,000 + 3,000 for the mainstream one.
    assert cells(census) == {("special", "5_10"): (1, Decimal("34000.00"))}


def test_a_move_between_settings_counts_the_placement_in_force_that_day(manager: User) -> None:
    rate(manager, "special", "10000")
    the_plan = plan()
    place(the_plan, "mainstream", ends_on=D(2025, 8, 31), **fee("2000"))
    place(the_plan, "special", starts=D(2025, 9, 1), **fee("12000"))

    assert cells(high_needs_census(on=D(2025, 8, 31))) == {
        ("mainstream", "5_10"): (1, Decimal("2000.00"))
    }
    assert cells(high_needs_census(on=D(2025, 9, 1))) == {
        ("special", "5_10"): (1, Decimal("22000.00"))
    }


def test_a_plan_awaiting_a_placement_is_in_none_and_counted_apart() -> None:
    waiting = plan()
    PlacementFactory(
        plan=waiting, establishment=None, awaiting_placement=True, starts_on=None, band=""
    )
    plan()  # no placement recorded at all

    census = high_needs_census(on=D(2025, 10, 1))

    assert cells(census) == {("none", "5_10"): (2, Decimal("0.00"))}
    assert census.awaiting_placement == 1


# --- costs: band in force, individual fee, place funding ----------------------------------------
def test_a_band_uplift_applies_from_its_effective_date(manager: User) -> None:
    rate(manager, "special", "10000", D(2026, 4, 1))
    funding_band_create(
        actor=manager,
        kind="special",
        code="T1",
        name="Top-up T1",
        annual_value=Decimal("12000"),
        effective_from=D(2026, 4, 1),
    )
    funding_band_create(
        actor=manager,
        kind="special",
        code="T1",
        name="Top-up T1",
        annual_value=Decimal("12600"),
        effective_from=D(2027, 9, 1),
    )
    place(plan(), "special", starts=D(2027, 1, 1), band="T1", annual_cost=Decimal("12000"))

    assert high_needs_census(on=D(2027, 8, 31)).total_annual_cost == Decimal("22000.00")
    assert high_needs_census(on=D(2027, 9, 1)).total_annual_cost == Decimal("22600.00")


def test_a_band_with_no_value_that_day_falls_back_to_the_placement_s_recorded_cost(
    manager: User,
) -> None:
    place(plan(), "mainstream", band="Z9", annual_cost=Decimal("7500"))

    assert high_needs_census(on=D(2025, 10, 1)).total_annual_cost == Decimal("7500.00")


def test_an_individual_fee_replaces_the_band_and_independent_schools_get_no_place_funding(
    manager: User,
) -> None:
    rate(manager, "special", "10000")
    rate(manager, "mainstream", "6000")
    funding_band_create(
        actor=manager,
        kind="mainstream",
        code="F1",
        name="Band F1",
        annual_value=Decimal("4000"),
        effective_from=D(2024, 4, 1),
    )
    # A band given, but the panel recorded an individual fee with a reason: the fee counts.
    place(plan(), "mainstream", **{**fee("9000", "Two-to-one support agreed"), "band": "F1"})
    place(plan(born=D(2010, 1, 1)), "independent_special", **fee("62500"))

    census = high_needs_census(on=D(2025, 10, 1))

    assert cells(census) == {
        ("mainstream", "5_10"): (1, Decimal("15000.00")),
        ("independent_special", "11_15"): (1, Decimal("62500.00")),
    }
    assert census.total_annual_cost == Decimal("77500.00")


# --- pro-rating ---------------------------------------------------------------------------------
def test_spend_is_split_at_a_band_uplift_and_at_the_financial_year_end(manager: User) -> None:
    """FY2026 has 365 days; FY2027 (to 31 March 2028) holds 29 February 2028: 366.

    1 Jan-31 Mar 2027: 90 days at 22,000 / 365 = 5,424.66
    1 Apr-31 Aug 2027: 153 days at 12,000 + 10,000; 1 Sep-31 Dec 2027: 122 days at 12,600 +
    10,000: (1,836,000 + 1,537,200 + 2,750,000) / 366 = 16,730.05
    """
    rate(manager, "special", "10000", D(2026, 4, 1))
    for value, start in (("12000", D(2026, 4, 1)), ("12600", D(2027, 9, 1))):
        funding_band_create(
            actor=manager,
            kind="special",
            code="T1",
            name="Top-up T1",
            annual_value=Decimal(value),
            effective_from=start,
        )
    placement = place(
        plan(issued=D(2026, 12, 1)),
        "special",
        starts=D(2027, 1, 1),
        ends_on=D(2027, 12, 31),
        band="T1",
        annual_cost=Decimal("12000"),
    )

    spent = spend_between(start=D(2027, 1, 1), end=D(2027, 12, 31), placements=[placement.pk])
    whole = spend_between(start=D(2026, 4, 1), end=D(2028, 3, 31))

    assert spent == Decimal("5424.66") + Decimal("16730.05")
    assert whole == spent  # nothing before its start or after its end


def test_a_whole_financial_year_costs_the_annual_cost_even_in_a_leap_year(
    manager: User,
) -> None:
    rate(manager, "independent_special", "0")
    place(plan(issued=D(2027, 1, 1)), "independent_special", **fee("62500"))

    assert spend_between(start=D(2027, 4, 1), end=D(2028, 3, 31)) == Decimal("62500.00")
    # 29 February 2028 is one day of 366.
    assert spend_between(start=D(2028, 2, 29), end=D(2028, 2, 29)) == Decimal("170.77")


def test_spend_stops_the_day_the_plan_ceases() -> None:
    the_plan = plan(issued=D(2025, 4, 1))
    place(the_plan, "independent_special", **fee("36500"))
    the_plan.status, the_plan.ceased_on, the_plan.cease_reason = "ceased", D(2025, 4, 11), 1
    the_plan.save()

    # 1 to 10 April: 10 days of 365 at 36,500.
    assert spend_between(start=D(2025, 4, 1), end=D(2026, 3, 31)) == Decimal("1000.00")


def test_committed_spend_to_date_and_to_the_year_end(manager: User) -> None:
    rate(manager, "special", "10000")
    place(plan(), "special", starts=D(2025, 4, 1), **fee("26500"))  # 36,500 a year
    place(plan(), "independent_special", starts=D(2025, 10, 1), **fee("73000"))  # later start

    spend = committed_spend(on=D(2025, 4, 10))

    assert (spend.year_start, spend.year_end) == (D(2025, 4, 1), D(2026, 3, 31))
    assert [(line.kind, line.to_date, line.to_year_end) for line in spend.lines] == [
        ("special", Decimal("1000.00"), Decimal("36500.00")),
        ("independent_special", Decimal("0.00"), Decimal("36400.00")),  # 182 days
    ]
    assert spend.to_year_end == Decimal("72900.00")


def test_independent_placements_are_listed_with_their_fees(manager: User) -> None:
    school = setting("independent_special", "Hillcrest Independent School")
    child = {"reference": "IND-1", "first_name": "Ava", "last_name": "Okoro"}
    place(
        plan(issued=D(2025, 4, 1), child=child),
        "independent_special",
        establishment=school,
        **fee("73000", "No maintained place can meet needs"),
    )
    place(plan(), "special", **fee("12000"))

    rows = independent_placements(on=D(2025, 4, 10))

    assert [
        (r.reference, r.name, r.setting, r.annual_cost, r.spent_to_date, r.to_year_end)
        for r in rows
    ] == [
        (
            "IND-1",
            "Ava Okoro",
            "Hillcrest Independent School",
            Decimal("73000.00"),
            Decimal("2000.00"),
            Decimal("73000.00"),
        )
    ]
    assert rows[0].cost_reason == "No maintained place can meet needs"


def test_special_school_places_used_against_places_commissioned(manager: User) -> None:
    school = setting("special", "Brook Special School")
    commissioned_places_set(actor=manager, establishment=school, academic_year=2025, places=3)
    for _ in range(2):
        place(plan(), "special", establishment=school, **fee("12000"))
    other = setting("special", "Ash Special School")
    place(plan(), "special", establishment=other, **fee("12000"))

    places = places_used(on=D(2025, 10, 1))

    assert places.academic_year == 2025
    assert [(r.name, r.commissioned, r.used, r.spare) for r in places.rows] == [
        ("Ash Special School", None, 1, None),
        ("Brook Special School", 3, 2, 1),
    ]


# --- whose plans, and how many queries ----------------------------------------------------------
def test_a_caseworker_sees_their_team_s_plans(make_user: Any) -> None:
    mine = make_user("cw-a", Role.CASEWORKER, team="North")
    make_user("cw-b", Role.CASEWORKER, team="North")
    south = make_user("cw-c", Role.CASEWORKER, team="South")
    plan(child={"caseworker": mine})
    plan(child={"caseworker": south})

    assert high_needs_census(on=D(2025, 10, 1), scope=scope_for(mine)).total_plans == 1


def test_the_census_is_one_query_whatever_the_caseload(manager: User) -> None:
    rate(manager, "special", "10000")
    for n in range(20):
        place(plan(born=D(2008 + n % 10, 5, 1)), "special", **fee(str(10000 + n)))

    with CaptureQueriesContext(connection) as queries:
        census = high_needs_census(on=D(2025, 10, 1))

    assert census.total_plans == 20
    assert len(queries) == 1


# --- the API ------------------------------------------------------------------------------------
def test_the_api_gives_the_census_as_api_md_says(manager_api: APIClient, manager: User) -> None:
    rate(manager, "special", "10000")
    rate(manager, "mainstream", "6000")
    place(plan(born=D(2014, 8, 31)), "special", **fee("15000.50"))
    place(plan(born=D(2014, 9, 1)), "special", **fee("12000"))
    place(plan(born=D(2014, 9, 1), primary_need="SEMH"), "mainstream", **fee("3000"))
    plan(born=D(2021, 1, 1))

    response = manager_api.get(URL, {"on": "2025-10-01"})

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("on", "rows", "total_plans", "total_annual_cost")} == {
        "on": "2025-10-01",
        "rows": [
            {"category": "mainstream", "age_band": "5_10", "plans": 1, "annual_cost": 9000.0},
            {"category": "special", "age_band": "5_10", "plans": 1, "annual_cost": 22000.0},
            {"category": "special", "age_band": "11_15", "plans": 1, "annual_cost": 25000.5},
            {"category": "none", "age_band": "under_5", "plans": 1, "annual_cost": 0.0},
        ],
        "total_plans": 4,
        "total_annual_cost": 56000.5,
    }
    assert body["age_on"] == "2025-08-31"
    assert body["awaiting_placement"] == 0
    assert body["by_need"] == [
        {"category": "mainstream", "primary_need": "SEMH", "plans": 1, "annual_cost": 9000.0},
        {"category": "special", "primary_need": "ASD", "plans": 2, "annual_cost": 47000.5},
        {"category": "none", "primary_need": "ASD", "plans": 1, "annual_cost": 0.0},
    ]


@pytest.mark.parametrize("on", ["", "2025-13-01", "1 October 2025", "2025-02-30"])
def test_a_bad_date_is_a_400_on_the_field(manager_api: APIClient, on: str) -> None:
    response = manager_api.get(URL, {"on": on} if on else {})

    assert response.status_code == 400
    assert list(response.json()) == ["on"]


def test_caseworkers_may_read_the_api_and_panel_members_may_not(
    caseworker_api: APIClient, panel_member_api: APIClient
) -> None:
    assert caseworker_api.get(URL, {"on": "2025-10-01"}).status_code == 200
    assert panel_member_api.get(URL, {"on": "2025-10-01"}).status_code == 403
    assert APIClient().get(URL, {"on": "2025-10-01"}).status_code == 401


def test_the_schema_documents_the_census(manager_api: APIClient) -> None:
    schema = manager_api.get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/reports/high-needs/"]["get"]
    assert [(p["name"], p["required"]) for p in operation["parameters"]] == [("on", True)]
    body = schema["components"]["schemas"]["HighNeeds"]["properties"]
    assert {"on", "rows", "total_plans", "total_annual_cost"} <= set(body)


def test_the_census_agrees_with_the_open_plans_figure_by_category() -> None:
    """The same plans and categories as the dashboard's plans in force at a month's end (whose
    "awaiting placement" the census counts under none)."""
    place(plan(), "special", **fee("12000"))
    moved = plan()
    place(moved, "mainstream", ends_on=D(2025, 8, 31), **fee("2000"))
    place(moved, "resourced_provision", starts=D(2025, 9, 1), **fee("8000"))
    dual = plan()
    place(dual, "alternative_provision", rank=2, **fee("9000"))
    place(dual, "further_education", **fee("5000"))
    waiting = plan()
    PlacementFactory(
        plan=waiting, establishment=None, awaiting_placement=True, starts_on=None, band=""
    )
    plan()

    census = high_needs_census(on=D(2025, 9, 30))
    figure = metric_figure(metric="open_plans", period=month_period(2025, 9), breakdown="category")

    ours = {line.category: line.plans for line in census.categories}
    theirs = {row.key: int(row.numerator) for row in figure.breakdown or ()}
    theirs["none"] = theirs.pop("none", 0) + theirs.pop("awaiting_placement", 0)
    assert (
        ours
        == theirs
        == {
            "resourced_provision": 1,
            "special": 1,
            "further_education": 1,
            "none": 2,
        }
    )


def test_the_census_cost_and_the_placement_lists_cost_agree(manager: User) -> None:
    """The census's SQL and the ORM expression the placement lists use price alike."""
    rate(manager, "special", "10000")
    rate(manager, "mainstream", "6000", D(2025, 9, 1))
    funding_band_create(
        actor=manager,
        kind="mainstream",
        code="F2",
        name="Band F2",
        annual_value=Decimal("3100"),
        effective_from=D(2024, 4, 1),
    )
    place(plan(), "mainstream", band="F2", annual_cost=Decimal("2900"))
    place(plan(), "mainstream", band="Q7", annual_cost=Decimal("4500"))  # no such band
    place(plan(), "special", **fee("16000"))
    dual = plan()
    place(dual, "independent_special", **fee("52000"))
    place(dual, "alternative_provision", rank=2, **fee("8000"))

    for on in (D(2025, 8, 31), D(2025, 9, 1)):
        listed = with_annual_cost(chosen_on(Placement.objects.all(), on), on=on)
        total = sum(row["_annual"] for row in listed.values("_annual"))
        assert high_needs_census(on=on).total_annual_cost == total
    # 3,100 + 4,500 + 26,000 + 60,000, and 6,000 twice from 1 September.
    assert total == Decimal("105600.00")
