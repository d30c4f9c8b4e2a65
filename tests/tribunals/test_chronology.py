"""The chronology PDF for the tribunal bundle: every dated event on the case, oldest first."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from cases.models import PlanVersion
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline
from tribunals import services
from tribunals.selectors.chronology import chronology_for

from .factories import make_child, plan_for, refused_request, register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = dt.date


@pytest.fixture
def case(caseworker):
    child = make_child(first_name="Mia", last_name="Chronos")
    request = refused_request(child, received_on=D(2025, 6, 2))
    plan = plan_for(child, issued_on=D(2024, 9, 2))
    PlanVersion.objects.create(plan=plan, number=1, kind="final", issued_on=D(2024, 9, 2))
    appeal = register_appeal(
        caseworker,
        child=child,
        request=request,
        tribunal_reference="EH123/25/00042",
        received_by_la_on=D(2025, 12, 1),
    )
    services.appeal_direction_add(
        actor=caseworker,
        appeal=appeal,
        description="Send the working document",
        due_on=D(2026, 1, 9),
        made_on=D(2025, 12, 5),
    )
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 12))
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2026, 3, 2)
    )
    services.appeal_order_add(
        actor=caseworker, appeal=appeal, kind="assess", made_on=D(2026, 3, 2), sent_on=D(2026, 3, 4)
    )
    Deadline.objects.create(
        child_id=child.pk,
        subject_type="reviews.annualreview",
        subject_id=plan.pk,
        rule="annual_review",
        title="Annual review due",
        regulation="CFA 2014 s.44",
        trigger_on=D(2024, 9, 2),
        due_on=D(2025, 9, 1),
        practical_target_on=D(2025, 9, 1),
        met_on=D(2025, 8, 20),
        status="met",
        explanation="The 12 months starting with the plan issued or last reviewed on 2 Sep 2024.",
    )
    return child


def test_the_chronology_holds_every_kind_of_event_in_date_order(caseworker, case):
    chronology = chronology_for(user=caseworker, child=case)
    dates = [e.on for e in chronology.events]
    assert dates == sorted(dates)
    titles = [(e.on, e.title, e.source) for e in chronology.events]
    assert (D(2024, 9, 2), "EHC plan issued", "Case record") in titles
    assert (D(2024, 9, 2), "EHC plan version 1 (final plan)", "Document") in titles
    assert (D(2025, 6, 2), "Request for an EHC needs assessment received", "Case record") in titles
    assert (D(2025, 7, 14), "Decision: do not assess", "Case record") in titles
    assert (D(2025, 12, 1), "Appeal registered: refusal to assess", "Case timeline") in titles
    assert (D(2025, 12, 1), "Tribunal appeal reference EH123/25/00042", "Document") in titles
    assert (D(2026, 1, 20), "Due: Response to the appeal due", "Deadline") in titles
    assert (D(2026, 1, 9), "Due: Tribunal direction", "Deadline") in titles
    assert (
        D(2026, 3, 18),
        "Due: Order: Carry out an assessment: Tell the family the assessment will go ahead (order)",
        "Deadline",
    ) in titles
    assert (D(2025, 9, 1), "Due: Annual review due", "Deadline") in titles
    assert AuditEvent.objects.filter(action="child.viewed", child_id=case.pk).exists()


def test_the_chronology_pdf_renders_with_the_events(caseworker_client, case):
    response = caseworker_client.get(f"/tribunals/children/{case.pk}/chronology.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "Chronology: Mia Chronos" in flat
    for expected in [
        "Request for an EHC needs assessment received",
        "Appeal registered: refusal to assess",
        "Council's response sent to the tribunal",
        "Tribunal upheld the appeal",
        "Tribunal order: carry out an assessment",
        "Tribunal appeal reference EH123/25/00042",
        "Due: Response to the appeal due",
        "Due: Annual review due",
        "EHC plan version 1",
    ]:
        assert expected in flat, expected
    assert (
        flat.index("EHC plan issued")
        < flat.index("Appeal registered")
        < flat.index("Tribunal upheld")
    )


def test_panel_members_cannot_print_the_whole_case(panel_member_client, case):
    assert (
        panel_member_client.get(f"/tribunals/children/{case.pk}/chronology.pdf").status_code == 403
    )
