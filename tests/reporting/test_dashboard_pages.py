"""The manager's dashboard and drill-down as a reader sees them: figures, RAG, whose figures,
the cases behind a figure (audited), downloads, targets, commentary and bad periods.

"Today" is 15 November 2025, so the dashboard's default month is October 2025. Two requests are
decided in October: one within 6 weeks (42 days), one after 50 days, so decisions within 6 weeks
are 50.0%.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from reporting.models import Commentary, Comparator, MetricSnapshot, MetricTarget, Scorecard
from reporting.rag import target_problem
from reporting.services.targets import COMMENTARY_REQUIRED, comparator_add, metric_target_set
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from tests.factories import AssessmentRequestFactory, ChildFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = dt.date
DASHBOARD = "/reporting/"
METRIC = "/reporting/metrics/decision_6wk_pct/"
CASES = "/reporting/metrics/decision_6wk_pct/cases/"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2025, 11, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def decided(received: dt.date, after: int, **fields: Any) -> Any:
    """A request received on `received` and decided (to assess) `after` days later."""
    decided_on = received + dt.timedelta(days=after)
    return AssessmentRequestFactory(
        assessing=True,
        received_on=received,
        decided_on=decided_on,
        decision_letter_sent_on=decided_on,
        **fields,
    )


@pytest.fixture
def october() -> tuple[Any, Any]:
    """Decided in October 2025: one within 42 days (13 Oct), one after 50 (14 Oct)."""
    within = decided(D(2025, 9, 1), 42, child__first_name="Ada", child__last_name="Within")
    late = decided(D(2025, 8, 25), 50, child__first_name="Ben", child__last_name="Late")
    return within, late


def text(response: Any) -> str:
    """The page's words, tags removed and spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def tile(response: Any, metric_id: str) -> str:
    html = response.content.decode()
    match = re.search(rf'<li class="app-tile" id="tile-{metric_id}">(.*?)</li>', html, re.S)
    assert match, f"no tile for {metric_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


# --- who may see what ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [DASHBOARD, METRIC, CASES, "/reporting/open-plans/", "/reporting/dashboard.csv"],
)
def test_managers_admins_and_caseworkers_read_panel_members_are_refused(
    url: str,
    manager_client: Client,
    admin_client_: Client,
    caseworker_client: Client,
    panel_member_client: Client,
) -> None:
    assert manager_client.get(url).status_code == 200
    assert admin_client_.get(url).status_code == 200
    assert caseworker_client.get(url).status_code == 200
    assert panel_member_client.get(url).status_code == 403
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/reporting/metrics/decision_6wk_pct/target/",
        "/reporting/metrics/decision_6wk_pct/comparators/new/",
        "/reporting/metrics/decision_6wk_pct/commentary/",
    ],
)
def test_only_managers_and_admins_open_the_forms(
    url: str,
    manager_client: Client,
    admin_client_: Client,
    caseworker_client: Client,
    panel_member_client: Client,
) -> None:
    assert manager_client.get(url).status_code == 200
    assert admin_client_.get(url).status_code == 200
    assert caseworker_client.get(url).status_code == 403
    assert caseworker_client.post(url, {"target": "1", "floor": "1"}).status_code == 403
    assert panel_member_client.get(url).status_code == 403
    assert not MetricTarget.objects.exists()


def test_an_unknown_metric_is_404(manager_client: Client) -> None:
    assert manager_client.get("/reporting/metrics/no_such_figure/").status_code == 404
    assert manager_client.get("/reporting/metrics/no_such_figure/cases/").status_code == 404
    assert manager_client.get("/reporting/metrics/no_such_figure/target/").status_code == 404


def test_the_reporting_link_is_in_the_navigation_for_readers_only(
    manager_client: Client, panel_member_client: Client
) -> None:
    nav = '<a class="govuk-service-navigation__link" href="/reporting/"'
    assert nav in manager_client.get("/").content.decode()
    assert nav not in panel_member_client.get("/").content.decode()


