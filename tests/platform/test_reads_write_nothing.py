"""Reading writes nothing: every page and API read, as each role, on the demo's casework.

A GET that writes domain rows surprises everyone (the annual review used to be opened by whoever
first listed the reviews): what a user sees must not depend on who looked first. The walk starts
from the home page and from every page the site routes (filled with the demo's own records),
follows every link as each role, as a person would, and reads every API list and one record of
each; the only rows a read may write are the audit trail's (who looked at what) and the
session's. A page whose address the walk cannot fill fails the test, so a new page is walked too.
"""

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from rest_framework.test import APIClient

from cases.models import (
    AdviceRequest,
    AssessmentRequest,
    Child,
    Document,
    DraftConsultation,
    Letter,
    Plan,
)
from cases.plan_content.models import PlanContent
from panels.models import AgendaItem, Decision, PanelMeeting
from reporting.high_needs.periods import return_period_of
from reporting.metrics.registry import METRICS
from reporting.models import (
    Comparator,
    HighNeedsPack,
    PressureEntry,
    SafetyValveCondition,
    Scenario,
    Sen2Export,
)
from reviews.models import AnnualReview
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from tests.platform.test_access import site_urls
from tribunals.models import Appeal, Direction, Mediation, MediationAction, Order, Recommendation

#: Tables a read may write: the audit trail of reads and downloads, and the session (sign-in).
ALLOWED_TABLES = {"audit_auditevent", "django_session"}
#: Pages that may write more, with the tables and the reason. None of them is casework.
ALLOWED_WRITES = {
    "accounts:second-factor-setup": (
        {"otp_totp_totpdevice"},
        "enrolling a second factor makes the unconfirmed device whose secret the page's QR code "
        "shows (django-otp's way); the POST confirms it",
    ),
}
#: Pages no link leads to, with the reason (each is read by the API walk or needs a form).
NOT_LINKED = {
    "login": "the sign-in page: the walk is signed in",
    "logout": "signing out is a POST",
    "healthz": "for load balancers, not people",
}
#: At most this many different addresses of one page (filters, pages of a list, each record).
PER_ROUTE = 3
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z0-9_]+)"?', re.I)
_HREF = re.compile(r'href="([^"#]+)"')
_SKIP = ("/static/", "/media/", "/admin/", "/sign-out/", "/api/v1/docs/", "/api/v1/schema/")

#: The record behind a page's `pk`, by the start of the page's name (first match wins).
PK_OF = (
    ("cases:plan-content-start", Child),
    ("cases:plan-content-", PlanContent),
    ("cases:request-", AssessmentRequest),
    ("cases:advice-", AssessmentRequest),
    ("cases:consultation-", AssessmentRequest),
    ("cases:plan-", Plan),
    ("cases:document-", Document),
    ("cases:letter-file", Letter),
    ("cases:", Child),
    ("panels:meeting-", PanelMeeting),
    ("panels:item-create", PanelMeeting),
    ("panels:item-", AgendaItem),
    ("panels:declaration-", AgendaItem),
    ("panels:decision-letter-", Decision),
    ("reviews:review-", AnnualReview),
    ("tribunals:appeal-", Appeal),
    ("tribunals:direction-", Direction),
    ("tribunals:recommendation-", Recommendation),
    ("tribunals:order-", Order),
    ("tribunals:mediation-action-", MediationAction),
    ("tribunals:mediation-", Mediation),
    ("reporting:metric-comparator-", Comparator),
    ("reporting:sen2-", Sen2Export),
    ("reporting:high-needs-pack", HighNeedsPack),
    ("reporting:trajectory-", Scenario),
)
_NONE = "00000000-0000-0000-0000-000000000001"

pytestmark = pytest.mark.django_db


def _pk(model: type[Model], **filters: Any) -> str:
    found = model._default_manager.filter(**filters).order_by("pk").first()
    return str(found.pk) if found is not None else _NONE


def _value(name: str, kwarg: str) -> Any:
    """A real value for one part of a page's address, from the demo's records."""
    day = dt.date(2026, 3, 2)
    if kwarg == "advice_pk":
        return _pk(AdviceRequest)
    if kwarg == "consultation_pk":
        return _pk(DraftConsultation)
    if kwarg == "child_id":
        return _pk(Child)
    if kwarg == "entry_id":
        return _pk(PressureEntry)
    if kwarg == "metric_id":
        return METRICS[0].id
    if kwarg == "number":
        found = SafetyValveCondition.objects.order_by("number").first()
        return found.number if found is not None else 1
    if kwarg == "on":
        return day.isoformat()
    if kwarg == "period":
        return return_period_of(day).key if "high-needs" in name else "2026-02"
    if kwarg == "fmt":
        return "pdf"
    if kwarg == "section":  # a section of an EHC plan
        return "e"
    if kwarg == "kind":  # a letter's kind
        return "not_assess" if name == "cases:letter-wording-edit" else "decision"
    if kwarg == "pk":
        model = next((m for prefix, m in PK_OF if name.startswith(prefix)), None)
        return _pk(model) if model is not None else None
    return None


