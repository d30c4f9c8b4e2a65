"""Every worked example of timescales.md for mediation, the appeal deadline, the tribunal
response and orders, through this app's services (and the API for orders), plus the edge cases:
a certificate later than notice + 2 months, a deadline over August and over Christmas, and an
unopposed appeal."""

import datetime as dt

import pytest

from tribunals import services
from tribunals.deadlines import appeal_deadline_rows, mediation_deadline_rows, order_deadline_rows
from tribunals.selectors import appeal_list, mediation_list, order_list

from .factories import make_child, plan_for, record_mediation, register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

D = dt.date


def _rows(rows):
    return {(r.subject_label, r.rule): r for r in rows}


def _appeal_rows(caseworker, appeal):
    fresh = appeal_list(user=caseworker).get(pk=appeal.pk)
    return {r.rule: r for r in appeal_deadline_rows(fresh) if not r.subject_label}


def _mediation_rows(caseworker, mediation):
    fresh = mediation_list(user=caseworker).get(pk=mediation.pk)
    return {r.rule: r for r in mediation_deadline_rows(fresh)}


# --- mediation --------------------------------------------------------------------------------
def test_certificate_after_the_family_declines_tue_23_dec_2025_is_due_tue_30_dec(caseworker):
    mediation = record_mediation(
        caseworker,
        decision_notice_on=D(2025, 12, 1),
        family_contacted_on=D(2025, 12, 23),
        mediation_wanted=False,
    )
    rows = _mediation_rows(caseworker, mediation)
    assert rows["mediation_certificate"].due == D(2025, 12, 30)
    assert rows["mediation_certificate"].trigger_on == D(2025, 12, 23)
    assert mediation.outcome == "declined"


def test_certificate_after_mediation_ending_wed_31_dec_2025_is_due_tue_6_jan_2026(caseworker):
    mediation = record_mediation(
        caseworker,
        decision_notice_on=D(2025, 12, 1),
        family_contacted_on=D(2025, 12, 5),
        mediation_wanted=True,
        la_informed_on=D(2025, 12, 8),
    )
    services.mediation_record_held(
        actor=caseworker, mediation=mediation, held_on=D(2025, 12, 31), outcome="no_agreement"
    )
    services.mediation_issue_certificate(
        actor=caseworker, mediation=mediation, issued_on=D(2026, 1, 6)
    )
    rows = _mediation_rows(caseworker, mediation)
    assert rows["mediation_certificate"].due == D(2026, 1, 6)
    assert rows["mediation_certificate"].status == "met"
    assert rows["mediation_held"].due == D(2026, 1, 7)  # 30 days from 8 Dec 2025
    assert rows["mediation_held"].status == "met"
    mediation.refresh_from_db()
    assert mediation.certificate_kind == "after_mediation"


def test_mediation_contact_is_2_months_to_the_month_end(caseworker):
    mediation = record_mediation(caseworker, decision_notice_on=D(2025, 12, 31))
    rows = _mediation_rows(caseworker, mediation)
    assert rows["mediation_contact"].due == D(2026, 2, 28)
    assert rows["mediation_contact"].explanation.endswith(
        "2 months after the decision notice sent on 31 Dec 2025, regulation 33."
    )


def test_a_deemed_certificate_when_mediation_cannot_be_arranged_in_30_days(caseworker):
    mediation = record_mediation(
        caseworker,
        decision_notice_on=D(2025, 11, 3),
        family_contacted_on=D(2025, 11, 10),
        mediation_wanted=True,
        la_informed_on=D(2025, 11, 11),
    )
    services.mediation_record_not_arranged(
        actor=caseworker, mediation=mediation, not_arranged_on=D(2025, 12, 11)
    )
    services.mediation_issue_certificate(
        actor=caseworker, mediation=mediation, issued_on=D(2025, 12, 15)
    )
    mediation.refresh_from_db()
    assert mediation.certificate_kind == "deemed"
    rows = _mediation_rows(caseworker, mediation)
    assert rows["mediation_held"].status == "not_applicable"
    assert rows["mediation_certificate"].due == D(2025, 12, 16)  # 3 working days from 11 Dec


