"""Red, amber, green and the direction of travel: what a number means against its target.

Pure rules, shared by the dashboard, the PDF and the API. Higher-is-better metrics are green at
or above the target, amber below it and red below the floor; lower-is-better the other way
round. A neutral metric (demand, caseload) has no RAG: more requests are neither good nor bad.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "On target", "amber": "Below target", "red": "Below floor"}[self.value]


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


def rag(
    *, value: Decimal | None, target: Decimal | None, floor: Decimal | None, polarity: str
) -> Rag | None:
    """The RAG of `value`; None when there is no value, no target or the metric is neutral."""
    if value is None or target is None or polarity == "neutral":
        return None
    if polarity == "lower_better":
        if value <= target:
            return Rag.GREEN
        return Rag.RED if floor is not None and value > floor else Rag.AMBER
    if value >= target:
        return Rag.GREEN
    return Rag.RED if floor is not None and value < floor else Rag.AMBER


@dataclass(frozen=True)
class Travel:
    direction: Direction
    #: True when the move is for the better, False for the worse, None for neutral or no move.
    better: bool | None

    @property
    def label(self) -> str:
        words = {Direction.UP: "Up", Direction.DOWN: "Down", Direction.SAME: "No change"}
        text = words[self.direction]
        if self.better is None:
            return text
        return f"{text} (better)" if self.better else f"{text} (worse)"


def travel(*, value: Decimal | None, previous: Decimal | None, polarity: str) -> Travel | None:
    """Direction of travel from the previous period's value; None if either is missing."""
    if value is None or previous is None:
        return None
    if value == previous:
        return Travel(Direction.SAME, None)
    direction = Direction.UP if value > previous else Direction.DOWN
    if polarity == "neutral":
        return Travel(direction, None)
    return Travel(direction, (direction == Direction.UP) == (polarity == "higher_better"))


def target_problem(*, target: Decimal, floor: Decimal, polarity: str) -> str | None:
    """Why a target and floor do not fit the metric's polarity, or None if they do."""
    if polarity == "neutral":
        return "This figure has no better or worse direction, so it takes no target."
    if polarity == "higher_better" and floor > target:
        return "The floor must be at or below the target: higher is better for this figure."
    if polarity == "lower_better" and floor < target:
        return "The floor must be at or above the target: lower is better for this figure."
    return None