# --- the dashboard ------------------------------------------------------------------------------
def test_the_dashboard_shows_last_month_and_the_rag_once_a_target_is_set(
    manager_client: Client, manager: User, october: tuple[Any, Any]
) -> None:
    before = manager_client.get(DASHBOARD)

    assert before.status_code == 200
    assert "Reporting dashboard: October 2025" in text(before)
    assert "Figures for: Whole council" in text(before)
    shown = tile(before, "decision_6wk_pct")
    assert "50.0%" in shown
    assert "No target set" in shown
    assert "Below" not in shown

    metric_target_set(
        actor=manager, metric_id="decision_6wk_pct", target=Decimal(90), floor=Decimal(60)
    )
    after = manager_client.get(DASHBOARD)

    shown = tile(after, "decision_6wk_pct")
    assert "50.0%" in shown
    assert "Below floor" in shown
    assert "Target 90.0%, floor 60.0%" in shown
    assert 'govuk-tag govuk-tag--red">Below floor' in after.content.decode()


def test_every_figure_links_to_its_metric_page(
    manager_client: Client, october: tuple[Any, Any]
) -> None:
    html = manager_client.get(DASHBOARD).content.decode()

    assert (
        '<a class="govuk-link app-tile__value" href="/reporting/metrics/decision_6wk_pct/'
        '?period=2025-10">50.0%'
    ) in html


def test_a_month_is_chosen_with_the_form(manager_client: Client, october: tuple[Any, Any]) -> None:
    response = manager_client.get(DASHBOARD, {"period": "2025-09"})

    assert response.status_code == 200
    assert "Reporting dashboard: September 2025" in text(response)
    assert "No data" in tile(response, "decision_6wk_pct")  # nothing decided in September


def test_a_figure_changed_since_publication_says_so(
    manager_client: Client, october: tuple[Any, Any]
) -> None:
    card = Scorecard.objects.create(
        period="2025-10", published_at=timezone.now(), pdf="scorecards/2025-10.pdf"
    )
    MetricSnapshot.objects.create(
        scorecard=card,
        metric_id="decision_6wk_pct",
        definition_version=1,
        value=Decimal(100),
        numerator=1,
        denominator=1,
        computed_at=timezone.now(),
    )

    shown = tile(manager_client.get(DASHBOARD), "decision_6wk_pct")

    assert "Revised since publication: published 100.0%, now 50.0%" in shown


