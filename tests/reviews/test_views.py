"""The review pages: what a caseworker and a manager see and do, without JavaScript."""

import datetime as dt

import pytest
from django.test import Client

from cases.models import PlanVersion
from reviews import services
from reviews.models import AnnualReview
from reviews.workflow import DECISION_NEEDS_MEETING
from send_cms.audit.models import AuditEvent
from tests.reviews.factories import EstablishmentFactory, PlanFactory

D = dt.date
pytestmark = pytest.mark.django_db


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_the_review_page_shows_steps_and_deadlines_with_explanations(
    caseworker_client: Client, review
) -> None:
    response = caseworker_client.get(f"/reviews/{review.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Annual review 1" in html
    assert "Meeting to arrange" in html
    assert "Annual review due" in html
    assert "9 Mar 2026" in html
    assert (
        "The 12 months starting with the plan issued or last reviewed on 10 Mar 2025, "
        "section 44(1) of the Children and Families Act 2014."
    ) in html
    assert f'href="/reviews/{review.pk}/meeting/"' in html
    assert f'href="/reviews/{review.pk}/decision/"' not in html  # not before the meeting
    assert AuditEvent.objects.filter(action="child.viewed", object_id=str(review.pk)).exists()


def test_a_manager_reads_the_review_but_has_no_actions(manager_client: Client, review) -> None:
    html = manager_client.get(f"/reviews/{review.pk}/").content.decode()
    assert f'href="/reviews/{review.pk}/meeting/"' not in html
    assert manager_client.get(f"/reviews/{review.pk}/meeting/").status_code == 403


def test_recording_the_meeting_redirects_with_a_banner(caseworker_client: Client, review) -> None:
    response = caseworker_client.post(
        f"/reviews/{review.pk}/meeting/",
        {
            **_date("held_on", D(2026, 1, 29)),
            "attendees": "Parent, SENCO",
            "child_views": "Wants to stay with friends",
            "family_views": "Happy with the school",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain == [(f"/reviews/{review.pk}/", 302)]
    assert "Review meeting recorded" in html
    assert "Wants to stay with friends" in html
    review.refresh_from_db()
    assert review.meeting_on == D(2026, 1, 29)


def test_a_form_error_is_shown_in_the_error_summary(caseworker_client: Client, review) -> None:
    response = caseworker_client.post(
        f"/reviews/{review.pk}/invitations/",
        {**_date("sent_on", D(2026, 1, 16)), **_date("meeting_planned_on", D(2026, 1, 29))},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert (
        "Invitations must be sent at least 2 weeks before the meeting: for a meeting on "
        "29 Jan 2026, by 15 Jan 2026"
    ) in html
    assert 'href="#id_sent_on_day"' in html


def test_an_empty_date_gets_the_design_system_message(caseworker_client: Client, review) -> None:
    html = caseworker_client.post(f"/reviews/{review.pk}/meeting/", {}).content.decode()
    assert "Enter date of the meeting" in html


def test_a_step_out_of_order_is_explained(caseworker_client: Client, review) -> None:
    html = caseworker_client.get(f"/reviews/{review.pk}/decision/").content.decode()
    assert DECISION_NEEDS_MEETING in html
    response = caseworker_client.post(
        f"/reviews/{review.pk}/decision/",
        {"decision": "maintain", **_date("issued_on", D(2026, 2, 1))},
    )
    assert response.status_code == 200
    assert DECISION_NEEDS_MEETING in response.content.decode()


def test_the_whole_amendment_through_the_pages(caseworker_client: Client, review, plan) -> None:
    base = f"/reviews/{review.pk}"
    caseworker_client.post(f"{base}/meeting/", _date("held_on", D(2026, 1, 29)))
    caseworker_client.post(
        f"{base}/decision/", {"decision": "amend", **_date("issued_on", D(2026, 2, 23))}
    )
    caseworker_client.post(
        f"{base}/amendments/",
        {**_date("issued_on", D(2026, 2, 23)), "changes": "Section I names Hill Academy"},
    )
    form = caseworker_client.get(f"{base}/final-amended-plan/").content.decode()
    assert "Section I names Hill Academy" in form  # the proposed changes, ready to confirm
    response = caseworker_client.post(
        f"{base}/final-amended-plan/",
        {**_date("issued_on", D(2026, 4, 14)), "changes": "Section I names Hill Academy"},
        follow=True,
    )
    html = response.content.decode()
    assert "Final amended plan recorded" in html
    assert "Amended plan issued" in html
    assert PlanVersion.objects.get(plan=plan, number=2).changes == "Section I names Hill Academy"
    next_review = AnnualReview.objects.get(plan=plan, sequence=2)
    assert f"Review 2: due {next_review.due_on:%-d %b %Y}" in html
    assert next_review.due_on == D(2027, 2, 22)


def test_changing_the_phase_transfer_by_hand(caseworker_client: Client, review) -> None:
    response = caseworker_client.post(
        f"/reviews/{review.pk}/phase-transfer/",
        {"mode": "manual_yes", "kind": "post16_other", **_date("transfer_on", D(2027, 7, 31))},
        follow=True,
    )
    html = response.content.decode()
    assert "Phase transfer updated" in html
    assert "(set by hand)" in html
    assert "28 Feb 2027" in html


def test_reviews_due_this_term(caseworker_client: Client, frozen) -> None:
    oak = EstablishmentFactory.create(name="Oakfield Primary School")
    plan = PlanFactory.create(
        issued_on=D(2025, 6, 10), child__current_setting=oak
    )  # due 9 Jun 2026
    PlanFactory.create(issued_on=D(2025, 10, 10))  # due 9 Oct 2026: next term
    services.ensure_reviews_for_new_plans(actor=None)  # the nightly task: pages write nothing
    response = caseworker_client.get("/reviews/")
    html = response.content.decode()
    assert "Annual reviews due: Summer term 2026" in html
    assert "1 review due." in html
    assert plan.child.full_name in html
    assert "Oakfield Primary School" in html
    assert "9 Jun 2026" in html
    autumn = caseworker_client.get("/reviews/?term=autumn-2026").content.decode()
    assert "Annual reviews due: Autumn term 2026" in autumn
    assert "9 Oct 2026" in autumn


def test_an_unknown_term_is_an_error_not_a_crash(caseworker_client: Client, frozen) -> None:
    html = caseworker_client.get("/reviews/?term=winter-2026").content.decode()
    assert "Choose a term from the list" in html
    assert "There is a problem" in html


def test_the_backlog_page(caseworker_client: Client, review, frozen) -> None:
    html = caseworker_client.get("/reviews/backlog/").content.decode()
    assert "Annual review backlog" in html
    assert review.plan.child.full_name in html
    assert "No meeting by the due date" in html
    assert "Sam Okafor" in html


def test_the_timeliness_page_is_for_managers(
    manager_client: Client, caseworker_client: Client, review, frozen
) -> None:
    response = manager_client.get("/reviews/timeliness/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Annual review timeliness by team" in html
    assert "Decisions issued 1 Jun 2025 to 1 Jun 2026" in html
    assert caseworker_client.get("/reviews/timeliness/").status_code == 403
    bad = manager_client.get(
        "/reviews/timeliness/?start_day=1&start_month=6&start_year=2026"
        "&end_day=1&end_month=1&end_year=2026"
    ).content.decode()
    assert "The end of the period must be on or after its start" in bad


def test_the_phase_transfer_cohort_page(caseworker_client: Client, frozen, caseworker) -> None:
    plan = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=D(2015, 1, 10))
    services.ensure_reviews_for_new_plans(actor=caseworker)
    html = caseworker_client.get("/reviews/phase-transfers/").content.decode()
    assert "Phase transfers for September 2026" in html
    assert plan.child.full_name in html
    assert "Primary to secondary school (year 7)" in html
    assert "14 Feb 2026" in html
    assert "Overdue" in html


def test_the_navigation_links_annual_reviews(caseworker_client: Client, panel_member_client):
    assert 'href="/reviews/">Annual reviews</a>' in caseworker_client.get("/").content.decode()
    assert "Annual reviews" not in panel_member_client.get("/").content.decode()
