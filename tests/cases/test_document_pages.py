"""The Documents and letters tab in the browser: upload (the GOV.UK file upload and its error
summary), the list, downloads only for those who may read the child (audited), and letters
made and downloaded."""

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cases import messages as msg
from cases.models import Child, Document, Letter, LetterKind
from cases.services.documents import document_upload
from cases.services.letters import letter_create
from panels.models import ItemKind, ProfessionalRole
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.cases.documents_files import EXE, PDF, media, upload, zip_file
from tests.factories import AdviceRequestFactory, AssessmentRequestFactory, ChildFactory
from tests.panels import factories as f
from tests.tribunals.factories import register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
__all__ = ["media"]


def tab(child: Child) -> str:
    return reverse("cases:child-documents", args=[child.pk])


def upload_url(child: Child) -> str:
    return reverse("cases:child-document-upload", args=[child.pk])


def file_url(document: Document) -> str:
    return reverse("cases:document-file", args=[document.pk])


def _stored(child: Child, caseworker: User, name: str = "EP report.pdf") -> Document:
    return document_upload(
        actor=caseworker, child=child, file=upload(name, PDF), kind="advice", title="EP report"
    )


def test_uploading_a_report_lists_it_on_the_tab(caseworker_client: Client) -> None:
    child = ChildFactory.create()
    page = caseworker_client.get(upload_url(child))
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'class="govuk-file-upload' in html
    assert "smaller than 20 MB" in html
    response = caseworker_client.post(
        upload_url(child),
        {"file": upload("Views of Ava.pdf", PDF), "kind": "family_views", "title": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == tab(child)
    listing = caseworker_client.get(tab(child)).content.decode()
    document = Document.objects.get()
    assert "Views of Ava.pdf" in listing
    assert "The family&#x27;s views" in listing
    assert file_url(document) in listing


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.zip", zip_file(), msg.DOCUMENT_WRONG_TYPE),
        ("report.pdf", EXE, msg.DOCUMENT_NOT_WHAT_IT_SAYS.format(kind="PDF")),
    ],
)
def test_a_refused_file_shows_the_error_summary_linked_to_the_file_box(
    caseworker_client: Client, name: str, content: bytes, message: str
) -> None:
    child = ChildFactory.create()
    response = caseworker_client.post(
        upload_url(child), {"file": upload(name, content), "kind": "other"}
    )
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "govuk-error-summary" in html
    assert 'href="#id_file"' in html
    assert message in html
    assert not Document.objects.exists()


def test_no_file_chosen_says_select_a_file(caseworker_client: Client) -> None:
    child = ChildFactory.create()
    response = caseworker_client.post(upload_url(child), {"kind": "other"})
    assert "Select a file" in response.content.decode()


