"""A caseworker registers an appeal, records the council's response, the tribunal's decision and
its order, marks the order complied with, and sees every deadline met. Each page is checked
with axe; every step is a plain form (no JavaScript needed).

Dates are relative to today so they are always in the past: the refusal to assess 200 days ago,
the appeal received 150 days ago, the response 14 days later (well inside 30 tribunal working
days), the decision 60 days ago, the order sent the next day and complied with a week after.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from send_cms.timescales import compute, format_date
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.tribunals.factories import make_child, refused_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(value.day))
    page.locator(f'input[name="{name}_month"]').fill(str(value.month))
    page.locator(f'input[name="{name}_year"]').fill(str(value.year))


def submit(page: Page, button: str, banner: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(banner)
    assert_accessible(page)


def deadline_row(page: Page, rule: str) -> Locator:
    return page.locator(f'tr[data-rule="{rule}"]')


def test_a_caseworker_takes_an_appeal_from_registration_to_a_complied_order(
    live_server, caseworker, page: Page
) -> None:
    today = timezone.localdate()
    child = make_child(
        first_name="Ellis", last_name="Morgan", reference="E2E-0101", caseworker=caseworker
    )
    refused_request(child, received_on=today - dt.timedelta(days=242))
    notice = today - dt.timedelta(days=195)
    received = today - dt.timedelta(days=150)
    responded = received + dt.timedelta(days=14)
    decided = today - dt.timedelta(days=60)
    sent = decided + dt.timedelta(days=1)
    complied = sent + dt.timedelta(days=7)
    response_due = compute("tribunal_response", received).due
    notify_due = compute("order_assess_notify", sent).due

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Tribunals").first.click()
    expect(page.get_by_role("heading", name="Tribunal register")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register an appeal").click()
    assert_accessible(page)
    page.get_by_label("Child or young person").fill("E2E-0101")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Register an appeal")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(
        "Assessment request (for a refusal to assess, reassess or issue)"
    ).select_option(index=1)
    page.get_by_label("Refusal to assess", exact=True).check()
    fill_date(page, "decision_notice_on", notice)
    fill_date(page, "received_by_la_on", received)
    page.get_by_label("Appellant's name").fill("Ms Morgan")
    page.get_by_label("Tribunal reference").fill("EH101/26/00001")
    submit(page, "Register the appeal", "Appeal registered")
    expect(page.get_by_role("heading", name="Appeal: refusal to assess")).to_be_visible()
    expect(deadline_row(page, "tribunal_response")).to_contain_text(format_date(response_due))

    page.get_by_role("link", name="Record the response submitted").click()
    assert_accessible(page)
    fill_date(page, "submitted_on", responded)
    submit(page, "Record the response", "Response recorded")
    expect(deadline_row(page, "tribunal_response")).to_contain_text("Met")

    page.get_by_role("link", name="Record the tribunal's decision").click()
    assert_accessible(page)
    page.get_by_label("Upheld", exact=True).check()
    fill_date(page, "decided_on", decided)
    submit(page, "Record the outcome", "Outcome recorded")
    expect(page.get_by_text("Tribunal upheld the appeal")).to_be_visible()

    page.get_by_role("link", name="Record an order").click()
    assert_accessible(page)
    page.get_by_label("Carry out an assessment").check()
    fill_date(page, "made_on", decided)
    fill_date(page, "sent_on", sent)
    submit(page, "Record the order", "Order recorded")
    expect(deadline_row(page, "order_assess_notify").first).to_contain_text(format_date(notify_due))

    page.get_by_role("link", name="Record a step complied with").click()
    assert_accessible(page)
    page.get_by_label("Tell the family the assessment will go ahead (order)", exact=False).check()
    fill_date(page, "complied_on", complied)
    submit(page, "Record it", "Order step complied with")
    expect(deadline_row(page, "order_assess_notify").first).to_contain_text("Met")
    expect(deadline_row(page, "tribunal_response")).to_contain_text("Met")
    expect(
        page.get_by_text("Order complied with: Tell the family the assessment will go ahead")
    ).to_be_visible()

    page.get_by_role("link", name="Orders overdue").click()
    expect(page.get_by_text("No orders are overdue.")).to_be_visible()
    assert_accessible(page)
