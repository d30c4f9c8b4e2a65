"""Demo letters and documents: the family's letter for each decision the demo recorded, and an
advice report on the first few pieces of advice received, made through the services."""

import random
from typing import Any, TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cases.letters import letter_options
from cases.models import AdviceRequest, AssessmentRequest, DocumentKind, Letter, Plan
from cases.services.documents import document_upload
from cases.services.letters import letter_create

#: At most this many of each, so a large demo stays quick to seed.
LETTERS = 60
REPORTS = 10
#: A one-page PDF saying what it is (the demo has no real reports).
REPORT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Demo advice report: not real) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed(*, rng: random.Random, users: dict[str, Any], children: int, stdout: TextIO) -> str:
    if Letter.objects.exists():
        return "letters: already made"
    actor = users["caseworker"]
    letters = reports = 0
    with transaction.atomic():
        requests = list(
            AssessmentRequest.objects.exclude(decision="").select_related("child")[:LETTERS]
        )
        plans = list(Plan.objects.filter(cease_proposed_on__isnull=False).select_related("child"))
        for option in letter_options(requests=requests, plans=plans)[:LETTERS]:
            subject = option.request or option.plan
            assert subject is not None
            letter_create(
                actor=actor,
                child=subject.child,
                kind=option.kind,
                request=option.request,
                plan=option.plan,
            )
            letters += 1
        received = AdviceRequest.objects.filter(received_on__isnull=False).select_related(
            "request__child"
        )
        for advice in received.order_by("received_on", "pk")[:REPORTS]:
            document_upload(
                actor=actor,
                child=advice.request.child,
                file=SimpleUploadedFile("advice-report.pdf", REPORT_PDF, "application/pdf"),
                kind=DocumentKind.ADVICE,
                title=f"{advice} (demo report)",
                received_on=advice.received_on,
                advice_request=advice,
            )
            reports += 1
    return f"letters: {letters} letters to families, {reports} advice reports"
