"""Writing the listed sections of the plan (B to H2 and K): rows replaced in order, kept by
their key so links between sections survive an edit, and section K filled from the advice and
documents received."""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.codes import AdviceKind, SenType
from cases.models import AdviceRequest, Document, DocumentKind
from cases.plan_content import messages as msg
from cases.plan_content.models import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    Adulthood,
    PlanAdvice,
    PlanContent,
    PlanNeed,
    PlanOutcome,
    PlanProvision,
    Section,
)
from cases.plan_content.services import _audit, _editable
from cases.services.common import Errors, add_error, raise_if

#: The documents on a child's record that section K lists: the advice and information.
K_DOCUMENT_KINDS = (DocumentKind.ADVICE, DocumentKind.REPORT, DocumentKind.FAMILY_VIEWS)


def _text(item: Mapping[str, Any], name: str) -> str:
    return str(item.get(name) or "").strip()


def _replace(
    model: type[Any],
    content: PlanContent,
    existing: Iterable[Any],
    items: Sequence[Mapping[str, Any]],
    values: Sequence[dict[str, Any]],
) -> list[Any]:
    """Update the rows whose key is given, add the new ones, remove the rest; in `items` order."""
    by_key = {str(row.key): row for row in existing}
    kept = {str(item.get("key")) for item in items if item.get("key")}
    for key, row in by_key.items():
        if key not in kept:
            row.delete()
    saved = []
    taken = set(model._default_manager.filter(content=content).values_list("key", flat=True))
    for position, (item, fields) in enumerate(zip(items, values, strict=True), start=1):
        row = by_key.get(str(item.get("key"))) if item.get("key") else None
        if row is None:
            row = model(content=content)
            chosen = _uuid(item.get("key"))
            if chosen is not None and chosen not in taken:
                row.key = chosen  # a client's own key for a new row, to link to it
            taken.add(row.key)
        for name, value in fields.items():
            setattr(row, name, value)
        row.position = position
        row.full_clean(exclude=["content"])
        row.save()
        saved.append(row)
    return saved


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _needs_of(content: PlanContent) -> dict[str, PlanNeed]:
    return {str(n.key): n for n in content.needs.all()}


def _outcomes_of(content: PlanContent) -> dict[str, PlanOutcome]:
    return {str(o.key): o for o in content.outcomes.all()}


@transaction.atomic
def plan_content_section_save(
    *,
    actor: Any,
    content: PlanContent,
    section: str,
    items: Sequence[Mapping[str, Any]],
) -> list[Any]:
    """Replace the rows of one section (B, C, D, E, F, G, H1, H2 or K) with `items`, in order.

    An item with the `key` of a row already in the section updates it (so links to it from
    other sections stay); one without adds a row; rows not given are removed. Outcomes name
    the keys of the needs they address (`needs`), provision the keys of its outcomes
    (`outcomes`), advice its `advice_request` (an AdviceRequest of this child) if any.
    """
    _editable(content)
    errors: Errors = {}
    values: list[dict[str, Any]] = []
    links: list[list[Any]] = []
    if section in NEED_SECTIONS:
        for index, item in enumerate(items):
            need = _text(item, "need")
            if need and section != Section.B:
                add_error(errors, f"{index}.need", msg.NEED_AREA_B_ONLY)
            elif need and need not in SenType.values:
                add_error(errors, f"{index}.need", "Choose the area of need.")
            if not _text(item, "description"):
                add_error(
                    errors, f"{index}.description", msg.DESCRIPTION_NEEDED.format(what="need")
                )
            values.append(
                {"section": section, "need": need, "description": _text(item, "description")}
            )
        raise_if(errors)
        saved = _replace(PlanNeed, content, content.needs.filter(section=section), items, values)
    elif section == Section.E:
        needs = _needs_of(content)
        for index, item in enumerate(items):
            adulthood = _text(item, "adulthood")
            if adulthood and adulthood not in Adulthood.values:
                add_error(errors, f"{index}.adulthood", "Choose a preparing for adulthood outcome.")
            if not _text(item, "description"):
                add_error(
                    errors, f"{index}.description", msg.DESCRIPTION_NEEDED.format(what="outcome")
                )
            keys = [str(k) for k in item.get("needs") or ()]
            if any(k not in needs for k in keys):
                add_error(errors, f"{index}.needs", msg.UNKNOWN_LINK.format(what="needs"))
            links.append([needs[k] for k in keys if k in needs])
            values.append(
                {
                    "description": _text(item, "description"),
                    "achieve_by": _text(item, "achieve_by"),
                    "adulthood": adulthood,
                }
            )
        raise_if(errors)
        saved = _replace(PlanOutcome, content, content.outcomes.all(), items, values)
        for row, linked in zip(saved, links, strict=True):
            row.needs.set(linked)
    elif section in PROVISION_SECTIONS:
        outcomes = _outcomes_of(content)
        for index, item in enumerate(items):
            if not _text(item, "description"):
                add_error(
                    errors, f"{index}.description", msg.DESCRIPTION_NEEDED.format(what="provision")
                )
            keys = [str(k) for k in item.get("outcomes") or ()]
            if any(k not in outcomes for k in keys):
                add_error(errors, f"{index}.outcomes", msg.UNKNOWN_LINK.format(what="outcomes"))
            links.append([outcomes[k] for k in keys if k in outcomes])
            values.append(
                {
                    "section": section,
                    **{
                        name: _text(item, name)
                        for name in ("description", "frequency", "duration", "provider")
                    },
                }
            )
        raise_if(errors)
        saved = _replace(
            PlanProvision, content, content.provision.filter(section=section), items, values
        )
        for row, linked in zip(saved, links, strict=True):
            row.outcomes.set(linked)
    elif section == Section.K:
        requests = {str(a.pk): a for a in _advice_of(content)}
        on_record = {str(d.pk): d for d in Document.objects.filter(child_id=content.child_id)}
        seen: set[str] = set()
        for index, item in enumerate(items):
            advice_id = str(item.get("advice_request") or "")
            if advice_id and advice_id not in requests:
                add_error(errors, f"{index}.advice_request", msg.ADVICE_NOT_THIS_CASE)
            elif advice_id and advice_id in seen:
                add_error(errors, f"{index}.advice_request", msg.ADVICE_LISTED_TWICE)
            if advice_id:
                seen.add(advice_id)
            if not _text(item, "description"):
                add_error(
                    errors,
                    f"{index}.description",
                    msg.DESCRIPTION_NEEDED.format(what="advice or information"),
                )
            document_id = str(item.get("document") or "")
            if document_id and document_id not in on_record:
                add_error(errors, f"{index}.document", msg.DOCUMENT_NOT_THIS_CHILD)
            values.append(
                {
                    "advice_request": requests.get(advice_id),
                    "document": on_record.get(document_id),
                    "description": _text(item, "description"),
                    "author": _text(item, "author"),
                    "dated": item.get("dated") or None,
                }
            )
        raise_if(errors)
        saved = _replace(PlanAdvice, content, content.advice.all(), items, values)
    else:
        raise ValidationError({"section": [msg.SECTION_UNKNOWN.format(section=section)]})
    content.save(update_fields=["updated_at"])
    _audit(
        actor=actor,
        content=content,
        action="plan_content.section_saved",
        changes={"section": section, "items": len(saved)},
    )
    return saved


