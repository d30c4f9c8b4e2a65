"""The cohort model on its own (no database): steady state, growth, capacity and overflow,
step-down, cost inflation and cost avoided, worked by hand."""

import subprocess
import sys

import pytest

from reporting.metrics.engine import AGE_BANDS as ENGINE_BANDS
from reporting.trajectory import (
    AGE_BANDS,
    BAND_KEYS,
    Assumptions,
    Capacity,
    Position,
    StepDown,
    band_of_age,
    compare,
    project,
)

CATEGORIES = ("mainstream", "special", "independent_special", "none")
#: The stock a steady intake of N plans a year into "under 5" settles at: width x N per band.
WIDTHS = {"under_5": 5, "5_10": 6, "11_15": 5, "16_19": 4, "20_25": 6}


def assumptions(**changes: object) -> Assumptions:
    """100 requests a year, all assessed and issued, placed in mainstream aged under 5, no
    cessation but ageing, £10,000 a plan."""
    fields: dict[str, object] = {
        "requests_per_year": 100.0,
        "agree_to_assess_pct": 100.0,
        "issue_pct": 100.0,
        "cessation_pct": {},
        "new_plan_ages": {"under_5": 1.0},
        "placement_mix_pct": {"mainstream": 100.0},
        "unit_cost": {"mainstream": 10_000.0, "special": 20_000.0, "independent_special": 50_000.0},
    }
    fields.update(changes)
    return Assumptions(**fields)  # type: ignore[arg-type]


def steady(category: str = "mainstream", intake: float = 100.0) -> Position:
    return Position({(category, band): WIDTHS[band] * intake for band in BAND_KEYS})


def test_the_bands_are_the_engines_and_the_widths_are_the_ages_they_hold() -> None:
    assert [(b.key, b.label, b.first_age) for b in AGE_BANDS] == [
        (key, label, low) for key, label, low, _ in ENGINE_BANDS
    ]
    assert {b.key: b.width for b in AGE_BANDS} == WIDTHS
    assert [band_of_age(a) for a in (-1, 0, 4, 5, 10, 11, 15, 16, 19, 20, 25, 30)] == [
        "under_5", "under_5", "under_5", "5_10", "5_10", "11_15", "11_15", "16_19", "16_19",
        "20_25", "20_25", "20_25",
    ]  # fmt: skip


def test_steady_intake_with_no_change_stays_flat_year_after_year() -> None:
    """100 new plans a year in, 100 ageing out at 25 (a sixth of 600): inflow = outflow."""
    result = project(start=steady(), assumptions=assumptions(), years=5, categories=CATEGORIES)

    assert result.start.open_plans == 2600
    for year in result.years:
        assert year.open_plans == pytest.approx(2600)
        assert year.new_plans == pytest.approx(100)
        assert year.aged_out == pytest.approx(100)
        assert year.by_age_band == pytest.approx((500, 600, 500, 400, 600))
        assert year.annual_cost == pytest.approx(26_000_000)


def test_cessation_balances_a_steady_intake_too() -> None:
    """All 5-10: 10% cease and a sixth age up a year. Stock S with intake N: S(0.9)(5/6) + N = S
    is steady at S = N / 0.25; the 11-15 band receives S x 0.9 / 6 a year."""
    start = Position({("mainstream", "5_10"): 400.0})
    params = assumptions(
        requests_per_year=100.0, new_plan_ages={"5_10": 1.0}, cessation_pct={"5_10": 10.0}
    )
    year = project(start=start, assumptions=params, years=1, categories=CATEGORIES).years[0]

    assert year.category("mainstream").by_age_band[1] == pytest.approx(400)
    assert year.category("mainstream").by_age_band[2] == pytest.approx(60)
    assert year.ceased == pytest.approx(40)


def test_more_requests_grow_the_plans_each_year() -> None:
    params = assumptions(request_change_pct=10.0, agree_to_assess_pct=80.0, issue_pct=90.0)
    base = assumptions(agree_to_assess_pct=80.0, issue_pct=90.0)
    grown = project(start=steady(intake=72), assumptions=params, years=3, categories=CATEGORIES)
    flat = project(start=steady(intake=72), assumptions=base, years=3, categories=CATEGORIES)

    # requests x (1 + 10%)^year x 80% x 90%
    assert [y.requests for y in grown.years] == pytest.approx([110, 121, 133.1])
    assert [y.new_plans for y in grown.years] == pytest.approx([79.2, 87.12, 95.832])
    assert [y.open_plans for y in flat.years] == pytest.approx([1872, 1872, 1872])
    plans = [y.open_plans for y in grown.years]
    assert plans == pytest.approx([1879.2, 1879.2 + 87.12 - 72, 1879.2 + 87.12 + 95.832 - 144])


def test_population_growth_compounds_with_the_change_in_requests() -> None:
    params = assumptions(request_change_pct=10.0, population_growth_pct=2.0)
    years = project(start=steady(), assumptions=params, years=2, categories=CATEGORIES).years

    assert years[1].requests == pytest.approx(100 * (1.1 * 1.02) ** 2)


def test_a_full_category_sends_new_plans_to_its_overflow() -> None:
    """Special has 100 places, all taken, none ceasing: its 30 new plans go to independent."""
    start = Position({("special", "11_15"): 100.0})
    params = assumptions(
        requests_per_year=50.0,
        new_plan_ages={"11_15": 1.0},
        placement_mix_pct={"mainstream": 40.0, "special": 60.0},
        capacity={"special": Capacity(100, "independent_special")},
    )
    year = project(start=start, assumptions=params, years=1, categories=CATEGORIES).years[0]

    # A fifth of special's 11-15s aged into 16-19, still in special: no place is freed.
    assert year.category("special").plans == pytest.approx(100)
    assert year.category("special").turned_away == pytest.approx(30)
    assert year.category("independent_special").plans == pytest.approx(30)
    assert year.category("mainstream").plans == pytest.approx(20)
    assert year.annual_cost == pytest.approx(100 * 20_000 + 30 * 50_000 + 20 * 10_000)


