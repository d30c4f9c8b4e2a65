"""Lists, searches and downloads in the audit trail, and who has seen a child.

A list or search is one row (which list, the query, how many rows matched, the children shown);
a download is one row with its format; a child's access log finds both by the child's id.
"""

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from cases import services
from send_cms.audit.models import AuditEvent
from send_cms.audit.reads import (
    DOWNLOADED,
    LIST_VIEWED,
    QUERY_VALUE_MAX,
    child_events,
    record_list_read,
)
from send_cms.audit.services import record
from send_cms.common.api import AuditedListMixin
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    PlacementFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def _list_reads(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=LIST_VIEWED, changes__list=name))


# --- list and search reads ---------------------------------------------------------------------
def test_a_search_of_the_caseload_is_one_row_with_the_query_and_the_children_shown(
    manager, manager_client: Client
) -> None:
    patels = [
        AssessmentRequestFactory.create(child__last_name="Patel", child__first_name=f"P{i}").child
        for i in range(3)
    ]
    AssessmentRequestFactory.create(child__last_name="Brown")
    response = manager_client.get("/cases/", {"q": "Patel"})
    assert response.status_code == 200
    [event] = _list_reads("cases:caseload")
    assert event.actor == manager
    assert event.changes["query"] == {"q": "Patel"}
    assert event.changes["rows"] == 3
    assert event.changes["children"] == sorted(str(c.pk) for c in patels)
    assert event.child_id is None


def test_a_list_page_records_only_the_children_on_the_page_but_counts_every_row(
    manager_client: Client,
) -> None:
    requests = [AssessmentRequestFactory.create() for _ in range(27)]  # 25 rows a page
    first = manager_client.get("/cases/")
    # Every caseload pages by key: the second page is the first page's Next link.
    manager_client.get("/cases/" + first.context["pages"].next)
    [_, event] = sorted(_list_reads("cases:caseload"), key=lambda e: e.occurred_at)
    assert event.changes["rows"] == 27
    assert len(event.changes["children"]) == 2
    assert set(event.changes["children"]) < {str(r.child_id) for r in requests}


def test_an_api_list_is_one_row_per_page_with_the_filters(manager, manager_api: APIClient) -> None:
    ava = ChildFactory.create(first_name="Ava", last_name="Okoro")
    ChildFactory.create(first_name="Ben", last_name="Hall")
    response = manager_api.get("/api/v1/children/", {"q": "Okoro", "page_size": "10"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    [event] = _list_reads("api:child")
    assert event.actor == manager
    assert event.changes == {
        "list": "api:child",
        "query": {"q": "Okoro", "page_size": "10"},
        "rows": 1,
        "children": [str(ava.pk)],
    }


@pytest.mark.parametrize(
    ("path", "name", "make"),
    [
        ("assessment-requests", "api:assessment-request", AssessmentRequestFactory.create),
        ("advice-requests", "api:advice-request", lambda: AdviceRequestFactory.create().request),
        ("plans", "api:plan", PlanFactory.create),
        ("placements", "api:placement", lambda: PlacementFactory.create().plan),
    ],
)
def test_each_casework_api_list_names_its_children(
    caseworker_api: APIClient, path: str, name: str, make
) -> None:
    made = make()
    assert caseworker_api.get(f"/api/v1/{path}/").status_code == 200
    [event] = _list_reads(name)
    assert event.changes["children"] == [str(made.child_id)]
    assert event.changes["rows"] == 1


def _viewsets(resolver: URLResolver | None = None) -> dict[str, type]:
    found: dict[str, type] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            found.update(_viewsets(pattern))
        elif isinstance(pattern, URLPattern):
            cls = getattr(pattern.callback, "cls", None)
            actions = getattr(pattern.callback, "actions", None) or {}
            if cls is not None and actions.get("get") == "list":
                found[cls.__name__] = cls
    return found


#: API lists that name no child: the register of settings, panels, bands, rules, metrics.
NOT_ABOUT_CHILDREN = {
    "EstablishmentViewSet",
    "PanelViewSet",
    "FundingBandViewSet",
    "TimescaleViewSet",
    "MetricViewSet",
}


def test_every_api_list_that_names_children_is_audited() -> None:
    """A new list endpoint must choose: record its reads, or be listed here as not personal."""
    viewsets = _viewsets()
    assert "ChildViewSet" in viewsets
    unaudited = {
        name
        for name, cls in viewsets.items()
        if not issubclass(cls, AuditedListMixin) and name not in NOT_ABOUT_CHILDREN
    }
    assert unaudited == set()


def test_a_query_value_is_kept_trimmed(caseworker) -> None:
    event = record_list_read(
        actor=caseworker, name="x", query={"q": "word " * 500}, rows=0, children=[]
    )
    assert len(event.changes["query"]["q"]) == QUERY_VALUE_MAX


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/cases/advice/", "cases:advice-tracker"),
        ("/reviews/", "reviews:review-list"),
        ("/reviews/backlog/", "reviews:backlog"),
        ("/reviews/phase-transfers/", "reviews:phase-transfers"),
        ("/tribunals/", "tribunals:appeal-list"),
        ("/tribunals/mediations/", "tribunals:mediation-list"),
        ("/tribunals/orders/overdue/", "tribunals:order-overdue"),
        ("/panels/decisions/", "panels:decision-list"),
    ],
)
def test_each_list_page_is_one_list_read(manager_client: Client, path: str, name: str) -> None:
    assert manager_client.get(path).status_code == 200
    assert len(_list_reads(name)) == 1
    assert AuditEvent.objects.filter(action=LIST_VIEWED).count() == 1


