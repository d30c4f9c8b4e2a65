"""Learning from rulings: the similar-appeals figure on a small known history, its interval, the
list behind it, and the pure-Python Beta quantiles checked against known values."""

import datetime as dt
import math
from decimal import Decimal

import pytest

from tribunals import services
from tribunals.selectors.rulings import outcomes_view, similar_appeals
from tribunals.stats import beta_cdf, beta_estimate, beta_quantile

from .factories import make_child, plan_for, register_appeal

D = dt.date
DECIDED_ON = D(2025, 6, 2)

# Reference values computed independently (scipy.stats.beta.ppf / .cdf, double precision).
KNOWN_QUANTILES = [
    # a, b, 5% quantile, 95% quantile
    (8, 3, 0.4930986989367976, 0.9127355660858496),
    (1, 1, 0.05, 0.95),
    (2, 1, 0.22360679774997896, 0.9746794344808963),
    (3, 5, 0.1287563928042427, 0.658738563844664),
    (10, 2, 0.6356405107527575, 0.9666807823157701),
    (1, 11, 0.0046521717321972985, 0.2384041903808526),
    (21, 3, 0.7507512501797403, 0.9634847002740974),
    (5, 5, 0.25136762740817725, 0.7486323725918227),
]


@pytest.mark.parametrize(("a", "b", "q05", "q95"), KNOWN_QUANTILES)
def test_beta_quantiles_match_known_values(a, b, q05, q95):
    assert beta_quantile(0.05, a, b) == pytest.approx(q05, abs=1e-9)
    assert beta_quantile(0.95, a, b) == pytest.approx(q95, abs=1e-9)


def test_beta_cdf_has_closed_forms_to_check_against():
    # I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b.
    assert beta_cdf(0.3, 4, 1) == pytest.approx(0.3**4)
    assert beta_cdf(0.3, 1, 4) == pytest.approx(1 - 0.7**4)
    assert beta_cdf(0.5, 8, 3) == pytest.approx(0.0546875)  # 56/1024
    assert (beta_cdf(0.0, 3, 3), beta_cdf(1.0, 3, 3)) == (0.0, 1.0)


def test_a_long_history_does_not_overflow():
    estimate = beta_estimate(700, 1000)
    assert estimate.mean == pytest.approx(701 / 1002)
    assert 0.67 < estimate.lower < estimate.mean < estimate.upper < 0.73


def test_the_estimate_is_described_as_a_rounded_percent_with_its_interval():
    estimate = beta_estimate(7, 9)
    assert estimate.mean == pytest.approx(8 / 11)
    assert estimate.describe() == "about 73% (90% interval 49-91%)"
    assert beta_estimate(0, 0).describe() == "about 50% (90% interval 5-95%)"
    with pytest.raises(ValueError, match="successes"):
        beta_estimate(3, 2)
    assert not math.isnan(beta_estimate(0, 12).lower)


# --- the similar-appeals figure on a known history ---------------------------------------------
def _closed(
    caseworker,
    outcome,
    *,
    decided_on=DECIDED_ON,
    need="ASD",
    sections=("F",),
    setting="special",
    appeal_type="contents",
    representation="",
):
    child = make_child()
    kwargs = {}
    if appeal_type == "contents":
        kwargs = {"plan": plan_for(child, need=need), "sections": list(sections)}
    appeal = register_appeal(
        caseworker,
        child=child,
        appeal_type=appeal_type,
        decision_notice_on=D(2022, 6, 1),
        received_by_la_on=D(2022, 7, 1),
        setting_kind_sought=setting,
        la_representation=representation,
        **kwargs,
    )
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome=outcome, decided_on=decided_on
    )
    return appeal


@pytest.fixture
def history(caseworker, today):
    """9 similar decided appeals (5 upheld, 2 in part, 2 dismissed), 2 conceded, 1 withdrawn,
    and 5 that differ on one criterion each."""
    similar = [
        _closed(caseworker, o) for o in ["upheld"] * 5 + ["upheld_in_part"] * 2 + ["dismissed"] * 2
    ]
    conceded = [_closed(caseworker, "conceded") for _ in range(2)]
    withdrawn = [_closed(caseworker, "withdrawn")]
    different = [
        _closed(caseworker, "upheld", need="SEMH"),
        _closed(caseworker, "upheld", sections=("B",)),
        _closed(caseworker, "upheld", setting="independent_special"),
        _closed(caseworker, "upheld", decided_on=D(2022, 12, 30)),
        _closed(caseworker, "upheld", appeal_type="refusal_to_assess"),
    ]
    return similar, conceded, withdrawn, different