def test_places_freed_by_ceasing_are_filled_first_and_the_rest_overflow() -> None:
    start = Position({("special", "5_10"): 100.0})
    params = assumptions(
        requests_per_year=30.0,
        new_plan_ages={"5_10": 1.0},
        cessation_pct={"5_10": 12.0},
        placement_mix_pct={"special": 100.0},
        capacity={"special": Capacity(100, "independent_special")},
    )
    year = project(start=start, assumptions=params, years=1, categories=CATEGORIES).years[0]

    assert year.category("special").plans == pytest.approx(100)  # 88 + 12 of the 30
    assert year.category("independent_special").plans == pytest.approx(18)


def test_overflow_cascades_and_a_circle_keeps_the_rest_where_it_is() -> None:
    start = Position({("special", "5_10"): 10.0, ("independent_special", "5_10"): 5.0})
    chained = assumptions(
        requests_per_year=20.0,
        new_plan_ages={"5_10": 1.0},
        placement_mix_pct={"special": 100.0},
        capacity={
            "special": Capacity(10, "independent_special"),
            "independent_special": Capacity(12, "mainstream"),
        },
    )
    year = project(start=start, assumptions=chained, years=1, categories=CATEGORIES).years[0]
    assert year.category("special").plans == pytest.approx(10)
    assert year.category("independent_special").plans == pytest.approx(12)
    assert year.category("mainstream").plans == pytest.approx(13)

    circle = assumptions(
        requests_per_year=20.0,
        new_plan_ages={"5_10": 1.0},
        placement_mix_pct={"special": 100.0},
        capacity={
            "special": Capacity(10, "independent_special"),
            "independent_special": Capacity(12, "special"),
        },
    )
    year = project(start=start, assumptions=circle, years=1, categories=CATEGORIES).years[0]
    assert year.open_plans == pytest.approx(35)
    assert year.category("independent_special").plans == pytest.approx(25)


def test_existing_placements_over_the_cap_are_not_moved() -> None:
    start = Position({("special", "5_10"): 120.0})
    params = assumptions(
        requests_per_year=0.0, capacity={"special": Capacity(100, "independent_special")}
    )
    year = project(start=start, assumptions=params, years=1, categories=CATEGORIES).years[0]
    assert year.category("special").plans == pytest.approx(120)
    assert year.category("independent_special").plans == 0


def test_step_down_moves_a_share_of_a_category_as_far_as_places_allow() -> None:
    start = Position({("special", "5_10"): 100.0, ("mainstream", "5_10"): 50.0})
    free = assumptions(requests_per_year=0.0, step_downs=(StepDown("special", "mainstream", 10),))
    year = project(start=start, assumptions=free, years=1, categories=CATEGORIES).years[0]
    assert year.category("special").plans == pytest.approx(90)
    assert year.category("mainstream").plans == pytest.approx(60)
    assert year.stepped_down == pytest.approx(10)

    capped = assumptions(
        requests_per_year=0.0,
        step_downs=(StepDown("special", "mainstream", 10),),
        capacity={"mainstream": Capacity(54, "special")},
    )
    year = project(start=start, assumptions=capped, years=1, categories=CATEGORIES).years[0]
    assert year.category("special").plans == pytest.approx(96)
    assert year.category("mainstream").plans == pytest.approx(54)


def test_a_mix_shift_moves_points_of_new_plans_between_categories() -> None:
    start = Position({})
    params = assumptions(
        placement_mix_pct={"mainstream": 50.0, "special": 50.0},
        mix_shift_pts={"mainstream": 2.0, "special": -2.0},
    )
    year = project(start=start, assumptions=params, years=1, categories=CATEGORIES).years[0]
    assert year.category("mainstream").plans == pytest.approx(52)
    assert year.category("special").plans == pytest.approx(48)


def test_unit_cost_inflation_compounds_each_year() -> None:
    params = assumptions(unit_cost_change_pct={"mainstream": 5.0})
    result = project(start=steady(), assumptions=params, years=3, categories=CATEGORIES)

    assert [y.category("mainstream").unit_cost for y in result.years] == pytest.approx(
        [10_500, 11_025, 11_576.25]
    )
    assert result.years[2].annual_cost == pytest.approx(2600 * 10_000 * 1.05**3)


def test_cost_avoided_is_do_nothing_less_the_scenario_each_year_and_in_total() -> None:
    do_nothing = assumptions(request_change_pct=10.0)
    scenario = assumptions()
    result = compare(
        start=steady(), scenario=scenario, do_nothing=do_nothing, years=3, categories=CATEGORIES
    )
    by_year = [
        d.annual_cost - s.annual_cost
        for s, d in zip(result.scenario.years, result.do_nothing.years, strict=True)
    ]

    assert result.cost_avoided_by_year == pytest.approx(by_year)
    # Extra plans: 10, 10 + 21, 10 + 21 + 33.1 at £10,000 each.
    assert by_year == pytest.approx([100_000, 310_000, 641_000])
    assert result.cost_avoided == pytest.approx(1_051_000)
    assert result.plans_avoided_by_year == pytest.approx([10, 31, 64.1])


def test_years_outside_1_to_10_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 10"):
        project(start=steady(), assumptions=assumptions(), years=11, categories=CATEGORIES)


def test_the_model_is_pure_python() -> None:
    code = (
        "import sys, reporting.trajectory; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'cases')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
