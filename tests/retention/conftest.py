"""A child with records in every app, for the retention and subject access tests."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Child, Contact, Document, PlanVersion, TimelineEntry
from cases.plan_content.models import PlanContent, PlanOutcome
from cases.services.documents import document_upload
from reviews.models import AnnualReview
from send_cms.accounts.models import User
from tests.cases.documents_files import PDF
from tests.factories import AdviceRequestFactory, ChildFactory, PlacementFactory
from tests.panels.factories import install_defaults, item, meeting
from tests.reviews.factories import AnnualReviewFactory
from tests.tribunals.factories import plan_for, record_mediation, register_appeal

#: Monday 7 December 2026: the day these tests run on.
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def full_file(caseworker: User, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Ruby, born 7 December 1995 (31 today), with a record in every app that holds one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    install_defaults()
    child = ChildFactory.create(
        reference="RET-0001",
        first_name="Ruby",
        last_name="Marlowe",
        date_of_birth=dt.date(1995, 12, 7),
        postcode="ZZ9 9ZZ",
    )
    Contact.objects.create(
        child=child, name="Sam Marlowe", relationship="Mother", address="1 Quay Street"
    )
    plan = plan_for(child, with_request=True, issued_on=dt.date(2024, 9, 2))
    request = plan.request
    assert request is not None
    request.decision_reasons = "Ruby's reading age is four years behind."
    request.save()
    AdviceRequestFactory.create(request=request, provider="Dr Reeves, educational psychologist")
    PlanVersion.objects.create(
        plan=plan, number=1, kind="final", issued_on=plan.issued_on, changes="Ruby's first plan"
    )
    PlacementFactory.create(plan=plan)
    content = PlanContent.objects.create(
        child=child, plan=plan, stage="amended", views="Ruby loves horses."
    )
    PlanOutcome.objects.create(content=content, description="Ruby will read at her age level.")
    review: AnnualReview = AnnualReviewFactory.create(
        plan=plan, family_views="Ruby's mother wants a smaller class."
    )
    panel_item = item(meeting(), plan=plan, summary="Ruby needs a specialist setting.")
    mediation = record_mediation(
        caseworker,
        child=child,
        decision_type="plan_contents",
        plan=plan,
        notes="Ruby's family met the mediator.",
    )
    appeal = register_appeal(
        caseworker,
        child=child,
        appeal_type="contents",
        plan=plan,
        appellant_name="Sam Marlowe",
    )
    TimelineEntry.objects.create(
        child=child,
        event="note",
        title="Telephone call",
        detail="Ruby's mother rang about transport.",
        occurred_on=dt.date(2025, 1, 6),
        recorded_by_name="A caseworker",
    )
    document: Document = document_upload(
        actor=caseworker,
        child=child,
        file=SimpleUploadedFile("ep-report.pdf", PDF, content_type="application/pdf"),
        kind="other",
        title="Educational psychology report",
    )
    return {
        "content": content,
        "document": document,
        "child": child,
        "plan": plan,
        "request": request,
        "review": review,
        "item": panel_item,
        "mediation": mediation,
        "appeal": appeal,
    }


def reload(child: Child) -> Child:
    return Child.objects.get(pk=child.pk)
