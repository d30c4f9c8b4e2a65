"""The safety-valve and DSG management plan pack: the workbook's numbers (typed, adding up to the
census), the board's PDF (conditions with their RAG in words, the entered figures), who may
build and download, the audit of every download, and the build task keeping each pack."""

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pypdf import PdfReader

from reporting.high_needs import services
from reporting.high_needs.pack import SHEET_NAMES, history_days, pack_data
from reporting.high_needs.periods import ReturnPeriod
from reporting.models import HighNeedsPack, Scenario
from reporting.selectors.high_needs import high_needs_census
from reporting.services.high_needs import (
    FigureInput,
    commissioned_places_set,
    condition_update_enter,
    high_needs_figures_enter,
    pressure_enter,
    safety_valve_condition_add,
)
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.celery import app as celery_app
from tests.factories import ChildFactory, EstablishmentFactory, PlacementFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = dt.date
Q2 = ReturnPeriod(2025, 2)  # July to September 2025
XLSX = "/reporting/high-needs/2025-09-30.xlsx"
PDF = "/reporting/high-needs/2025-09-30.pdf"
PACKS = "/reporting/high-needs/packs/"
CONDITION_1 = "Reduce the proportion of children placed in independent special schools to 6%"
CONDITION_2 = "Open 120 resourced provision places in mainstream schools by September 2026"


