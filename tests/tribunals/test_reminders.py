"""Reminders to the caseworker before a response or order deadline and once it is overdue:
each sent once, however often the task runs."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from send_cms.accounts.roles import Role
from tests.deadlines.refusing_mail import refuse_mail_to
from tribunals import services
from tribunals.models import ReminderSent
from tribunals.tasks import send_reminders

from .conftest import at
from .factories import make_child, record_mediation, register_appeal

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def appeal(caseworker):
    caseworker.email = "sam.okafor@example.invalid"
    caseworker.save()
    child = make_child(caseworker=caseworker, first_name="Rhys", last_name="Reminder")
    with time_machine.travel(at(D(2025, 12, 2)), tick=False):
        # Received Mon 1 Dec 2025: the response is due Tue 20 Jan 2026.
        return register_appeal(caseworker, child=child, received_by_la_on=D(2025, 12, 1))


def _run(day):
    with time_machine.travel(at(day, 7), tick=False):
        return send_reminders.delay().get()


def test_the_response_reminder_goes_5_working_days_before_then_once_overdue(appeal):
    assert _run(D(2026, 1, 12)) == 0  # 5 working days on is 19 Jan: not yet
    assert _run(D(2026, 1, 13)) == 1
    assert (
        mail.outbox[0].subject
        == f"Due 20 Jan 2026: Response to the appeal due ({appeal.child.reference})"
    )
    assert mail.outbox[0].to == ["sam.okafor@example.invalid"]
    assert "Rhys Reminder" in mail.outbox[0].body
    assert "30 tribunal working days from the appeal received on 1 Dec 2025" in mail.outbox[0].body
    assert _run(D(2026, 1, 13)) == 0
    assert _run(D(2026, 1, 19)) == 0
    assert _run(D(2026, 1, 21)) == 1
    assert mail.outbox[1].subject.startswith("Overdue: Response to the appeal due")
    assert _run(D(2026, 1, 22)) == 0
    assert len(mail.outbox) == 2
    assert list(ReminderSent.objects.values_list("rule", "kind")) == [
        ("tribunal_response", "overdue"),
        ("tribunal_response", "due_soon"),
    ]


def test_no_reminder_once_the_response_is_in(appeal, caseworker):
    with time_machine.travel(at(D(2026, 1, 12)), tick=False):
        services.appeal_submit_response(
            actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 12)
        )
    assert _run(D(2026, 1, 21)) == 0
    assert mail.outbox == []


def test_order_steps_are_reminded_too(appeal, caseworker):
    with time_machine.travel(at(D(2026, 3, 3)), tick=False):
        services.appeal_submit_response(
            actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 12)
        )
        services.appeal_record_outcome(
            actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2026, 3, 2)
        )
        services.appeal_order_add(
            actor=caseworker,
            appeal=appeal,
            kind="assess",
            made_on=D(2026, 3, 2),
            sent_on=D(2026, 3, 3),
        )
    # Notify is due Tue 17 Mar 2026: 5 working days before is Tue 10 Mar.
    assert _run(D(2026, 3, 9)) == 0
    assert _run(D(2026, 3, 10)) == 1
    assert mail.outbox[0].subject.startswith(
        "Due 17 Mar 2026: Tell the family the assessment will go ahead (order)"
    )
    assert _run(D(2026, 3, 10)) == 0


def test_no_caseworker_email_means_nothing_is_claimed(caseworker):
    with time_machine.travel(at(D(2025, 12, 2)), tick=False):
        register_appeal(caseworker, child=make_child(), received_by_la_on=D(2025, 12, 1))
    assert _run(D(2026, 1, 21)) == 0
    assert not ReminderSent.objects.exists()


def test_a_mediation_agreements_actions_are_reminded_too(caseworker):
    caseworker.email = "sam.okafor@example.invalid"
    caseworker.save()
    child = make_child(caseworker=caseworker, first_name="Rhys", last_name="Reminder")
    with time_machine.travel(at(D(2025, 12, 11)), tick=False):
        mediation = record_mediation(
            caseworker,
            child=child,
            decision_type="plan_contents",
            decision_notice_on=D(2025, 11, 3),
            family_contacted_on=D(2025, 11, 10),
            mediation_wanted=True,
            la_informed_on=D(2025, 11, 11),
        )
        services.mediation_record_held(
            actor=caseworker, mediation=mediation, held_on=D(2025, 12, 10), outcome="agreement"
        )
        # Not appealable: 2 weeks, Wed 24 Dec 2025. Appealable: the order period, 14 Jan 2026.
        services.mediation_action_add(
            actor=caseworker, mediation=mediation, matter="other", description="Short breaks"
        )
        services.mediation_action_add(
            actor=caseworker, mediation=mediation, matter="amend", description="Speech therapy"
        )
    assert _run(D(2025, 12, 16)) == 0
    assert _run(D(2025, 12, 17)) == 1
    assert mail.outbox[0].subject == (
        f"Due 24 Dec 2025: Mediation agreement actions due ({child.reference})"
    )
    assert "Rhys Reminder" in mail.outbox[0].body
    assert f"/tribunals/mediations/{mediation.pk}/" in mail.outbox[0].body
    assert _run(D(2025, 12, 17)) == 0
    # The family's own window and the adviser's certificate are not the council's to chase.
    assert _run(D(2026, 1, 7)) == 2  # the other action overdue; the amended plan due soon
    assert sorted(ReminderSent.objects.values_list("rule", "kind")) == [
        ("mediation_agreement_other", "due_soon"),
        ("mediation_agreement_other", "overdue"),
        ("order_amend", "due_soon"),
    ]


def test_one_refused_email_does_not_end_the_run_and_is_sent_next_run(
    appeal, make_user, settings, monkeypatch
):
    other = make_user("olu", Role.CASEWORKER)
    other.email = "olu.adeyemi@example.invalid"
    other.save()
    child = make_child(caseworker=other, first_name="Ada", last_name="Second")
    with time_machine.travel(at(D(2025, 12, 2)), tick=False):
        second = register_appeal(other, child=child, received_by_la_on=D(2025, 12, 1))
    refuse_mail_to(settings, monkeypatch, "sam.okafor@example.invalid")

    assert _run(D(2026, 1, 13)) == 1  # both responses are due 20 Jan: one email refused
    assert [m.to for m in mail.outbox] == [["olu.adeyemi@example.invalid"]]
    assert list(ReminderSent.objects.values_list("subject_id", flat=True)) == [second.pk]

    refuse_mail_to(settings, monkeypatch)  # the next run: the server accepts it
    assert _run(D(2026, 1, 13)) == 1
    assert mail.outbox[-1].to == ["sam.okafor@example.invalid"]
    assert set(ReminderSent.objects.values_list("subject_id", flat=True)) == {
        appeal.pk,
        second.pk,
    }