def test_the_dashboards_queries_do_not_grow_with_the_number_of_cases(
    manager_client: Client,
) -> None:
    manager_client.get(DASHBOARD)  # warm the session and any lazy imports
    for n in range(2):
        decided(D(2025, 9, 1) + dt.timedelta(days=n), 40)
        PlanFactory(issued_on=D(2025, 10, 1) + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(DASHBOARD).status_code == 200
    for n in range(20):
        decided(D(2025, 8, 1) + dt.timedelta(days=n), 60)
        PlanFactory(issued_on=D(2025, 9, 1) + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as many:
        assert manager_client.get(DASHBOARD).status_code == 200

    assert len(many) == len(few)


# --- whose figures ------------------------------------------------------------------------------
def test_a_caseworker_sees_only_their_own_childrens_figures(
    caseworker: User,
    caseworker_client: Client,
    manager_client: Client,
    make_user: Callable[..., User],
) -> None:
    other = make_user("other", Role.CASEWORKER)
    own = decided(D(2025, 9, 1), 42, child__caseworker=caseworker)
    theirs = decided(D(2025, 8, 25), 50, child__caseworker=other)

    mine = caseworker_client.get(DASHBOARD)
    council = manager_client.get(DASHBOARD)

    assert "Figures for: My caseload" in text(mine)
    assert "100.0%" in tile(mine, "decision_6wk_pct")
    assert "50.0%" in tile(council, "decision_6wk_pct")
    cases = text(caseworker_client.get(CASES))
    assert "1 case in the denominator" in cases
    assert own.child.reference in cases
    assert theirs.child.reference not in cases


def test_a_caseworker_in_a_team_switches_between_the_team_and_their_caseload(
    make_user: Callable[..., User],
) -> None:
    sam = make_user("sam", Role.CASEWORKER, team="North")
    kim = make_user("kim", Role.CASEWORKER, team="North")
    decided(D(2025, 9, 1), 42, child__caseworker=sam)
    decided(D(2025, 8, 25), 50, child__caseworker=kim)
    client = Client()
    client.force_login(sam)

    team = client.get(DASHBOARD)
    own = client.get(DASHBOARD, {"scope": "mine"})

    assert "Figures for: North team" in text(team)
    assert "50.0%" in tile(team, "decision_6wk_pct")
    assert 'href="?period=2025-10&amp;scope=mine">my caseload</a>' in team.content.decode()
    assert "Figures for: My caseload" in text(own)
    assert "100.0%" in tile(own, "decision_6wk_pct")
    assert "/reporting/metrics/decision_6wk_pct/?period=2025-10&amp;scope=mine" in (
        own.content.decode()
    )


# --- the metric page ----------------------------------------------------------------------------
def test_the_metric_page_shows_the_definition_figures_chart_and_breakdown(
    manager_client: Client, october: tuple[Any, Any]
) -> None:
    response = manager_client.get(METRIC, {"period": "2025-10", "breakdown": "age_band"})

    assert response.status_code == 200
    words = text(response)
    assert "within 6 weeks (42 days) of the request being received" in words
    html = response.content.decode()
    assert '<span class="app-tile__value" id="value">50.0%</span>' in html
    assert '<span id="numerator">1</span>' in html
    assert '<span id="denominator">2</span>' in html
    assert "<svg" in html
    assert "Oct 25 50.0%" in words  # the chart's table
    assert "By age band, October 2025" in words
    assert "5 to 10 50.0% 1 2" in words  # both children born 2015: aged 10 in October 2025


def test_a_bad_period_is_a_400_with_the_message_and_keeps_what_was_entered(
    manager_client: Client,
) -> None:
    response = manager_client.get(METRIC, {"period": "2025-13", "breakdown": "age_band"})

    assert response.status_code == 400
    words = text(response)
    assert "There is a problem" in words
    assert "2025-13 is not a real month." in words
    html = response.content.decode()
    assert 'value="2025-13"' in html
    assert '<option value="age_band" selected>' in html

    dashboard = manager_client.get(DASHBOARD, {"period": "2025-Q3"})
    assert dashboard.status_code == 400
    assert "Enter a month like 2025-08: the dashboard shows one month at a time." in text(dashboard)
    assert 'value="2025-Q3"' in dashboard.content.decode()

    cases = manager_client.get(CASES, {"period": "last month"})
    assert cases.status_code == 400
    assert "last month is not a period." in text(cases)
    assert not AuditEvent.objects.filter(action="report.cases.view").exists()


def test_caseworkers_see_targets_comparators_and_commentary_without_forms(
    manager: User, manager_client: Client, caseworker_client: Client, october: tuple[Any, Any]
) -> None:
    metric_target_set(
        actor=manager, metric_id="decision_6wk_pct", target=Decimal(90), floor=Decimal(60)
    )
    comparator_add(
        actor=manager,
        metric_id="decision_6wk_pct",
        area="england",
        value=Decimal("49.2"),
        period_label="2024",
        source="DfE SEN2 2024",
    )

    as_caseworker = caseworker_client.get(METRIC, {"period": "2025-10"})
    as_manager = manager_client.get(METRIC, {"period": "2025-10"})

    for response in (as_caseworker, as_manager):
        assert "Target 90.0%, floor 60.0%" in text(response)
        assert "England 49.2% 2024 DfE SEN2 2024" in text(response)
    assert "/target/" not in as_caseworker.content.decode()
    assert "Add a comparator" not in text(as_caseworker)
    assert "Write commentary" not in text(as_caseworker)
    assert "/reporting/metrics/decision_6wk_pct/target/?period=2025-10" in (
        as_manager.content.decode()
    )
    assert "Add a comparator" in text(as_manager)


# --- the cases behind a figure ------------------------------------------------------------------
def test_the_cases_page_lists_numerator_and_denominator_only_and_is_audited(
    manager: User, manager_client: Client, october: tuple[Any, Any]
) -> None:
    within, late = october

    response = manager_client.get(CASES, {"period": "2025-10"})

    assert response.status_code == 200
    html = response.content.decode()
    words = text(response)
    assert "2 cases in the denominator" in words
    assert f"{within.child.reference} Ada Within 1 Sep 2025 13 Oct 2025 numerator" in words
    assert f"{late.child.reference} Ben Late 25 Aug 2025 14 Oct 2025 denominator only" in words
    assert f'href="/cases/{within.child.pk}/">{within.child.reference}</a>' in html
    event = AuditEvent.objects.get(action="report.cases.view")
    assert event.actor == manager
    assert event.changes["metric"] == "decision_6wk_pct"
    assert event.changes["period"] == "2025-10"
    assert event.changes["rows"] == 2
    assert sorted(event.changes["children"]) == sorted([str(within.child.pk), str(late.child.pk)])


# --- downloads ----------------------------------------------------------------------------------
def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def same(in_csv: str, in_xlsx: Any) -> bool:
    """A CSV cell and an Excel cell say the same: numbers equal as numbers, text equal as text."""
    if in_xlsx is None:
        return in_csv == ""
    if isinstance(in_xlsx, int | float):
        return Decimal(in_csv) == Decimal(str(in_xlsx))
    return in_csv == str(in_xlsx)


def test_the_headline_table_downloads_as_csv_and_excel_with_the_same_numbers(
    manager_client: Client, october: tuple[Any, Any]
) -> None:
    as_csv = manager_client.get("/reporting/dashboard.csv", {"period": "2025-10"})
    as_xlsx = manager_client.get("/reporting/dashboard.xlsx", {"period": "2025-10"})

    assert as_csv.status_code == as_xlsx.status_code == 200
    csv_table, xlsx_table = csv_rows(as_csv), xlsx_rows(as_xlsx)
    headers = csv_table[0]
    value, numerator, denominator = (
        headers.index(h) for h in ("Value", "Numerator", "Denominator")
    )
    in_csv = next(r for r in csv_table if r[1] == "decision_6wk_pct")
    in_xlsx = next(r for r in xlsx_table if r[1] == "decision_6wk_pct")
    assert (in_csv[value], in_csv[numerator], in_csv[denominator]) == ("50.0", "1", "2")
    assert (in_xlsx[value], in_xlsx[numerator], in_xlsx[denominator]) == (50, 1, 2)
    assert len(csv_table) == len(xlsx_table)
    for row_csv, row_xlsx in zip(csv_table, xlsx_table, strict=True):
        assert [same(a, b) for a, b in zip(row_csv, row_xlsx, strict=True)] == [True] * len(headers)
    events = AuditEvent.objects.filter(action="report.download").order_by("occurred_at")
    assert [e.changes["format"] for e in events] == ["csv", "xlsx"]
    assert events[0].changes["table"] == "dashboard"


def test_the_metrics_tables_and_its_cases_download(
    manager_client: Client, october: tuple[Any, Any]
) -> None:
    within, late = october
    base = "/reporting/metrics/decision_6wk_pct"

    monthly = csv_rows(manager_client.get(f"{base}/monthly.csv", {"period": "2025-10"}))
    monthly_xlsx = xlsx_rows(manager_client.get(f"{base}/monthly.xlsx", {"period": "2025-10"}))
    breakdown = csv_rows(
        manager_client.get(f"{base}/breakdown.csv", {"period": "2025-10", "breakdown": "source"})
    )
    cases = csv_rows(manager_client.get(f"{base}/cases.csv", {"period": "2025-10"}))
    cases_xlsx = xlsx_rows(manager_client.get(f"{base}/cases.xlsx", {"period": "2025-10"}))

    assert monthly[0] == ["Month", "Value", "Numerator", "Denominator"]
    assert monthly[-1] == ["2025-10", "50.0", "1", "2"]
    assert monthly_xlsx[-1] == ["2025-10", 50, 1, 2]
    assert len(monthly) == 13
    assert breakdown == [
        ["Source of request", "Value", "Numerator", "Denominator"],
        ["Parent or young person", "50.0", "1", "2"],
    ]
    assert cases[0] == [
        "Child reference",
        "Name",
        "Record",
        "Received",
        "Decision to assess or not",
        "Counted",
    ]
    assert cases[1:] == [
        [
            late.child.reference,
            "Ben Late",
            "request",
            "2025-08-25",
            "2025-10-14",
            "denominator only",
        ],
        [within.child.reference, "Ada Within", "request", "2025-09-01", "2025-10-13", "numerator"],
    ]
    assert [row[0] for row in cases_xlsx[1:]] == [late.child.reference, within.child.reference]
    assert AuditEvent.objects.filter(action="report.cases.download").count() == 2
    assert AuditEvent.objects.filter(action="report.download").count() == 3


def test_a_download_with_a_bad_period_is_a_400(manager_client: Client) -> None:
    response = manager_client.get("/reporting/dashboard.csv", {"period": "2025-13"})

    assert response.status_code == 400
    assert "2025-13 is not a real month." in response.content.decode()
    assert not AuditEvent.objects.exists()


# --- plans in force by month --------------------------------------------------------------------
def test_the_open_plans_grid_has_a_row_per_year_and_downloads(manager_client: Client) -> None:
    PlanFactory(request=None, issued_on=D(2024, 3, 10))
    PlanFactory(
        request=None,
        issued_on=D(2025, 1, 5),
        status="ceased",
        ceased_on=D(2025, 6, 30),
        cease_reason=2,
    )

    response = manager_client.get("/reporting/open-plans/")
    grid = csv_rows(manager_client.get("/reporting/open-plans/grid.csv"))

    assert response.status_code == 200
    assert "January 2020 to October 2025" in text(response)
    assert grid[0][:3] == ["Year", "January", "February"]
    assert [row[0] for row in grid[1:]] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert grid[5][1:] == ["0", "0", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"]
    assert grid[6][1:] == ["2", "2", "2", "2", "2", "1", "1", "1", "1", "1", "", ""]
    assert "2024 0 0 1 1 1 1 1 1 1 1 1 1" in text(response)


def test_the_open_plans_range_is_chosen_and_checked(manager_client: Client) -> None:
    chosen = manager_client.get("/reporting/open-plans/", {"first": "2024-06", "last": "2025-02"})
    backwards = manager_client.get(
        "/reporting/open-plans/", {"first": "2025-06", "last": "2024-02"}
    )

    assert chosen.status_code == 200
    assert "June 2024 to February 2025" in text(chosen)
    assert backwards.status_code == 400
    assert "The first month must be the same as or before the last month" in text(backwards)


# --- targets, comparators and commentary through the pages --------------------------------------
def test_a_floor_above_the_target_is_refused_with_the_message_and_nothing_saved(
    manager_client: Client,
) -> None:
    response = manager_client.post(
        "/reporting/metrics/decision_6wk_pct/target/?period=2025-10",
        {"target": "60", "floor": "90"},
    )

    assert response.status_code == 200
    words = text(response)
    assert "There is a problem" in words
    message = target_problem(target=Decimal(60), floor=Decimal(90), polarity="higher_better")
    assert message is not None
    assert message in words
    assert '<a href="#id_floor">' in response.content.decode()
    assert not MetricTarget.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_target_is_saved_and_shown(manager_client: Client, october: tuple[Any, Any]) -> None:
    response = manager_client.post(
        "/reporting/metrics/decision_6wk_pct/target/?period=2025-10",
        {"target": "45", "floor": "30"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/reporting/metrics/decision_6wk_pct/?period=2025-10"
    page = manager_client.get(response["Location"])
    assert "Target saved for decisions to assess made within 6 weeks" in text(page)
    assert "On target" in text(page)


def test_a_neutral_figure_offers_no_target_form(manager_client: Client) -> None:
    response = manager_client.get("/reporting/metrics/requests_received/target/")

    assert "This figure has no better or worse direction, so it takes no target." in text(response)
    assert 'name="target"' not in response.content.decode()


def test_commentary_is_saved_and_shown(
    manager_client: Client, caseworker_client: Client, october: tuple[Any, Any]
) -> None:
    url = "/reporting/metrics/decision_6wk_pct/commentary/?period=2025-10"
    form = manager_client.get(url)
    assert "You can enter up to 3,000 characters" in text(form)
    assert 'value="2025-10"' in form.content.decode()

    response = manager_client.post(
        url, {"period": "2025-10", "text": "Two EP vacancies delayed decisions."}
    )

    assert response.status_code == 302
    assert response["Location"] == "/reporting/metrics/decision_6wk_pct/?period=2025-10"
    assert Commentary.objects.get().text == "Two EP vacancies delayed decisions."
    shown = caseworker_client.get(METRIC, {"period": "2025-10"})
    assert "Commentary for October 2025 Two EP vacancies delayed decisions." in text(shown)
    assert AuditEvent.objects.filter(action="report.commentary.save").count() == 1


def test_commentary_needs_words_and_at_most_3000_characters(manager_client: Client) -> None:
    url = "/reporting/metrics/decision_6wk_pct/commentary/"

    empty = manager_client.post(url, {"period": "2025-10", "text": "  "})
    long = manager_client.post(url, {"period": "2025-10", "text": "x" * 3001})

    assert COMMENTARY_REQUIRED in text(empty)
    assert "Commentary must be 3,000 characters or fewer" in text(long)
    assert "x" * 3001 in long.content.decode()  # what was typed is kept
    assert not Commentary.objects.exists()


def test_a_comparator_is_added_and_deleted(manager_client: Client) -> None:
    added = manager_client.post(
        "/reporting/metrics/decision_6wk_pct/comparators/new/",
        {"area": "region", "value": "88.5", "period_label": "2024", "source": "LAIT"},
    )
    assert added.status_code == 302
    comparator = Comparator.objects.get()
    assert "Region 88.5% 2024 LAIT" in text(manager_client.get(METRIC))

    again = manager_client.post(
        "/reporting/metrics/decision_6wk_pct/comparators/new/",
        {"area": "region", "value": "90", "period_label": "2024", "source": "LAIT"},
    )
    assert "There is already a Region figure for 2024" in text(again)

    delete_url = f"/reporting/metrics/decision_6wk_pct/comparators/{comparator.pk}/delete/"
    assert "Delete the Region figure for 2024?" in text(manager_client.get(delete_url))
    assert manager_client.post(delete_url).status_code == 302
    assert not Comparator.objects.exists()
    assert AuditEvent.objects.filter(action="report.comparator.delete").count() == 1


def test_a_child_without_a_caseworker_counts_for_the_council_only(
    caseworker_client: Client, manager_client: Client
) -> None:
    decided(D(2025, 9, 1), 42, child=ChildFactory(caseworker=None))

    assert "No data" in tile(caseworker_client.get(DASHBOARD), "decision_6wk_pct")
    assert "100.0%" in tile(manager_client.get(DASHBOARD), "decision_6wk_pct")
