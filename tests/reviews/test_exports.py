"""Term lists as CSV and PDF, and the meeting's calendar invite."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from pypdf import PdfReader

from cases.models import Child
from reviews import services
from send_cms.audit.models import AuditEvent
from send_cms.audit.reads import DOWNLOADED
from tests.reviews.factories import EstablishmentFactory, PlanFactory

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def term_reviews(db, caseworker, frozen):
    oak = EstablishmentFactory.create(name="Oakfield Primary School", urn="123456")
    ash = EstablishmentFactory.create(name="Ash Grove Academy", urn="654321")
    one = PlanFactory.create(
        issued_on=D(2025, 9, 10),
        child__first_name="Maya",
        child__last_name="Patel",
        child__date_of_birth=D(2015, 1, 10),
        child__current_setting=oak,
        child__caseworker=caseworker,
    )
    two = PlanFactory.create(
        issued_on=D(2025, 11, 3),
        child__first_name="Leo",
        child__last_name="Brown",
        child__current_setting=ash,
    )
    PlanFactory.create(
        issued_on=D(2026, 2, 1), child__current_setting=oak
    )  # due 31 Jan 2027: spring
    services.ensure_reviews_for_new_plans(actor=caseworker)
    return one, two, oak


def test_the_term_list_as_csv(caseworker_client: Client, term_reviews) -> None:
    response = caseworker_client.get("/reviews/term.csv?term=autumn-2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="reviews-due-autumn-2026.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Setting", "URN", "LA reference"]
    assert [r[:2] + r[3:5] + r[6:8] for r in rows[1:]] == [
        ["Ash Grove Academy (654321)", "654321", "Leo", "Brown", "Year 8", "2026-11-02"],
        ["Oakfield Primary School (123456)", "123456", "Maya", "Patel", "Year 7", "2026-09-09"],
    ]


def test_one_settings_list(caseworker_client: Client, term_reviews) -> None:
    _one, _two, oak = term_reviews
    response = caseworker_client.get(f"/reviews/term.csv?term=autumn-2026&setting={oak.pk}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[4] for r in rows[1:]] == ["Patel"]


def test_the_term_list_as_pdf(caseworker_client: Client, term_reviews) -> None:
    response = caseworker_client.get("/reviews/term.pdf?term=autumn-2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Annual reviews due: Autumn term 2026" in text
    assert "Oakfield Primary School (123456)" in text
    assert "Maya Patel" in text
    assert "9 Sep 2026" in text
    assert "Leo Brown" in text
    assert "31 Jan 2027" not in text


def test_the_meeting_calendar_invite(caseworker_client: Client, term_reviews, caseworker) -> None:
    one, _two, _oak = term_reviews
    review = one.annual_reviews.get()
    review = services.review_invitations_send(
        actor=caseworker, review=review, sent_on=D(2026, 5, 20), meeting_planned_on=D(2026, 6, 16)
    )
    response = caseworker_client.get(f"/reviews/{review.pk}/meeting.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == ""  # every line, the last too, ends with CRLF
    assert "\n" not in text.replace("\r\n", "")
    assert f"UID:annual-review-{review.pk}@testserver" in lines
    assert "DTSTART;VALUE=DATE:20260616" in lines
    assert "DTEND;VALUE=DATE:20260617" in lines
    assert "DTSTAMP:20260601T120000Z" in lines
    assert "LOCATION:Oakfield Primary School" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    assert f"Annual review meeting: Maya Patel ({one.child.reference})" in text.replace("\r\n ", "")


def test_no_invite_without_a_meeting_date(caseworker_client: Client, term_reviews) -> None:
    one, _two, _oak = term_reviews
    review = one.annual_reviews.get()
    response = caseworker_client.get(f"/reviews/{review.pk}/meeting.ics", follow=True)
    assert response.redirect_chain == [(f"/reviews/{review.pk}/", 302)]
    assert "Record the meeting date" in response.content.decode()


def test_term_downloads_are_audited_with_the_children_they_hold(
    caseworker, caseworker_client: Client, term_reviews
) -> None:
    one, two, _oak = term_reviews
    caseworker_client.get("/reviews/term.csv?term=autumn-2026")
    caseworker_client.get("/reviews/term.pdf?term=autumn-2026")
    events = AuditEvent.objects.filter(action=DOWNLOADED)
    children = sorted([str(one.child_id), str(two.child_id)])
    assert sorted(
        (e.actor, e.changes["format"], e.changes["rows"], e.changes["children"]) for e in events
    ) == [(caseworker, "csv", 2, children), (caseworker, "pdf", 2, children)]


def test_a_formula_typed_as_a_name_is_text_in_the_csv(
    caseworker_client: Client, term_reviews
) -> None:
    one, _two, _oak = term_reviews
    Child.objects.filter(pk=one.child_id).update(last_name='=HYPERLINK("http://evil.example")')
    response = caseworker_client.get("/reviews/term.csv?term=autumn-2026")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://evil.example")' in [r[4] for r in rows]


def test_the_invite_download_is_audited_against_the_child(
    caseworker, caseworker_client: Client, term_reviews
) -> None:
    one, _two, _oak = term_reviews
    review = services.review_invitations_send(
        actor=caseworker,
        review=one.annual_reviews.get(),
        sent_on=D(2026, 5, 20),
        meeting_planned_on=D(2026, 6, 16),
    )
    assert caseworker_client.get(f"/reviews/{review.pk}/meeting.ics").status_code == 200
    event = AuditEvent.objects.get(action=DOWNLOADED)
    assert (event.child_id, event.changes["format"]) == (one.child_id, "ics")