def _page_patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _page_patterns(entry, ns)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _seeds() -> tuple[list[str], list[str]]:
    """An address for every page the site routes (not the API or the admin), and the pages
    whose address could not be filled."""
    seeds, unfilled = [], []
    for name, pattern in _page_patterns(get_resolver()):
        if name.startswith(("api:", "admin:")) or name in NOT_LINKED:
            continue
        kwargs = {k: _value(name, k) for k in pattern.pattern.converters}
        if any(v is None for v in kwargs.values()):
            unfilled.append(name)
            continue
        seeds.append(reverse(name, kwargs=kwargs))
    return seeds, unfilled


@pytest.fixture
def demo() -> Iterator[dict[str, User]]:
    """The demo's casework for every app, on a fixed day."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", children=30, force=True, stdout=io.StringIO())
        yield {
            role: User.objects.get(username=name)
            for role, name in (
                (Role.CASEWORKER, "caseworker"),
                (Role.PANEL_MEMBER, "panel"),
                (Role.MANAGER, "manager"),
                (Role.ADMIN, "admin"),
            )
        }


def _writes(queries: list[dict[str, Any]], route: str = "") -> list[str]:
    allowed = ALLOWED_TABLES | ALLOWED_WRITES.get(route, (set(), ""))[0]
    found = []
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and match[2].lower() not in allowed:
            found.append(f"{match[1].split()[0].upper()} {match[2]}")
    return found


def _route(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


def _walk_pages(client: Client) -> tuple[dict[str, list[str]], set[str]]:
    """Follow every link from the home page; the writes each page made, and the routes seen."""
    writes: dict[str, list[str]] = {}
    seen: Counter[str] = Counter()
    queue, visited = ["/", *_seeds()[0]], set()
    while queue:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        route = _route(urlsplit(path).path)
        if not route or seen[route] >= PER_ROUTE:
            continue
        seen[route] += 1
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if found := _writes(captured.captured_queries, route):
            writes[path] = found
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _HREF.findall(response.content.decode()):
            link = urljoin(path, href.replace("&amp;", "&"))
            parts = urlsplit(link)
            if parts.netloc or link.startswith(_SKIP) or parts.path in visited:
                continue
            queue.append(link)
    return writes, set(seen)


def _walk_api(client: APIClient) -> tuple[dict[str, list[str]], set[str]]:
    """Every API list, and the first record of each."""
    writes: dict[str, list[str]] = {}
    seen: set[str] = set()
    for path, name, _view in site_urls():
        if not name.startswith("api:") or not name.endswith("-list"):
            continue
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        seen.add(name)
        if found := _writes(captured.captured_queries):
            writes[path] = found
        body = response.json() if response.status_code == 200 else {}
        results = body.get("results", body) if isinstance(body, dict) else body
        if isinstance(results, list) and results and isinstance(results[0], dict):
            record = results[0].get("id")
            if record is not None:
                detail = f"{path}{record}/"
                with CaptureQueriesContext(connection) as captured:
                    client.get(detail)
                seen.add(_route(detail))
                if found := _writes(captured.captured_queries):
                    writes[detail] = found
    return writes, seen


def test_no_read_writes_a_row_other_than_the_audit_trail(demo: dict[str, User]) -> None:
    writes: dict[str, list[str]] = {}
    reached: set[str] = set()
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        for role, user in demo.items():
            client = Client()
            client.force_login(user)
            found, seen = _walk_pages(client)
            writes.update({f"{role} {path}": rows for path, rows in found.items()})
            reached |= seen
            api = APIClient()
            api.force_authenticate(user)
            found, seen = _walk_api(api)
            writes.update({f"{role} API {path}": rows for path, rows in found.items()})
            reached |= seen
    assert writes == {}
    assert _seeds()[1] == [], "pages whose address the walk cannot fill: add them to PK_OF"
    pages = {name for path, name, _ in site_urls() if name and not path.startswith("/api/")}
    assert sorted(pages - reached - set(NOT_LINKED)) == []