# --- the appeal deadline ----------------------------------------------------------------------
def test_appeal_deadline_notice_27_oct_2025_certificate_4_dec_2025_is_mon_5_jan_2026(caseworker):
    appeal = register_appeal(
        caseworker,
        decision_notice_on=D(2025, 10, 27),
        certificate_issued_on=D(2025, 12, 4),
        received_by_la_on=D(2026, 1, 7),
        lodged_on=D(2026, 1, 5),
    )
    row = _appeal_rows(caseworker, appeal)["appeal_deadline"]
    assert row.due == D(2026, 1, 5)
    assert row.status == "met"
    assert "certificate issued on 4 Dec 2025 if later" in row.explanation


def test_appeal_deadline_notice_wed_10_jun_2026_falls_in_august_so_tue_1_sep_2026(caseworker):
    appeal = register_appeal(
        caseworker, decision_notice_on=D(2026, 6, 10), received_by_la_on=D(2026, 9, 3)
    )
    row = _appeal_rows(caseworker, appeal)["appeal_deadline"]
    assert row.due == D(2026, 9, 1)
    assert "in August, so the first working day after 31 August" in row.explanation


def test_a_certificate_later_than_notice_plus_2_months_sets_the_deadline(caseworker):
    # Notice 1 Sep 2025 + 2 months = Sat 1 Nov; certificate 20 Nov 2025 + 1 month = Sat 20 Dec,
    # the later, moved to the next working day: Mon 22 Dec 2025.
    appeal = register_appeal(
        caseworker,
        decision_notice_on=D(2025, 9, 1),
        certificate_issued_on=D(2025, 11, 20),
        received_by_la_on=D(2025, 12, 23),
    )
    assert _appeal_rows(caseworker, appeal)["appeal_deadline"].due == D(2025, 12, 22)


def test_a_cease_mediation_certificate_feeds_the_appeal_deadline_on_the_mediation(caseworker):
    from tribunals.selectors import mediation_appeal_deadline

    mediation = record_mediation(
        caseworker,
        decision_type="cease",
        decision_notice_on=D(2025, 10, 27),
        family_contacted_on=D(2025, 11, 20),
        mediation_wanted=False,
        certificate_issued_on=D(2025, 12, 4),
    )
    assert mediation_appeal_deadline(mediation).due == D(2026, 1, 5)


# --- the council's response -------------------------------------------------------------------
def test_response_to_an_appeal_received_mon_1_dec_2025_is_due_tue_20_jan_2026(caseworker):
    appeal = register_appeal(caseworker, received_by_la_on=D(2025, 12, 1))
    row = _appeal_rows(caseworker, appeal)["tribunal_response"]
    assert row.due == D(2026, 1, 20)
    assert row.due != D(2026, 1, 15)  # counting bank holidays only would give this
    assert "25 December to 1 January and August not counted" in row.explanation


def test_response_over_august_skips_the_whole_month(caseworker):
    # 22 tribunal working days left in July after Wed 1 Jul 2026, none in August, then 8 in
    # September: Thu 10 Sep 2026.
    appeal = register_appeal(
        caseworker, decision_notice_on=D(2026, 5, 1), received_by_la_on=D(2026, 7, 1)
    )
    assert _appeal_rows(caseworker, appeal)["tribunal_response"].due == D(2026, 9, 10)


def test_the_registration_letter_date_overrides_the_computed_response_date(caseworker):
    appeal = register_appeal(
        caseworker, received_by_la_on=D(2025, 12, 1), response_due_on=D(2026, 1, 16)
    )
    row = _appeal_rows(caseworker, appeal)["tribunal_response"]
    assert row.due == D(2026, 1, 16)
    assert row.overridden
    assert row.explanation.startswith(
        "Date set by the tribunal in its letter, replacing the computed 20 Jan 2026"
    )


