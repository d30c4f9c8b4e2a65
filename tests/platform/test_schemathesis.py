"""The API fuzzed from its own OpenAPI schema: no request a client can build from it gets a 5xx.

Bounded to run in the normal suite (CI included): every GET operation and every POST action on a
record, at most 10 generated requests each, as a signed-in manager (who reads everything)
through the WSGI app in the test's own transaction, against one of each record so lists and
details have something to serialise. POSTs that create records are left out: they would change
the data the next examples read.
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings

from tests.factories import AdviceRequestFactory, PlacementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

MAX_EXAMPLES = 10
#: The session's CSRF secret, sent as cookie and header so POSTs pass SessionAuthentication.
CSRF = "a" * 32


@pytest.fixture
def manager_session(manager) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def _cookies(user: Any) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.fixture
def as_manager(manager: Any) -> dict[str, str]:
    """Managers read everything."""
    return _cookies(manager)


@pytest.fixture
def as_administrator(admin_user: Any) -> dict[str, str]:
    """Administrators may take every action (a manager's POST would stop at the role check)."""
    return _cookies(admin_user)


@pytest.fixture
def api_schema(manager_session: Client) -> Iterator[Any]:
    AdviceRequestFactory.create()
    PlacementFactory.create()
    raw = manager_session.get("/api/v1/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()  # requests go through the app in this process
    # As Django's test client does: the handler must not close the connection after each
    # request, which would end the test's transaction (and lose the records made above).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests every run: a failure in CI reproduces on a laptop
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)


def _fuzz(operation: Any, cookies: dict[str, str], statuses: Counter[tuple[str, int]]) -> None:
    """One operation as its own Hypothesis test: AssertionError names the first 5xx found."""

    @SETTINGS
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        response = case.call(cookies=cookies, headers={"X-CSRFToken": CSRF})
        statuses[case.method, response.status_code] += 1
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query or ''}: "
            f"{response.status_code} {response.text[:300]}"
        )

    call()


def test_no_generated_request_gets_a_server_error(
    api_schema: Any, as_manager: dict[str, str], as_administrator: dict[str, str]
) -> None:
    """Each operation is fuzzed on its own (schemathesis's pytest plugin predates the pytest this
    project pins), and every operation's 5xx is reported, not only the first."""
    reads = api_schema.include(method="GET")
    # Actions on a record, with generated (so unknown) ids: they reach the API's parsing and
    # lookups but can change nothing.
    actions = api_schema.include(method="POST", path_regex=r"\{id\}")
    runs = [(reads, as_manager), (actions, as_administrator)]
    statuses: Counter[tuple[str, int]] = Counter()
    server_errors: list[str] = []
    operations = 0
    for schema, cookies in runs:
        for result in schema.get_all_operations():
            operations += 1
            try:
                _fuzz(result.ok(), cookies, statuses)
            except AssertionError as error:
                server_errors.append(str(error).splitlines()[0])
    assert server_errors == []
    assert operations > 60  # the whole API was fuzzed, not an empty schema
    assert statuses["GET", 200] > 50
    assert statuses["POST", 404] > 50  # past authentication, CSRF and the role check
