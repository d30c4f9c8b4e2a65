"""Documents in the API: upload (multipart), list by child, download (audited, only to those
who may read the child), and the letters made for families."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases import messages as msg
from cases.models import Document, LetterKind
from cases.services.documents import document_upload
from cases.services.letters import letter_create
from panels.models import ItemKind, ProfessionalRole
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.cases.documents_files import EXE, PDF, PNG, media, upload
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    PlanFactory,
    PlanVersionFactory,
)
from tests.panels import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
__all__ = ["media"]

URL = "/api/v1/documents/"


def post(api: APIClient, **data: Any) -> Any:
    return api.post(URL, data, format="multipart")


def test_an_upload_answers_201_with_the_document(
    caseworker: User, caseworker_api: APIClient
) -> None:
    child = ChildFactory.create()
    response = post(
        caseworker_api, child=str(child.pk), kind="family_views", file=upload("views.png", PNG)
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    document = Document.objects.get()
    assert body["id"] == str(document.pk)
    assert body["name"] == "views.png"
    assert body["size"] == len(PNG)
    assert body["content_type"] == "image/png"
    assert body["kind"] == "family_views"
    assert body["uploaded_by"] == caseworker.get_full_name()
    assert body["uploaded_at"]
    assert body["download"] == f"/api/v1/documents/{document.pk}/download/"


def test_a_file_that_lies_about_its_type_is_a_400_on_file(caseworker_api: APIClient) -> None:
    child = ChildFactory.create()
    response = post(caseworker_api, child=str(child.pk), kind="advice", file=upload("r.pdf", EXE))
    assert response.status_code == 400
    assert response.json() == {"file": [msg.DOCUMENT_NOT_WHAT_IT_SAYS.format(kind="PDF")]}


def test_a_file_too_large_is_a_400_on_file(caseworker_api: APIClient, settings: Any) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    child = ChildFactory.create()
    response = post(
        caseworker_api,
        child=str(child.pk),
        kind="other",
        file=upload("big.pdf", PDF + b"0" * (1024 * 1024)),
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["The selected file must be smaller than 1 MB"]}


def test_an_advice_report_records_the_advice_received(caseworker_api: APIClient) -> None:
    advice = AdviceRequestFactory.create()
    response = post(
        caseworker_api,
        child=str(advice.request.child_id),
        kind="advice",
        file=upload("ep.pdf", PDF),
        advice_request=str(advice.pk),
        received_on="2025-11-20",
        advice_received="true",
    )
    assert response.status_code == 201, response.json()
    advice.refresh_from_db()
    assert str(advice.received_on) == "2025-11-20"
    assert response.json()["advice_request"] == str(advice.pk)


def test_a_plan_takes_its_newest_version(caseworker_api: APIClient) -> None:
    plan = PlanFactory.create()
    response = post(
        caseworker_api,
        child=str(plan.child_id),
        kind="plan",
        file=upload("final plan.pdf", PDF),
        plan=str(plan.pk),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["plan"] == str(plan.pk)
    assert response.json()["plan_version"] == str(plan.versions.get().pk)


def test_a_record_of_another_child_is_a_400(caseworker_api: APIClient) -> None:
    plan = PlanFactory.create()
    response = post(
        caseworker_api,
        child=str(ChildFactory.create().pk),
        kind="plan",
        file=upload("plan.pdf", PDF),
        plan=str(plan.pk),
    )
    assert response.status_code == 400
    assert list(response.json()) == ["plan"]


def test_a_panel_item_is_attached(caseworker_api: APIClient) -> None:
    chair = f.panel_user("chair", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    item = f.item(f.meeting(chair=chair), ItemKind.PLACEMENT)
    response = post(
        caseworker_api,
        child=str(item.child_id),
        kind="report",
        file=upload("school.pdf", PDF),
        panel_item=str(item.pk),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["attached_to"] == {"kind": "panel_item", "id": str(item.pk)}


def test_managers_read_but_do_not_upload(manager_api: APIClient) -> None:
    child = ChildFactory.create()
    response = post(manager_api, child=str(child.pk), kind="other", file=upload("a.pdf", PDF))
    assert response.status_code == 403


def test_the_list_by_child_is_audited_once(caseworker: User, manager_api: APIClient) -> None:
    child, other = ChildFactory.create(), ChildFactory.create()
    for name in ("one.pdf", "two.pdf"):
        document_upload(actor=caseworker, child=child, file=upload(name, PDF), kind="other")
    document_upload(actor=caseworker, child=other, file=upload("x.pdf", PDF), kind="other")
    response = manager_api.get(URL, {"child": str(child.pk)})
    assert response.status_code == 200
    assert sorted(row["name"] for row in response.json()["results"]) == ["one.pdf", "two.pdf"]
    event = AuditEvent.objects.get(action="list.viewed")
    assert event.changes["children"] == [str(child.pk)]


def test_the_download_is_sent_and_audited(
    caseworker: User, manager: User, manager_api: APIClient
) -> None:
    child = ChildFactory.create()
    document = document_upload(
        actor=caseworker, child=child, file=upload("EP report.pdf", PDF), kind="advice"
    )
    response = manager_api.get(f"{URL}{document.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="EP report.pdf"'
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="file.downloaded")
    assert (event.actor, event.child_id) == (manager, child.pk)


def test_no_download_without_access_to_the_child(
    caseworker: User, panel_member_api: APIClient
) -> None:
    document = document_upload(
        actor=caseworker, child=ChildFactory.create(), file=upload("a.pdf", PDF), kind="other"
    )
    assert panel_member_api.get(f"{URL}{document.pk}/download/").status_code == 404
    assert panel_member_api.get(URL).json()["results"] == []
    assert APIClient().get(f"{URL}{document.pk}/download/").status_code == 401
    assert not AuditEvent.objects.filter(action="file.downloaded").exists()


def test_letters_are_listed_and_downloaded_as_pdf(
    caseworker: User, caseworker_api: APIClient, panel_member_api: APIClient
) -> None:
    request = AssessmentRequestFactory.create(not_assessing=True)
    letter = letter_create(
        actor=caseworker,
        child=request.child,
        kind=LetterKind.DECISION_NOT_TO_ASSESS,
        request=request,
    )
    listed = caseworker_api.get("/api/v1/letters/", {"child": str(request.child_id)}).json()
    assert [row["id"] for row in listed["results"]] == [str(letter.pk)]
    assert listed["results"][0]["template_version"] == 1
    pdf = caseworker_api.get(f"/api/v1/letters/{letter.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert panel_member_api.get(f"/api/v1/letters/{letter.pk}/pdf/").status_code == 403


def test_the_list_reads_in_as_many_queries_for_20_documents_as_for_1(
    caseworker: User, caseworker_api: APIClient
) -> None:
    chair = f.panel_user("chair", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    item = f.item(f.meeting(chair=chair), ItemKind.PLACEMENT)
    plan = item.child.plans.first() or PlanFactory.create(child=item.child)
    version = plan.versions.first() or PlanVersionFactory.create(plan=plan)

    def add(count: int) -> None:
        for n in range(count):
            for links in ({"attached_to": item}, {"plan_version": version}):
                document_upload(
                    actor=caseworker,
                    child=item.child,
                    file=upload(f"paper {n}.pdf", PDF),
                    kind="report",
                    **links,
                )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert caseworker_api.get(URL).status_code == 200
        return len(captured)

    add(1)
    queries()  # the first request caches the user's roles on the user object
    one = queries()
    add(10)
    assert queries() == one
