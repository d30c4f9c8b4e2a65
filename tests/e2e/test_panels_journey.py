"""A caseworker puts a placement on the panel's agenda, the chair approves it with a funding
band and closes the meeting, and the caseworker sees the placement and its cost on the plan."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from panels.models import ProfessionalRole
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.panels import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_placement_goes_to_panel_and_lands_on_the_plan(
    live_server, caseworker, panel_member, page: Page
) -> None:
    f.install_defaults()
    panel = f.panel_type("provision-and-placement")
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [panel])
    meeting = f.meeting(panel, chair=chair, held_on=timezone.localdate())
    school = f.establishment(name="Oak Primary School", kind="mainstream")
    plan = f.placement(
        establishment=None,
        starts_on=None,
        awaiting_placement=True,
        plan__child__first_name="Jamie",
        plan__child__last_name="Holt",
    ).plan
    child = plan.child
    base = live_server.url

    # The caseworker adds the placement item from the agenda builder's suggestion.
    sign_in(page, base, "caseworker")
    page.get_by_role("link", name="Panels").first.click()
    page.get_by_role("link", name=meeting.held_on.strftime("%-d %b %Y")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Add an item").click()
    expect(page.get_by_text("Awaiting placement")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Use this case : Jamie Holt, placement and funding band").click()
    expect(page.get_by_label("Child or young person")).to_have_value(child.reference)
    page.get_by_label("Summary").fill("The family and school ask for Oak Primary with band 2.")
    page.get_by_label("Proposed setting (placement items)").fill(school.name)
    page.get_by_label("Proposed funding band (placement items)").fill("M2")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text("Jamie Holt added to the agenda")).to_be_visible()
    sign_out(page)

    # The chair reads the papers and approves the placement with band M2.
    sign_in(page, base, panel_member.username)
    page.get_by_role("link", name="Panels").first.click()
    expect(page.get_by_role("heading", name="My upcoming meetings")).to_be_visible()
    page.get_by_role("link", name=meeting.held_on.strftime("%-d %b %Y")).click()
    page.get_by_role("link", name="Jamie Holt").click()
    expect(
        page.get_by_text("The family and school ask for Oak Primary with band 2.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record the decision").click()
    assert_accessible(page)
    page.get_by_label("Agree").check()
    page.get_by_label("Reasons").fill("Band 2 support meets the needs described in the EP advice.")
    page.get_by_label("Funding band").select_option("M2")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    cost = page.locator(".govuk-summary-list__row").filter(has_text="Annual cost")
    expect(cost).to_contain_text("£3,100.00")
    page.get_by_role("link", name="Back to the agenda").click()
    page.get_by_role("link", name="Close the meeting").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_text("Meeting closed: decisions sent")).to_be_visible()
    sign_out(page)

    # The caseworker sees the placement, band and cost on the plan, and the decision on the
    # timeline.
    sign_in(page, base, "caseworker")
    page.goto(f"{base}/cases/{child.pk}/placements/")
    row = page.get_by_role("row").filter(has_text="Oak Primary School")
    expect(row).to_contain_text("M2")
    expect(row).to_contain_text("£3,100.00")
    assert_accessible(page)
    page.goto(f"{base}/cases/{child.pk}/timeline/")
    expect(page.get_by_text("Panel approved the placement at Oak Primary School")).to_be_visible()