def test_a_panel_agenda_names_its_children(panel_member, panel_member_client: Client) -> None:
    from panels.models import ProfessionalRole
    from tests.panels import factories as f

    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    meeting = f.meeting(chair=chair)
    items = [f.item(meeting), f.item(meeting)]
    assert panel_member_client.get(f"/panels/meetings/{meeting.pk}/").status_code == 200
    [event] = _list_reads("panels:meeting-detail")
    assert event.changes["children"] == sorted(str(i.child_id) for i in items)
    assert event.changes["rows"] == 2


# --- downloads ---------------------------------------------------------------------------------
def _downloads(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=DOWNLOADED, changes__download=name))


def test_the_chronology_download_is_recorded_against_the_child(
    caseworker, caseworker_client: Client
) -> None:
    child = ChildFactory.create()
    response = caseworker_client.get(f"/tribunals/children/{child.pk}/chronology.pdf")
    assert response.status_code == 200
    [event] = _downloads("chronology")
    assert (event.actor, event.child_id, event.changes["format"]) == (caseworker, child.pk, "pdf")


def test_the_papers_pack_and_a_letter_are_recorded(
    panel_member, panel_member_client: Client
) -> None:
    from panels.models import Outcome, ProfessionalRole
    from panels.services import decision_record, meeting_close
    from tests.panels import factories as f

    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    meeting = f.meeting(chair=chair)
    item = f.item(meeting)
    assert panel_member_client.get(f"/panels/meetings/{meeting.pk}/papers.pdf").status_code == 200
    [pack] = _downloads("panel papers pack")
    assert (pack.changes["format"], pack.changes["children"]) == ("pdf", [str(item.child_id)])
    decision, _ = decision_record(
        actor=chair, item=item, outcome=Outcome.DEFER, reasons="More advice needed."
    )
    meeting_close(actor=chair, meeting=meeting)
    letter = panel_member_client.get(f"/panels/decisions/{decision.pk}/letters/family.pdf")
    assert letter.status_code == 200
    [event] = _downloads("panel decision letter (family)")
    assert event.child_id == item.child_id


# --- who has seen this child ------------------------------------------------------------------
@pytest.fixture
def seen(caseworker, manager):
    """A child opened, listed in a search, downloaded and changed, an hour apart."""
    child = ChildFactory.create(first_name="Maya", last_name="Patel")
    other = ChildFactory.create()
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        record(actor=caseworker, action="child.viewed", obj=child, child_id=child.pk)
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        record_list_read(
            actor=manager,
            name="cases:caseload",
            query={"q": "Patel"},
            rows=2,
            children=[child.pk, other.pk],
        )
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        record_list_read(
            actor=manager, name="cases:caseload", query={}, rows=1, children=[other.pk]
        )
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        services.child_update(actor=caseworker, child=child, postcode="ZZ9 9ZZ")
    return child


def test_the_access_log_finds_reads_lists_and_changes_newest_first(seen) -> None:
    events = list(child_events(child_id=seen.pk))
    assert [(e.actor_name, e.action) for e in events] == [
        ("Sam Okafor", "child.updated"),
        ("Chris Evans", LIST_VIEWED),
        ("Sam Okafor", "child.viewed"),
    ]


