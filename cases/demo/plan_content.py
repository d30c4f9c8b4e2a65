"""The demo's plans, written as a caseworker writes them: the family's words, the needs, an
outcome for each need and quantified provision for each outcome, and the advice received."""

import random
from typing import Any

from cases.codes import SenType
from cases.models import Child
from cases.plan_content.sections import (
    plan_content_list_advice_received,
    plan_content_section_save,
)
from cases.plan_content.services import (
    plan_content_start,
    plan_content_update,
)

#: Per area of need: the need as section B says it, an outcome, and the provision for it.
WORDS: dict[str, tuple[str, str, str, str]] = {
    SenType.ASD: (
        "Finds changes to routine and busy, noisy rooms very hard to manage.",
        "Moves between lessons and activities calmly, using a visual timetable.",
        "Individual visual timetable, taught and reviewed 1:1",
        "3 sessions of 20 minutes a week",
    ),
    SenType.SLCN: (
        "Understands and uses far fewer words than children of the same age.",
        "Asks for help in class using a sentence of four words or more.",
        "Speech and language therapy, delivered 1:1",
        "1 session of 30 minutes a week",
    ),
    SenType.SEMH: (
        "Becomes anxious and withdrawn when work is new or unfamiliar.",
        "Names their feelings and uses a calming plan without adult prompting.",
        "Emotional literacy sessions with a trained ELSA",
        "2 sessions of 30 minutes a week",
    ),
}
DEFAULT = (
    "Needs more time and adult help than others of the same age to learn new skills.",
    "Reads and follows a short set of written instructions on their own.",
    "Precision teaching of reading, 1:1",
    "5 sessions of 10 minutes a week",
)


def write_plan(*, actor: Any, child: Child, need: str) -> None:
    """Write the child's draft plan through the services, as a caseworker would (its own
    random choices, so the rest of the demo is the same with or without it)."""
    rng = random.Random(child.reference)  # noqa: S311 - made-up demo words, not a secret
    content = plan_content_start(actor=actor, child=child)
    described, outcome_text, provision, often = WORDS.get(need, DEFAULT)
    plan_content_update(
        actor=actor,
        content=content,
        views=f"{child.first_name} says: “I like it when I know what is happening next.”",
        interests=rng.choice(["Drawing and football.", "Trains and swimming.", "Music and Lego."]),
        aspirations="To go to college with friends and, one day, to work with animals.",
        placement="A mainstream school with support",
    )
    (need_row,) = plan_content_section_save(
        actor=actor,
        content=content,
        section="B",
        items=[{"need": need, "description": described}],
    )
    (outcome,) = plan_content_section_save(
        actor=actor,
        content=content,
        section="E",
        items=[
            {
                "description": outcome_text,
                "achieve_by": "By the next annual review",
                "needs": [need_row.key],
            }
        ],
    )
    plan_content_section_save(
        actor=actor,
        content=content,
        section="F",
        items=[
            {
                "description": provision,
                "frequency": often,
                "duration": "Until the next annual review",
                "provider": "A teaching assistant trained by the specialist teacher",
                "outcomes": [outcome.key],
            }
        ],
    )
    plan_content_list_advice_received(actor=actor, content=content)
