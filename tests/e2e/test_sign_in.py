import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_signs_in_and_sees_the_home_page(live_server, caseworker, page: Page) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/")
    assert_accessible(page)
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Sam Okafor")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_timeout_warning_offers_to_stay_signed_in(
    live_server, caseworker, page: Page, settings
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 124  # the warning shows 2 minutes before: after 4 seconds
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    dialog = page.get_by_role("dialog", name=re.compile("about to be signed out"))
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("we will sign you out in 2 minutes")
    assert_accessible(page)
    dialog.get_by_role("button", name="Stay signed in").click()

    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Signed in as Sam Okafor")).to_be_visible()


def test_a_manager_sets_up_an_authenticator_app_at_first_sign_in(
    live_server, manager, page: Page, settings
) -> None:
    settings.OTP_REQUIRED = True
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Set up the app").click()

    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()
