"""Every worked example of timescales.md section 4, as one table."""

from datetime import date

import pytest

from send_cms.timescales import (
    ExceptionType,
    LodgingAdjustment,
    WorkingCalendar,
    adjust_lodging_date,
    advice_requested_in_closure_window,
    closure_window,
    compute,
    exception_applies,
)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# (rule id, start, parameters, expected due, the weekday the doc gives for it)
WORKED_EXAMPLES = [
    # Request received Mon 8 Sep 2025.
    ("decision_to_assess", date(2025, 9, 8), {}, date(2025, 10, 20), "Mon"),
    ("decision_not_to_issue", date(2025, 9, 8), {}, date(2025, 12, 29), "Mon"),
    ("final_plan", date(2025, 9, 8), {}, date(2026, 1, 26), "Mon"),
    # Request received Fri 21 Nov 2025: no Christmas relief.
    ("decision_to_assess", date(2025, 11, 21), {}, date(2026, 1, 2), "Fri"),
    # Draft served Mon 1 Sep 2025.
    ("draft_representations", date(2025, 9, 1), {}, date(2025, 9, 15), "Mon"),
    # Plan issued Mon 10 Mar 2025; meeting Thu 29 Jan 2026; amendments sent Mon 23 Feb 2026.
    ("annual_review", date(2025, 3, 10), {}, date(2026, 3, 9), "Mon"),
    ("review_notice", date(2026, 1, 29), {}, date(2026, 1, 15), "Thu"),
    ("review_report", date(2026, 1, 29), {}, date(2026, 2, 12), "Thu"),
    ("review_decision", date(2026, 1, 29), {}, date(2026, 2, 26), "Thu"),
    ("review_longstop", date(2026, 1, 29), {}, date(2026, 4, 23), "Thu"),
    ("review_representations", date(2026, 2, 23), {}, date(2026, 3, 9), "Mon"),
    ("review_final_amended_plan", date(2026, 2, 23), {}, date(2026, 4, 20), "Mon"),
    ("annual_review", date(2026, 2, 23), {}, date(2027, 2, 22), "Mon"),
    # Plan issued Tue 29 Feb 2028.
    ("annual_review", date(2028, 2, 29), {}, date(2029, 2, 28), "Wed"),
    # Phase transfer in September 2026.
    ("phase_transfer_school", date(2026, 9, 1), {}, date(2026, 2, 14), "Sat"),
    ("phase_transfer_post16", date(2026, 9, 1), {}, date(2026, 3, 30), "Mon"),
    # Post-16 transfer on Sat 31 Jul 2027.
    ("phase_transfer_post16_other", date(2027, 7, 31), {}, date(2027, 2, 28), "Sun"),
    # Order sent Wed 10 Dec 2025.
    ("order_name_school", date(2025, 12, 10), {}, date(2025, 12, 24), "Wed"),
    ("order_assess_notify", date(2025, 12, 10), {}, date(2025, 12, 24), "Wed"),
    ("order_make_plan_draft", date(2025, 12, 10), {}, date(2026, 1, 14), "Wed"),
    ("order_amend", date(2025, 12, 10), {}, date(2026, 1, 14), "Wed"),
    ("order_assess_no_plan", date(2025, 12, 10), {}, date(2026, 2, 18), "Wed"),
    ("order_make_plan_final", date(2025, 12, 10), {}, date(2026, 2, 25), "Wed"),
    ("order_assess_final", date(2025, 12, 10), {}, date(2026, 3, 18), "Wed"),
    ("order_continue", date(2025, 12, 10), {}, date(2025, 12, 10), "Wed"),
    # Mediation certificate: declined Tue 23 Dec 2025; mediation ended Wed 31 Dec 2025.
    ("mediation_certificate", date(2025, 12, 23), {}, date(2025, 12, 30), "Tue"),
    ("mediation_certificate", date(2025, 12, 31), {}, date(2026, 1, 6), "Tue"),
    # Appeal received Mon 1 Dec 2025.
    ("tribunal_response", date(2025, 12, 1), {}, date(2026, 1, 20), "Tue"),
    # Appeal deadlines.
    (
        "appeal_deadline",
        date(2025, 10, 27),
        {"certificate": date(2025, 12, 4)},
        date(2026, 1, 5),
        "Mon",
    ),
    ("appeal_deadline", date(2026, 6, 10), {}, date(2026, 9, 1), "Tue"),
]


@pytest.mark.parametrize(
    ("rule_id", "start", "params", "expected", "weekday"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}") for row in WORKED_EXAMPLES],
)
def test_worked_example(rule_id, start, params, expected, weekday):
    due = compute(rule_id, start, **params)

    assert due.due == expected
    assert WEEKDAYS[due.due.weekday()] == weekday
    assert due.rule == rule_id
    assert due.start == start


def test_earliest_final_plan_is_the_day_after_the_draft_window():
    window_end = compute("draft_representations", date(2025, 9, 1)).due

    assert date.fromordinal(window_end.toordinal() + 1) == date(2025, 9, 16)


def test_phase_transfer_school_practical_target_and_statutory_date():
    due = compute("phase_transfer_school", date(2026, 9, 1))

    assert due.practical_target == date(2026, 2, 13)
    assert due.statutory_date == date(2026, 2, 15)
    assert compute("phase_transfer_post16", date(2026, 9, 1)).statutory_date == date(2026, 3, 31)


def test_tribunal_response_counting_bank_holidays_only_would_be_wrong():
    # The doc's warning: ignoring the 25 Dec-1 Jan rule would give Thu 15 Jan 2026.
    assert WorkingCalendar().add_working_days(date(2025, 12, 1), 30) == date(2026, 1, 15)


def test_appeal_deadline_example_both_limbs():
    cal = WorkingCalendar()

    assert adjust_lodging_date(date(2025, 12, 27), cal) == (
        date(2026, 1, 2),
        LodgingAdjustment.christmas,
    )
    assert adjust_lodging_date(date(2026, 1, 4), cal) == (
        date(2026, 1, 5),
        LodgingAdjustment.non_working_day,
    )


def test_summer_closure_example():
    # School closed 23 Jul-3 Sep 2025; school advice requested 18 Jul.
    assert closure_window(date(2025, 7, 23), date(2025, 9, 3)) == (
        date(2025, 7, 16),
        date(2025, 8, 27),
    )
    assert advice_requested_in_closure_window(
        date(2025, 7, 18), date(2025, 7, 23), date(2025, 9, 3)
    )
    assert exception_applies(ExceptionType.school_closure, "final_plan")
    # The exception never moves the due date.
    assert compute("final_plan", date(2025, 7, 1)).due == date(2025, 11, 18)