def test_a_file_over_the_limit_is_refused_with_the_limit(
    caseworker_client: Client, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    child = ChildFactory.create()
    response = caseworker_client.post(
        upload_url(child),
        {"file": upload("scan.pdf", PDF + b"0" * (3 * 1024 * 1024)), "kind": "other"},
    )
    assert "The selected file must be smaller than 2 MB" in response.content.decode()


def test_an_advice_report_can_record_the_advice_received(caseworker_client: Client) -> None:
    advice = AdviceRequestFactory.create()
    child = advice.request.child
    response = caseworker_client.post(
        upload_url(child),
        {
            "file": upload("EP advice.pdf", PDF),
            "kind": "advice",
            "advice_request": str(advice.pk),
            "advice_received": "on",
            "received_on_day": "20",
            "received_on_month": "11",
            "received_on_year": "2025",
        },
    )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.received_on is not None
    assert advice.received_on.isoformat() == "2025-11-20"
    assert Document.objects.get().advice_request == advice


def test_a_download_by_someone_who_may_read_the_child_is_sent_and_audited(
    caseworker: User, manager_client: Client
) -> None:
    child = ChildFactory.create()
    document = _stored(child, caseworker)
    response = manager_client.get(file_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="EP report.pdf"'
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="file.downloaded")
    assert event.child_id == child.pk
    assert event.object_id == str(document.pk)
    assert event.changes["format"] == "pdf"


def test_a_download_by_someone_who_may_not_read_the_child_is_refused(
    caseworker: User, panel_member: User, panel_member_client: Client, roleless_client: Client
) -> None:
    theirs = ChildFactory.create()
    document = _stored(theirs, caseworker)
    # A panel member whose panel has another child on its agenda.
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    f.item(f.meeting(chair=chair), ItemKind.PLACEMENT)
    assert panel_member_client.get(file_url(document)).status_code == 404
    assert roleless_client.get(file_url(document)).status_code == 403
    assert Client().get(file_url(document)).status_code == 302
    assert not AuditEvent.objects.filter(action="file.downloaded").exists()


def test_a_panel_member_may_download_the_papers_of_a_child_on_their_agenda(
    caseworker: User, panel_member: User, panel_member_client: Client
) -> None:
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    item = f.item(f.meeting(chair=chair), ItemKind.PLACEMENT)
    document = document_upload(
        actor=caseworker,
        child=item.child,
        file=upload("School report.pdf", PDF),
        kind="report",
        attached_to=item,
    )
    assert panel_member_client.get(file_url(document)).status_code == 200
    assert AuditEvent.objects.filter(action="file.downloaded", actor=panel_member).count() == 1


def test_a_letter_is_made_listed_and_downloaded_with_its_dates(
    caseworker_client: Client,
) -> None:
    request = AssessmentRequestFactory.create(not_assessing=True)
    child = request.child
    page = caseworker_client.get(reverse("cases:child-letter-create", args=[child.pk]))
    assert LetterKind.DECISION_NOT_TO_ASSESS.label in page.content.decode()
    response = caseworker_client.post(
        reverse("cases:child-letter-create", args=[child.pk]),
        {"kind": f"not_assess:{request.pk}", "notes": ""},
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    listing = caseworker_client.get(tab(child)).content.decode()
    href = reverse("cases:letter-file", args=[letter.pk])
    assert href in listing
    pdf = caseworker_client.get(href)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Appeal deadline" in " ".join(text.split())
    assert AuditEvent.objects.filter(action="file.downloaded", child_id=child.pk).exists()


def test_only_caseworkers_upload_and_make_letters(manager_client: Client) -> None:
    child = ChildFactory.create()
    assert manager_client.get(upload_url(child)).status_code == 403
    assert (
        manager_client.get(reverse("cases:child-letter-create", args=[child.pk])).status_code == 403
    )
    assert manager_client.get(tab(child)).status_code == 200


def test_an_administrator_changes_a_wording_and_old_letters_keep_theirs(
    caseworker_client: Client, admin_client_: Client
) -> None:
    request = AssessmentRequestFactory.create(not_assessing=True)
    make = reverse("cases:child-letter-create", args=[request.child.pk])
    caseworker_client.post(make, {"kind": f"not_assess:{request.pk}"})
    edit = reverse("cases:letter-wording-edit", args=["not_assess"])
    listing = admin_client_.get(reverse("cases:letter-wording-list")).content.decode()
    assert edit in listing
    form = admin_client_.get(edit).content.decode()
    assert "{{ appeal_deadline }}" in form
    response = admin_client_.post(
        edit,
        {
            "subject": "Our decision about {{ child_name }}",
            "body": "<p>Appeal by {{ appeal_deadline }}.</p>",
        },
    )
    assert response.status_code == 302
    caseworker_client.post(make, {"kind": f"not_assess:{request.pk}"})
    first, second = Letter.objects.order_by("created_at")
    assert (first.template_version.number, second.template_version.number) == (1, 2)

    def text(letter: Letter) -> str:
        pdf = caseworker_client.get(reverse("cases:letter-file", args=[letter.pk]))
        reader = PdfReader(io.BytesIO(pdf.content))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert "Your rights: mediation and appeal" in text(first)
    assert "Your rights" not in text(second)
    assert "Our decision about" in text(second)


def test_a_broken_wording_is_refused_in_the_error_summary(admin_client_: Client) -> None:
    response = admin_client_.post(
        reverse("cases:letter-wording-edit", args=["assess"]),
        {"subject": "Assessment", "body": "<p>{% if %}</p>"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The wording is not a valid template" in html


def test_only_administrators_change_wording(caseworker_client: Client) -> None:
    assert caseworker_client.get(reverse("cases:letter-wording-list")).status_code == 403
    edit = reverse("cases:letter-wording-edit", args=["assess"])
    assert caseworker_client.get(edit).status_code == 403


def _tab_queries(client: Client, child: Child) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(tab(child)).status_code == 200
    return len(captured)


def test_the_tab_reads_in_as_many_queries_for_20_documents_and_letters_as_for_1(
    caseworker: User, caseworker_client: Client
) -> None:
    advice = AdviceRequestFactory.create()
    request = advice.request
    child = request.child

    def add(count: int) -> None:
        for n in range(count):
            document_upload(
                actor=caseworker,
                child=child,
                file=upload(f"report {n}.pdf", PDF),
                kind="advice",
                advice_request=advice,
            )
            letter_create(
                actor=caseworker,
                child=child,
                kind=LetterKind.DECISION_TO_ASSESS,
                request=request,
            )

    add(1)
    one = _tab_queries(caseworker_client, child)
    add(19)
    assert _tab_queries(caseworker_client, child) == one


def test_a_document_can_be_for_a_panel_agenda_item_of_the_child(
    caseworker_client: Client,
) -> None:
    chair = f.panel_user("chair", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    item = f.item(f.meeting(chair=chair), ItemKind.PLACEMENT)
    page = caseworker_client.get(upload_url(item.child)).content.decode()
    key = f"panel_item:{item.pk}"
    assert f'value="{key}"' in page
    assert "Panel agenda item: " in page
    response = caseworker_client.post(
        upload_url(item.child),
        {"file": upload("School report.pdf", PDF), "kind": "report", "attached_to": key},
    )
    assert response.status_code == 302
    assert Document.objects.get().attached_to == item


def test_a_file_missing_from_storage_is_a_404_saying_so(
    caseworker: User, caseworker_client: Client
) -> None:
    document = _stored(ChildFactory.create(), caseworker)
    document.file.storage.delete(document.file.name)
    response = caseworker_client.get(file_url(document))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="file.downloaded").exists()


def test_an_appeals_page_lists_its_documents_and_offers_an_upload_for_it(
    caseworker: User, caseworker_client: Client
) -> None:
    appeal = register_appeal(caseworker)
    document = document_upload(
        actor=caseworker,
        child=appeal.child,
        file=upload("Bundle.pdf", PDF),
        kind="other",
        title="Tribunal bundle",
        attached_to=appeal,
    )
    _stored(appeal.child, caseworker)  # on the child, not the appeal: not listed there
    page = caseworker_client.get(reverse("tribunals:appeal-detail", args=[appeal.pk]))
    html = page.content.decode()
    assert file_url(document) in html
    assert "EP report" not in html
    upload_link = f"{upload_url(appeal.child)}?attached_to=appeal:{appeal.pk}"
    assert upload_link in html.replace("&amp;", "&")
    form = caseworker_client.get(upload_link).content.decode()
    assert f'<option value="appeal:{appeal.pk}" selected>' in form


def test_a_panel_member_reads_an_agenda_items_documents_on_its_page(
    caseworker: User, panel_member: User, panel_member_client: Client
) -> None:
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    item = f.item(f.meeting(chair=chair), ItemKind.PLACEMENT)
    document = document_upload(
        actor=caseworker,
        child=item.child,
        file=upload("School report.pdf", PDF),
        kind="report",
        attached_to=item,
    )
    html = panel_member_client.get(reverse("panels:item-detail", args=[item.pk])).content.decode()
    assert file_url(document) in html
    assert "Upload a document for this record" not in html  # panel members read, not upload
    assert panel_member_client.get(file_url(document)).status_code == 200
