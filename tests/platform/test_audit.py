import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from send_cms.audit.models import AuditEvent, AuditImmutableError
from send_cms.audit.services import SYSTEM_ACTOR, record
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_and_the_request_id(caseworker) -> None:
    event = record(actor=caseworker, action="case.viewed", obj=caseworker, changes={"a": 1})
    event.refresh_from_db()
    assert event.actor == caseworker
    assert event.actor_name == "Sam Okafor"
    assert event.object_type == "accounts.user"
    assert event.object_id == str(caseworker.pk)
    assert event.changes == {"a": 1}


def test_a_celery_task_is_recorded_as_the_system() -> None:
    event = record(actor=None, action="deadlines.recomputed")
    assert event.actor is None
    assert event.actor_name == SYSTEM_ACTOR


def test_audit_rows_cannot_be_changed_or_deleted_through_the_model(caseworker) -> None:
    event = record(actor=caseworker, action="case.viewed")
    event.action = "tampered"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_updates_and_deletes(caseworker) -> None:
    event = record(actor=caseworker, action="case.viewed")
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET action = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_admin_cannot_add_change_or_delete_audit_events(admin_user) -> None:
    event = record(actor=admin_user, action="case.viewed")
    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_request_id_is_made_by_the_server_and_kept_by_the_audit_row(caseworker) -> None:
    child = ChildFactory.create()
    client = Client()
    client.force_login(caseworker)
    response = client.get(f"/cases/{child.pk}/", HTTP_X_REQUEST_ID="chosen-by-the-caller")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert request_id != "chosen-by-the-caller"
    assert len(request_id) == 32
    event = AuditEvent.objects.get(action="child.viewed", child_id=child.pk)
    assert event.request_id == request_id
    assert Client().get("/healthz")["X-Request-ID"] != request_id


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_empty_the_audit_table(caseworker) -> None:
    event = record(actor=caseworker, action="case.viewed")
    table = AuditEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # On in production; the test database turns it off for pytest-django's flush.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_event_no_truncate")
        with pytest.raises(DatabaseError, match="cannot be emptied"), transaction.atomic():
            cursor.execute(f"TRUNCATE {table}")
        transaction.set_rollback(True)  # the trigger goes back to off for the other tests
    assert AuditEvent.objects.filter(pk=event.pk).exists()
