"""Reporting and exports read from the replica when DATABASE_REPLICA_URL is set; nothing else does.

The replica here is a second connection to the test database (what `TEST: {"MIRROR": "default"}`
makes of it under Django's test runner), so the rows must be committed (`transactional_db`) for
it to see them, as a real replica sees only committed rows.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.models import Child
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.common.replica import REPLICA, ReplicaRouter, replica_reads
from tests.factories import AssessmentRequestFactory, PlanFactory

ROOT = Path(__file__).resolve().parents[2]
#: The replica alias may be queried in these tests (Django refuses an alias not declared).
ON_BOTH = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture(scope="module")
def _replica_alias() -> Iterator[None]:
    """A `replica` alias pointing at the primary's test database, as the settings make it with
    `TEST: {"MIRROR": "default"}`; for this module only (made after the test database)."""
    connections.settings[REPLICA] = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
    }
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(_replica_alias: None, transactional_db: None) -> None:
    """The rows each test makes, committed, so the replica's own connection sees them."""


def test_without_a_replica_every_read_is_on_the_primary(db: None) -> None:
    # Before the tests that make the alias (the module's fixture keeps it to the end).
    assert REPLICA not in connections.settings
    with replica_reads():
        assert Child.objects.all().db == DEFAULT_DB_ALIAS
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "cases") is None
    assert router.db_for_write(Child) == DEFAULT_DB_ALIAS


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _reads_on_replica(client: Client | APIClient, path: str) -> tuple[int, list[str], list[str]]:
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(path)
    reads = [q["sql"] for q in on_replica.captured_queries]
    assert not _writes(on_replica), "a write went to the replica"
    return response.status_code, reads, _writes(on_primary)


@ON_BOTH
def test_a_reporting_page_reads_casework_from_the_replica_and_audits_on_the_primary(
    replica: None, manager_client: Client
) -> None:
    AssessmentRequestFactory.create()
    PlanFactory.create()

    status, reads, primary_writes = _reads_on_replica(manager_client, "/reporting/at-risk/")

    assert status == 200
    assert any('"cases_' in sql for sql in reads)
    # Sign-in state never comes from the replica: a new session may not be there yet.
    assert not any('FROM "django_session"' in sql or 'FROM "accounts_user"' in sql for sql in reads)
    assert any('"audit_auditevent"' in sql for sql in primary_writes), primary_writes


@ON_BOTH
def test_the_reporting_api_reads_from_the_replica(replica: None, manager: User) -> None:
    client = APIClient()
    client.force_authenticate(manager)

    status, reads, _ = _reads_on_replica(client, "/api/v1/reports/scorecards/")

    assert status == 200
    assert reads


@ON_BOTH
def test_a_caseworkers_pages_and_the_casework_api_stay_on_the_primary(
    replica: None, caseworker_client: Client, caseworker: User
) -> None:
    AssessmentRequestFactory.create(child__caseworker=caseworker)
    client = APIClient()
    client.force_authenticate(caseworker)

    for path_client, path in ((caseworker_client, "/cases/"), (client, "/api/v1/children/")):
        status, reads, _ = _reads_on_replica(path_client, path)
        assert status == 200
        assert reads == []


@ON_BOTH
def test_a_reporting_form_sent_stays_on_the_primary(replica: None, manager_client: Client) -> None:
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        manager_client.post("/reporting/", {})
    assert on_replica.captured_queries == []


@ON_BOTH
def test_reads_inside_a_transaction_stay_on_the_primary(replica: None) -> None:
    AssessmentRequestFactory.create()
    with replica_reads():
        assert Child.objects.all().db == REPLICA
        with transaction.atomic():
            assert Child.objects.all().db == DEFAULT_DB_ALIAS
        assert AuditEvent.objects.all().db == REPLICA
        assert User.objects.all().db == DEFAULT_DB_ALIAS  # accounts: always the primary
    assert Child.objects.all().db == DEFAULT_DB_ALIAS


@pytest.mark.parametrize("settings_module", ["production", "local"])
def test_the_settings_add_the_replica_only_when_its_url_is_set(settings_module: str) -> None:
    code = (
        "from django.conf import settings; d = settings.DATABASES; "
        "r = d.get('replica', {}); "
        "print(sorted(d), r.get('HOST'), r.get('TEST', {}).get('MIRROR'), "
        "settings.DATABASE_ROUTERS)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": f"send_cms.settings.{settings_module}",
        "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789-abcdefghij",
        "DATABASE_URL": "postgres://send@primary.invalid:5432/send_cms",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "send.example.invalid",
    }
    with_replica = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**env, "DATABASE_REPLICA_URL": "postgres://send@replica.invalid:5432/send_cms"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    without = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={k: v for k, v in env.items() if k != "DATABASE_REPLICA_URL"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    routers = "['send_cms.common.replica.ReplicaRouter']"
    assert with_replica.stdout.strip() == (
        f"['default', 'replica'] replica.invalid default {routers}"
    )
    assert without.stdout.strip() == f"['default'] None None {routers}"
