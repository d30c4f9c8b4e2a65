"""How the deadline table is kept current: the council calendar, queueing, selectors, beat."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from celery.schedules import crontab
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import Client
from kombu.exceptions import OperationalError

from cases.services.requests import assessment_request_decide
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.celery import app
from send_cms.deadlines import registry, selectors, services
from send_cms.deadlines.calendar import council_calendar
from send_cms.deadlines.models import ClosureDay, Deadline
from send_cms.deadlines.tasks import recompute_child_deadlines
from tests.deadlines.conftest import rows_of
from tests.factories import AdviceRequestFactory, AssessmentRequestFactory, ChildFactory

D = dt.date
pytestmark = pytest.mark.django_db


# --- the council calendar ----------------------------------------------------------------------


def test_the_calendar_follows_the_closure_days_and_is_reused_while_they_stay() -> None:
    first = council_calendar()
    assert council_calendar() is first
    assert first.is_office_day(D(2025, 12, 29))

    ClosureDay.objects.create(date=D(2025, 12, 29), reason="Christmas closure")
    changed = council_calendar()
    assert changed is not first
    assert not changed.is_office_day(D(2025, 12, 29))
    assert changed.is_working_day(D(2025, 12, 29))  # statutory days are the law's, not ours

    ClosureDay.objects.all().delete()
    assert council_calendar().is_office_day(D(2025, 12, 29))


def test_saving_a_closure_day_recomputes_practical_targets(
    admin_user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # Decision not to issue: due Mon 29 Dec 2025, a working day.
    request = AssessmentRequestFactory.create()
    services.recompute_for_children([request.child_id])
    assert rows_of(request)["decision_not_to_issue"].practical_target_on == D(2025, 12, 29)

    with django_capture_on_commit_callbacks(execute=True):
        closure = services.closure_day_save(
            actor=admin_user, closure=ClosureDay(date=D(2025, 12, 29), reason="Christmas closure")
        )
    # The last office day before it is Wed 24 Dec (25 and 26 Dec are bank holidays).
    row = rows_of(request)["decision_not_to_issue"]
    assert (row.due_on, row.practical_target_on) == (D(2025, 12, 29), D(2025, 12, 24))
    assert AuditEvent.objects.filter(action="closure_day.created").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.closure_day_delete(actor=admin_user, closure=closure)
    assert rows_of(request)["decision_not_to_issue"].practical_target_on == D(2025, 12, 29)
    assert AuditEvent.objects.filter(action="closure_day.deleted").count() == 1


def test_administrators_edit_closure_days_in_the_admin(admin_client_: Client) -> None:
    response = admin_client_.post(
        "/admin/deadlines/closureday/add/",
        {"date": "2025-12-29", "reason": "Christmas closure"},
    )

    assert response.status_code == 302
    assert ClosureDay.objects.get().reason == "Christmas closure"
    assert AuditEvent.objects.filter(action="closure_day.created").exists()
    assert not site._registry[Deadline].has_add_permission(None)  # type: ignore[arg-type]


# --- queueing -------------------------------------------------------------------------------------


def test_a_service_that_changes_a_date_queues_the_recompute_on_commit(
    caseworker: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_request_decide(
            actor=caseworker, request=request, decision="assess", decided_on=D(2025, 10, 13)
        )

    row = rows_of(request)["decision_to_assess"]
    assert (row.met_on, row.status) == (D(2025, 10, 13), "met")


def test_the_recompute_waits_for_the_commit_and_is_queued_once(
    caseworker: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)
    services.recompute_for_children([request.child_id])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessment_request_decide(
            actor=caseworker, request=request, decision="assess", decided_on=D(2025, 10, 13)
        )
        # Inside the transaction the table still shows the old dates: no worker may read
        # uncommitted ones.
        assert rows_of(request)["decision_to_assess"].met_on is None

    assert len(callbacks) == 1  # the recompute of this child, once it has committed
    callbacks[0]()
    assert rows_of(request)["decision_to_assess"].met_on == D(2025, 10, 13)


def test_a_change_that_is_rolled_back_queues_no_recompute(
    caseworker: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)

    def decide_then_fail() -> None:
        with transaction.atomic():
            assessment_request_decide(
                actor=caseworker, request=request, decision="assess", decided_on=D(2025, 10, 13)
            )
            raise RuntimeError("the rest of the change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        decide_then_fail()

    assert callbacks == []
    assert not Deadline.objects.filter(child_id=request.child_id).exists()


def test_without_a_broker_the_task_runs_in_process() -> None:
    assert app.conf.task_always_eager is True
    request = AssessmentRequestFactory.create()

    services.queue_recompute(request.child_id)

    assert len(rows_of(request)) == 3


def test_a_broker_that_refuses_the_message_does_not_leave_deadlines_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(recompute_child_deadlines, "delay", refuse)
    request = AssessmentRequestFactory.create()

    services.queue_recompute(str(request.child_id))

    assert len(rows_of(request)) == 3


def test_the_beat_schedule_runs_the_refresh_nightly_and_the_digest_on_weekdays() -> None:
    schedule = app.conf.beat_schedule
    refresh = schedule["deadlines-refresh-statuses"]
    digest = schedule["deadlines-send-digests"]

    assert refresh["task"] == "send_cms.deadlines.tasks.refresh_deadline_statuses"
    assert refresh["schedule"] == crontab(hour=1, minute=30)
    assert digest["task"] == "send_cms.deadlines.tasks.send_deadline_digests"
    assert digest["schedule"] == crontab(hour=7, minute=0, day_of_week="mon-fri")
    assert refresh["task"] in app.tasks
    assert digest["task"] in app.tasks


def test_the_cases_app_registers_its_steps_and_its_children() -> None:
    from cases.deadlines import all_child_ids, steps_for_children

    assert steps_for_children in registry.providers()
    assert all_child_ids in registry.child_sources()
    child = ChildFactory.create()
    assert child.pk in services.all_child_ids()


# --- selectors ------------------------------------------------------------------------------------


def test_the_selectors(make_user: Callable[..., User]) -> None:
    sam = make_user("sam", Role.CASEWORKER)
    request = AssessmentRequestFactory.create(assessing=True, child__caseworker=sam)
    advice = AdviceRequestFactory.create(request=request)
    other = AssessmentRequestFactory.create(received_on=D(2025, 9, 1))
    services.recompute_for_children([request.child_id, other.child_id], today=D(2025, 10, 1))

    assert [d.rule for d in selectors.deadlines_for_child(request.child_id)] == [
        "decision_to_assess",
        "advice",
        "decision_not_to_issue",
        "final_plan",
    ]
    assert [d.rule for d in selectors.deadlines_for_subject(advice)] == ["advice"]
    assert [d.rule for d in selectors.deadlines_for_subject(request)] == [
        "decision_to_assess",
        "decision_not_to_issue",
        "final_plan",
    ]
    # 18 Nov 2025: advice (25 Nov) is due within 7 days; decision not to issue is weeks away.
    soon = selectors.upcoming_for_user(sam, today=D(2025, 11, 18))
    assert [(d.rule, d.due_on) for d in soon] == [("advice", D(2025, 11, 25))]
    later = selectors.upcoming_for_user(sam, within_days=60, today=D(2025, 11, 18))
    assert [d.rule for d in later] == ["advice", "decision_not_to_issue"]
    # Overdue counts; met and other people's deadlines do not.
    overdue = selectors.upcoming_for_user(sam, today=D(2026, 2, 1))
    assert [d.rule for d in overdue] == ["advice", "decision_not_to_issue", "final_plan"]
