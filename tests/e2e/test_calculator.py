"""The timescale calculator in a browser: ask, correct a mistake, read the answer."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_panel_member_works_out_a_final_plan_date(live_server, panel_member, page: Page) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("panel")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    print(page.url, page.content()[:3000])
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Timescale calculator"
    ).click()
    expect(page.get_by_role("heading", name="Timescale calculator")).to_be_visible()
    assert_accessible(page)

    # A mistake first: no time limit, and 30 February.
    page.get_by_role("group", name="Start date").get_by_label("Day").fill("30")
    page.get_by_role("group", name="Start date").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Start date").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Calculate").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Select a time limit")
    expect(summary).to_contain_text("Start date must be a real date")
    expect(page).to_have_title(re.compile(r"^Error: Timescale calculator "))
    assert_accessible(page)

    page.get_by_label("Time limit").select_option(label="Final EHC plan due")
    page.get_by_role("group", name="Start date").get_by_label("Day").fill("8")
    page.get_by_role("group", name="Start date").get_by_label("Month").fill("9")
    page.get_by_role("group", name="Start date").get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Calculate").click()

    expect(page.locator(".govuk-panel")).to_contain_text("Due Monday 26 Jan 2026")
    expect(page.get_by_text("20 weeks from the request received on 8 Sep 2025")).to_be_visible()
    assert "rule=final_plan" in page.url  # a link that can be shared
    assert_accessible(page)
