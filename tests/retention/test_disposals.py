"""The nightly list of records due for disposal, and a manager's approval through the pages."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client

from cases.models import AssessmentRequest, Child, Contact, Document, TimelineEntry
from cases.plan_content.models import PlanContent, PlanOutcome
from panels.models import AgendaItem
from reviews.models import AnnualReview
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.retention import messages as msg
from send_cms.retention.anonymise import REMOVED
from send_cms.retention.models import Disposal, DisposalStatus
from send_cms.retention.services import DISPOSED, LISTED, disposals_approve
from send_cms.retention.tasks import list_records_due_for_disposal
from tests.factories import ChildFactory
from tests.retention.conftest import TODAY, reload
from tribunals.models import Appeal, Mediation

pytestmark = pytest.mark.django_db

LIST = "/records/disposals/"
CONFIRM = "/records/disposals/confirm/"


@pytest.fixture(autouse=True)
def frozen_today(settings: Any) -> Iterator[None]:
    settings.RETENTION_YEARS = {}
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def _child(born: dt.date, reference: str) -> Child:
    child: Child = ChildFactory.create(date_of_birth=born, reference=reference)
    return child


def _listed() -> dict[str, Disposal]:
    return {d.reference: d for d in Disposal.objects.filter(status=DisposalStatus.DUE)}


def test_the_nightly_job_lists_exactly_the_files_past_the_31st_birthday() -> None:
    _child(dt.date(1995, 12, 7), "BIRTHDAY-TODAY")
    _child(dt.date(1995, 12, 8), "BIRTHDAY-TOMORROW")
    _child(dt.date(1980, 1, 15), "LONG-PAST")
    _child(dt.date(2010, 5, 1), "AT-SCHOOL")

    assert list_records_due_for_disposal.delay().get() == 2

    listed = _listed()
    assert set(listed) == {"BIRTHDAY-TODAY", "LONG-PAST"}
    assert listed["BIRTHDAY-TODAY"].due_on == TODAY
    assert listed["BIRTHDAY-TODAY"].rule == "sen_file"
    assert listed["BIRTHDAY-TODAY"].action == "anonymise"
    assert listed["LONG-PAST"].due_on == dt.date(2011, 1, 15)
    event = AuditEvent.objects.get(action=LISTED)
    assert event.actor is None
    assert event.changes["listed"] == 2


def test_running_twice_lists_each_record_once() -> None:
    _child(dt.date(1990, 1, 1), "OLD")
    list_records_due_for_disposal.delay().get()
    assert list_records_due_for_disposal.delay().get() == 0
    assert Disposal.objects.count() == 1


def test_born_on_29_february_due_on_1_march_in_a_common_year() -> None:
    _child(dt.date(1996, 2, 29), "LEAP")
    with time_machine.travel(dt.datetime(2027, 2, 28, 12, 0, tzinfo=dt.UTC), tick=False):
        list_records_due_for_disposal.delay().get()
        assert "LEAP" not in _listed()
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        list_records_due_for_disposal.delay().get()
        assert _listed()["LEAP"].due_on == dt.date(2027, 3, 1)


def test_a_longer_period_set_by_the_council_withdraws_a_listing(
    settings: Any,
) -> None:
    _child(dt.date(1994, 6, 1), "THIRTY-TWO")
    list_records_due_for_disposal.delay().get()
    assert "THIRTY-TWO" in _listed()

    settings.RETENTION_YEARS = {"sen_file": "35"}
    list_records_due_for_disposal.delay().get()

    assert _listed() == {}
    assert Disposal.objects.get(reference="THIRTY-TWO").status == DisposalStatus.WITHDRAWN


def test_appeals_and_mediations_are_due_six_years_after_they_closed(
    full_file: dict[str, Any],
) -> None:
    appeal: Appeal = full_file["appeal"]
    Appeal.objects.filter(pk=appeal.pk).update(
        status="withdrawn",
        outcome="withdrawn",
        decision_notice_on=dt.date(2020, 8, 3),
        received_by_la_on=dt.date(2020, 10, 1),
        decided_on=dt.date(2020, 12, 7),
    )
    Mediation.objects.filter(pk=full_file["mediation"].pk).update(
        held_on=dt.date(2020, 12, 8), decision_notice_on=dt.date(2020, 11, 2)
    )
    list_records_due_for_disposal.delay().get()

    tribunal = Disposal.objects.filter(rule="tribunal_file")
    assert [(d.object_type, d.due_on) for d in tribunal] == [("tribunals.appeal", TODAY)]
    assert Disposal.objects.filter(rule="sen_file").count() == 1


def test_a_manager_ticks_confirms_and_approves_and_the_file_is_anonymised(
    full_file: dict[str, Any], manager_client: Client, manager: User
) -> None:
    child: Child = full_file["child"]
    list_records_due_for_disposal.delay().get()
    disposal = Disposal.objects.get(rule="sen_file")

    page = manager_client.get(LIST)
    assert page.status_code == 200
    assert "RET-0001" in page.content.decode()
    confirm = manager_client.get(CONFIRM, {"disposal": str(disposal.pk)})
    assert confirm.status_code == 200
    assert "Approve disposal" in confirm.content.decode()
    assert Child.objects.filter(first_name="Ruby").exists()  # nothing done before the POST

    response = manager_client.post(CONFIRM, {"disposal": str(disposal.pk)})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?status=done"
    banner = manager_client.get(response["Location"]).content.decode()
    assert "1 record disposed of" in banner
    assert "RET-0001" in banner  # the disposal log, with who approved it
    assert manager.get_full_name() in banner
    child = reload(child)
    assert (child.first_name, child.last_name) == ("Anonymised", "record")
    assert child.reference.startswith("ANON-")
    assert (child.postcode, child.date_of_birth) == ("", dt.date(1995, 12, 1))
    assert not Contact.objects.filter(child=child).exists()
    request = AssessmentRequest.objects.get(pk=full_file["request"].pk)
    assert request.decision_reasons == ""
    assert request.decision == "assess"  # the decision stays for the figures
    assert AnnualReview.objects.get(pk=full_file["review"].pk).family_views == ""
    content = PlanContent.objects.get(pk=full_file["content"].pk)
    assert content.views == ""
    assert PlanOutcome.objects.get(content=content).description == REMOVED
    assert AgendaItem.objects.get(pk=full_file["item"].pk).summary == ""
    appeal = Appeal.objects.get(pk=full_file["appeal"].pk)
    assert appeal.appellant_name == ""
    assert Mediation.objects.get(pk=full_file["mediation"].pk).notes == ""
    assert not TimelineEntry.objects.filter(child=child, detail__contains="Ruby").exists()
    assert "Ruby" not in str(list(TimelineEntry.objects.filter(child=child).values()))

    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DONE
    assert disposal.decided_by == manager
    assert disposal.decided_at is not None
    assert disposal.reference == "RET-0001"
    assert disposal.outcome["contacts deleted"] == 1
    event = AuditEvent.objects.get(action=DISPOSED)
    assert event.actor == manager
    assert event.child_id == child.pk
    assert event.changes["rule"] == "sen_file"
    assert event.changes["action"] == "anonymise"
    assert event.changes["reference"] == "RET-0001"
    assert event.changes["due_on"] == "2026-12-07"

    list_records_due_for_disposal.delay().get()
    assert not Disposal.objects.filter(status=DisposalStatus.DUE, rule="sen_file").exists()


def test_required_text_reads_removed(full_file: dict[str, Any], manager: User) -> None:
    from panels.models import Declaration

    panel_item = full_file["item"]
    Declaration.objects.create(
        item=panel_item, member=panel_item.meeting.chair, interest="Knows Ruby's family"
    )
    list_records_due_for_disposal.delay().get()
    disposals_approve(actor=manager, disposal_ids=[Disposal.objects.get(rule="sen_file").pk])
    assert Declaration.objects.get(item=panel_item).interest == REMOVED


def test_a_caseworker_cannot_see_the_list_or_approve(
    caseworker_client: Client, caseworker: User
) -> None:
    _child(dt.date(1990, 1, 1), "OLD")
    list_records_due_for_disposal.delay().get()
    disposal = Disposal.objects.get()

    assert caseworker_client.get(LIST).status_code == 403
    assert caseworker_client.post(CONFIRM, {"disposal": str(disposal.pk)}).status_code == 403
    with pytest.raises(PermissionDenied, match=msg.MANAGERS_ONLY):
        disposals_approve(actor=caseworker, disposal_ids=[disposal.pk])

    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DUE
    assert Child.objects.get(reference="OLD").first_name != "Anonymised"
    assert not AuditEvent.objects.filter(action=DISPOSED).exists()


def test_confirming_nothing_shows_an_error(manager_client: Client) -> None:
    response = manager_client.post(CONFIRM, {})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert msg.NOTHING_SELECTED in body


def test_a_record_approved_twice_is_refused_the_second_time(
    manager_client: Client, manager: User
) -> None:
    _child(dt.date(1990, 1, 1), "OLD")
    list_records_due_for_disposal.delay().get()
    disposal = Disposal.objects.get()
    manager_client.post(CONFIRM, {"disposal": str(disposal.pk)})

    again = manager_client.post(CONFIRM, {"disposal": str(disposal.pk)})

    assert again.status_code == 200
    assert msg.NOT_DUE in again.content.decode()
    assert AuditEvent.objects.filter(action=DISPOSED).count() == 1


def test_the_list_read_is_audited_with_its_children(manager_client: Client) -> None:
    child = _child(dt.date(1990, 1, 1), "OLD")
    list_records_due_for_disposal.delay().get()
    manager_client.get(LIST)
    event = AuditEvent.objects.filter(action="list.viewed").latest("occurred_at")
    assert event.changes["list"] == "retention:disposal-list"
    assert event.changes["children"] == [str(child.pk)]


@pytest.mark.parametrize("rows", [1, 20])
def test_the_list_runs_a_constant_number_of_queries(
    manager_client: Client, rows: int, django_assert_max_num_queries: Any
) -> None:
    for number in range(rows):
        _child(dt.date(1990, 1, 1), f"OLD-{number}")
    list_records_due_for_disposal.delay().get()
    with django_assert_max_num_queries(12):
        assert manager_client.get(LIST).status_code == 200


def test_the_documents_and_their_files_go_when_the_approval_commits(
    full_file: dict[str, Any], manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    document: Document = full_file["document"]
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    list_records_due_for_disposal.delay().get()

    with django_capture_on_commit_callbacks(execute=True):
        disposals_approve(actor=manager, disposal_ids=[Disposal.objects.get(rule="sen_file").pk])

    assert not Document.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)


def test_the_job_is_on_the_nightly_beat_schedule() -> None:
    from send_cms.celery import app

    entry = app.conf.beat_schedule["retention-list-records-due-for-disposal"]
    assert entry["task"] == list_records_due_for_disposal.name
