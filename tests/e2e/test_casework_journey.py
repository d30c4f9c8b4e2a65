"""A caseworker takes a request from receipt to the final EHC plan in the browser.

The request is recorded as received 70 days ago, so every step can be dated in the past and the
family's 15 days on the draft have run out by today, when the final plan is issued. Each main
page is checked with axe.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import AssessmentRequest, RequestStatus
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


def save(page: Page, banner: str) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(banner)


def test_a_caseworker_takes_a_request_to_the_final_plan(
    live_server, caseworker, page: Page
) -> None:
    EstablishmentFactory.create(urn="100901", name="Oak Primary School", postcode="AB1 2CD")
    EstablishmentFactory.create(urn="100902", name="Oak Hill Academy", postcode="AB3 4EF")
    today = timezone.localdate()
    received = weekday_before(today - dt.timedelta(days=70))
    decided = received + dt.timedelta(days=10)
    advice_requested = decided + dt.timedelta(days=1)
    advice_received = advice_requested + dt.timedelta(days=19)
    issue_decided = advice_received + dt.timedelta(days=5)
    draft = issue_decided + dt.timedelta(days=5)
    base = live_server.url

    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="My caseload").first.click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    assert_accessible(page)

    # A new request, with the child added in the same form.
    page.get_by_role("button", name="New request").click()
    expect(
        page.get_by_role("heading", name="New request for an EHC needs assessment")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("First name").fill("Noah")
    page.get_by_label("Last name").fill("Baker")
    fill_date(page, "date_of_birth", dt.date(2016, 5, 4))
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Postcode").fill("AB1 2CD")
    fill_date(page, "received_date", received)
    page.get_by_label("Time received").fill("10:15am")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Parent or young person").check()
    page.get_by_label("Requester's name").fill("Grace Baker")
    page.get_by_role("button", name="Save the request").click()
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(
        "Request recorded for Noah Baker"
    )
    expect(page.get_by_role("heading", name="Noah Baker")).to_be_visible()
    assert_accessible(page)

    # The decision to assess.
    page.get_by_role("button", name="Record the decision to assess").click()
    assert_accessible(page)
    page.get_by_label("Assess", exact=True).check()
    fill_date(page, "decided_on", decided)
    page.get_by_label("Reasons").fill("Evidence of needs beyond SEN support.")
    save(page, "Decision to assess recorded")

    # Four kinds of advice requested in one go, each with its adviser; the EP's received.
    page.get_by_role("button", name="Request advice").click()
    assert_accessible(page)
    fill_date(page, "requested_on", advice_requested)
    for kind, adviser in (
        ("Educational", "Oak Primary School (SENCO)"),
        ("Educational psychology", "Educational Psychology Service"),
        ("Health", "Designated clinical officer"),
        ("Parent or young person", "Grace Baker"),
    ):
        page.get_by_label(kind, exact=True).check()
        page.get_by_label(f"Adviser or service for {kind.lower()} advice").fill(adviser)
    save(
        page,
        "4 kinds of advice requested: Educational advice, Educational psychology advice, "
        "Health advice, Parent's or young person's advice",
    )
    page.get_by_role("link", name="Record advice received (educational psychology advice)").click()
    assert_accessible(page)
    fill_date(page, "received_on", advice_received)
    save(page, "Educational psychology advice received")

    # The decision to issue, the draft, and (the family's 15 days over) the final plan.
    page.get_by_role("button", name="Record the decision to issue a plan").click()
    page.get_by_label("Issue a plan", exact=True).check()
    fill_date(page, "decided_on", issue_decided)
    save(page, "Decision to issue a plan recorded")
    page.get_by_role("button", name="Issue the draft plan").click()
    fill_date(page, "issued_on", draft)
    save(page, "Draft plan issued")

    # Settings chosen by name: "Oak" matches two, chosen from the list; section I by its name.
    page.get_by_role("button", name="Consult a setting").click()
    page.get_by_label("Setting consulted").fill("Oak")
    fill_date(page, "sent_on", draft)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        'Choose the setting from the 2 that match "Oak"'
    )
    assert_accessible(page)
    page.get_by_label("Oak Hill Academy (100902), AB3 4EF").check()
    save(page, "Consultation with Oak Hill Academy recorded")
    page.get_by_role("button", name="Issue the final plan").click()
    assert_accessible(page)
    page.get_by_label("Setting named in section I").fill("oak primary")
    fill_date(page, "issued_on", today)
    page.get_by_label("Primary need").select_option(label="Autistic spectrum disorder")
    save(page, "Final plan issued")

    request = AssessmentRequest.objects.get(child__last_name="Baker")
    assert request.status == RequestStatus.FINAL_ISSUED
    assert request.final_issued_on == today

    # Every statutory deadline of the journey is met.
    page.get_by_role("link", name="Deadlines", exact=True).click()
    table = page.locator("table")
    for title in (
        "Decision whether to assess due",
        "Educational psychology advice due (Educational Psychology Service)",
        "Final EHC plan due",
    ):
        row = table.locator("tr", has_text=title)
        expect(row.locator(".govuk-tag")).to_have_text("Met")
    assert_accessible(page)

    page.get_by_role("link", name="Timeline", exact=True).click()
    expect(page.get_by_role("heading", name="Final EHC plan issued")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_text("Autistic spectrum disorder")).to_be_visible()
    expect(page.get_by_text("1. Oak Primary School (100901)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Advice tracker").first.click()
    expect(page.get_by_text("No advice is awaited.")).to_be_visible()
    assert_accessible(page)
