"""Writing the plan in the browser (no JavaScript): each section's form with its error summary,
rows added one at a time, the checklist, the differences, and the plan as a PDF."""

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from cases import services
from cases.models import AssessmentRequest, Child
from cases.plan_content.models import PlanContent
from cases.plan_content.services import plan_content_start
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.cases.conftest import DRAFT_ON, FINAL_ON
from tests.cases.test_plan_content import receive_advice, write_good_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafting(
    today: dt.date, caseworker: User, at_stage: Callable[[str], AssessmentRequest]
) -> AssessmentRequest:
    request = at_stage("assessing")
    receive_advice(caseworker, request)
    services.assessment_request_decide_issue(
        actor=caseworker, request=request, decision="issue", decided_on=dt.date(2025, 12, 1)
    )
    return request


@pytest.fixture
def content(caseworker: User, drafting: AssessmentRequest, child: Child) -> PlanContent:
    return plan_content_start(actor=caseworker, child=child)


def section_url(content: PlanContent, slug: str) -> str:
    return reverse("cases:plan-content-section", args=[content.pk, slug])


def rows(count: int, **fields: str) -> dict[str, str]:
    data = {"rows-TOTAL_FORMS": str(count), "rows-INITIAL_FORMS": "0"}
    data.update({f"rows-{k}": v for k, v in fields.items()})
    return data


def test_the_plan_tab_starts_the_plan_and_shows_the_checklist(
    caseworker_client: Client, drafting: AssessmentRequest, child: Child
) -> None:
    page = caseworker_client.get(reverse("cases:child-plan", args=[child.pk]))
    start = reverse("cases:plan-content-start", args=[child.pk])
    assert start in page.text
    assert caseworker_client.get(start).status_code == 200
    assert not PlanContent.objects.exists()  # reading the page starts nothing
    response = caseworker_client.post(start)
    content = PlanContent.objects.get()
    assert response["Location"] == reverse("cases:plan-content-detail", args=[content.pk])
    detail = caseworker_client.get(response["Location"])
    assert detail.status_code == 200
    assert "Quality check" in detail.text
    assert "Section B lists no need." in detail.text
    assert "issue the draft plan" in detail.text
    assert AuditEvent.objects.filter(action="child.viewed", object_id=str(content.pk)).exists()


def test_starting_with_nothing_to_write_says_why(
    caseworker_client: Client, today: dt.date, child: Child
) -> None:
    response = caseworker_client.post(reverse("cases:plan-content-start", args=[child.pk]))
    assert response.status_code == 400
    assert "There is no plan to write for Ava Okoro" in response.text


def test_section_a_is_saved_and_a_too_long_text_is_refused(
    caseworker_client: Client, content: PlanContent
) -> None:
    url = section_url(content, "a")
    too_long = caseworker_client.post(url, {"views": "x" * 5001})
    assert too_long.status_code == 400
    assert "govuk-error-summary" in too_long.text
    assert "Views must be 5,000 characters or less" in too_long.text
    saved = caseworker_client.post(
        url, {"views": "I like trains", "interests": "Lego", "aspirations": "To be a driver"}
    )
    assert saved.status_code == 302
    content.refresh_from_db()
    assert (content.views, content.aspirations) == ("I like trains", "To be a driver")


def test_needs_are_added_one_row_at_a_time_without_javascript(
    caseworker_client: Client, content: PlanContent
) -> None:
    url = section_url(content, "b")
    first = caseworker_client.get(url)
    assert 'name="rows-0-description"' in first.text
    added = caseworker_client.post(
        url, {**rows(1, **{"0-need": "ASD", "0-description": "Routines"}), "add": "1"}
    )
    assert added.status_code == 200
    assert 'name="rows-1-description"' in added.text
    assert "Routines" in added.text
    assert not content.needs.exists()  # adding a row saves nothing yet

    missing = caseworker_client.post(
        url, rows(2, **{"0-need": "ASD", "0-description": "", "1-description": "Memory"})
    )
    assert missing.status_code == 400
    assert re.search(r'<a href="#id_rows-0-description">Enter need 1</a>', missing.text)

    saved = caseworker_client.post(
        url,
        rows(2, **{"0-need": "ASD", "0-description": "Routines", "1-description": "Memory"}),
    )
    assert saved.status_code == 302
    assert [(n.need, n.description) for n in content.needs.order_by("position")] == [
        ("ASD", "Routines"),
        ("", "Memory"),
    ]
    removed = caseworker_client.post(
        url,
        {
            "rows-TOTAL_FORMS": "2",
            "rows-INITIAL_FORMS": "0",
            "rows-0-key": str(content.needs.get(position=1).key),
            "rows-0-need": "ASD",
            "rows-0-description": "Routines",
            "rows-1-key": str(content.needs.get(position=2).key),
            "rows-1-description": "Memory",
            "rows-1-remove": "on",
        },
    )
    assert removed.status_code == 302
    assert list(content.needs.values_list("description", flat=True)) == ["Routines"]


