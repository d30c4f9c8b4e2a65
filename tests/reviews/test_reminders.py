"""Reminders to the caseworker: due in 4 weeks, decision or final amended plan overdue; once."""

import datetime as dt

import pytest
from django.core import mail

from reviews import services
from reviews.models import ReminderSent
from reviews.tasks import open_reviews_for_new_plans, send_reminders
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from tests.deadlines.refusing_mail import refuse_mail_to
from tests.reviews.factories import PlanFactory

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker_with_email(caseworker):
    caseworker.email = "sam.okafor@example.invalid"
    caseworker.save()
    return caseworker


def _review(caseworker, issued_on, **child):
    plan = PlanFactory.create(
        issued_on=issued_on,
        child__caseworker=caseworker,
        **{f"child__{k}": v for k, v in child.items()},
    )
    return services.annual_review_open_first(plan=plan, actor=caseworker)


def test_each_reminder_is_sent_once_when_the_task_runs_twice(caseworker_with_email, frozen):
    cw = caseworker_with_email
    due_soon = _review(cw, D(2025, 6, 10))  # due 9 Jun 2026: within 4 weeks of 1 Jun
    _review(cw, D(2025, 9, 1))  # due 31 Aug 2026: nothing yet
    no_decision = _review(cw, D(2025, 6, 20))  # due 19 Jun 2026
    services.review_meeting_record(actor=cw, review=no_decision, held_on=D(2026, 4, 1))
    amending = _review(cw, D(2025, 3, 10))
    amending = services.review_meeting_record(actor=cw, review=amending, held_on=D(2026, 1, 29))
    amending = services.review_decision_issue(
        actor=cw, review=amending, decision="amend", issued_on=D(2026, 2, 23)
    )
    services.review_amendments_send(actor=cw, review=amending, issued_on=D(2026, 2, 23))

    assert send_reminders.delay().get() == 4
    assert send_reminders.delay().get() == 0
    sent = set(ReminderSent.objects.values_list("review_id", "kind"))
    assert sent == {
        (due_soon.pk, "review_due"),
        (no_decision.pk, "review_due"),
        (no_decision.pk, "decision_overdue"),
        (amending.pk, "final_overdue"),
    }
    assert len(mail.outbox) == 4
    assert {m.to[0] for m in mail.outbox} == {"sam.okafor@example.invalid"}
    child = due_soon.plan.child
    due_mail = next(m for m in mail.outbox if child.reference in m.subject)
    assert due_mail.subject == f"Annual review due 9 Jun 2026: {child.reference}"
    final = next(m for m in mail.outbox if m.subject.startswith("Final amended plan overdue"))
    assert "was due by 20 Apr 2026" in final.body
    assert AuditEvent.objects.filter(action="annual_review.reminder_sent").count() == 4


def test_under_5s_get_a_check_reminder(caseworker_with_email, frozen) -> None:
    review = _review(caseworker_with_email, D(2025, 9, 10), date_of_birth=D(2023, 1, 15))
    send_reminders.delay()
    assert list(ReminderSent.objects.values_list("review_id", "kind")) == [
        (review.pk, "under_5:2026-03-10")
    ]
    assert "check every 6 months" in mail.outbox[0].body


def test_no_email_address_means_no_reminder_yet(caseworker, frozen) -> None:
    _review(caseworker, D(2025, 6, 10))
    assert send_reminders.delay().get() == 0
    assert ReminderSent.objects.count() == 0


def test_the_nightly_task_opens_reviews_for_new_plans(db, frozen) -> None:
    PlanFactory.create(issued_on=D(2026, 5, 1))
    assert open_reviews_for_new_plans.delay().get() == 1
    assert open_reviews_for_new_plans.delay().get() == 0


def test_the_beat_schedule_runs_both_tasks() -> None:
    from send_cms.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {open_reviews_for_new_plans.name, send_reminders.name} <= tasks


def test_one_refused_email_does_not_end_the_run_and_is_sent_next_run(
    caseworker_with_email, make_user, frozen, settings, monkeypatch
) -> None:
    other = make_user("olu", Role.CASEWORKER)
    other.email = "olu.adeyemi@example.invalid"
    other.save()
    refused = _review(caseworker_with_email, D(2025, 6, 10))  # due 9 Jun 2026: reminded
    accepted = _review(other, D(2025, 6, 12))
    refuse_mail_to(settings, monkeypatch, "sam.okafor@example.invalid")

    assert send_reminders.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["olu.adeyemi@example.invalid"]]
    assert list(ReminderSent.objects.values_list("review_id", flat=True)) == [accepted.pk]

    refuse_mail_to(settings, monkeypatch)  # the next run: the server accepts it
    assert send_reminders.delay().get() == 1
    assert mail.outbox[-1].to == ["sam.okafor@example.invalid"]
    assert set(ReminderSent.objects.values_list("review_id", flat=True)) == {
        refused.pk,
        accepted.pk,
    }
    assert AuditEvent.objects.filter(action="annual_review.reminder_sent").count() == 2
