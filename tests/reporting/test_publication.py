"""Publishing the monthly scorecard: once per month, never changed, managers emailed once; the
scorecards page, the month picker, "Publish now" and who may use them.

The PDF's contents are tested in test_scorecard_pdf.py; here WeasyPrint is replaced by a stub
that says which month and whether it is a draft, so these tests stay fast.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from reporting.metrics import METRICS
from reporting.models import PUBLISHED_IS_FINAL, MetricSnapshot, MetricTarget, Scorecard
from reporting.periods import month_period
from reporting.services import scorecards
from reporting.services.scorecards import document as scorecard_document
from reporting.services.scorecards import publication as scorecard_publication
from reporting.services.scorecards import scorecard_publish
from reporting.tasks import publish_monthly_scorecard
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.celery import app
from tests.factories import AssessmentRequestFactory

pytestmark = pytest.mark.django_db
D = dt.date
LONDON = ZoneInfo("Europe/London")
AUGUST = month_period(2025, 8)
FIRST_OF_SEPTEMBER = dt.datetime(2025, 9, 1, 6, 0, tzinfo=LONDON)
MID_SEPTEMBER = dt.datetime(2025, 9, 15, 10, 0, tzinfo=LONDON)


def stub_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    doc = context["doc"]
    state = "published" if doc.published_at else "draft"
    return f"%PDF-stub {doc.period.key} {state}".encode()


@pytest.fixture(autouse=True)
def _no_weasyprint(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://send.example.gov.uk"
    monkeypatch.setattr(scorecard_document, "render_pdf", stub_pdf)


@pytest.fixture
def august_figures(manager):
    """Two requests decided in August 2025, one within 6 weeks: 50%, against 90% (floor 60%)."""
    for after in (30, 50):
        received = D(2025, 8, 20) - dt.timedelta(days=after)
        AssessmentRequestFactory(
            assessing=True,
            received_on=received,
            decided_on=D(2025, 8, 20),
            decision_letter_sent_on=D(2025, 8, 20),
        )
    MetricTarget.objects.create(
        metric_id="decision_6wk_pct", target=Decimal(90), floor=Decimal(60), set_by=manager
    )


# --- the service ---------------------------------------------------------------------------------


def test_publishing_snapshots_every_metric_with_its_target_and_stores_the_pdf(
    august_figures, manager
):
    with time_machine.travel(FIRST_OF_SEPTEMBER, tick=False):
        scorecard = scorecard_publish(period=AUGUST, actor=manager)

    assert scorecard.period == "2025-08"
    assert scorecard.published_at == FIRST_OF_SEPTEMBER
    assert scorecard.published_by == manager
    with scorecard.pdf.open("rb") as stored:
        assert stored.read() == b"%PDF-stub 2025-08 published"
    assert scorecard.snapshots.count() == len(METRICS)
    snapshot = scorecard.snapshots.get(metric_id="decision_6wk_pct")
    assert snapshot.value == Decimal(50)
    assert (snapshot.numerator, snapshot.denominator) == (Decimal(1), 2)
    assert (snapshot.target, snapshot.floor) == (Decimal(90), Decimal(60))
    assert snapshot.definition_version == 1
    assert snapshot.computed_at == FIRST_OF_SEPTEMBER
    event = AuditEvent.objects.get(action="scorecard.published")
    assert (event.actor, event.object_id) == (manager, str(scorecard.pk))
    assert event.changes["period"] == "2025-08"


def test_publishing_a_month_twice_gives_one_scorecard_and_changes_nothing(august_figures):
    with time_machine.travel(FIRST_OF_SEPTEMBER, tick=False):
        first = scorecard_publish(period=AUGUST)
    AssessmentRequestFactory(  # late data entry: the recomputed figure would now differ
        assessing=True,
        received_on=D(2025, 8, 1),
        decided_on=D(2025, 8, 21),
        decision_letter_sent_on=D(2025, 8, 21),
    )
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        second = scorecard_publish(period=AUGUST)

    assert second.pk == first.pk
    assert second.published_at == FIRST_OF_SEPTEMBER
    assert Scorecard.objects.count() == 1
    assert MetricSnapshot.objects.count() == len(METRICS)
    assert MetricSnapshot.objects.get(metric_id="decision_6wk_pct").value == Decimal(50)
    assert AuditEvent.objects.filter(action="scorecard.published").count() == 1


def test_a_published_snapshot_and_scorecard_cannot_be_changed_or_deleted(august_figures):
    with time_machine.travel(FIRST_OF_SEPTEMBER, tick=False):
        scorecard = scorecard_publish(period=AUGUST)
    snapshot = scorecard.snapshots.get(metric_id="decision_6wk_pct")

    snapshot.value = Decimal(100)
    with pytest.raises(ValueError, match=PUBLISHED_IS_FINAL):
        snapshot.save()
    with pytest.raises(ValueError, match=PUBLISHED_IS_FINAL):
        scorecard.save()
    with pytest.raises(ValueError, match=PUBLISHED_IS_FINAL):
        scorecard.delete()
    assert MetricSnapshot.objects.get(pk=snapshot.pk).value == Decimal(50)


def test_a_publication_that_fails_leaves_no_scorecard_and_no_stored_file(monkeypatch, tmp_path):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(scorecard_publication, "record", broken)
    with time_machine.travel(FIRST_OF_SEPTEMBER, tick=False), pytest.raises(RuntimeError):
        scorecard_publish(period=AUGUST)

    assert not Scorecard.objects.exists()
    assert not MetricSnapshot.objects.exists()
    assert list(tmp_path.rglob("*.pdf")) == []


def test_a_month_is_published_only_once_it_has_ended():
    last_evening = dt.datetime(2025, 8, 31, 23, 0, tzinfo=LONDON)
    with time_machine.travel(last_evening, tick=False), pytest.raises(ValidationError) as refused:
        scorecard_publish(period=AUGUST)

    assert refused.value.message_dict == {
        "period": [scorecards.MONTH_NOT_OVER.format(month="August 2025")]
    }
    assert not Scorecard.objects.exists()


# --- the monthly task ----------------------------------------------------------------------------


def test_the_task_on_the_1st_publishes_last_month_and_emails_each_manager_once(
    make_user, django_capture_on_commit_callbacks
):
    for username, email, role in (
        ("manager1", "priya@example.gov.uk", Role.MANAGER),
        ("manager2", "tom@example.gov.uk", Role.MANAGER),
        ("manager3", "", Role.MANAGER),  # no address: nobody to email
        ("caseworker9", "cw@example.gov.uk", Role.CASEWORKER),  # not a manager
    ):
        user = make_user(username, role)
        user.email = email
        user.save()

    with time_machine.travel(FIRST_OF_SEPTEMBER, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert publish_monthly_scorecard.delay().get() == "2025-08"
        with django_capture_on_commit_callbacks(execute=True):
            publish_monthly_scorecard.delay()

    scorecard = Scorecard.objects.get()
    assert scorecard.period == "2025-08"
    assert scorecard.published_by is None
    assert sorted(m.to for m in mail.outbox) == [["priya@example.gov.uk"], ["tom@example.gov.uk"]]
    message = mail.outbox[0]
    assert message.subject == "Demo Borough Council: SEND scorecard for August 2025 published"
    assert "https://send.example.gov.uk/reporting/scorecards/2025-08.pdf" in message.body
    assert AuditEvent.objects.get(action="scorecard.published").actor_name.startswith("system")


def test_the_beat_schedule_runs_the_task_at_six_on_the_1st():
    entry = app.conf.beat_schedule["reporting-publish-monthly-scorecard"]

    assert entry["task"] == publish_monthly_scorecard.name
    assert entry["schedule"].day_of_month == {1}
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {0})


# --- the pages -----------------------------------------------------------------------------------


def test_the_list_shows_published_scorecards_and_offers_managers_the_months_not_published(
    manager_client,
):
    with time_machine.travel(FIRST_OF_SEPTEMBER, tick=False):
        scorecard_publish(period=month_period(2025, 7))
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        response = manager_client.get("/reporting/scorecards/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "July 2025" in html
    assert 'href="/reporting/scorecards/2025-07.pdf"' in html
    assert "Scheduled publication" in html
    assert '<option value="2025-08">August 2025</option>' in html
    assert '<option value="2025-07">' not in html  # already published
    assert '<option value="2025-09">' not in html  # not over yet


def test_the_contract_address_gives_the_same_audited_pdf(caseworker_client):
    """api.md: `GET /reports/scorecards/YYYY-MM.pdf`, the file the page's own link gives."""
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        page_link = caseworker_client.get("/reporting/scorecards/2025-08.pdf")
        contract = caseworker_client.get("/reports/scorecards/2025-08.pdf")

    assert contract.status_code == 200
    assert contract.content == page_link.content == b"%PDF-stub 2025-08 draft"
    assert contract["Content-Disposition"] == page_link["Content-Disposition"]
    assert AuditEvent.objects.filter(action="scorecard.download").count() == 2