def test_outcomes_link_to_needs_and_provision_to_outcomes(
    caseworker_client: Client, content: PlanContent
) -> None:
    caseworker_client.post(
        section_url(content, "b"), rows(1, **{"0-need": "SLCN", "0-description": "Speech"})
    )
    need = content.needs.get()
    page = caseworker_client.get(section_url(content, "e"))
    assert "B1: Speech" in page.text
    caseworker_client.post(
        section_url(content, "e"),
        rows(1, **{"0-description": "Asks for help in class", "0-needs": str(need.key)}),
    )
    outcome = content.outcomes.get()
    assert list(outcome.needs.all()) == [need]
    caseworker_client.post(
        section_url(content, "f"),
        rows(
            1,
            **{
                "0-description": "Speech and language therapy",
                "0-frequency": "Regular sessions",
                "0-outcomes": str(outcome.key),
            },
        ),
    )
    assert outcome.provision.get().description == "Speech and language therapy"
    detail = caseworker_client.get(reverse("cases:plan-content-detail", args=[content.pk]))
    assert "F.1 says &quot;regular&quot;" in detail.text


def test_section_k_lists_every_advice_received(
    caseworker_client: Client, content: PlanContent
) -> None:
    response = caseworker_client.post(section_url(content, "k"), {"list_advice": "1"})
    assert response.status_code == 302
    assert sorted(content.advice.values_list("description", flat=True)) == [
        "Educational psychology advice",
        "Health advice",
    ]
    page = caseworker_client.get(section_url(content, "k"))
    assert "Dr Amara Osei, EP" in page.text


def test_an_issued_draft_cannot_be_edited_and_shows_its_differences(
    caseworker: User,
    caseworker_client: Client,
    content: PlanContent,
    drafting: AssessmentRequest,
    child: Child,
) -> None:
    write_good_plan(caseworker, content)
    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    response = caseworker_client.post(section_url(content, "a"), {"views": "Changed"})
    assert response.status_code == 302
    content.refresh_from_db()
    assert content.views != "Changed"
    final = plan_content_start(actor=caseworker, child=child)
    caseworker_client.post(
        section_url(final, "a"),
        {"views": "We want a quiet room", "interests": "", "aspirations": ""},
    )
    page = caseworker_client.get(reverse("cases:plan-content-differences", args=[final.pk]))
    assert page.status_code == 200
    assert "We want a quiet room" in page.text
    assert "Section F: Special educational provision" in page.text


def test_the_plan_pdf_has_its_sections_words_and_dates_and_is_audited(
    caseworker: User,
    caseworker_client: Client,
    content: PlanContent,
    drafting: AssessmentRequest,
) -> None:
    write_good_plan(caseworker, content)
    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    response = caseworker_client.get(reverse("cases:plan-content-pdf", args=[content.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f"draft-ehc-plan-{content.child.reference}-2025-12-08.pdf"
        in response["Content-Disposition"]
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for words in (
        "Education, health and care plan",
        "Draft plan, issued 8 December 2025",
        "Ava Okoro",
        "Section A",
        "Section B: Special educational needs",
        "Autistic spectrum disorder",
        "Section F: Special educational provision",
        "3 sessions of 20 minutes a week",
        "Section K: Advice and information",
        "Educational psychology advice",
        "20 November 2025",
        "15 days",
    ):
        assert words in text, words
    assert AuditEvent.objects.filter(
        action="file.downloaded", object_id=str(content.pk), changes__download="EHC plan"
    ).exists()


def test_panel_members_cannot_read_the_plan_being_written(
    panel_member_client: Client, content: PlanContent
) -> None:
    response = panel_member_client.get(reverse("cases:plan-content-detail", args=[content.pk]))
    assert response.status_code == 403


def test_an_amended_plan_is_written_against_the_plan_in_force(
    caseworker: User,
    caseworker_client: Client,
    content: PlanContent,
    drafting: AssessmentRequest,
    child: Child,
) -> None:
    write_good_plan(caseworker, content)
    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    services.final_plan_issue(
        actor=caseworker, request=drafting, issued_on=FINAL_ON, primary_need="ASD"
    )
    caseworker_client.post(reverse("cases:plan-content-start", args=[child.pk]))
    amended = PlanContent.objects.get(child=child, issued_on__isnull=True)
    detail = caseworker_client.get(reverse("cases:plan-content-detail", args=[amended.pk]))
    assert "This is the next amended plan" in detail.text
    caseworker_client.post(
        section_url(amended, "j"),
        {"personal_budget_requested": "on", "personal_budget_amount": "1500"},
    )
    page = caseworker_client.get(reverse("cases:plan-content-differences", args=[amended.pk]))
    assert "against the final plan, version 1" in page.text
    assert "£1,500.00" in page.text
    assert page.text.count("No change.") == 11  # every section but J