def _advice_of(content: PlanContent) -> list[AdviceRequest]:
    """The advice requested for the child's assessments, newest assessment first."""
    return list(
        AdviceRequest.objects.filter(request__child_id=content.child_id)
        .select_related("request")
        .order_by("-request__received_on", "requested_on", "kind")
    )


def advice_received(content: PlanContent) -> list[AdviceRequest]:
    """The advice received for the assessment the plan comes from (section K must list it)."""
    request_id = content.request_id
    if request_id is None and content.plan is not None:
        request_id = content.plan.request_id
    if request_id is None:
        return []
    return [
        a
        for a in AdviceRequest.objects.filter(request_id=request_id).order_by(
            "requested_on", "kind"
        )
        if a.received_on is not None
    ]


def advice_title(advice: AdviceRequest) -> str:
    return AdviceKind(advice.kind).advice


def documents_received(content: PlanContent) -> list[Document]:
    """The advice reports, reports and the family's views on the child's record (section K lists
    them: the information the plan rests on)."""
    return list(
        Document.objects.filter(child_id=content.child_id, kind__in=K_DOCUMENT_KINDS).order_by(
            "created_at"
        )
    )


@transaction.atomic
def plan_content_list_advice_received(*, actor: Any, content: PlanContent) -> list[PlanAdvice]:
    """Add to section K every advice received and every document of advice or information on
    the child's record that it does not list yet; an advice report goes on its advice's row."""
    _editable(content)
    rows = list(content.advice.all())
    by_advice = {r.advice_request_id: r for r in rows if r.advice_request_id}
    documents = {r.document_id for r in rows if r.document_id}
    position = len(rows)
    added: list[PlanAdvice] = []
    for advice in advice_received(content):
        if advice.pk in by_advice:
            continue
        position += 1
        row = PlanAdvice(
            content=content,
            advice_request=advice,
            description=advice_title(advice),
            author=advice.provider,
            dated=advice.re_received_on or advice.received_on,
            position=position,
        )
        row.full_clean()
        row.save(force_insert=True)
        by_advice[advice.pk] = row
        added.append(row)
    for document in documents_received(content):
        if document.pk in documents:
            continue
        row_of_advice = (
            by_advice.get(document.advice_request_id) if document.advice_request_id else None
        )
        if row_of_advice is not None and row_of_advice.document_id is None:
            row_of_advice.document = document
            row_of_advice.save(update_fields=["document", "updated_at"])
            documents.add(document.pk)
            continue
        position += 1
        row = PlanAdvice(
            content=content,
            document=document,
            description=document.title[:300],
            dated=document.received_on or document.created_at.date(),
            position=position,
        )
        row.full_clean()
        row.save(force_insert=True)
        documents.add(document.pk)
        added.append(row)
    if added:
        _audit(
            actor=actor,
            content=content,
            action="plan_content.section_saved",
            changes={"section": "K", "added": [str(a) for a in added]},
        )
    return added
