"""The monthly scorecard PDF: what a board member reads in the published file, and a draft for a
month not yet published. Each test renders one real PDF (about a second each)."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from reporting.metrics import METRICS, get_metric
from reporting.models import Commentary, MetricTarget, Scorecard
from reporting.periods import month_period
from reporting.services.scorecards import NO_COMMENTARY, scorecard_publish
from send_cms.audit.models import AuditEvent
from tests.factories import AssessmentRequestFactory

pytestmark = pytest.mark.django_db
D = dt.date
LONDON = ZoneInfo("Europe/London")
AUGUST = month_period(2025, 8)
COMMENT = (
    "Educational psychology capacity fell in July; two locum psychologists start in September."
)


@pytest.fixture(autouse=True)
def _media_and_council(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COUNCIL_NAME = "Testshire County Council"


def final_plan(received: dt.date, after_days: int) -> None:
    """A request whose final plan was issued `after_days` after it was received."""
    final_on = received + dt.timedelta(days=after_days)
    AssessmentRequestFactory(
        final_issued=True,
        received_on=received,
        decided_on=received + dt.timedelta(days=30),
        decision_letter_sent_on=received + dt.timedelta(days=30),
        issue_decided_on=received + dt.timedelta(days=70),
        draft_issued_on=final_on - dt.timedelta(days=15),
        final_issued_on=final_on,
    )


@pytest.fixture
def august(manager):
    """Three final plans issued in August 2025, two within 20 weeks (66.7%), against a target
    of 90% and a floor of 70%: red, with the manager's commentary."""
    final_plan(D(2025, 5, 1), 100)  # 9 Aug, within 140 days
    final_plan(D(2025, 4, 1), 130)  # 9 Aug, within
    final_plan(D(2025, 1, 20), 200)  # 8 Aug, late
    MetricTarget.objects.create(
        metric_id="final_20wk_inc_exc_pct", target=Decimal(90), floor=Decimal(70), set_by=manager
    )
    Commentary.objects.create(
        metric_id="final_20wk_inc_exc_pct", period="2025-08", text=COMMENT, author=manager
    )


def text_of(pdf: bytes) -> str:
    """The PDF's words with line breaks folded, so wrapped sentences read whole."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_published_pdf_prints_the_figures_the_red_metric_its_commentary_and_the_annex(
    august, manager, manager_client
):
    with time_machine.travel(dt.datetime(2025, 9, 1, 6, 0, tzinfo=LONDON), tick=False):
        scorecard = scorecard_publish(period=AUGUST, actor=None)

    with scorecard.pdf.open("rb") as stored:
        pdf = stored.read()
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Testshire County Council" in text
    assert "SEND performance scorecard August 2025" in text
    assert "Published on 1 September 2025" in text
    assert "Draft" not in text
    # The headline row: the 20-week pair as BCP shows it ("inc" then "exc"), six months, the
    # figure rounded only for display (2 of 3), the target and floor, and the RAG as a word.
    no_data = " No data" * 5
    assert (
        f"Final plans issued within 20 weeks inc{no_data} 66.7% 90.0% floor 70.0% Red "
        f"exc{no_data} 66.7% Not rated"
    ) in text.replace("weeksinc", "weeks inc")  # pypdf joins the title and "inc" cells
    assert "Exception: Final plans issued within 20 weeks (including exceptions)" in text
    assert COMMENT in text
    for metric in METRICS:  # the definitions annex
        assert metric.definition in text, metric.id

    # The download of a published month is the stored file, byte for byte, and is audited.
    response = manager_client.get("/reporting/scorecards/2025-08.pdf")
    assert response.status_code == 200
    assert response.content == pdf
    event = AuditEvent.objects.get(action="scorecard.download")
    assert (event.actor, event.object_id) == (manager, str(scorecard.pk))
    assert event.changes == {"period": "2025-08", "published": True}


def test_an_unpublished_month_downloads_as_a_draft_with_no_commentary_entered(
    manager, caseworker, caseworker_client
):
    final_plan(D(2025, 2, 1), 160)  # July 2025: late, so 0% within 20 weeks
    MetricTarget.objects.create(
        metric_id="final_20wk_inc_exc_pct", target=Decimal(90), floor=Decimal(70), set_by=manager
    )

    with time_machine.travel(dt.datetime(2025, 9, 15, 10, 0, tzinfo=LONDON), tick=False):
        response = caseworker_client.get("/reporting/scorecards/2025-07.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="scorecard-2025-07-draft.pdf"' in response["Content-Disposition"]
    text = text_of(response.content)
    assert "July 2025" in text
    assert "Draft, not yet published" in text
    assert "0.0%" in text
    assert f"{NO_COMMENTARY}." in text
    assert get_metric("final_20wk_exc_exc_pct").definition in text
    assert not Scorecard.objects.exists()
    event = AuditEvent.objects.get(action="scorecard.download")
    assert (event.actor, event.object_id) == (caseworker, "")
    assert event.changes == {"period": "2025-07", "published": False}