# --- orders -----------------------------------------------------------------------------------
ORDER_SENT_10_DEC_2025 = {
    "order_name_school": D(2025, 12, 24),
    "order_assess_notify": D(2025, 12, 24),
    "order_make_plan_draft": D(2026, 1, 14),
    "order_amend": D(2026, 1, 14),
    "order_assess_no_plan": D(2026, 2, 18),
    "order_make_plan_final": D(2026, 2, 25),
    "order_assess_final": D(2026, 3, 18),
    "order_continue": D(2025, 12, 10),
    "order_cease": D(2025, 12, 10),
}


def _decided(caseworker, appeal_type, outcome="upheld", **kwargs):
    kwargs.setdefault("decision_notice_on", D(2025, 6, 2))
    appeal = register_appeal(
        caseworker, appeal_type=appeal_type, received_by_la_on=D(2025, 9, 1), **kwargs
    )
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2025, 10, 1))
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome=outcome, decided_on=D(2025, 12, 9)
    )
    return appeal


@pytest.mark.parametrize(
    ("appeal_type", "outcome", "kind"),
    [
        ("contents", "upheld", "name_school"),
        ("refusal_to_assess", "upheld", "assess"),
        ("refusal_to_issue", "upheld", "make_plan"),
        ("contents", "upheld_in_part", "amend"),
        ("cease", "upheld", "continue"),
        ("cease", "dismissed", "cease"),
    ],
)
def test_orders_sent_wed_10_dec_2025(caseworker, appeal_type, outcome, kind):
    appeal = _decided(caseworker, appeal_type, outcome, decision_notice_on=D(2025, 6, 2))
    order = services.appeal_order_add(
        actor=caseworker, appeal=appeal, kind=kind, made_on=D(2025, 12, 9), sent_on=D(2025, 12, 10)
    )
    fresh = order_list(user=caseworker).get(pk=order.pk)
    rows = {r.rule: r.due for r in order_deadline_rows(fresh)}
    assert rows == {rule: ORDER_SENT_10_DEC_2025[rule] for rule in rows}
    assert {s.rule: s.due_on for s in fresh.steps.all()} == rows
    assert fresh.runs_from == D(2025, 12, 10)


def test_orders_through_the_api_carry_the_order_deadlines(caseworker, caseworker_api):
    appeal = _decided(caseworker, "refusal_to_assess")
    response = caseworker_api.post(
        f"/api/v1/appeals/{appeal.pk}/orders/",
        {"kind": "assess", "made_on": "2025-12-09", "sent_on": "2025-12-10"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [(d["rule"], d["due"]) for d in body["deadlines"]] == [
        ("order_assess_notify", "2025-12-24"),
        ("order_assess_no_plan", "2026-02-18"),
        ("order_assess_final", "2026-03-18"),
    ]
    assert body["runs_from"] == "2025-12-10"
    make_plan = _decided(caseworker, "refusal_to_issue")
    response = caseworker_api.post(
        f"/api/v1/appeals/{make_plan.pk}/orders/",
        {"kind": "make_plan", "made_on": "2025-12-09", "sent_on": "2025-12-10"},
    )
    assert [(d["rule"], d["due"]) for d in response.json()["deadlines"]] == [
        ("order_make_plan_draft", "2026-01-14"),
        ("order_make_plan_final", "2026-02-25"),
    ]


def test_an_unopposed_appeal_runs_the_order_periods_from_the_day_the_council_told_the_tribunal(
    caseworker,
):
    # Received Mon 1 Dec 2025: the response is due Tue 20 Jan 2026. Conceded Wed 10 Dec 2025.
    appeal = register_appeal(
        caseworker, appeal_type="refusal_to_issue", received_by_la_on=D(2025, 12, 1)
    )
    appeal = services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="conceded", decided_on=D(2025, 12, 10)
    )
    assert appeal.unopposed
    assert appeal.status == "conceded"
    order = services.appeal_order_add(actor=caseworker, appeal=appeal, kind="make_plan")
    assert (order.made_on, order.sent_on, order.runs_from) == (D(2025, 12, 10),) * 3
    due = {s.rule: s.due_on for s in order.steps.all()}
    assert due == {"order_make_plan_draft": D(2026, 1, 14), "order_make_plan_final": D(2026, 2, 25)}
    rows = _appeal_rows(caseworker, appeal)
    assert rows["tribunal_response"].status == "not_applicable"


def test_an_unopposed_order_runs_from_the_concession_even_if_sent_later(caseworker):
    appeal = register_appeal(
        caseworker, appeal_type="refusal_to_issue", received_by_la_on=D(2025, 12, 1)
    )
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="conceded", decided_on=D(2025, 12, 10)
    )
    order = services.appeal_order_add(
        actor=caseworker,
        appeal=appeal,
        kind="make_plan",
        made_on=D(2025, 12, 15),
        sent_on=D(2025, 12, 17),
    )
    assert order.runs_from == D(2025, 12, 10)


