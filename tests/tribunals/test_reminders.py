"""Reminders to the caseworker before a response or order deadline and once it is overdue:
each sent once, however often the task runs."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from tribunals import services
from tribunals.models import ReminderSent
from tribunals.tasks import send_reminders

from .conftest import at
from .factories import make_child, register_appeal

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
        == "Due 20 Jan 2026: Response to the appeal due (TRB" + appeal.child.reference[3:] + ")"
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
