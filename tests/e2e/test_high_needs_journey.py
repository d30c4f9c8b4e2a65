"""A high-needs finance lead reads today's census, enters the quarter's allocation and a
safety-valve condition's RAG, builds the quarter's pack and checks both files.

Two plans are in force: one at a maintained special school with an individual fee of £15,000 and
one at an independent special school at £60,000. Each page is checked with axe.
"""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from reporting.high_needs.periods import return_period_of
from reporting.services.high_needs import safety_valve_condition_add
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.factories import ChildFactory, EstablishmentFactory, PlacementFactory, PlanFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CONDITION = "Reduce the proportion of children placed in independent special schools to 6%"
NARRATIVE = "Six children moved from independent to maintained special schools this quarter."


def placed(kind: str, name: str, fee: str, *, issued: dt.date) -> Any:
    plan = PlanFactory(
        child=ChildFactory(date_of_birth=dt.date(2014, 3, 1)), request=None, issued_on=issued
    )
    return PlacementFactory(
        plan=plan,
        establishment=EstablishmentFactory(kind=kind, name=name),
        starts_on=issued,
        band="",
        annual_cost=Decimal(fee),
        cost_reason="Individual fee",
    )


def download(page: Page, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    path = info.value.path()
    with open(path, "rb") as file:
        return file.read()


def test_a_finance_lead_enters_the_quarter_and_builds_the_pack(
    live_server: Any, manager: Any, page: Page
) -> None:
    today = timezone.localdate()
    issued = today - dt.timedelta(days=200)
    placed("special", "Riverside Special School", "15000", issued=issued)
    placed("independent_special", "Hill House School", "60000", issued=issued)
    safety_valve_condition_add(actor=manager, number=1, title=CONDITION)
    period = return_period_of(today)

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Today's census: two plans and their cost.
    page.get_by_role("link", name="Reporting", exact=True).first.click()
    page.get_by_role("link", name="High needs", exact=True).click()
    summary = page.locator("#census-summary")
    expect(summary).to_contain_text("EHC plans in force 2")
    expect(summary).to_contain_text("£75,000")
    assert_accessible(page)

    # The quarter's allocation, and condition 1 rated amber with its narrative.
    page.get_by_role("link", name=f"for {period.label}").click()
    page.get_by_role("link", name="Enter the figures").click()
    assert_accessible(page)
    page.get_by_label("High-needs block allocation (£)").fill("52,000,000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#figures")).to_be_visible()
    expect(page.get_by_text("£52,000,000.00")).to_be_visible()
    page.get_by_role("link", name="Update condition 1").click()
    assert_accessible(page)
    page.get_by_label("Amber: at risk").check()
    page.get_by_label("Progress narrative").fill(NARRATIVE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(NARRATIVE)).to_be_visible()

    # The pack for the quarter, built in the background; both files downloaded.
    page.get_by_role("link", name="High needs", exact=True).click()
    page.get_by_role("link", name="Packs built for each return period").click()
    assert_accessible(page)
    expect(page.get_by_label("Return period")).to_have_value(period.key)
    page.get_by_role("button", name="Build the pack").click()
    expect(page.get_by_role("heading", name=f"High-needs pack {period.key}")).to_be_visible()
    expect(page.locator("#details")).to_contain_text("Ready")
    expect(page.locator("#details")).to_contain_text("EHC plans in force 2")
    assert_accessible(page)

    pdf = PdfReader(io.BytesIO(download(page, "Download the PDF")))
    text = " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split())
    assert f"Return period {period.key}" in text
    assert f"Condition 1: {CONDITION}" in text
    assert "RAG: Amber: at risk" in text
    assert NARRATIVE in text
    assert "High-needs block allocation £52,000,000.00" in text

    book = load_workbook(io.BytesIO(download(page, "Download the spreadsheet")), data_only=True)
    assert book.sheetnames[0] == "Summary"
    figures = {
        row[0]: row[1]
        for row in book["DSG figures"].iter_rows(values_only=True)
        if row and isinstance(row[0], str)
    }
    allocation = figures.get("High-needs block allocation")
    assert allocation == 52_000_000, figures