def test_conceding_after_the_response_is_not_unopposed(caseworker):
    appeal = register_appeal(
        caseworker, appeal_type="refusal_to_issue", received_by_la_on=D(2025, 12, 1)
    )
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 19))
    appeal = services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="conceded", decided_on=D(2026, 2, 2)
    )
    assert not appeal.unopposed
    order = services.appeal_order_add(
        actor=caseworker,
        appeal=appeal,
        kind="make_plan",
        made_on=D(2026, 2, 3),
        sent_on=D(2026, 2, 4),
    )
    assert order.runs_from == D(2026, 2, 4)


def test_conceding_after_the_response_date_passed_is_not_unopposed(caseworker):
    appeal = register_appeal(
        caseworker, appeal_type="refusal_to_issue", received_by_la_on=D(2025, 12, 1)
    )
    appeal = services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="conceded", decided_on=D(2026, 1, 21)
    )
    assert not appeal.unopposed


def test_a_recommendation_response_is_due_in_5_weeks(caseworker):
    appeal = _decided(caseworker, "contents", decision_notice_on=D(2025, 6, 2))
    services.recommendation_add(
        actor=caseworker,
        appeal=appeal,
        kind="health",
        made_on=D(2025, 12, 9),
        summary="Speech therapy",
    )
    fresh = appeal_list(user=caseworker).get(pk=appeal.pk)
    rows = {r.rule: r for r in appeal_deadline_rows(fresh)}
    assert rows["recommendation_response"].due == D(2026, 1, 13)


def test_a_mediation_agreement_runs_the_order_periods_or_2_weeks(caseworker):
    mediation = record_mediation(
        caseworker,
        decision_type="plan_contents",
        decision_notice_on=D(2025, 11, 3),
        family_contacted_on=D(2025, 11, 10),
        mediation_wanted=True,
        la_informed_on=D(2025, 11, 11),
    )
    services.mediation_record_held(
        actor=caseworker, mediation=mediation, held_on=D(2025, 12, 10), outcome="agreement"
    )
    services.mediation_action_add(
        actor=caseworker, mediation=mediation, matter="amend", description="Add speech therapy to F"
    )
    services.mediation_action_add(
        actor=caseworker,
        mediation=mediation,
        matter="other",
        description="Refer to the short breaks team",
    )
    rows = _mediation_rows(caseworker, mediation)
    assert rows["order_amend"].due == D(2026, 1, 14)
    assert rows["mediation_agreement_other"].due == D(2025, 12, 24)
    assert rows["mediation_agreement_other"].explanation == (
        "2 weeks from the mediation agreement made on 10 Dec 2025, regulation 42(3)."
    )


def test_a_plan_child_helper_is_used(caseworker):
    child = make_child()
    assert plan_for(child).primary_need == "ASD"


def test_the_familys_contact_window_closes_rather_than_going_overdue(caseworker):
    mediation = record_mediation(caseworker, decision_notice_on=D(2025, 12, 31))
    row = _mediation_rows(caseworker, mediation)["mediation_contact"]
    assert row.status == "not_applicable"
    assert row.explanation.startswith("The family did not contact the mediation adviser in time.")
