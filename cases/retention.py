"""Casework's part of retention: children's SEN files due for disposal (date of birth + the
schedule's years), anonymising one, and the casework sections of a subject access export.

Found at start-up by send_cms.retention (as `admin.py` is found).
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.db import models, transaction

from cases.models import (
    AdviceRequest,
    Allocation,
    AssessmentRequest,
    Child,
    Contact,
    Document,
    DraftConsultation,
    Letter,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
    TimelineEntry,
    TimescaleException,
)
from cases.plan_content.models import (
    PlanAdvice,
    PlanContent,
    PlanNeed,
    PlanOutcome,
    PlanProvision,
)
from send_cms.retention.anonymise import anonymise_text
from send_cms.retention.registry import (
    Due,
    HeldFile,
    Section,
    Subject,
    child_parts,
    register_child_part,
    register_disposer,
    register_files,
    register_finder,
    register_section,
    register_subject,
)
from send_cms.retention.schedule import SEN_FILE, Rule, add_years, latest_start
from send_cms.retention.subject_access import record_of

ANONYMISED_FIRST_NAME = "Anonymised"
ANONYMISED_LAST_NAME = "record"
ANONYMISED_PREFIX = "ANON-"


def children_due(rule: Rule, today: dt.date) -> Iterator[Due]:
    """Children whose SEN file's period (from their date of birth) has ended by today."""
    children = (
        Child.objects.filter(date_of_birth__lte=latest_start(today, rule.years))
        .exclude(reference__startswith=ANONYMISED_PREFIX)
        .only("id", "reference", "date_of_birth")
        .order_by("date_of_birth", "reference")
    )
    for child in children.iterator(chunk_size=500):
        yield Due(
            obj=child,
            child_id=child.pk,
            due_on=add_years(child.date_of_birth, rule.years),
            reference=child.reference,
        )


def child_file_anonymise(child: models.Model) -> dict[str, int]:
    """The whole SEN file: every app's records about the child, then the child's identity."""
    assert isinstance(child, Child)
    outcome: dict[str, int] = {}
    for part in child_parts():
        for kind, count in part(child.pk).items():
            outcome[kind] = outcome.get(kind, 0) + count
    child.first_name = ANONYMISED_FIRST_NAME
    child.last_name = ANONYMISED_LAST_NAME
    child.reference = f"{ANONYMISED_PREFIX}{child.pk.hex[:12].upper()}"
    # The month and year stay: ages at each census (SEN2) and in past figures still add up.
    child.date_of_birth = child.date_of_birth.replace(day=1)
    child.upn = ""
    child.uln = ""
    child.upn_unknown = ""
    child.postcode = ""
    child.full_clean()
    child.save()
    outcome["child"] = 1
    return outcome


def casework_anonymise(child_id: uuid.UUID) -> dict[str, int]:
    """Casework's records about the child: contacts, uploaded documents (and their files) and
    letters deleted (they hold other people's details or the words themselves, and count in no
    figure); every note, reason and name typed on a request, advice, exception, plan, the
    plan's content (sections A to K), version and timeline entry overwritten; dates, statuses
    and decisions kept."""
    contacts, _ = Contact.objects.filter(child_id=child_id).delete()
    documents = 0
    for document in Document.objects.filter(child_id=child_id):
        # The file goes when the transaction commits: a failed approval keeps it.
        transaction.on_commit(partial(document.file.storage.delete, document.file.name))
        document.delete()
        documents += 1
    letters, _ = Letter.objects.filter(child_id=child_id).delete()
    requests = AssessmentRequest.objects.filter(child_id=child_id)
    plans = Plan.objects.filter(child_id=child_id)
    contents = PlanContent.objects.filter(child_id=child_id)
    return {
        "contacts deleted": contacts,
        "documents deleted": documents,
        "letters deleted": letters,
        "plan contents": anonymise_text(contents),
        "plan needs": anonymise_text(PlanNeed.objects.filter(content__in=contents)),
        "plan outcomes": anonymise_text(
            PlanOutcome.objects.filter(content__in=contents), also=("achieve_by",)
        ),
        "plan provision": anonymise_text(
            PlanProvision.objects.filter(content__in=contents),
            also=("frequency", "duration", "provider"),
        ),
        "plan advice listed": anonymise_text(
            PlanAdvice.objects.filter(content__in=contents), also=("description", "author")
        ),
        "allocations": anonymise_text(
            Allocation.objects.filter(child_id=child_id), also=("reason",)
        ),
        "assessment requests": anonymise_text(
            requests, also=("requester_name", "received_on_override_reason", "withdrawal_reason")
        ),
        "advice requests": anonymise_text(
            AdviceRequest.objects.filter(request__in=requests), also=("provider",)
        ),
        "timescale exceptions": anonymise_text(
            TimescaleException.objects.filter(request__in=requests)
        ),
        "draft consultations": anonymise_text(
            DraftConsultation.objects.filter(request__in=requests)
        ),
        "plans": anonymise_text(plans),
        "plan versions": anonymise_text(PlanVersion.objects.filter(plan__in=plans)),
        "timeline entries": anonymise_text(TimelineEntry.objects.filter(child_id=child_id)),
    }


