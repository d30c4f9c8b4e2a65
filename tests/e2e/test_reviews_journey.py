"""A caseworker takes an overdue annual review from the meeting to the final amended plan.

The plan was issued 400 days ago, so its review is overdue (it is in the backlog) and every
step can be dated in the past: the meeting 70 days ago, the decision to amend and the proposed
amendments 60 days ago, and the final amended plan 30 days ago, after the family's 15 days.
The next review is then due 12 months from the decision. Each page is checked with axe.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reviews.services import annual_review_open_first
from send_cms.timescales import compute, format_date
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.reviews.factories import PlanFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(value.day))
    page.locator(f'input[name="{name}_month"]').fill(str(value.month))
    page.locator(f'input[name="{name}_year"]').fill(str(value.year))


def save(page: Page, banner: str) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(banner)
    assert_accessible(page)


def test_a_caseworker_records_a_review_through_to_the_amended_plan(
    live_server, caseworker, page: Page
) -> None:
    today = timezone.localdate()
    plan = PlanFactory.create(
        issued_on=today - dt.timedelta(days=400),
        child__first_name="Maya",
        child__last_name="Patel",
        child__caseworker=caseworker,
    )
    annual_review_open_first(plan=plan, actor=caseworker)
    meeting = today - dt.timedelta(days=70)
    decided = today - dt.timedelta(days=60)
    final = today - dt.timedelta(days=30)
    next_due = compute("annual_review", decided).due

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Annual reviews").first.click()
    expect(page.get_by_role("heading", name="Annual reviews due:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Backlog").click()
    expect(page.get_by_role("heading", name="Annual review backlog")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("No meeting by the due date")).to_be_visible()
    page.get_by_role("link", name="Maya Patel").click()
    expect(page.get_by_role("heading", name="Annual review 1")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record the review meeting").click()
    assert_accessible(page)
    fill_date(page, "held_on", meeting)
    page.get_by_label("Who attended").fill("Parent, SENCO, educational psychologist")
    page.get_by_label("The child's or young person's views").fill("Wants to stay with friends")
    page.get_by_label("The family's views").fill("Would like more speech therapy")
    save(page, "Review meeting recorded")
    expect(page.get_by_text("Wants to stay with friends")).to_be_visible()

    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("Amend the plan").check()
    fill_date(page, "issued_on", decided)
    save(page, "Decision recorded")

    page.get_by_role("button", name="Record proposed amendments sent").click()
    fill_date(page, "issued_on", decided)
    page.get_by_label("What the amendments change").fill("Section F: weekly speech therapy")
    save(page, "Proposed amendments recorded")

    page.get_by_role("button", name="Record the final amended plan").click()
    expect(page.get_by_label("What changed in the plan")).to_have_value(
        "Section F: weekly speech therapy"
    )
    fill_date(page, "issued_on", final)
    save(page, "Final amended plan recorded: a new version of the plan was issued")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Amended plan issued")

    page.get_by_role("link", name=f"Review 2: due {format_date(next_due)}").click()
    expect(page.get_by_role("heading", name="Annual review 2")).to_be_visible()
    expect(page.locator(".govuk-summary-list__value").first).to_have_text(format_date(next_due))
    assert_accessible(page)