def test_a_caseworker_reads_the_list_and_downloads_but_may_not_publish(caseworker_client):
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        page = caseworker_client.get("/reporting/scorecards/")
        download = caseworker_client.get("/reporting/scorecards/2025-08.pdf")
        publish = caseworker_client.post("/reporting/scorecards/publish/", {"period": "2025-08"})

    assert page.status_code == 200
    assert "Publish now" not in page.content.decode()
    assert download.status_code == 200
    assert download.content == b"%PDF-stub 2025-08 draft"
    assert publish.status_code == 403
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/reporting/scorecards/",
        "/reporting/scorecards/2025-08.pdf",
        "/reports/scorecards/2025-08.pdf",
    ],
    ids=["list", "pdf", "pdf-at-the-contract-address"],
)
def test_panel_members_are_refused_and_anonymous_users_sent_to_sign_in(
    path, panel_member_client, client
):
    assert panel_member_client.get(path).status_code == 403
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/")
    assert not AuditEvent.objects.filter(action="scorecard.download").exists()


def test_a_manager_publishes_now_and_managers_are_emailed(
    manager, manager_client, django_capture_on_commit_callbacks
):
    manager.email = "chris@example.gov.uk"
    manager.save()

    with (
        time_machine.travel(MID_SEPTEMBER, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = manager_client.post(
            "/reporting/scorecards/publish/", {"period": "2025-08"}, follow=True
        )

    assert response.redirect_chain == [("/reporting/scorecards/", 302)]
    assert "Scorecard for August 2025 published" in response.content.decode()
    scorecard = Scorecard.objects.get()
    assert (scorecard.period, scorecard.published_by) == ("2025-08", manager)
    assert [m.to for m in mail.outbox] == [["chris@example.gov.uk"]]


def test_publish_now_refuses_the_current_month_with_the_reason(manager_client):
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        response = manager_client.post("/reporting/scorecards/publish/", {"period": "2025-09"})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "September 2025 has not ended yet" in response.content.decode()
    assert not Scorecard.objects.exists()


def test_publish_now_needs_a_post_with_a_csrf_token(manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    with time_machine.travel(MID_SEPTEMBER, tick=False):
        assert client.get("/reporting/scorecards/publish/").status_code == 405
        assert client.post("/reporting/scorecards/publish/", {"period": "2025-08"}).status_code == (
            403
        )
    assert not Scorecard.objects.exists()


def test_the_month_picker_goes_to_that_months_pdf(manager_client):
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        response = manager_client.get("/reporting/scorecards/", {"month": "3", "year": "2025"})

    assert response.status_code == 302
    assert response["Location"] == "/reporting/scorecards/2025-03.pdf"


@pytest.mark.parametrize(
    ("month", "year", "error"),
    [
        ("", "", "Enter the month and year of the scorecard"),
        ("8", "", "Scorecard month must include a year"),
        ("13", "2025", "Scorecard month must be a real month"),
        ("8", "25", "Year must include 4 numbers"),
        ("9", "2025", "September 2025 has not ended yet"),
    ],
)
def test_the_month_picker_says_what_is_wrong(manager_client, month, year, error):
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        response = manager_client.get("/reporting/scorecards/", {"month": month, "year": year})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'<a href="#id_month">{error}' in html


def test_an_impossible_month_is_not_found_and_a_future_month_says_why(manager_client):
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        impossible = manager_client.get("/reporting/scorecards/2025-13.pdf")
        quarter = manager_client.get("/reporting/scorecards/2025-Q3.pdf")
        future = manager_client.get("/reporting/scorecards/2025-10.pdf")

    assert impossible.status_code == 404
    assert quarter.status_code == 404
    assert future.status_code == 404
    assert "No scorecard for October 2025 yet" in future.content.decode()
    assert not AuditEvent.objects.filter(action="scorecard.download").exists()


def test_each_download_is_audited(manager, manager_client):
    with time_machine.travel(FIRST_OF_SEPTEMBER, tick=False):
        scorecard = scorecard_publish(period=AUGUST)
    with time_machine.travel(MID_SEPTEMBER, tick=False):
        for _ in range(2):
            response = manager_client.get("/reporting/scorecards/2025-08.pdf")
            assert response.content == b"%PDF-stub 2025-08 published"

    events = AuditEvent.objects.filter(action="scorecard.download")
    assert events.count() == 2
    assert {(e.actor_id, e.object_id) for e in events} == {(manager.pk, str(scorecard.pk))}
    assert 'filename="scorecard-2025-08.pdf"' in response["Content-Disposition"]