def child_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    child = Child.objects.select_related("current_setting", "caseworker").get(pk=child_id)
    records = [record_of(child, title="Child or young person")]
    records += [record_of(c, exclude=("child",)) for c in Contact.objects.filter(child=child)]
    records += [
        record_of(a, title="Allocation to a caseworker", exclude=("child",))
        for a in Allocation.objects.filter(child=child).select_related("caseworker", "allocated_by")
    ]
    return records


def request_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    records = []
    requests = AssessmentRequest.objects.filter(child_id=child_id).order_by("received_on")
    for request in requests.select_related("preferred_setting"):
        records.append(record_of(request, exclude=("child",)))
        for advice in AdviceRequest.objects.filter(request=request):
            records.append(record_of(advice, exclude=("request",)))
        for exception in TimescaleException.objects.filter(request=request):
            records.append(record_of(exception, exclude=("request",)))
        for consultation in DraftConsultation.objects.filter(request=request):
            records.append(record_of(consultation, exclude=("request",)))
    return records


def plan_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    records = []
    for plan in Plan.objects.filter(child_id=child_id).order_by("created_at"):
        records.append(record_of(plan, title="EHC plan", exclude=("child",)))
        for version in PlanVersion.objects.filter(plan=plan):
            records.append(record_of(version, exclude=("plan",)))
        for named in NamedSetting.objects.filter(plan=plan):
            records.append(record_of(named, exclude=("plan",)))
        for placement in Placement.objects.filter(plan=plan):
            records.append(record_of(placement, exclude=("plan",)))
    return records


def content_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    """Each edition of the plan's content (sections A to K) with its needs, outcomes,
    provision and advice."""
    records = []
    contents = PlanContent.objects.filter(child_id=child_id).order_by("created_at")
    for content in contents.select_related("written_by", "version"):
        records.append(record_of(content, title="EHC plan content", exclude=("child",)))
        for model in (PlanNeed, PlanOutcome, PlanProvision, PlanAdvice):
            for part in model._default_manager.filter(content=content).order_by("position"):
                records.append(record_of(part, exclude=("content", "key")))
    return records


def correspondence_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    """Letters made for the family (with the facts they were filled with) and the documents
    held, by name (their files are in the export's documents folder)."""
    letters = Letter.objects.filter(child_id=child_id).select_related("created_by")
    documents = Document.objects.filter(child_id=child_id).select_related("uploaded_by")
    return [record_of(letter, exclude=("child", "template_version")) for letter in letters] + [
        record_of(document, exclude=("child", "file", "attached_type", "attached_id", "sha256"))
        for document in documents.order_by("created_at")
    ]


def held_files(child_id: uuid.UUID) -> Iterator[HeldFile]:
    for document in Document.objects.filter(child_id=child_id).order_by("created_at"):
        yield HeldFile(
            name=f"{document.created_at:%Y-%m-%d} {document.filename}",
            read=partial(_read, document),
        )


def _read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return bytes(handle.read())


def timeline_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    entries = TimelineEntry.objects.filter(child_id=child_id).order_by("occurred_on", "id")
    return [record_of(entry, title=entry.title, exclude=("child",)) for entry in entries]


def subject(child_id: uuid.UUID) -> Subject | None:
    child = (
        Child.objects.filter(pk=child_id).only("id", "reference", "first_name", "last_name").first()
    )
    if child is None:
        return None
    return Subject(id=child.pk, reference=child.reference, name=child.full_name)


register_subject(subject)
register_finder(SEN_FILE, children_due)
register_disposer(Child._meta.label_lower, child_file_anonymise)
register_child_part(casework_anonymise)
register_section(
    Section("child", "The child or young person and their contacts", 10, child_records)
)
register_section(Section("requests", "Assessment requests and advice", 20, request_records))
register_section(Section("plans", "EHC plans, their versions and placements", 30, plan_records))
register_section(Section("content", "EHC plan content (sections A to K)", 35, content_records))
register_section(Section("correspondence", "Letters and documents", 75, correspondence_records))
register_section(Section("timeline", "The case timeline", 80, timeline_records))
register_files(held_files)