def test_the_access_log_includes_reporting_lists_that_named_the_child(seen, manager) -> None:
    from send_cms.audit.presenters import describe

    record(actor=manager, action="report.cases.view", changes={"children": [str(seen.pk)]})
    record(actor=manager, action="report.cases.view", changes={"children": [str(uuid.uuid4())]})
    newest = child_events(child_id=seen.pk).first()
    assert newest is not None
    assert (newest.action, describe(newest)) == (
        "report.cases.view",
        "Listed in the cases behind a figure",
    )
    assert child_events(child_id=seen.pk).count() == 4


def test_the_access_log_api_is_newest_first_for_managers(seen, manager_api: APIClient) -> None:
    response = manager_api.get(f"/api/v1/children/{seen.pk}/access-log/")
    assert response.status_code == 200
    body = response.json()
    # Reading the log is recorded first, so it is the newest entry.
    assert body[0]["user"] == "Chris Evans"
    assert body[0]["action"] == "child.access_log_viewed"
    assert body[1:] == [
        {"user": "Sam Okafor", "at": "2026-03-02T12:00:00Z", "action": "child.updated"},
        {"user": "Chris Evans", "at": "2026-03-02T10:00:00Z", "action": LIST_VIEWED},
        {"user": "Sam Okafor", "at": "2026-03-02T09:00:00Z", "action": "child.viewed"},
    ]


def test_the_access_log_api_is_for_managers_and_administrators_only(
    seen, caseworker_api: APIClient, panel_member_api: APIClient, admin_api: APIClient
) -> None:
    path = f"/api/v1/children/{seen.pk}/access-log/"
    assert admin_api.get(path).status_code == 200
    refused = caseworker_api.get(path)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You need the manager or administrator role for this."}
    assert panel_member_api.get(path).status_code == 403
    assert APIClient().get(path).status_code == 401
    assert caseworker_api.get(f"/api/v1/children/{uuid.uuid4()}/access-log/").status_code == 403


def test_the_access_log_page_lists_who_and_what(seen, manager_client: Client) -> None:
    response = manager_client.get(f"/cases/{seen.pk}/access-log/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who has seen this child" in html
    # Newest first: the manager opening this page, then the change, the search, the first read.
    order = [
        html.index("Opened the case"),
        html.index("Child: updated"),
        html.index("Listed in cases:caseload (q: Patel)"),
        html.index("2 Mar 2026 09:00"),
    ]
    assert order == sorted(order)


def test_the_access_log_page_is_refused_to_caseworkers(
    seen, caseworker_client: Client, manager_client: Client
) -> None:
    assert caseworker_client.get(f"/cases/{seen.pk}/access-log/").status_code == 403
    # Only managers see the tab that leads to it.
    assert "Who has seen this" not in caseworker_client.get(f"/cases/{seen.pk}/").content.decode()
    assert "Who has seen this" in manager_client.get(f"/cases/{seen.pk}/").content.decode()


# --- reads outside caseloads ------------------------------------------------------------------
def test_reads_of_children_outside_the_readers_caseload_are_listed(
    make_user, caseworker, manager, manager_client: Client
) -> None:
    from send_cms.accounts.roles import Role

    other = make_user("cw2", Role.CASEWORKER, first_name="Priya", last_name="Shah", team="North")
    theirs = ChildFactory.create(first_name="Noah", last_name="Reed", caseworker=other)
    mine = ChildFactory.create(caseworker=caseworker)
    handed_over = ChildFactory.create(caseworker=other)
    services.child_reallocate(actor=manager, child=handed_over, caseworker=caseworker, reason="x")
    services.child_reallocate(actor=manager, child=handed_over, caseworker=other, reason="back")
    for child in (theirs, theirs, mine, handed_over):
        record(actor=caseworker, action="child.viewed", obj=child, child_id=child.pk)
    record(actor=manager, action="child.viewed", obj=mine, child_id=mine.pk)

    response = manager_client.get("/cases/access/outside-caseloads/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 caseworker and child in the last 28 days" in html
    assert "Noah Reed" in html
    assert "Priya Shah" in html
    assert str(mine.reference) not in html
    assert str(handed_over.reference) not in html
    # The report names a child: reading it is a list read too.
    [event] = _list_reads("cases:reads-outside-caseloads")
    assert event.changes["children"] == [str(theirs.pk)]


def test_the_report_of_reads_outside_caseloads_is_for_managers(caseworker_client: Client) -> None:
    assert caseworker_client.get("/cases/access/outside-caseloads/").status_code == 403
