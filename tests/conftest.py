"""Shared fixtures: users and logged-in clients for each role."""

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.accounts.services import user_create_or_update

PASSWORD = "a-test-password-1234"
LONDON = ZoneInfo("Europe/London")


def pytest_report_header(config: pytest.Config) -> str:
    db = settings.DATABASES["default"]
    where = (
        db["NAME"]
        if "sqlite" in db["ENGINE"]
        else f"{db.get('HOST')}:{db.get('PORT')}/{db['NAME']}"
    )
    engine = "PostgreSQL" if "postgresql" in db["ENGINE"] else "SQLite"
    return f"database: {engine} ({where}); test database is created from it"


def restore_migration_data() -> None:
    """Re-make the rows data migrations create (role groups, default panels and bands).

    A transactional test (the browser tests, the real Celery worker) empties every table when it
    ends, migration data included; the tests after it call this first. Idempotent.
    """
    from django.apps import apps

    for module, function in (
        ("send_cms.accounts.migrations.0002_role_groups", "create_groups"),
        ("panels.migrations.0002_default_panel_types_and_funding_bands", "add_defaults"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database only: the audit table's TRUNCATE guard is off, because pytest-django
    empties every table with TRUNCATE after each transactional test. Production has no such
    switch (see send_cms/audit/migrations/0003_refuse_truncate.py); the test that TRUNCATE is
    refused turns the trigger back on inside its own transaction."""
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate")


@pytest.fixture(autouse=True)
def _migration_data_after_a_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests (browser tests, the real worker) start from restored migration data."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        restore_migration_data()


@pytest.fixture
def frozen_at() -> dt.datetime:
    """The moment `today` stops the clock at: Mon 2 Mar 2026, noon (UTC). A package's or a
    module's tests that need another day override this fixture, not `today`."""
    return dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def today(frozen_at: dt.datetime) -> Iterator[dt.date]:
    """The one frozen "today": the clock stands still at `frozen_at` (it does not tick) until the
    test ends; the value is that day in London."""
    with time_machine.travel(frozen_at, tick=False):
        yield frozen_at.astimezone(LONDON).date()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str, *roles: Role, **fields: str) -> User:
        return user_create_or_update(
            username=username,
            password=PASSWORD,
            roles=roles,
            first_name=fields.get("first_name", username.title()),
            last_name=fields.get("last_name", "Tester"),
            team=fields.get("team", ""),
        )

    return make


@pytest.fixture
def caseworker(make_user: Callable[..., User]) -> User:
    return make_user("caseworker", Role.CASEWORKER, first_name="Sam", last_name="Okafor")


@pytest.fixture
def panel_member(make_user: Callable[..., User]) -> User:
    return make_user("panel", Role.PANEL_MEMBER, first_name="Helen", last_name="Marsh")


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user("manager", Role.MANAGER, first_name="Chris", last_name="Evans")


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user("admin", Role.ADMIN, first_name="Alex", last_name="Morgan")


@pytest.fixture
def roleless_user(make_user: Callable[..., User]) -> User:
    return make_user("nobody")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def caseworker_client(caseworker: User) -> Client:
    return _client_for(caseworker)


@pytest.fixture
def panel_member_client(panel_member: User) -> Client:
    return _client_for(panel_member)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return _client_for(manager)


@pytest.fixture
def admin_client_(admin_user: User) -> Client:
    return _client_for(admin_user)


@pytest.fixture
def roleless_client(roleless_user: User) -> Client:
    return _client_for(roleless_user)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def caseworker_api(caseworker: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(caseworker)
    return client


@pytest.fixture
def manager_api(manager: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(manager)
    return client


@pytest.fixture
def panel_member_api(panel_member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(panel_member)
    return client


@pytest.fixture
def admin_api(admin_user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    return client
