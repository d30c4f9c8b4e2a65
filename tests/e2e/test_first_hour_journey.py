"""A new caseworker's first hour, end to end in the browser (issue 13's journey).

A request is taken from receipt to the final EHC plan: the caseworker follows an error link to
the box to fix, requests four kinds of advice in one go, chooses settings by their names (a
search step when several match, the browser's suggestions as they type), and sees the annual
review due on the case the moment the final plan is issued. Each main page is checked with axe.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import AssessmentRequest, RequestStatus
from send_cms.timescales import compute, format_date
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.factories import EstablishmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def weekday_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(value.day))
    page.locator(f'input[name="{name}_month"]').fill(str(value.month))
    page.locator(f'input[name="{name}_year"]').fill(str(value.year))


def save(page: Page, banner: str, button: str = "Save") -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(banner)


def follow_error_link(page: Page, message: str) -> str:
    """Click the error summary's link with this message: focus lands on the box it names."""
    link = page.locator(".govuk-error-summary__list a", has_text=message)
    target = (link.get_attribute("href") or "").removeprefix("#")
    link.click()
    assert page.evaluate("document.activeElement.id") == target
    return target


def test_a_new_caseworker_takes_a_request_from_receipt_to_the_final_plan(
    live_server, caseworker, page: Page
) -> None:
    today = timezone.localdate()
    received = weekday_before(today - dt.timedelta(days=70))
    decided = received + dt.timedelta(days=10)
    advice_requested = decided + dt.timedelta(days=1)
    advice_received = advice_requested + dt.timedelta(days=19)
    issue_decided = advice_received + dt.timedelta(days=5)
    draft = issue_decided + dt.timedelta(days=5)
    consulted = draft + dt.timedelta(days=1)
    EstablishmentFactory.create(urn="100001", name="Oak Hill Primary School")
    EstablishmentFactory.create(urn="100002", name="Oak Tree Academy", kind="special")
    EstablishmentFactory.create(urn="100003", name="Willow Bank School", kind="special")
    base = live_server.url

    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My caseload").first.click()

    # Receipt: a slip (no month in the date of birth) is caught, and its link leads to the box.
    page.get_by_role("button", name="New request").click()
    page.get_by_label("First name").fill("Noah")
    page.get_by_label("Last name").fill("Baker")
    page.locator('input[name="date_of_birth_day"]').fill("4")
    page.locator('input[name="date_of_birth_year"]').fill("2016")
    page.get_by_label("Postcode").fill("AB1 2CD")
    fill_date(page, "received_date", received)
    page.get_by_label("Time received").fill("10:15am")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Parent or young person").check()
    page.get_by_label("Requester's name").fill("Grace Baker")
    page.get_by_role("button", name="Save the request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    assert follow_error_link(page, "Date of birth must include a month") == (
        "id_date_of_birth_month"
    )
    page.keyboard.type("5")
    page.get_by_label("Male", exact=True).check()
    save(page, "Request recorded for Noah Baker", button="Save the request")
    expect(page.get_by_role("heading", name="Noah Baker")).to_be_visible()

    # The decision to assess, then four kinds of advice in one go, each with its adviser.
    page.get_by_role("button", name="Record the decision to assess").click()
    page.get_by_label("Assess", exact=True).check()
    fill_date(page, "decided_on", decided)
    page.get_by_label("Reasons").fill("Evidence of needs beyond SEN support.")
    save(page, "Decision to assess recorded")
    page.get_by_role("button", name="Request advice").click()
    fill_date(page, "requested_on", advice_requested)
    for kind, adviser in (
        ("Educational", "Oak Hill Primary School (SENCO)"),
        ("Educational psychology", "Educational Psychology Service"),
        ("Health", "Designated clinical officer"),
        ("Parent or young person", "Grace Baker"),
    ):
        page.get_by_label(kind, exact=True).check()
        page.get_by_label(f"Adviser or service for {kind.lower()} advice").fill(adviser)
    assert_accessible(page)
    save(
        page,
        "4 kinds of advice requested: Educational advice, Educational psychology advice, "
        "Health advice, Parent's or young person's advice",
    )
    for adviser in ("Educational Psychology Service", "Designated clinical officer"):
        expect(page.get_by_text(adviser).first).to_be_visible()
    page.get_by_role("link", name="Record advice received (educational psychology advice)").click()
    fill_date(page, "received_on", advice_received)
    save(page, "Educational psychology advice received")

    # The decision to issue, and the draft with the family's preference found by name: two
    # settings match "Oak", so the search step asks which.
    page.get_by_role("button", name="Record the decision to issue a plan").click()
    page.get_by_label("Issue a plan", exact=True).check()
    fill_date(page, "decided_on", issue_decided)
    save(page, "Decision to issue a plan recorded")
    page.get_by_role("button", name="Issue the draft plan").click()
    fill_date(page, "issued_on", draft)
    page.get_by_label("Setting the family prefers").fill("Oak")
    page.get_by_role("button", name="Save").click()
    follow_error_link(page, 'Choose the setting from the 2 that match "Oak"')
    assert_accessible(page)
    page.get_by_label("Oak Tree Academy", exact=False).check()
    save(page, "Draft plan issued")

    # A setting consulted, chosen from the browser's suggestions as the name is typed.
    page.get_by_role("button", name="Consult a setting").click()
    box = page.get_by_label("Setting consulted")
    box.press_sequentially("Willow", delay=50)
    suggestion = page.locator("datalist option").first
    expect(suggestion).to_have_attribute("value", "Willow Bank School (100003)")
    box.fill(suggestion.get_attribute("value") or "")
    fill_date(page, "sent_on", consulted)
    save(page, "Consultation with Willow Bank School recorded")

    # The final plan names a setting by name; the family's 15 days on the draft are over.
    page.get_by_role("button", name="Issue the final plan").click()
    fill_date(page, "issued_on", today)
    page.get_by_label("Primary need").select_option(label="Autistic spectrum disorder")
    page.get_by_label("Setting named in section I").fill("Oak Hill")
    assert_accessible(page)
    save(page, "Final plan issued")

    request = AssessmentRequest.objects.get(child__last_name="Baker")
    assert request.status == RequestStatus.FINAL_ISSUED
    assert request.final_issued_on == today

    # The annual review is due on the case at once: no list had to be opened first.
    review_due = compute("annual_review", today).due
    row = page.locator("table", has_text="Open deadlines").locator("tr", has_text="Annual review")
    expect(row).to_contain_text(format_date(review_due))
    assert_accessible(page)
    expect(page.get_by_text("Oak Hill Primary School").first).to_be_visible()
