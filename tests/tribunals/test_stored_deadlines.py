"""Mediation, appeal and order deadlines reach the shared deadline table (caseloads, the morning
digest) through the deadlines registry, with the same dates the appeal page shows; and steps that
stop applying when their day passes are settled nightly, never left overdue."""

import datetime as dt

import pytest
import time_machine
from celery.schedules import crontab

from send_cms.celery import app
from send_cms.deadlines import registry
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import recompute_for_children, refresh_statuses
from tribunals import services
from tribunals.deadlines import steps_for_children
from tribunals.tasks import settle_lapsed_steps

from .conftest import at
from .factories import make_child, record_mediation, register_appeal

pytestmark = pytest.mark.django_db
D = dt.date


def _stored(child):
    rows = Deadline.objects.filter(child_id=child.pk, subject_type__startswith="tribunals.")
    return {row.rule: row for row in rows}


def test_this_app_registers_its_steps_and_the_nightly_settling():
    assert steps_for_children in registry.providers()
    entry = app.conf.beat_schedule["tribunals-settle-lapsed-steps"]
    assert entry["task"] == settle_lapsed_steps.name
    assert entry["task"] in app.tasks
    # Overnight, after the status refresh (01:30) and before the morning digest (07:00).
    assert entry["schedule"] == crontab(hour=1, minute=45)


def test_registering_an_appeal_stores_its_deadlines_for_the_caseload(
    caseworker, django_capture_on_commit_callbacks
):
    child = make_child(caseworker=caseworker)
    with (
        time_machine.travel(at(D(2025, 12, 2)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        appeal = register_appeal(
            caseworker,
            child=child,
            decision_notice_on=D(2025, 10, 27),
            received_by_la_on=D(2025, 12, 1),
        )
    rows = _stored(child)
    response = rows["tribunal_response"]
    assert (response.due_on, response.status, response.owner_id) == (
        D(2026, 1, 20),
        "upcoming",
        caseworker.pk,
    )
    assert response.explanation.startswith("30 tribunal working days from the appeal received")
    # The family's deadline is on the case, but it is nobody's task in the council.
    assert rows["appeal_deadline"].owner_id is None
    assert rows["appeal_deadline"].met_on == D(2025, 12, 1)

    with time_machine.travel(at(D(2026, 1, 12)), tick=False):
        services.appeal_submit_response(
            actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 12)
        )
        # The test never commits, so run the recompute the commit would have queued.
        recompute_for_children([child.pk])
    response = _stored(child)["tribunal_response"]
    assert (response.met_on, response.status) == (D(2026, 1, 12), "met")


def test_the_registration_letters_date_is_the_stored_due_date(
    caseworker, django_capture_on_commit_callbacks
):
    child = make_child(caseworker=caseworker)
    with (
        time_machine.travel(at(D(2025, 12, 2)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        appeal = register_appeal(caseworker, child=child, received_by_la_on=D(2025, 12, 1))
        services.appeal_update_details(
            actor=caseworker, appeal=appeal, response_due_on=D(2026, 1, 16)
        )
    response = _stored(child)["tribunal_response"]
    assert (response.due_on, response.due_overridden) == (D(2026, 1, 16), True)


def test_a_familys_closed_mediation_window_is_settled_not_left_overdue(
    caseworker, django_capture_on_commit_callbacks
):
    child = make_child(caseworker=caseworker)
    with (
        time_machine.travel(at(D(2025, 11, 4)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # Notice Mon 3 Nov 2025: the family can contact the adviser until Sat 3 Jan 2026.
        record_mediation(caseworker, child=child, decision_notice_on=D(2025, 11, 3))
    assert _stored(child)["mediation_contact"].status == "upcoming"
    # The nightly refresh sees only the dates: on 5 Jan it would call the family's step overdue.
    refresh_statuses(today=D(2026, 1, 5))
    assert _stored(child)["mediation_contact"].status == "overdue"
    with time_machine.travel(at(D(2026, 1, 5), hour=1), tick=False):
        assert settle_lapsed_steps.delay().get() == 1
        assert settle_lapsed_steps.delay().get() == 0  # safe to run twice
    assert _stored(child)["mediation_contact"].status == "not_applicable"
    refresh_statuses(today=D(2026, 1, 6))
    assert _stored(child)["mediation_contact"].status == "not_applicable"


def test_an_ordered_assessments_route_not_taken_is_settled_not_overdue(
    caseworker, django_capture_on_commit_callbacks
):
    child = make_child(caseworker=caseworker)
    with (
        time_machine.travel(at(D(2025, 12, 11)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        appeal = register_appeal(caseworker, child=child, received_by_la_on=D(2025, 12, 1))
        services.appeal_record_outcome(
            actor=caseworker, appeal=appeal, outcome="conceded", decided_on=D(2025, 12, 10)
        )
        order = services.appeal_order_add(actor=caseworker, appeal=appeal, kind="assess")
    with time_machine.travel(at(D(2025, 12, 20)), tick=False):
        services.order_complied(actor=caseworker, order=order, complied_on=D(2025, 12, 19))
        recompute_for_children([child.pk])
    rows = _stored(child)
    assert rows["order_assess_no_plan"].due_on == D(2026, 2, 18)
    assert rows["order_assess_no_plan"].status == "upcoming"
    # No decision not to issue by 18 Feb: the council is issuing a plan (due 18 Mar 2026).
    refresh_statuses(today=D(2026, 2, 19))
    assert _stored(child)["order_assess_no_plan"].status == "overdue"
    with time_machine.travel(at(D(2026, 2, 19), hour=1), tick=False):
        settle_lapsed_steps.delay().get()
    rows = _stored(child)
    assert rows["order_assess_no_plan"].status == "not_applicable"
    assert rows["order_assess_final"].status == "upcoming"
    assert rows["order_assess_notify"].status == "met"


def test_the_settling_leaves_steps_that_are_really_overdue(
    caseworker, django_capture_on_commit_callbacks
):
    child = make_child(caseworker=caseworker)
    with (
        time_machine.travel(at(D(2025, 12, 2)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        register_appeal(caseworker, child=child, received_by_la_on=D(2025, 12, 1))
    refresh_statuses(today=D(2026, 1, 21))
    with time_machine.travel(at(D(2026, 1, 21), hour=1), tick=False):
        assert settle_lapsed_steps.delay().get() == 0
    assert _stored(child)["tribunal_response"].status == "overdue"