@pytest.fixture(autouse=True)
def _today(settings: Any, tmp_path: Any) -> Iterator[None]:
    """15 October 2025 (the pack for 30 September is in the past); files go to tmp."""
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(dt.datetime(2025, 10, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def placed(kind: str, fee: str, *, issued: dt.date, school: Any = None, **child: Any) -> Any:
    plan = PlanFactory(child=ChildFactory(**child), request=None, issued_on=issued)
    return PlacementFactory(
        plan=plan,
        establishment=school or EstablishmentFactory(kind=kind),
        starts_on=issued,
        band="",
        annual_cost=Decimal(fee),
        cost_reason="Individual fee",
    )


@pytest.fixture
def council(manager: User) -> dict[str, Any]:
    """Six plans in force on 30 September 2025 (two since before 31 March 2025), one ceased,
    one awaiting a placement; ten places commissioned at the special school; Q2's entries."""
    special: Any = EstablishmentFactory(kind="special", name="Riverside Special School")
    placed("special", "15000", issued=D(2024, 9, 1), school=special, date_of_birth=D(2014, 8, 31))
    placed("special", "12000", issued=D(2025, 4, 1), school=special, date_of_birth=D(2014, 9, 1))
    placed("independent_special", "60000", issued=D(2024, 1, 10), date_of_birth=D(2012, 5, 5))
    placed("mainstream", "6000", issued=D(2025, 5, 1), date_of_birth=D(2018, 1, 1))
    mld = PlanFactory(
        child=ChildFactory(date_of_birth=D(2016, 2, 2)),
        request=None,
        issued_on=D(2025, 6, 1),
        primary_need="MLD",
    )
    PlacementFactory(
        plan=mld,
        establishment=EstablishmentFactory(kind="mainstream"),
        starts_on=D(2025, 6, 1),
        band="",
        annual_cost=Decimal("4500.50"),
        cost_reason="Individual fee",
    )
    waiting = PlanFactory(child=ChildFactory(), request=None, issued_on=D(2025, 7, 1))
    PlacementFactory(plan=waiting, establishment=None, awaiting_placement=True, band="")
    ceased = placed("special", "14000", issued=D(2023, 9, 1), school=special)
    ceased.plan.status, ceased.plan.ceased_on, ceased.plan.cease_reason = (
        "ceased",
        D(2025, 7, 31),
        2,
    )
    ceased.plan.save()
    commissioned_places_set(actor=manager, establishment=special, academic_year=2025, places=10)
    amounts = {
        "hnb_allocation": "52000000",
        "block_transfers": "1500000",
        "other_spend": "2400000.25",
        "forecast_outturn": "55600000",
        "in_year_balance": "-3600000",
        "in_year_profile": "-3000000",
        "cumulative_balance": "-18250000",
        "cumulative_profile": "-19000000",
    }
    high_needs_figures_enter(
        actor=manager,
        period=Q2,
        figures={
            k: FigureInput(amount=Decimal(v), note="From the Q2 monitor")
            for k, v in amounts.items()
        },
    )
    one = safety_valve_condition_add(actor=manager, number=1, title=CONDITION_1)
    two = safety_valve_condition_add(actor=manager, number=2, title=CONDITION_2)
    condition_update_enter(
        actor=manager,
        condition=one,
        period=Q2,
        rag="red",
        narrative="Independent placements rose to 8.1% as two local places fell through.",
        evidence="Placement panel minutes, September 2025",
    )
    condition_update_enter(
        actor=manager,
        condition=two,
        period=Q2,
        rag="green",
        narrative="Forty places opened in September; eighty more are on site.",
    )
    pressure_enter(
        actor=manager,
        period=Q2,
        kind="pressure",
        title="Post-16 placements above plan",
        amount=Decimal("850000"),
    )
    pressure_enter(
        actor=manager,
        period=Q2,
        kind="mitigation",
        title="Local bespoke places instead of independent ones",
        amount=Decimal("310000"),
    )
    return {"special": special}


def workbook(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.content))


def table(sheet: Worksheet, caption: str) -> tuple[list[str], dict[str, list[Any]]]:
    """The table under `caption`: its header row and its rows by label (cells, not values)."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == caption)
    headers = [str(c.value) for c in rows[start + 1] if c.value is not None]
    body: dict[str, list[Any]] = {}
    for row in rows[start + 2 :]:
        if row[0].value is None:
            break
        body[str(row[0].value)] = list(row[1 : len(headers)])
    return headers, body


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


# --- the workbook ---------------------------------------------------------------------------
def test_the_workbook_has_a_sheet_per_category_and_its_numbers_are_numbers(
    council: Any, manager_client: Client
) -> None:
    response = manager_client.get(XLSX)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="high-needs-999-2025-09-30.xlsx"'
    )
    book = workbook(response)
    assert book.sheetnames[0] == "Summary"
    assert [name for name in SHEET_NAMES.values() if name not in book.sheetnames] == []
    assert book.sheetnames[-2:] == ["DSG figures", "Safety valve"]

    special = book["Maintained special"]
    headers, bands = table(special, "Plans in force by age band")
    # History at 31 March of the three years before, the day itself, then the forecast.
    assert headers[1:5] == [
        "31 Mar 2023 (actual)",
        "31 Mar 2024 (actual)",
        "31 Mar 2025 (actual)",
        "30 Sep 2025 (actual)",
    ]
    assert headers[5].endswith("(forecast)")
    on_day = headers.index("30 Sep 2025 (actual)") - 1
    # Age on 31 August 2025: born 31 August 2014 is 11, born 1 September 2014 is 10.
    assert bands["5 to 10"][on_day].value == 1
    assert bands["11 to 15"][on_day].value == 1
    assert bands["Total"][on_day].value == 2
    # On 31 March 2025: the plan from September 2024 and the one since ceased.
    assert bands["Total"][on_day - 1].value == 2
    assert bands["Total"][on_day - 2].value == 1
    for row in bands.values():
        for cell in row:
            assert cell.data_type == "n", (cell.coordinate, cell.value)
    _, needs = table(special, "Plans in force by primary need")
    assert needs["Autistic spectrum disorder"][on_day].value == 2
    assert needs["Total"][on_day].value == 2
    _, cost = table(special, "Cost")
    assert cost["Annual cost of placements (£)"][on_day].value == 27000
    assert cost["Average annual cost per plan (£)"][on_day].value == 13500


def test_the_workbook_totals_equal_the_census(council: Any, manager_client: Client) -> None:
    census = high_needs_census(on=D(2025, 9, 30))
    book = workbook(manager_client.get(XLSX))

    headers, plans = table(book["Summary"], "EHC plans in force by placement category")
    column = headers.index("30 Sep 2025 (actual)") - 1
    assert plans["Total"][column].value == census.total_plans == 6
    assert plans["Maintained special school or special academy"][column].value == 2
    assert plans["No placement in force"][column].value == 1
    _, cost = table(book["Summary"], "Annual cost of placements (£)")
    assert Decimal(str(cost["Total"][column].value)) == census.total_annual_cost
    assert census.total_annual_cost == Decimal("97500.50")
    # Each category's sheet adds up to its line of the summary, by age band and by need.
    for category in census.categories:
        sheet = book[SHEET_NAMES[category.category]]
        _, bands = table(sheet, "Plans in force by age band")
        _, needs = table(sheet, "Plans in force by primary need")
        assert bands["Total"][column].value == category.plans
        assert needs["Total"][column].value == category.plans
    # The forecast's columns add up too: categories to the total, needs to the plans.
    forecast = [i for i, h in enumerate(headers[1:]) if h.endswith("(forecast)")]
    assert len(forecast) == 3
    for i in forecast:
        summed = sum(row[i].value or 0 for label, row in plans.items() if label != "Total")
        assert plans["Total"][i].value == pytest.approx(summed)
        assert plans["Total"][i].data_type == "n"


def test_the_workbook_holds_the_entered_figures_as_numbers(
    council: Any, manager_client: Client
) -> None:
    sheet = workbook(manager_client.get(XLSX))["DSG figures"]
    by_label = {row[0].value: row for row in sheet.iter_rows() if row[0].value}

    allocation = by_label["High-needs block allocation"][1]
    assert (allocation.value, allocation.data_type) == (52000000, "n")
    assert by_label["Other high-needs spend"][1].value == pytest.approx(2400000.25)
    assert by_label["In-year DSG balance"][1].value == -3600000
    assert by_label["In-year balance less the agreed profile"][1].value == -600000
    assert by_label["Cumulative balance less the agreed profile"][1].value == 750000


def test_text_from_people_is_never_a_formula(
    council: Any, manager: User, manager_client: Client
) -> None:
    pressure_enter(
        actor=manager, period=Q2, kind="pressure", title='=HYPERLINK("http://x")', amount=None
    )
    sheet = workbook(manager_client.get(XLSX))["Safety valve"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert [c.data_type for c in cells] == ["s"]


# --- the PDF --------------------------------------------------------------------------------
def test_the_pdf_prints_the_conditions_with_their_rag_in_words_and_the_figures(
    council: Any, manager_client: Client
) -> None:
    response = manager_client.get(PDF)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "High needs and DSG management plan" in text
    assert "Return period FY2025-Q2" in text
    assert f"Condition 1: {CONDITION_1}" in text
    assert f"Condition 2: {CONDITION_2}" in text
    assert "RAG: Red: off track" in text
    assert "RAG: Green: on track" in text
    assert "Evidence: Placement panel minutes, September 2025" in text
    assert "High-needs block allocation £52,000,000.00" in text
    assert "Other high-needs spend £2,400,000.25" in text
    assert "In-year DSG balance -£3,600,000.00" in text
    # pypdf may join a right-aligned amount to the next cell's words.
    assert re.search(r"balance against the agreed profile -£600,000\.00 ?Worse than agreed", text)
    assert re.search(r"balance against the agreed profile £750,000\.00 ?Better than agreed", text)
    # The census: the special schools' line and the total, with cost.
    assert "Maintained special school or special academy 0 1 1 0 0 2 £27,000 £13,500" in text
    assert "Total 0 4 2 0 0 6 £97,501 £16,250" in text
    # Places against commissioned, and plans awaiting a placement.
    assert "Riverside Special School Maintained special school or special academy 10 2 8" in text
    assert "Plans awaiting a placement on 30 September 2025: 1." in text
    # Pressures and mitigations, and the forecast.
    assert "Post-16 placements above plan £850,000.00" in text
    assert "Pressures less mitigations: £540,000.00." in text
    assert "Forecast: Do nothing" in text


def test_a_condition_without_an_update_says_so(
    council: Any, manager: User, manager_client: Client
) -> None:
    safety_valve_condition_add(
        actor=manager, number=3, title="Reduce EHC needs assessment requests"
    )
    text = pdf_text(manager_client.get(PDF).content)
    assert "Condition 3: Reduce EHC needs assessment requests RAG: Not rated" in text
    assert "No update entered for this period" in text


def test_the_forecast_is_the_latest_saved_scenario_against_doing_nothing(
    council: Any, manager: User, manager_client: Client
) -> None:
    Scenario.objects.create(
        name="Local places first",
        start="2025-10",
        years=2,
        parameters={"unit_cost": {"independent_special": 30000}},
        defaults={},
        agreed_trajectory=[6, 7],
        created_by=manager,
    )

    text = pdf_text(manager_client.get(PDF).content)
    assert "Forecast: Scenario: Local places first" in text
    assert "Doing nothing: plans" in text
    assert "Cost avoided against doing nothing over the forecast: £" in text
    assert "Agreed trajectory (plans in force): 30 Sep 2026: 6; 30 Sep 2027: 7." in text
    headers, _ = table(
        workbook(manager_client.get(XLSX))["Summary"], "EHC plans in force by placement category"
    )
    assert headers[-2:] == ["Sep 2026 (forecast)", "Sep 2027 (forecast)"]


def test_a_day_too_far_ahead_to_forecast_from_says_why(manager_client: Client) -> None:
    text = pdf_text(manager_client.get("/reporting/high-needs/2027-06-30.pdf").content)
    assert "Forecast No forecast: The start must be no later than 2026-10" in text


# --- who may have it --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        XLSX,
        PDF,
        PACKS,
        XLSX.replace("/reporting/", "/reports/"),
        PDF.replace("/reporting/", "/reports/"),
    ],
)
def test_caseworkers_download_panel_members_are_refused(
    url: str, caseworker_client: Client, panel_member_client: Client
) -> None:
    assert caseworker_client.get(url).status_code == 200
    assert panel_member_client.get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_only_managers_and_administrators_build(
    caseworker_client: Client, manager_client: Client, admin_client_: Client
) -> None:
    assert caseworker_client.post(PACKS, {"period": "FY2025-Q2"}).status_code == 403
    assert 'name="period"' not in caseworker_client.get(PACKS).content.decode()
    assert 'name="period"' in manager_client.get(PACKS).content.decode()
    assert 'name="period"' in admin_client_.get(PACKS).content.decode()
    assert not HighNeedsPack.objects.exists()


def test_the_census_page_links_the_pack_for_its_date(caseworker_client: Client) -> None:
    page = caseworker_client.get("/reporting/high-needs/", {"on": "2025-09-30"}).content.decode()
    assert 'href="/reporting/high-needs/2025-09-30.pdf"' in page
    assert 'href="/reporting/high-needs/2025-09-30.xlsx"' in page
    assert 'href="/reporting/high-needs/packs/"' in page


@pytest.mark.parametrize("day", ["2025-02-30", "30-09-2025", "2025-9-30", "1999-12-31"])
def test_a_day_that_is_not_a_day_is_a_404(day: str, manager_client: Client) -> None:
    assert manager_client.get(f"/reporting/high-needs/{day}.pdf").status_code == 404


# --- the audit trail --------------------------------------------------------------------------
def test_every_download_is_audited(
    council: Any, caseworker: User, caseworker_client: Client
) -> None:
    caseworker_client.get(XLSX)
    caseworker_client.get(PDF)

    events = AuditEvent.objects.filter(action=services.DOWNLOADED)
    assert sorted((e.changes["format"], e.changes["on"]) for e in events) == [
        ("pdf", "2025-09-30"),
        ("xlsx", "2025-09-30"),
    ]
    assert {e.actor for e in events} == {caseworker}
    assert {e.changes["period"] for e in events} == {"FY2025-Q2"}


# --- building a pack for a return period ------------------------------------------------------
def _build(client: Client, capture: Any, period: str = "FY2025-Q2") -> Any:
    with capture(execute=True):
        return client.post(PACKS, {"period": period})


def test_the_task_builds_and_keeps_the_pack(
    council: Any,
    manager: User,
    manager_client: Client,
    caseworker: User,
    caseworker_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = _build(manager_client, django_capture_on_commit_callbacks)

    pack = HighNeedsPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reporting/high-needs/packs/{pack.pk}/"
    assert (pack.status, pack.progress, pack.period, pack.on) == (
        "ready",
        100,
        "FY2025-Q2",
        D(2025, 9, 30),
    )
    assert pack.requested_by == manager
    assert (pack.total_plans, pack.total_annual_cost) == (6, Decimal("97500.50"))
    assert pack.finished_at is not None
    with pack.pdf.open("rb") as file:
        assert CONDITION_1 in pdf_text(file.read())
    with pack.xlsx.open("rb") as file:
        book = load_workbook(file)
        headers, plans = table(book["Summary"], "EHC plans in force by placement category")
        assert plans["Total"][headers.index("30 Sep 2025 (actual)") - 1].value == 6
    assert AuditEvent.objects.filter(action=services.REQUESTED, actor=manager).count() == 1
    assert AuditEvent.objects.filter(action=services.BUILT, object_id=str(pack.pk)).count() == 1

    page = manager_client.get(f"{PACKS}{pack.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f"/reporting/high-needs/packs/{pack.pk}.pdf" in page
    listing = caseworker_client.get(PACKS).content.decode()
    assert "FY2025-Q2" in listing
    assert "Ready" in listing

    download: Any = caseworker_client.get(f"{PACKS}{pack.pk}.xlsx")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="high-needs-999-2025-09-30-FY2025-Q2.xlsx"'
    )
    with pack.xlsx.open("rb") as file:
        assert b"".join(download.streaming_content) == file.read()
    event = AuditEvent.objects.get(action=services.DOWNLOADED)
    assert (event.actor, event.object_id, event.changes["format"]) == (
        caseworker,
        str(pack.pk),
        "xlsx",
    )

    # A second build for the same period is kept beside the first.
    _build(manager_client, django_capture_on_commit_callbacks)
    assert HighNeedsPack.objects.filter(period="FY2025-Q2", status="ready").count() == 2


def test_the_current_quarter_s_pack_is_on_today_and_a_future_one_is_refused(
    manager_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _build(manager_client, django_capture_on_commit_callbacks, "FY2025-Q3")
    assert HighNeedsPack.objects.get().on == D(2025, 10, 15)

    refused = _build(manager_client, django_capture_on_commit_callbacks, "FY2025-Q4")
    assert refused.status_code == 400
    assert services.NOT_STARTED.format(period="FY2025-Q4") in refused.content.decode()
    bad = _build(manager_client, django_capture_on_commit_callbacks, "2025-10")
    assert bad.status_code == 400
    assert HighNeedsPack.objects.count() == 1


def test_the_page_refreshes_itself_while_the_pack_builds(
    manager: User, caseworker_client: Client
) -> None:
    pack = HighNeedsPack.objects.create(
        period="FY2025-Q2", on=D(2025, 9, 30), requested_by=manager, status="building", progress=42
    )
    page = caseworker_client.get(f"{PACKS}{pack.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Building: 42%" in page
    assert f"{pack.pk}.pdf" not in page
    assert caseworker_client.get(f"{PACKS}{pack.pk}.pdf").status_code == 404


def test_a_second_run_of_the_task_changes_nothing(council: Any, manager: User) -> None:
    pack = HighNeedsPack.objects.create(period="FY2025-Q2", on=D(2025, 9, 30), requested_by=manager)
    first = services.high_needs_pack_build(pack_id=pack.pk)
    again = services.high_needs_pack_build(pack_id=pack.pk)
    assert (first.status, again.status) == ("ready", "ready")
    assert again.pdf.name == first.pdf.name
    assert AuditEvent.objects.filter(action=services.BUILT).count() == 1


def test_the_worker_registers_the_task() -> None:
    assert "reporting.high_needs.tasks.build_high_needs_pack" in celery_app.tasks


# --- the pack's data --------------------------------------------------------------------------
def test_history_is_the_three_financial_year_ends_before_the_day() -> None:
    assert history_days(D(2025, 9, 30)) == [D(2023, 3, 31), D(2024, 3, 31), D(2025, 3, 31)]
    assert history_days(D(2025, 3, 31)) == [D(2022, 3, 31), D(2023, 3, 31), D(2024, 3, 31)]
    assert history_days(D(2025, 4, 1)) == [D(2023, 3, 31), D(2024, 3, 31), D(2025, 3, 31)]


def test_the_pack_reads_a_constant_number_of_queries(
    council: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(40):
        pack = pack_data(on=D(2025, 9, 30), period=Q2)
    assert pack.census.total_plans == 6
