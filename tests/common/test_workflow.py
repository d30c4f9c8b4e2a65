"""The one workflow type every app's table is written in: allowed, where to, what next, why not."""

from enum import StrEnum

import pytest

from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.workflow import Refusal, Transition, Workflow


class Step(StrEnum):
    OPEN = "open"
    NOTE = "note"
    CLOSE = "close"


STATUSES = ("new", "open", "closed")

FLOW: Workflow[Step] = Workflow(
    statuses=STATUSES,
    transitions=(
        Transition(Step.OPEN, frozenset({"new"}), "open", "Only a new file can be opened.", "Open"),
        Transition(Step.NOTE, frozenset({"new", "open"}), None, "This file is {status}."),
        Transition(
            Step.CLOSE, frozenset({"open"}), "closed", "A {status} file cannot be {to_status}."
        ),
    ),
    refusals=(Refusal(frozenset({Step.CLOSE}), frozenset({"new"}), "Open the file first."),),
    phrase=str.upper,
)


def test_a_step_is_allowed_only_from_its_statuses():
    assert FLOW.allowed(Step.OPEN, "new")
    assert not FLOW.allowed(Step.OPEN, "open")
    assert FLOW.allowed("note", "open")  # the plain value, as a form or the API sends it
    assert not FLOW.allowed("unknown", "new")


def test_where_a_step_leads_and_a_recording_step_stays():
    assert FLOW.next_status(Step.OPEN, "new") == "open"
    assert FLOW.next_status(Step.NOTE, "open") == "open"


def test_a_step_out_of_order_raises_the_refusal():
    with pytest.raises(TransitionNotAllowed) as refused:
        FLOW.next_status(Step.OPEN, "closed")
    assert refused.value.message == "Only a new file can be opened."


def test_refusals_name_the_status_and_the_destination_and_precise_ones_win():
    assert FLOW.refusal(Step.NOTE, "closed") == "This file is CLOSED."
    assert FLOW.refusal(Step.CLOSE, "closed") == "A CLOSED file cannot be CLOSED."
    assert FLOW.refusal(Step.CLOSE, "new") == "Open the file first."


def test_what_may_be_done_next_in_table_order():
    assert FLOW.allowed_steps("new") == [Step.OPEN, Step.NOTE]
    assert FLOW.allowed_steps("open") == [Step.NOTE, Step.CLOSE]
    assert FLOW.allowed_steps("closed") == []


def test_the_table_by_status_has_a_row_for_every_status():
    assert {s: dict(row) for s, row in FLOW.by_status().items()} == {
        "new": {Step.OPEN: "open", Step.NOTE: "new"},
        "open": {Step.NOTE: "open", Step.CLOSE: "closed"},
        "closed": {},
    }
    assert FLOW.transitions[Step.OPEN].label == "Open"


@pytest.mark.parametrize(
    ("transitions", "refusals"),
    [
        ((Transition(Step.OPEN, frozenset({"nwe"}), "open", "x"),), ()),
        ((Transition(Step.OPEN, frozenset({"new"}), "opne", "x"),), ()),
        (
            (
                Transition(Step.OPEN, frozenset({"new"}), "open", "x"),
                Transition(Step.OPEN, frozenset({"open"}), "open", "x"),
            ),
            (),
        ),
        (
            (Transition(Step.OPEN, frozenset({"new"}), "open", "x"),),
            (Refusal(frozenset({Step.CLOSE}), frozenset({"new"}), "y"),),
        ),
    ],
)
def test_a_mistake_in_a_table_fails_when_it_is_written(transitions, refusals):
    with pytest.raises(ValueError, match=r"unknown|twice"):
        Workflow(statuses=STATUSES, transitions=transitions, refusals=refusals)
