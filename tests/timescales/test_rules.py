"""The rule registry: coverage of the doc, periods, parameters, targets and explanations."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from send_cms.timescales import (
    COMMENCEMENT,
    RULE_IDS,
    RULES,
    Convention,
    Direction,
    Due,
    Parameter,
    ParameterError,
    Period,
    Rule,
    Unit,
    UnknownRule,
    WorkingCalendar,
    compute,
    format_date,
    get_rule,
)

EXPECTED_RULE_IDS = {
    "decision_to_assess",
    "advice",
    "decision_not_to_issue",
    "draft_representations",
    "final_plan",
    "reassessment_final_plan",
    "annual_review",
    "review_notice",
    "review_report",
    "review_decision",
    "review_representations",
    "review_final_amended_plan",
    "review_longstop",
    "phase_transfer_school",
    "phase_transfer_post16",
    "phase_transfer_post16_other",
    "transfer_in_notice",
    "mediation_contact",
    "mediation_certificate",
    "mediation_held",
    "appeal_deadline",
    "tribunal_response",
    "order_cease",
    "order_assess_notify",
    "order_assess_no_plan",
    "order_assess_final",
    "order_make_plan_draft",
    "order_make_plan_final",
    "order_amend",
    "order_name_school",
    "order_continue",
    "recommendation_response",
    "mediation_agreement_other",
}

DOC = Path(__file__).resolve().parents[3] / "shared" / "domain" / "timescales.md"


def test_registry_covers_every_rule_id():
    assert len(EXPECTED_RULE_IDS) == 33
    assert set(RULES) == EXPECTED_RULE_IDS
    assert set(RULE_IDS) == EXPECTED_RULE_IDS
    assert all(rule.id == rule_id for rule_id, rule in RULES.items())


@pytest.mark.skipif(not DOC.exists(), reason="shared/domain/timescales.md is not beside the repo")
def test_registry_matches_the_doc_table():
    section = DOC.read_text(encoding="utf-8").split("## 3.")[1].split("## 4.")[0]
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE))

    assert documented == set(RULES)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED_RULE_IDS))
def test_every_rule_is_described(rule_id):
    rule = get_rule(rule_id)

    assert rule.title
    assert rule.regulation
    assert rule.trigger
    assert rule.periods[0].effective_from == COMMENCEMENT
    assert "{start}" in rule.event


def test_unknown_rule():
    with pytest.raises(UnknownRule) as raised:
        get_rule("final_plan_typo")
    assert isinstance(raised.value, KeyError)
    assert "final_plan_typo" in str(raised.value)

    with pytest.raises(UnknownRule):
        compute("nope", date(2025, 9, 8))


# --- explanations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "start", "params", "explanation"),
    [
        (
            "final_plan",
            date(2025, 9, 8),
            {},
            "20 weeks from the request received on 8 Sep 2025, regulation 13(2).",
        ),
        (
            "phase_transfer_school",
            date(2026, 9, 1),
            {},
            "Before 15 February in the year of transfer (15 Feb 2026), regulation 18(1).",
        ),
        (
            "phase_transfer_post16",
            date(2026, 9, 1),
            {},
            "Before 31 March in the year of transfer (31 Mar 2026), regulation 18(1).",
        ),
        (
            "tribunal_response",
            date(2025, 12, 1),
            {},
            "30 tribunal working days from the appeal received on 1 Dec 2025 (weekends, bank "
            "holidays, 25 December to 1 January and August not counted), rule 21.",
        ),
        (
            "mediation_certificate",
            date(2025, 12, 23),
            {},
            "3 working days from mediation being declined or ending on 23 Dec 2025 (weekends "
            "and bank holidays not counted), regulations 34 and 39.",
        ),
        (
            "review_notice",
            date(2026, 1, 29),
            {},
            "At least 2 weeks before the review meeting on 29 Jan 2026, regulation 20(3).",
        ),
        (
            "draft_representations",
            date(2025, 9, 1),
            {},
            "15 days beginning with the draft plan served on 1 Sep 2025, regulation 13(1).",
        ),
        (
            "annual_review",
            date(2025, 3, 10),
            {},
            "The 12 months starting with the plan issued or last reviewed on 10 Mar 2025, "
            "section 44(1) of the Children and Families Act 2014.",
        ),
        (
            "phase_transfer_post16_other",
            date(2027, 7, 31),
            {},
            "At least 5 months before the transfer on 31 Jul 2027, regulation 18(2).",
        ),
        (
            "order_continue",
            date(2025, 12, 10),
            {},
            "Immediately: the same day as the order sent on 10 Dec 2025, regulation 44.",
        ),
        (
            "appeal_deadline",
            date(2025, 10, 27),
            {"certificate": date(2025, 12, 4)},
            "2 months after the decision notice sent on 27 Oct 2025, or 1 month after the "
            "mediation certificate issued on 4 Dec 2025 if later (4 Jan 2026, not a working "
            "day, so the next working day), rules 20 and 12.",
        ),
        (
            "appeal_deadline",
            date(2026, 6, 10),
            {},
            "2 months after the decision notice sent on 10 Jun 2026 (10 Aug 2026, in August, "
            "so the first working day after 31 August), rules 20 and 12.",
        ),
        (
            "appeal_deadline",
            date(2025, 9, 7),
            {},
            "2 months after the decision notice sent on 7 Sep 2025, rules 20 and 12.",
        ),
    ],
)
def test_explanation(rule_id, start, params, explanation):
    assert compute(rule_id, start, **params).explanation == explanation


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2025, 9, 8), "8 Sep 2025"), (date(2026, 1, 1), "1 Jan 2026")],
)
def test_format_date(day, text):
    assert format_date(day) == text


def test_due_carries_the_rule_and_trigger():
    due = compute("final_plan", date(2025, 9, 8))

    assert due == Due(
        rule="final_plan",
        title="Final EHC plan due",
        regulation="SEND Regulations 2014, regulation 13(2)",
        trigger="request received",
        start=date(2025, 9, 8),
        due=date(2026, 1, 26),
        practical_target=date(2026, 1, 26),
        explanation="20 weeks from the request received on 8 Sep 2025, regulation 13(2).",
        statutory_date=None,
    )


# --- practical target ------------------------------------------------------------------------


def test_practical_target_on_a_weekend():
    due = compute("phase_transfer_school", date(2026, 9, 1))

    assert (due.due, due.practical_target) == (date(2026, 2, 14), date(2026, 2, 13))


def test_practical_target_on_a_bank_holiday():
    # 20 weeks from Mon 17 Nov 2025 is Easter Monday; Good Friday is also off.
    due = compute("final_plan", date(2025, 11, 17))

    assert (due.due, due.practical_target) == (date(2026, 4, 6), date(2026, 4, 2))


def test_practical_target_on_a_closure_day_leaves_the_due_date_alone():
    closures = [date(2025, 12, 24), date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)]
    cal = WorkingCalendar(closures=closures)

    due = compute("decision_to_assess", date(2025, 11, 12), cal)

    assert due.due == date(2025, 12, 24)
    assert due.practical_target == date(2025, 12, 23)
    assert compute("decision_to_assess", date(2025, 11, 12)).practical_target == due.due


def test_closures_do_not_change_working_day_counts():
    cal = WorkingCalendar(closures=[date(2025, 12, 24), date(2025, 12, 29)])

    due = compute("mediation_certificate", date(2025, 12, 23), cal)

    assert due.due == date(2025, 12, 30)
    assert due.practical_target == date(2025, 12, 30)


@pytest.mark.parametrize(
    ("rule_id", "start", "due"),
    [
        ("draft_representations", date(2025, 9, 7), date(2025, 9, 21)),  # a Sunday
        ("review_representations", date(2025, 9, 7), date(2025, 9, 21)),
        ("mediation_contact", date(2025, 9, 8), date(2025, 11, 8)),  # a Saturday
    ],
)
def test_family_deadlines_have_no_earlier_practical_target(rule_id, start, due):
    result = compute(rule_id, start)

    assert result.due == due
    assert result.practical_target == due


# --- periods ---------------------------------------------------------------------------------


def _test_rule(**overrides):
    fields = {
        "id": "test_rule",
        "title": "Test deadline",
        "regulation": "Test Regulations, regulation 1",
        "citation": "regulation 1",
        "trigger": "request received",
        "event": "the request received on {start}",
        "unit": Unit.weeks,
        "convention": Convention.W,
        "periods": (Period(COMMENCEMENT, 20), Period(date(2029, 9, 1), 18)),
    }
    fields.update(overrides)
    return Rule(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "weeks"),
    [
        (date(2014, 9, 1), 20),
        (date(2029, 8, 31), 20),
        (date(2029, 9, 1), 18),  # the new row applies from its effective date
        (date(2030, 1, 1), 18),
    ],
)
def test_period_rows_pick_the_row_in_force_on_the_trigger_date(start, weeks):
    rule = _test_rule()

    assert rule.period_for(start).amount == weeks
    assert rule.compute(start).due == start + timedelta(weeks=weeks)


def test_a_start_before_the_law_began_is_refused():
    with pytest.raises(ParameterError) as raised:
        compute("final_plan", date(2014, 8, 31))
    assert raised.value.name == "start"


@pytest.mark.parametrize(
    ("start", "due", "statutory", "citation"),
    [
        (date(2015, 9, 1), date(2015, 5, 30), date(2015, 5, 31), "regulation 18(3)"),
        (date(2016, 9, 1), date(2016, 3, 30), date(2016, 3, 31), "regulation 18(1)"),
    ],
)
def test_post16_transfer_2015_row(start, due, statutory, citation):
    result = compute("phase_transfer_post16", start)

    assert (result.due, result.statutory_date) == (due, statutory)
    assert result.explanation.endswith(f"{citation}.")


def test_phase_transfer_uses_the_year_of_start():
    for start in (date(2026, 1, 1), date(2026, 9, 1), date(2026, 12, 31)):
        assert compute("phase_transfer_school", start).due == date(2026, 2, 14)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"periods": ()}, "at least one period"),
        (
            {"periods": (Period(date(2020, 1, 1), 1), Period(COMMENCEMENT, 2))},
            "date order",
        ),
        ({"parameters": (Parameter("start", "Start"),)}, "not 'start'"),
        ({"convention": Convention.B}, "month"),
        ({"convention": Convention.L}, "certificate_amount"),
    ],
)
def test_malformed_rules_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        _test_rule(**overrides)


# --- parameters ----------------------------------------------------------------------------


def test_certificate_is_optional_for_the_appeal_deadline():
    assert compute("appeal_deadline", date(2026, 6, 10)).due == date(2026, 9, 1)
    assert compute("appeal_deadline", date(2026, 6, 10), certificate=None).due == date(2026, 9, 1)
    assert [p.name for p in get_rule("appeal_deadline").parameters] == ["certificate"]
    assert not get_rule("appeal_deadline").parameters[0].required


@pytest.mark.parametrize(
    ("rule_id", "start", "params", "name"),
    [
        ("final_plan", None, {}, "start"),
        ("final_plan", "2025-09-08", {}, "start"),
        ("final_plan", datetime(2025, 9, 8, 9, 0), {}, "start"),
        ("appeal_deadline", date(2025, 10, 27), {"certificate": "2025-12-04"}, "certificate"),
        ("appeal_deadline", date(2025, 10, 27), {"certificate": 20251204}, "certificate"),
        ("final_plan", date(2025, 9, 8), {"certificate": date(2025, 12, 4)}, "certificate"),
    ],
)
def test_bad_parameters_raise_value_error_naming_the_field(rule_id, start, params, name):
    with pytest.raises(ValueError, match=f"^{name}: ") as raised:
        compute(rule_id, start, **params)
    assert isinstance(raised.value, ParameterError)
    assert raised.value.name == name


def test_a_missing_required_parameter_is_named():
    rule = _test_rule(parameters=(Parameter("meeting", "Review meeting", required=True),))

    with pytest.raises(ParameterError, match=r"^meeting: a date is required$"):
        rule.compute(date(2025, 9, 8))
    assert rule.compute(date(2025, 9, 8), meeting=date(2025, 10, 1)).due == date(2026, 1, 26)


# --- invariants over four years of trigger dates -------------------------------------------


@pytest.mark.parametrize("rule_id", sorted(EXPECTED_RULE_IDS))
def test_invariants(rule_id):
    cal = WorkingCalendar(closures=[date(2026, 12, 24), date(2027, 4, 1)])
    rule = get_rule(rule_id)
    start = date(2025, 1, 1)
    while start < date(2029, 1, 1):
        due = rule.compute(start, cal)
        assert due.practical_target <= due.due
        assert due.explanation.endswith(".")
        if due.practical_target != due.due:
            assert cal.is_office_day(due.practical_target)
            assert not cal.is_office_day(due.due)
        if rule.convention is Convention.B:
            assert due.statutory_date == due.due + timedelta(days=1)
        else:
            assert due.statutory_date is None
            if rule.direction is Direction.forward:
                assert due.due >= start
            else:
                assert due.due < start
        if rule.convention is Convention.T:
            assert cal.is_tribunal_working_day(due.due)
        if rule.convention in (Convention.R, Convention.L):
            assert cal.is_working_day(due.due)
        start += timedelta(days=5)
