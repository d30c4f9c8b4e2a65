"""A manager approves the anonymisation of a file past its retention period, and opens a child's
subject access export, in the browser; each page is checked with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Child
from send_cms.retention.services import disposals_list_due
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.factories import ChildFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_approves_a_disposal_and_opens_a_subject_access_export(
    live_server, manager, page: Page
) -> None:
    today = timezone.localdate()
    old = ChildFactory.create(
        reference="OLD-0001",
        first_name="Harriet",
        last_name="Vane",
        date_of_birth=today.replace(year=today.year - 40),
    )
    young = ChildFactory.create(
        reference="NEW-0001",
        first_name="Peter",
        last_name="Wimsey",
        date_of_birth=dt.date(today.year - 10, 1, 1),
    )
    disposals_list_due()

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Retention").first.click()
    expect(page.get_by_role("heading", name="Retention of records")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("The retention schedule").click()
    expect(page.get_by_text("date of birth + 31 years", exact=False)).to_be_visible()
    expect(
        page.get_by_role("link", name="OLD-0001 : open the case before you decide")
    ).to_be_visible()
    expect(page.get_by_text("NEW-0001")).to_have_count(0)

    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select at least one record to dispose of"
    )
    assert_accessible(page)
    page.go_back()

    page.get_by_label("Select Child or young person OLD-0001").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm disposal")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve disposal").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 record disposed of")
    expect(page.get_by_role("cell", name="OLD-0001", exact=True)).to_be_visible()
    assert_accessible(page)
    old.refresh_from_db()
    assert old.first_name == "Anonymised"

    page.goto(f"{live_server.url}/cases/{young.pk}/access-log/")
    page.get_by_role("link", name="Subject access export").click()
    expect(page.get_by_role("heading", name="Subject access export")).to_be_visible()
    expect(page.get_by_text("Peter Wimsey (NEW-0001)")).to_be_visible()
    assert_accessible(page)
    assert Child.objects.get(pk=young.pk).first_name == "Peter"
