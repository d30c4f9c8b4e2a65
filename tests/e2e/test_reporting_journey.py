"""A manager opens the dashboard, drills from the 20-week figure to the cases behind it, sets a
target, explains the red figure in commentary and downloads the month's scorecard PDF.

Two final plans were issued last month, one on the 140th day after the request and one on the
141st: the 20-week figure is 50.0%, below a floor of 60. Each page is checked with axe.
"""

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from reporting.periods import last_complete_month
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.factories import AssessmentRequestFactory, ChildFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
COMMENTARY = "Two educational psychologists left in the spring; agency cover starts next month."


def final_plan(*, issued: dt.date, after: int, name: str) -> None:
    received = issued - dt.timedelta(days=after)
    AssessmentRequestFactory(
        final_issued=True,
        child=ChildFactory(first_name=name, last_name="Example"),
        received_on=received,
        decided_on=received + dt.timedelta(days=30),
        decision_letter_sent_on=received + dt.timedelta(days=30),
        issue_decided_on=received + dt.timedelta(days=90),
        draft_issued_on=issued - dt.timedelta(days=20),
        final_issued_on=issued,
    )


def test_a_manager_drills_into_the_20_week_figure_and_publishes_commentary(
    live_server, manager, page: Page
) -> None:
    month = last_complete_month(timezone.localdate())
    issued = month.start + dt.timedelta(days=9)
    final_plan(issued=issued, after=140, name="Ontime")
    final_plan(issued=issued, after=141, name="Late")

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Reporting", exact=True).first.click()
    expect(page.get_by_role("heading", name=f"Reporting dashboard: {month.label}")).to_be_visible()
    assert_accessible(page)

    tile = page.locator("#tile-final_20wk_inc_exc_pct")
    expect(tile).to_contain_text("50.0%")
    tile.get_by_role("link").first.click()
    expect(
        page.get_by_role(
            "heading", name="Final plans issued within 20 weeks (including exceptions)"
        )
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="See the cases behind this figure").click()
    expect(page.get_by_role("heading", name="Cases behind the figure")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("tbody tr", has_text="Ontime Example")).to_contain_text("numerator")
    expect(page.locator("tbody tr", has_text="Late Example")).to_contain_text("denominator only")
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Set the target").click()
    assert_accessible(page)
    page.get_by_label("Target").fill("90")
    page.get_by_label("Floor").fill("60")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-tag").first).to_contain_text("Below floor")
    assert_accessible(page)

    page.get_by_role("link", name="Write commentary").click()
    page.locator("textarea").fill(COMMENTARY)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(COMMENTARY)).to_be_visible()
    assert_accessible(page)

    link = page.get_by_role(
        "link", name=f"Download the council's scorecard for {month.label} (PDF)"
    )
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "50.0%" in text
    assert "RAG: Red" in text
    # pypdf splits kerned pairs ("T wo"), so match from the second word.
    assert "educational psychologists left in the spring" in " ".join(text.split())
