"""A caseworker writes the EHC plan from the advice received, in the browser (issue 14's
journey): the family's words, needs, outcomes linked to them, provision linked to the outcomes,
the advice listed in section K; the quality checklist flags vague provision until it is fixed;
then the draft is issued and its PDF downloaded. Each main page is checked with axe."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from cases import services
from cases.models import Child
from cases.plan_content.models import PlanContent
from send_cms.accounts.models import User
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_first_hour_journey import fill_date, save, weekday_before

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def child_with_advice(caseworker: User, today: dt.date) -> Child:
    """A request decided for issue, with educational psychology and health advice received."""
    received = weekday_before(today - dt.timedelta(days=90))
    child = services.child_create(
        actor=caseworker,
        first_name="Maya",
        last_name="Patel",
        date_of_birth=dt.date(2016, 2, 3),
        sex="F",
        upn_unknown="UN5",
        caseworker=caseworker,
    )
    request = services.assessment_request_create_on(
        actor=caseworker, child=child, received_on=received, source="parent_or_young_person"
    )
    services.assessment_request_decide(
        actor=caseworker,
        request=request,
        decision="assess",
        decided_on=received + dt.timedelta(days=10),
    )
    for kind, provider in (("psychological", "Dr Amara Osei"), ("health", "Dr Lee")):
        advice = services.advice_request_create(
            actor=caseworker,
            request=request,
            kind=kind,
            requested_on=received + dt.timedelta(days=11),
            provider=provider,
        )
        services.advice_request_receive(
            actor=caseworker, advice=advice, received_on=received + dt.timedelta(days=40)
        )
    services.assessment_request_decide_issue(
        actor=caseworker,
        request=request,
        decision="issue",
        decided_on=received + dt.timedelta(days=50),
    )
    return child


def test_a_caseworker_writes_the_plan_checks_it_issues_the_draft_and_downloads_it(
    live_server, caseworker: User, page: Page
) -> None:
    today = timezone.localdate()
    child = child_with_advice(caseworker, today)
    base = live_server.url

    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/cases/{child.pk}/plan/")
    page.get_by_role("link", name="Write the plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Write the plan").click()
    expect(page.get_by_role("heading", name=re.compile("Draft plan"))).to_be_visible()
    checklist = page.locator("#checklist")
    expect(checklist).to_contain_text("Section B lists no need.")
    assert_accessible(page)

    # Section A, in the family's words.
    page.get_by_role("link", name=re.compile("^Write section A")).click()
    page.get_by_label("Views").fill("Maya says: “I like it quiet and I like to know what is next.”")
    page.get_by_label("Interests").fill("Drawing horses, swimming.")
    page.get_by_label("Aspirations").fill("To work with animals.")
    save(page, "Section A saved", button="Save section A")

    # Section B: two needs, the second added with "Add another need" (no JavaScript needed).
    page.get_by_role("link", name=re.compile("^Write section B")).click()
    page.locator('[name="rows-0-need"]').select_option(label="Autistic spectrum disorder")
    page.locator('[name="rows-0-description"]').fill("Finds changes of routine hard.")
    page.get_by_role("button", name="Add another need").click()
    page.locator('[name="rows-1-need"]').select_option(
        label="Speech, language and communication needs"
    )
    page.locator('[name="rows-1-description"]').fill("Understands fewer words than her peers.")
    assert_accessible(page)
    save(page, "Section B saved", button="Save section B")

    # Section E: an outcome for each need, linked by ticking the needs it addresses.
    page.get_by_role("link", name=re.compile("^Write section E")).click()
    page.locator('[name="rows-0-description"]').fill("Moves between lessons calmly.")
    page.get_by_label("B1: Finds changes of routine hard.").check()
    page.get_by_role("button", name="Add another outcome").click()
    page.locator('[name="rows-1-description"]').fill("Asks for help using a sentence.")
    page.locator("#id_rows-1-needs").get_by_label(re.compile("^B2")).check()
    save(page, "Section E saved", button="Save section E")

    # Section F: vague words are flagged on the checklist, never blocking.
    page.get_by_role("link", name=re.compile("^Write section F")).click()
    page.locator('[name="rows-0-description"]').fill("Visual timetable taught 1:1")
    page.locator('[name="rows-0-frequency"]').fill("Regular sessions as appropriate")
    page.locator('[name="rows-0-duration"]').fill("Until the annual review")
    page.locator('[name="rows-0-provider"]').fill("Teaching assistant")
    page.locator("#id_rows-0-outcomes").get_by_label(re.compile("^E1")).check()
    save(page, "Section F saved", button="Save section F")
    expect(checklist).to_contain_text('F.1 says "regular", "as appropriate"')
    expect(checklist).to_contain_text("E2 has no provision in section F, G or H")
    expect(checklist).to_contain_text("Section K does not list the health advice")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Write section F")).click()
    page.locator('[name="rows-0-frequency"]').fill("3 sessions of 20 minutes a week")
    page.get_by_role("button", name="Add another provision").click()
    page.locator('[name="rows-1-description"]').fill("Speech and language therapy, 1:1")
    page.locator('[name="rows-1-frequency"]').fill("1 session of 30 minutes a week")
    page.locator('[name="rows-1-duration"]').fill("For 2 terms")
    page.locator('[name="rows-1-provider"]').fill("NHS speech and language therapist")
    page.locator("#id_rows-1-outcomes").get_by_label(re.compile("^E2")).check()
    save(page, "Section F saved", button="Save section F")

    # Section K: the advice received, listed in one go.
    page.get_by_role("link", name=re.compile("^Write section K")).click()
    page.get_by_role("button", name="List the advice and information received").click()
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(
        "Section K: 2 added to the list"
    )
    expect(page.locator('[name="rows-0-author"]')).to_have_value("Dr Lee")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the plan").click()
    expect(checklist).not_to_contain_text("To check")
    expect(checklist.get_by_text("Met")).to_have_count(6)

    # Issue the draft from the plan's page; the draft is fixed as issued.
    page.get_by_role("link", name="issue the draft plan").click()
    fill_date(page, "issued_on", today)
    save(page, "Draft plan issued")
    draft = PlanContent.objects.get(child=child)
    assert draft.issued_on == today

    # The PDF from the plan tab: the family's document with its sections, words and date.
    page.goto(f"{base}/cases/{child.pk}/plan/")
    link = page.locator("#plan-editions").get_by_role("link", name=re.compile("^PDF"))
    response = page.request.get(f"{base}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    text = " ".join(text.split())
    for words in (
        "Draft plan, issued",
        today.strftime("%-d %B %Y"),
        "Maya Patel",
        "Section E: Outcomes",
        "3 sessions of 20 minutes a week",
        "Section K: Advice and information",
        "Health advice",
    ):
        assert words in text, words
