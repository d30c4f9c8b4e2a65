"""Two caseworkers in two browsers open one child's details; the first saves, the second's save
is refused with both versions shown and what they typed kept, and saving again keeps it."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.factories import ChildFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    return page


def test_the_second_of_two_browsers_is_refused_and_loses_nothing(
    live_server, browser: Browser, caseworker: User, make_user: Callable[..., User]
) -> None:
    make_user("caseworker2", Role.CASEWORKER, first_name="Olu", last_name="Ade")
    child = ChildFactory.create(caseworker=caseworker, first_name="Ava", last_name="Okoro")
    edit = f"{live_server.url}/cases/{child.pk}/edit/"
    sam = signed_in(browser, live_server.url, "caseworker")
    olu = signed_in(browser, live_server.url, "caseworker2")
    sam.goto(edit)
    olu.goto(edit)

    sam.get_by_label("First name").fill("Eva")
    sam.get_by_role("button", name="Save").click()
    expect(sam.locator(".govuk-notification-banner__heading")).to_have_text("Details saved")

    olu.get_by_label("Last name").fill("Okoro-Bello")
    olu.get_by_role("button", name="Save").click()
    summary = olu.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Sam Okafor changed these details at")
    expect(summary).to_contain_text("Your changes have not been saved")
    conflict = olu.locator("#version-conflict")
    expect(conflict.get_by_role("row", name="First name")).to_contain_text("Eva")
    expect(conflict.get_by_role("row", name="Last name")).to_contain_text("Okoro-Bello")
    expect(olu.get_by_label("Last name")).to_have_value("Okoro-Bello")
    assert_accessible(olu)
    summary.get_by_role("link").click()
    expect(olu).to_have_url(f"{edit}#version-conflict")

    olu.get_by_role("button", name="Save").click()
    expect(olu.locator(".govuk-notification-banner__heading")).to_have_text("Details saved")
    child.refresh_from_db()
    assert (child.first_name, child.last_name) == ("Ava", "Okoro-Bello")
