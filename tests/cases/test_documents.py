"""Documents on a child's record: what an upload may be (checked by content), its size limit,
where it is stored, and recording an advice report's advice as received."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cases import messages as msg
from cases.models import Document, DocumentKind
from cases.services.documents import document_upload
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.cases.documents_files import EXE, JPEG, PDF, PNG, docx, media, upload, zip_file
from tests.factories import AdviceRequestFactory, ChildFactory, PlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
__all__ = ["media"]


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    ("name", "content", "mime_type"),
    [
        ("EP report.pdf", PDF, "application/pdf"),
        (
            "Views.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("drawing.png", PNG, "image/png"),
        ("photo.JPEG", JPEG, "image/jpeg"),
    ],
)
def test_each_accepted_type_is_kept_with_its_type_read_from_the_content(
    caseworker: User, name: str, content: bytes, mime_type: str, media: Path
) -> None:
    child = ChildFactory.create()
    document = document_upload(
        actor=caseworker,
        child=child,
        file=upload(name, content, "application/octet-stream"),
        kind=DocumentKind.FAMILY_VIEWS,
    )
    document.refresh_from_db()
    assert document.mime_type == mime_type
    assert document.filename == name
    assert document.title == name
    assert document.size == len(content)
    stored = Path(document.file.path)
    assert stored.is_relative_to(media)
    assert stored.read_bytes() == content
    assert name not in document.file.name  # stored under its id, not the uploader's name
    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.child_id == child.pk
    assert event.changes["filename"] == name


def test_a_type_not_accepted_is_refused(caseworker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        document_upload(
            actor=caseworker,
            child=ChildFactory.create(),
            file=upload("notes.zip", zip_file(), "application/zip"),
            kind=DocumentKind.OTHER,
        )
    assert _errors(excinfo) == {"file": [msg.DOCUMENT_WRONG_TYPE]}
    assert not Document.objects.exists()


@pytest.mark.parametrize("content", [zip_file(), EXE, b"plain text pretending"])
def test_a_pdf_whose_content_is_not_a_pdf_is_refused_saying_so(
    caseworker: User, content: bytes, media: Path
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        document_upload(
            actor=caseworker,
            child=ChildFactory.create(),
            file=upload("EP report.pdf", content),
            kind=DocumentKind.ADVICE,
        )
    assert _errors(excinfo) == {"file": [msg.DOCUMENT_NOT_WHAT_IT_SAYS.format(kind="PDF")]}
    assert "not a real PDF" in _errors(excinfo)["file"][0]
    assert not Document.objects.exists()
    assert not any(media.rglob("*.*"))  # nothing left in storage


def test_a_real_file_with_a_name_of_another_type_is_refused(caseworker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        document_upload(
            actor=caseworker,
            child=ChildFactory.create(),
            file=upload("scan.pdf", PNG),
            kind=DocumentKind.OTHER,
        )
    assert _errors(excinfo) == {
        "file": [msg.DOCUMENT_NAME_DISAGREES.format(kind="PNG image", ending=".png")]
    }


def test_a_file_over_the_size_limit_is_refused_with_the_limit(
    caseworker: User, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        document_upload(
            actor=caseworker,
            child=ChildFactory.create(),
            file=upload("big.pdf", content),
            kind=DocumentKind.OTHER,
        )
    assert _errors(excinfo) == {"file": ["The selected file must be smaller than 1 MB"]}


def test_an_empty_file_is_refused(caseworker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        document_upload(
            actor=caseworker, child=ChildFactory.create(), file=upload("a.pdf", b""), kind="other"
        )
    assert _errors(excinfo) == {"file": [msg.DOCUMENT_EMPTY]}


def test_a_record_of_another_child_is_refused(caseworker: User) -> None:
    advice = AdviceRequestFactory.create()
    plan = PlanFactory.create()
    with pytest.raises(ValidationError) as excinfo:
        document_upload(
            actor=caseworker,
            child=ChildFactory.create(),
            file=upload("a.pdf", PDF),
            kind=DocumentKind.ADVICE,
            advice_request=advice,
            plan_version=plan.versions.get(),
        )
    assert _errors(excinfo) == {
        "advice_request": [msg.DOCUMENT_OTHER_CHILD],
        "plan_version": [msg.DOCUMENT_OTHER_CHILD],
    }


def test_an_advice_report_records_its_advice_as_received(caseworker: User) -> None:
    advice = AdviceRequestFactory.create()
    received_on = advice.requested_on + dt.timedelta(days=30)
    document = document_upload(
        actor=caseworker,
        child=advice.request.child,
        file=upload("EP advice.pdf", PDF),
        kind=DocumentKind.ADVICE,
        title="Educational psychologist's advice",
        received_on=received_on,
        advice_request=advice,
        advice_received=True,
    )
    advice.refresh_from_db()
    assert advice.received_on == received_on
    assert document.advice_request == advice
    assert AuditEvent.objects.filter(action="advice_request.received").count() == 1


def test_recording_advice_twice_is_refused_and_keeps_no_file(caseworker: User) -> None:
    advice = AdviceRequestFactory.create(received_on=dt.date(2025, 11, 1))
    with pytest.raises(ValidationError) as excinfo:
        document_upload(
            actor=caseworker,
            child=advice.request.child,
            file=upload("again.pdf", PDF),
            kind=DocumentKind.ADVICE,
            received_on=dt.date(2025, 11, 2),
            advice_request=advice,
            advice_received=True,
        )
    assert list(_errors(excinfo)) == ["advice_request"]
    assert not Document.objects.exists()
