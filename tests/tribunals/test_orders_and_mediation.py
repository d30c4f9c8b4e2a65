"""Orders complied step by step (and the assessment's two endings), mediation's steps and its
certificate, and the status an order shows."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from send_cms.common.exceptions import TransitionNotAllowed
from tribunals import messages as msg
from tribunals import services
from tribunals.deadlines import order_deadline_rows
from tribunals.presenters import order_status
from tribunals.selectors import order_list, overdue_orders

from .conftest import at
from .factories import make_child, record_mediation, register_appeal

pytestmark = pytest.mark.django_db
D = dt.date
SENT_ON = D(2025, 12, 10)


def _assess_order(caseworker, sent_on=SENT_ON):
    appeal = register_appeal(
        caseworker, decision_notice_on=D(2025, 6, 2), received_by_la_on=D(2025, 9, 1)
    )
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2025, 10, 1))
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2025, 12, 9)
    )
    return services.appeal_order_add(
        actor=caseworker, appeal=appeal, kind="assess", made_on=D(2025, 12, 9), sent_on=sent_on
    )


def _status(caseworker, order, today):
    with time_machine.travel(at(today), tick=False):
        annotated = order_list(user=caseworker).get(pk=order.pk)
        status = getattr(annotated, "order_status")  # noqa: B009 - annotated by the selector
        assert status == order_status(annotated, today)
        return status


def test_the_first_step_is_taken_when_no_step_is_named(caseworker, today):
    order = _assess_order(caseworker)
    done = services.order_complied(actor=caseworker, order=order, complied_on=D(2025, 12, 20))
    assert done.rule == "order_assess_notify"
    with pytest.raises(ValidationError) as which:
        services.order_complied(actor=caseworker, order=order, complied_on=D(2026, 2, 2))
    assert which.value.message_dict == {
        "step": [
            "Say which step was met: order_assess_no_plan (Decision not to issue after an "
            "ordered assessment due) or order_assess_final (Final EHC plan after an ordered "
            "assessment due)."
        ]
    }
    services.order_complied(
        actor=caseworker, order=order, complied_on=D(2026, 3, 10), step="order_assess_final"
    )
    steps = {s.rule: s for s in order.steps.all()}
    assert steps["order_assess_no_plan"].applicable is False
    with pytest.raises(TransitionNotAllowed) as gone:
        services.order_complied(
            actor=caseworker, order=order, complied_on=D(2026, 3, 10), step="order_assess_no_plan"
        )
    assert gone.value.message == msg.STEP_NOT_APPLICABLE
    with pytest.raises(TransitionNotAllowed) as twice:
        services.order_complied(
            actor=caseworker, order=order, complied_on=D(2026, 3, 11), step="order_assess_final"
        )
    assert twice.value.message == "That step was already complied with on 10 Mar 2026."
    assert _status(caseworker, order, D(2026, 9, 10)) == "complied"


def test_a_later_step_waits_for_the_earlier_one(caseworker, today):
    order = _assess_order(caseworker)
    with pytest.raises(TransitionNotAllowed) as first:
        services.order_complied(
            actor=caseworker, order=order, complied_on=D(2026, 3, 1), step="order_assess_final"
        )
    assert first.value.message == (
        "Record the earlier step first: Tell the family the assessment will go ahead (order)."
    )
    with pytest.raises(ValidationError) as unknown:
        services.order_complied(
            actor=caseworker, order=order, complied_on=D(2026, 3, 1), step="order_amend"
        )
    assert unknown.value.message_dict == {
        "step": [
            "This has no step order_amend. Its steps are: order_assess_notify, "
            "order_assess_no_plan, order_assess_final."
        ]
    }


def test_an_order_is_open_then_overdue_and_stands_out(caseworker, today):
    order = _assess_order(caseworker)
    assert _status(caseworker, order, D(2025, 12, 20)) == "open"
    assert _status(caseworker, order, D(2025, 12, 29)) == "overdue"  # notify due 24 Dec
    services.order_complied(actor=caseworker, order=order, complied_on=D(2025, 12, 29))
    # No decision not to issue after 10 weeks is not overdue: the plan route applies.
    assert _status(caseworker, order, D(2026, 3, 1)) == "open"
    with time_machine.travel(at(D(2026, 3, 1)), tick=False):
        rows = {
            r.rule: r for r in order_deadline_rows(order_list(user=caseworker).get(pk=order.pk))
        }
        assert rows["order_assess_notify"].status == "met_late"
        assert rows["order_assess_no_plan"].status == "not_applicable"
        assert rows["order_assess_no_plan"].explanation.startswith(
            "No decision not to issue was sent within 10 weeks"
        )
        assert rows["order_assess_final"].status == "upcoming"
    assert _status(caseworker, order, D(2026, 3, 19)) == "overdue"  # final due 18 Mar
    with time_machine.travel(at(D(2026, 3, 19)), tick=False):
        assert list(overdue_orders(user=caseworker)) == [order]


def test_a_late_decision_not_to_issue_is_met_late(caseworker, today):
    order = _assess_order(caseworker)
    services.order_complied(actor=caseworker, order=order, complied_on=D(2025, 12, 22))
    services.order_complied(
        actor=caseworker, order=order, complied_on=D(2026, 3, 2), step="order_assess_no_plan"
    )
    rows = {r.rule: r for r in order_deadline_rows(order_list(user=caseworker).get(pk=order.pk))}
    assert rows["order_assess_no_plan"].status == "met_late"
    assert rows["order_assess_final"].status == "not_applicable"
    assert rows["order_assess_final"].explanation.startswith(
        "Not applicable: the council took the other route (Decision not to issue after an "
        "ordered assessment due)."
    )


# --- mediation --------------------------------------------------------------------------------
@pytest.mark.usefixtures("today")
def test_mediation_steps_in_order_and_the_certificate_kind_is_derived(caseworker):
    mediation = record_mediation(caseworker, decision_notice_on=D(2025, 11, 3))
    with pytest.raises(ValidationError) as early:
        services.mediation_issue_certificate(
            actor=caseworker, mediation=mediation, issued_on=D(2025, 11, 20)
        )
    assert early.value.message_dict == {"certificate_issued_on": [msg.CERTIFICATE_NOT_YET]}
    mediation = services.mediation_record_contact(
        actor=caseworker,
        mediation=mediation,
        family_contacted_on=D(2025, 11, 14),
        mediation_wanted=False,
    )
    assert mediation.outcome == "declined"
    with pytest.raises(TransitionNotAllowed) as twice:
        services.mediation_record_contact(
            actor=caseworker,
            mediation=mediation,
            family_contacted_on=D(2025, 11, 15),
            mediation_wanted=True,
        )
    assert twice.value.message == msg.CONTACT_ALREADY
    with pytest.raises(TransitionNotAllowed) as not_wanted:
        services.mediation_record_held(
            actor=caseworker, mediation=mediation, held_on=D(2025, 12, 1), outcome="agreement"
        )
    assert (
        not_wanted.value.message
        == "The family does not want mediation, so a mediation meeting cannot be recorded."
    )
    with pytest.raises(ValidationError) as before:
        services.mediation_issue_certificate(
            actor=caseworker, mediation=mediation, issued_on=D(2025, 11, 13)
        )
    assert before.value.message_dict == {
        "certificate_issued_on": [
            "Date of the certificate must be on or after the family declining mediation "
            "(14 Nov 2025)"
        ]
    }
    mediation = services.mediation_issue_certificate(
        actor=caseworker, mediation=mediation, issued_on=D(2025, 11, 18)
    )
    assert mediation.certificate_kind == "declined"
    with pytest.raises(TransitionNotAllowed):
        services.mediation_issue_certificate(
            actor=caseworker, mediation=mediation, issued_on=D(2025, 11, 19)
        )


@pytest.mark.usefixtures("today")
def test_mediation_about_a_refusal_needs_the_request(caseworker):
    with pytest.raises(ValidationError) as missing:
        services.mediation_create(
            actor=caseworker,
            child=make_child(),
            decision_type="refusal_to_issue",
            decision_notice_on=D(2025, 11, 3),
        )
    assert missing.value.message_dict == {"request": [msg.REQUEST_NEEDED]}


@pytest.mark.usefixtures("today")
def test_agreement_actions_need_an_agreement(caseworker):
    mediation = record_mediation(
        caseworker,
        family_contacted_on=D(2025, 11, 10),
        mediation_wanted=True,
        la_informed_on=D(2025, 11, 11),
    )
    services.mediation_record_held(
        actor=caseworker, mediation=mediation, held_on=D(2025, 12, 1), outcome="no_agreement"
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        services.mediation_action_add(
            actor=caseworker, mediation=mediation, matter="other", description="x"
        )
    assert refused.value.message == msg.ACTIONS_NEED_AGREEMENT


@pytest.mark.usefixtures("today")
def test_an_agreement_action_is_complied_and_shows_met(caseworker):
    mediation = record_mediation(
        caseworker,
        family_contacted_on=D(2025, 11, 10),
        mediation_wanted=True,
        la_informed_on=D(2025, 11, 11),
    )
    services.mediation_record_held(
        actor=caseworker, mediation=mediation, held_on=D(2025, 12, 1), outcome="agreement"
    )
    action = services.mediation_action_add(
        actor=caseworker, mediation=mediation, matter="other", description="Short breaks"
    )
    step = services.mediation_action_complied(
        actor=caseworker, action=action, complied_on=D(2025, 12, 12)
    )
    assert (step.rule, step.due_on, step.complied_on) == (
        "mediation_agreement_other",
        D(2025, 12, 15),
        D(2025, 12, 12),
    )
