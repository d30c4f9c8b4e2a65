"""Screens that mislead, checked where they broke: in the browser.

Every link of an error summary moves focus to its field (with GOV.UK Frontend's script, and
without any script), a very long name wraps inside the page heading instead of running off the
page, and the reviews backlog's figures sit side by side in the service's font.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from reviews.services import annual_review_open_first
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.factories import ChildFactory
from tests.reviews.factories import PlanFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff" * 2  # 70 letters, no break


def sign_in(page: Page, base: str, username: str = "caseworker") -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_attached()


def _follow_every_error_link(page: Page) -> list[str]:
    """Click each link of the error summary; each must leave focus on the element it names."""
    links = page.locator(".govuk-error-summary__list a")
    count = links.count()
    assert count >= 3
    followed = []
    for n in range(count):
        link = links.nth(n)
        target = (link.get_attribute("href") or "").removeprefix("#")
        link.click()
        focused = page.evaluate("document.activeElement && document.activeElement.id")
        assert focused == target, (link.inner_text(), target, focused)
        followed.append(target)
    return followed


def test_every_error_link_moves_focus_to_its_field(live_server, caseworker, page: Page) -> None:
    """The new request form has text boxes, dates and radios: posted empty, each error's link
    takes the caseworker to the box or radio to fix."""
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/cases/requests/new/")
    page.get_by_role("button", name="Save the request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    followed = _follow_every_error_link(page)
    assert "id_first_name" in followed
    assert "id_date_of_birth_day" in followed  # a date: its first box
    assert "id_sex_0" in followed  # radios: the first radio
    # The boxes of a date in error are outlined in red.
    for part in ("day", "month", "year"):
        expect(page.locator(f"#id_date_of_birth_{part}")).to_have_class(
            "govuk-input govuk-date-input__input govuk-input--width-"
            + ("4" if part == "year" else "2")
            + " govuk-input--error"
        )


def test_error_links_move_focus_without_javascript(
    live_server, caseworker, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/cases/requests/new/")
        page.get_by_role("button", name="Save the request").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        _follow_every_error_link(page)
    finally:
        context.close()


def _fits(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            """(selector) => {
                const el = document.querySelector(selector);
                const page = document.documentElement;
                return el.scrollWidth <= el.clientWidth && page.scrollWidth <= page.clientWidth;
            }""",
            selector,
        )
    )


def test_a_long_unbroken_name_wraps_inside_the_page_heading(
    live_server, caseworker, page: Page
) -> None:
    child = ChildFactory.create(first_name="Ann", last_name=LONG_NAME, caseworker=caseworker)
    sign_in(page, live_server.url)
    for width in (1024, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/cases/{child.pk}/")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text(LONG_NAME)
        assert _fits(page, "h1"), width


def test_the_backlog_figures_sit_side_by_side_in_the_service_font(
    live_server, caseworker, page: Page
) -> None:
    plan = PlanFactory.create(
        issued_on=timezone.localdate() - dt.timedelta(days=400), child__caseworker=caseworker
    )
    annual_review_open_first(plan=plan, actor=caseworker)
    sign_in(page, live_server.url)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"{live_server.url}/reviews/backlog/")
    figures = page.locator("#backlog-figures > li")
    assert figures.count() >= 2
    tops = {round(figures.nth(n).bounding_box()["y"]) for n in range(figures.count())}  # type: ignore[index]
    assert len(tops) == 1, tops  # one row, not stacked
    font = figures.first.locator("p").evaluate("el => getComputedStyle(el).fontFamily")
    assert "arial" in font.lower(), font
    expect(figures.first).to_contain_text("1 overdue")
    assert_accessible(page)
