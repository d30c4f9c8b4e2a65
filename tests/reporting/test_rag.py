"""RAG and direction of travel, for higher-better, lower-better and neutral metrics."""

from decimal import Decimal

import pytest

from reporting.rag import Direction, Rag, rag, target_problem, travel

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("90"), Rag.GREEN), (D("89.99"), Rag.AMBER), (D("60"), Rag.AMBER), (D("59.9"), Rag.RED)],
)
def test_higher_is_better_is_amber_below_target_and_red_below_floor(value, expected):
    assert rag(value=value, target=D(90), floor=D(60), polarity="higher_better") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("100"), Rag.GREEN), (D("101"), Rag.AMBER), (D("150"), Rag.AMBER), (D("151"), Rag.RED)],
)
def test_lower_is_better_is_the_other_way_round(value, expected):
    assert rag(value=value, target=D(100), floor=D(150), polarity="lower_better") == expected


def test_no_rag_without_a_value_a_target_or_for_a_neutral_figure():
    assert rag(value=None, target=D(90), floor=D(60), polarity="higher_better") is None
    assert rag(value=D(50), target=None, floor=None, polarity="higher_better") is None
    assert rag(value=D(50), target=D(90), floor=D(60), polarity="neutral") is None


def test_direction_of_travel_says_whether_the_move_is_for_the_better():
    up = travel(value=D(70), previous=D(60), polarity="higher_better")
    worse = travel(value=D(70), previous=D(60), polarity="lower_better")
    neutral = travel(value=D(70), previous=D(60), polarity="neutral")

    assert up is not None
    assert (up.direction, up.better, up.label) == (
        Direction.UP,
        True,
        "Up (better)",
    )
    assert worse is not None
    assert worse.label == "Up (worse)"
    assert neutral is not None
    assert neutral.label == "Up"
    same = travel(value=D(60), previous=D(60), polarity="higher_better")
    assert same is not None
    assert same.label == "No change"
    assert travel(value=D(60), previous=None, polarity="higher_better") is None


def test_a_floor_on_the_wrong_side_of_the_target_is_refused_with_a_reason():
    assert target_problem(target=D(90), floor=D(95), polarity="higher_better") == (
        "The floor must be at or below the target: higher is better for this figure."
    )
    assert target_problem(target=D(100), floor=D(150), polarity="lower_better") is None
    assert target_problem(target=D(1), floor=D(1), polarity="neutral") is not None
