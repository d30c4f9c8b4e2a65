"""The subject access export: everything held about a child, from every app, as JSON, PDF and a
ZIP with the documents; managers and administrators only, and every download audited."""

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from cases.models import Child
from send_cms.audit.models import AuditEvent
from send_cms.audit.reads import DOWNLOADED
from tests.cases.documents_files import PDF

pytestmark = pytest.mark.django_db

SECTIONS = {
    "child",
    "requests",
    "plans",
    "content",
    "reviews",
    "panels",
    "mediations",
    "appeals",
    "correspondence",
    "timeline",
}


def _url(child: Child, fmt: str) -> str:
    return f"/records/children/{child.pk}/subject-access.{fmt}"


def _texts(document: dict[str, Any]) -> dict[str, str]:
    return {s["key"]: json.dumps(s["records"], ensure_ascii=False) for s in document["sections"]}


def test_the_json_holds_the_childs_records_from_every_app(
    full_file: dict[str, Any], manager_client: Client
) -> None:
    child: Child = full_file["child"]
    response = manager_client.get(_url(child, "json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert 'filename="subject-access-RET-0001.json"' in response["Content-Disposition"]
    document = response.json()
    texts = _texts(document)
    assert set(texts) == SECTIONS
    assert "Ruby" in texts["child"]
    assert "Sam Marlowe" in texts["child"]
    assert "reading age is four years behind" in texts["requests"]
    assert "Dr Reeves" in texts["requests"]
    assert "Ruby's first plan" in texts["plans"]
    assert "Ruby loves horses" in texts["content"]
    assert "read at her age level" in texts["content"]
    assert "smaller class" in texts["reviews"]
    assert "specialist setting" in texts["panels"]
    assert "met the mediator" in texts["mediations"]
    assert "Sam Marlowe" in texts["appeals"]
    assert "Educational psychology report" in texts["correspondence"]
    assert "rang about transport" in texts["timeline"]
    assert document["documents"] == [f"{full_file['document'].created_at:%Y-%m-%d} ep-report.pdf"]
    event = AuditEvent.objects.get(action=DOWNLOADED)
    assert event.child_id == child.pk
    assert event.changes == {"download": "subject access export", "format": "json"}


def test_the_pdf_renders_with_the_childs_records(
    full_file: dict[str, Any], manager_client: Client
) -> None:
    response = manager_client.get(_url(full_file["child"], "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Subject access export: Ruby Marlowe" in text
    assert "RET-0001" in text
    assert "Annual reviews" in text
    assert "Appeals to the tribunal" in text
    assert AuditEvent.objects.get(action=DOWNLOADED).changes["format"] == "pdf"


def test_the_zip_holds_the_json_the_pdf_and_the_documents(
    full_file: dict[str, Any], admin_client_: Client
) -> None:
    response = admin_client_.get(_url(full_file["child"], "zip"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="subject-access-RET-0001.zip"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = set(archive.namelist())
    stored = f"documents/{full_file['document'].created_at:%Y-%m-%d} ep-report.pdf"
    assert names == {"README.txt", "subject-access.json", "subject-access.pdf", stored}
    assert archive.read(stored) == PDF
    assert archive.read("subject-access.pdf").startswith(b"%PDF")
    assert json.loads(archive.read("subject-access.json"))["reference"] == "RET-0001"
    assert AuditEvent.objects.get(action=DOWNLOADED).changes["format"] == "zip"


def test_the_page_lists_what_the_export_holds_and_is_audited(
    full_file: dict[str, Any], manager_client: Client
) -> None:
    child: Child = full_file["child"]
    page = manager_client.get(f"/records/children/{child.pk}/subject-access/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Annual reviews" in body
    assert _url(child, "zip") in body
    assert AuditEvent.objects.filter(child_id=child.pk, action="subject_access.viewed").exists()


def test_caseworkers_and_panel_members_cannot_export(
    full_file: dict[str, Any], caseworker_client: Client, panel_member_client: Client
) -> None:
    child: Child = full_file["child"]
    for client in (caseworker_client, panel_member_client):
        assert client.get(_url(child, "json")).status_code == 403
        assert client.get(f"/records/children/{child.pk}/subject-access/").status_code == 403
    assert not AuditEvent.objects.filter(action=DOWNLOADED).exists()


def test_an_unknown_child_or_format_is_a_404(manager_client: Client) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    assert manager_client.get(f"/records/children/{missing}/subject-access.json").status_code == 404


def test_the_api_gives_managers_the_export_and_records_it(
    full_file: dict[str, Any], manager_api: APIClient, caseworker_api: APIClient
) -> None:
    child: Child = full_file["child"]
    url = f"/api/v1/children/{child.pk}/subject-access/"

    assert caseworker_api.get(url).status_code == 403
    response = manager_api.get(url)

    assert response.status_code == 200
    assert {s["key"] for s in response.json()["sections"]} == SECTIONS
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=DOWNLOADED)
    assert (event.child_id, event.changes["format"]) == (child.pk, "json (API)")
