"""The papers pack and the decision letters render, and say what they must (read with pypdf)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from panels.models import ItemKind, Outcome, ProfessionalRole
from panels.services import decision_record, meeting_close
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def chaired(panel_member):
    return f.panel_user(
        panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type("needs-assessment")]
    )


def test_the_papers_pack_has_each_item_summary_and_key_dates(panel_member_client, chaired) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"), chair=chaired)
    request = f.assessment_request(child__first_name="Jamie", child__last_name="Holt")
    f.item(
        meeting,
        ItemKind.DECISION_TO_ASSESS,
        request=request,
        summary="Escalating anxiety and school refusal since October.",
    )
    text = _text(panel_member_client.get(reverse("panels:meeting-papers", args=[meeting.pk])))
    assert "Needs assessment panel: papers for 2 Mar 2026" in text
    assert "Jamie Holt" in text
    assert "Escalating anxiety and school refusal since October." in text
    assert "Request received 19 Jan 2026" in text


def test_a_refusal_letter_gives_the_reasons_and_the_appeal_deadline(
    panel_member_client, chaired
) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"), chair=chaired)
    item = f.item(meeting, ItemKind.DECISION_TO_ASSESS)
    decision, _ = decision_record(
        actor=chaired,
        item=item,
        outcome=Outcome.DECLINE,
        reasons="Needs are being met through SEN support at school.",
    )
    letter_url = reverse("panels:decision-letter-family", args=[decision.pk])
    assert panel_member_client.get(letter_url).status_code == 404  # not sent before closing
    meeting_close(actor=chaired, meeting=meeting)
    family = _text(panel_member_client.get(letter_url))
    assert "We have decided not to carry out an EHC needs assessment" in family
    assert "Needs are being met through SEN support at school." in family
    # Letter dated Mon 2 Mar 2026: 2 months on is Sat 2 May, so the next working day.
    assert "Appeal deadline: 5 May 2026" in family
    assert "mediation adviser" in family
    setting = _text(
        panel_member_client.get(reverse("panels:decision-letter-setting", args=[decision.pk]))
    )
    assert "Needs are being met through SEN support at school." in setting
    assert "The appeal deadline is 5 May 2026" in setting


def test_an_agreement_letter_has_no_appeal_section(panel_member_client, chaired) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"), chair=chaired)
    item = f.item(meeting, ItemKind.DECISION_TO_ASSESS)
    decision, _ = decision_record(
        actor=chaired, item=item, outcome=Outcome.AGREE, reasons="Evidence of complex needs."
    )
    meeting_close(actor=chaired, meeting=meeting)
    text = _text(
        panel_member_client.get(reverse("panels:decision-letter-family", args=[decision.pk]))
    )
    assert "We will carry out an EHC needs assessment" in text
    assert "Evidence of complex needs." in text
    assert "Appeal deadline" not in text