def _contents_appeal(caseworker):
    child = make_child()
    return register_appeal(
        caseworker,
        child=child,
        appeal_type="contents",
        plan=plan_for(child, need="ASD"),
        sections=["F", "I"],
        setting_kind_sought="special",
        decision_notice_on=D(2026, 6, 1),
        received_by_la_on=D(2026, 7, 1),
    )


def test_7_of_9_similar_appeals_since_2023_were_upheld(caseworker, history):
    similar, conceded, withdrawn, different = history
    result = similar_appeals(_contents_appeal(caseworker))
    assert result.headline == "7 of 9 similar appeals since 2023 were upheld"
    # Nine rulings are too few for an estimate: the page says so and how many there are.
    assert result.estimate is None
    assert result.estimate_text == (
        "No estimate: it needs at least 10 similar appeals decided by the tribunal, and there are 9"
    )
    assert set(result.decided) == set(similar)
    assert set(result.conceded) == set(conceded)
    assert set(result.other_closed) == set(withdrawn)
    assert not set(result.listed) & set(different)
    assert [(c.label, c.compared) for c in result.criteria] == [
        ("Appeal type", True),
        ("Sections (at least one in common)", True),
        ("Kind of setting sought", True),
        ("Primary need", True),
    ]


def test_the_tenth_similar_ruling_gives_an_estimate_with_its_count(caseworker, history):
    _closed(caseworker, "dismissed")
    result = similar_appeals(_contents_appeal(caseworker))
    assert result.headline == "7 of 10 similar appeals since 2023 were upheld"
    assert result.estimate is not None
    assert result.estimate.lower == pytest.approx(0.4356258117109064, abs=1e-9)
    assert result.estimate.upper == pytest.approx(0.8649245270803476, abs=1e-9)
    assert result.estimate_text == (
        "Estimated chance this appeal is upheld: about 67% (90% interval 44-86%),"
        " from 10 similar decided appeals"
    )


def test_criteria_this_appeal_has_no_value_for_are_not_compared(caseworker, history):
    appeal = register_appeal(
        caseworker, decision_notice_on=D(2026, 6, 1), received_by_la_on=D(2026, 7, 1)
    )
    result = similar_appeals(appeal)
    assert result.headline == "1 of 1 similar appeal since 2023 was upheld"
    assert [(c.label, c.value, c.compared) for c in result.criteria][1:] == [
        ("Sections", "none named", False),
        ("Kind of setting sought", "Not recorded", False),
        ("Primary need", "no plan yet", False),
    ]


def test_no_similar_appeals_says_so_and_gives_no_estimate(caseworker, today):
    appeal = register_appeal(caseworker)
    result = similar_appeals(appeal)
    assert result.headline == "No similar appeals since 2023 have been decided by the tribunal"
    assert result.estimate is None
    assert result.estimate_text.endswith("and there are 0")


def test_the_managers_view_groups_outcomes_and_totals_costs(caseworker, manager, today):
    a = _closed(caseworker, "upheld", representation="counsel")
    b = _closed(caseworker, "dismissed", sections=("B", "F"), representation="officer")
    _closed(caseworker, "conceded", representation="officer")
    services.appeal_update_details(
        actor=caseworker, appeal=a, legal_costs=Decimal("1000"), counsel_costs=Decimal("3000")
    )
    services.appeal_update_details(actor=caseworker, appeal=b, expert_costs=Decimal("500"))
    view = outcomes_view(user=manager, since=D(2025, 1, 1))
    by_type = {r.label: r for r in view.groups["Appeal type"]}
    assert by_type["Contents of the plan"].closed == 3
    assert by_type["Contents of the plan"].upheld_text == "1 of 2 (50%)"
    sections = {r.label: r.closed for r in view.groups["Section of the plan"]}
    assert sections == {"Section F": 3, "Section B": 1}
    representation = {r.label: r.upheld_text for r in view.groups["Council represented by"]}
    assert representation == {"SEND officer": "0 of 1 (0%)", "Counsel (barrister)": "1 of 1 (100%)"}
    assert view.costs.total == Decimal("4500")
    assert view.costs.with_costs == 2
    assert view.costs.average_total == Decimal("2250.00")
