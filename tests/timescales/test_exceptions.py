"""Which exception can excuse which rule, and the closure and absence tests."""

import re
from datetime import date

import pytest

from send_cms.timescales import (
    APPLIES_TO,
    EXCEPTION_NOT_APPLICABLE,
    LA_STATUTORY_RULES,
    ORDER_RULES,
    RULES,
    ExceptionNotApplicable,
    ExceptionType,
    UnknownRule,
    absence_refusal,
    advice_requested_in_closure_window,
    closure_refusal,
    closure_window,
    ensure_exception_applies,
    exception_applies,
    exceptions_for,
    minimum_absence_days,
    refusal_message,
    rules_excused_by,
)
from send_cms.timescales.exceptions import (
    ABSENCE_TOO_SHORT,
    ADVICE_OUTSIDE_CLOSURE_WINDOW,
    CLOSURE_TOO_SHORT,
)

LA_RULES = {"decision_to_assess", "decision_not_to_issue", "final_plan", "reassessment_final_plan"}
ORDERS = {
    "order_cease",
    "order_assess_notify",
    "order_assess_no_plan",
    "order_assess_final",
    "order_make_plan_draft",
    "order_make_plan_final",
    "order_amend",
    "order_name_school",
    "order_continue",
}


def test_rule_groups():
    assert LA_STATUTORY_RULES == LA_RULES
    assert ORDER_RULES == ORDERS


@pytest.mark.parametrize(
    ("kind", "rules"),
    [
        (ExceptionType.school_closure, LA_RULES),
        (ExceptionType.early_years_closure, LA_RULES),
        (ExceptionType.personal_circumstances, LA_RULES | ORDERS),
        (ExceptionType.absence_from_area, LA_RULES | ORDERS),
        (ExceptionType.missed_appointment, {"advice"}),
        (ExceptionType.late_representations, ORDERS),
    ],
)
def test_applies_to(kind, rules):
    assert APPLIES_TO[kind] == rules
    assert rules_excused_by(kind) == rules
    assert rules_excused_by(kind.value) == rules
    assert rules <= set(RULES)
    for rule_id in RULES:
        assert exception_applies(kind, rule_id) is (rule_id in rules)


def test_missed_appointment_never_excuses_the_councils_own_time_limits():
    for rule_id in LA_RULES:
        assert not exception_applies(ExceptionType.missed_appointment, rule_id)
    assert exception_applies("missed_appointment", "advice")


def test_refusal_message():
    expected = "Missed appointment cannot excuse the time limit: Final EHC plan due."

    assert refusal_message(ExceptionType.missed_appointment, "final_plan") == expected
    assert expected == EXCEPTION_NOT_APPLICABLE.format(
        label="Missed appointment", rule_title="Final EHC plan due"
    )
    with pytest.raises(ExceptionNotApplicable, match=f"^{re.escape(expected)}$"):
        ensure_exception_applies(ExceptionType.missed_appointment, "final_plan")
    ensure_exception_applies(ExceptionType.school_closure, "final_plan")


def test_exceptions_for_a_rule():
    assert exceptions_for("advice") == (ExceptionType.missed_appointment,)
    assert exceptions_for("appeal_deadline") == ()
    assert exceptions_for("order_amend") == (
        ExceptionType.personal_circumstances,
        ExceptionType.absence_from_area,
        ExceptionType.late_representations,
    )


def test_unknown_rule_and_kind():
    with pytest.raises(UnknownRule):
        exception_applies(ExceptionType.school_closure, "final_plans")
    with pytest.raises(ValueError, match="holiday"):
        exception_applies("holiday", "final_plan")


def test_labels():
    assert ExceptionType.school_closure.label == "School or college closure"
    assert all(kind.label for kind in ExceptionType)


@pytest.mark.parametrize(
    ("closed_from", "reopens_on", "window"),
    [
        (date(2025, 7, 23), date(2025, 9, 3), (date(2025, 7, 16), date(2025, 8, 27))),
        (date(2025, 12, 1), date(2025, 12, 29), (date(2025, 11, 24), date(2025, 12, 22))),  # 4w
        (date(2025, 12, 1), date(2025, 12, 28), None),  # 27 days: under 4 weeks
        (date(2025, 10, 27), date(2025, 11, 3), None),  # half term
    ],
)
def test_closure_window(closed_from, reopens_on, window):
    assert closure_window(closed_from, reopens_on) == window


@pytest.mark.parametrize(
    ("requested_on", "inside"),
    [
        (date(2025, 7, 15), False),
        (date(2025, 7, 16), True),
        (date(2025, 7, 18), True),
        (date(2025, 8, 27), True),
        (date(2025, 8, 28), False),
    ],
)
def test_advice_requested_in_closure_window(requested_on, inside):
    closed_from, reopens_on = date(2025, 7, 23), date(2025, 9, 3)

    assert advice_requested_in_closure_window(requested_on, closed_from, reopens_on) is inside
    assert (closure_refusal(requested_on, closed_from, reopens_on) is None) is inside


def test_closure_refusal_messages():
    assert closure_refusal(date(2025, 8, 28), date(2025, 7, 23), date(2025, 9, 3)) == (
        ADVICE_OUTSIDE_CLOSURE_WINDOW.format(
            requested_on="28 Aug 2025", window_start="16 Jul 2025", window_end="27 Aug 2025"
        )
    )
    assert closure_refusal(
        date(2025, 10, 27), date(2025, 10, 27), date(2025, 11, 3)
    ) == CLOSURE_TOO_SHORT.format(days=7)
    with pytest.raises(ValueError, match="reopening date"):
        closure_window(date(2025, 9, 3), date(2025, 9, 3))


@pytest.mark.parametrize(
    ("rule_id", "days"),
    [("final_plan", 28), ("decision_to_assess", 28), ("order_amend", 14), ("order_cease", 14)],
)
def test_minimum_absence_days(rule_id, days):
    assert minimum_absence_days(rule_id) == days


@pytest.mark.parametrize(
    ("rule_id", "left_on", "returned_on", "refused"),
    [
        ("final_plan", date(2025, 8, 1), date(2025, 8, 29), False),  # 28 days
        ("final_plan", date(2025, 8, 1), date(2025, 8, 28), True),  # 27 days
        ("order_amend", date(2025, 8, 1), date(2025, 8, 15), False),  # 14 days
        ("order_amend", date(2025, 8, 1), date(2025, 8, 14), True),  # 13 days
    ],
)
def test_absence_refusal(rule_id, left_on, returned_on, refused):
    assert (absence_refusal(rule_id, left_on, returned_on) is not None) is refused


def test_absence_refusal_message():
    assert absence_refusal("final_plan", date(2025, 8, 1), date(2025, 8, 28)) == (
        ABSENCE_TOO_SHORT.format(days=27, minimum=28, rule_title="Final EHC plan due")
    )
    with pytest.raises(ValueError, match="return date"):
        absence_refusal("final_plan", date(2025, 8, 1), date(2025, 8, 1))
