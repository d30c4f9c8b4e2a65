"""The plan as people read it: each section with its rows numbered (B1, E2, F.1) and the links
between them in words, for the page, the PDF and the API alike."""

from dataclasses import dataclass, field
from typing import Any

from cases.codes import SenType
from cases.plan_content.checks import need_ref, outcome_ref, provision_ref
from cases.plan_content.models import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    Adulthood,
    PlanContent,
    Section,
)

#: The sections a caseworker edits one page each, by the slug of their address.
SLUGS = {s.value.lower(): s.value for s in Section}


@dataclass
class Row:
    ref: str
    text: str
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DocumentSection:
    letter: str
    title: str
    slug: str
    rows: list[Row] = field(default_factory=list)
    empty: str = "Nothing written yet."


def _need_rows(content: PlanContent, section: str) -> list[Row]:
    rows = []
    for need in content.needs.all():
        if need.section != section:
            continue
        details = [("Area of need", SenType(need.need).label)] if need.need else []
        rows.append(Row(need_ref(need), need.description, details))
    return rows


def _outcome_rows(content: PlanContent) -> list[Row]:
    rows = []
    for outcome in content.outcomes.all():
        details = []
        if outcome.achieve_by:
            details.append(("By when", outcome.achieve_by))
        if outcome.adulthood:
            details.append(("Preparing for adulthood", Adulthood(outcome.adulthood).label))
        needs = ", ".join(need_ref(n) for n in sorted(outcome.needs.all(), key=need_ref))
        details.append(("Needs it addresses", needs or "None linked"))
        rows.append(Row(outcome_ref(outcome), outcome.description, details))
    return rows


def _provision_rows(content: PlanContent, section: str) -> list[Row]:
    rows = []
    for item in content.provision.all():
        if item.section != section:
            continue
        outcomes = ", ".join(outcome_ref(o) for o in sorted(item.outcomes.all(), key=outcome_ref))
        details = [
            ("How much and how often", item.frequency or "Not given"),
            ("For how long", item.duration or "Not given"),
            ("Who provides it", item.provider or "Not given"),
            ("Outcomes", outcomes or "None linked"),
        ]
        rows.append(Row(provision_ref(item), item.description, details))
    return rows


def _placement_rows(content: PlanContent) -> list[Row]:
    rows = []
    if content.placement:
        rows.append(Row("", content.placement, []))
    for named in content.named_settings:
        rows.append(Row(f"Named setting {named['rank']}", str(named["name"]), []))
    return rows


def _budget_rows(content: PlanContent) -> list[Row]:
    if not content.personal_budget_requested:
        return [Row("", "No personal budget was asked for.", [])]
    details = []
    if content.personal_budget_amount is not None:
        details.append(("Amount a year", f"£{content.personal_budget_amount:,.2f}"))
    text = content.personal_budget_details or "A personal budget was asked for."
    return [Row("", text, details)]


def _advice_rows(content: PlanContent) -> list[Row]:
    rows = []
    for advice in content.advice.all():
        details = []
        if advice.author:
            details.append(("From", advice.author))
        if advice.dated:
            details.append(("Dated", f"{advice.dated:%-d %B %Y}"))
        if advice.document_id is not None and advice.document is not None:
            details.append(("Document", advice.document.filename))
        rows.append(Row(f"K{advice.position}", advice.description, details))
    return rows


def document_sections(content: PlanContent) -> list[DocumentSection]:
    """Sections A to K in order, each with its rows as the plan shows them."""
    sections = []
    for section in Section:
        doc = DocumentSection(section.value, section.label, section.value.lower())
        if section == Section.A:
            doc.rows = [
                Row(label, text, [])
                for label, text in (
                    ("Views", content.views),
                    ("Interests", content.interests),
                    ("Aspirations", content.aspirations),
                )
                if text
            ]
        elif section in NEED_SECTIONS:
            doc.rows = _need_rows(content, section)
        elif section == Section.E:
            doc.rows = _outcome_rows(content)
        elif section in PROVISION_SECTIONS:
            doc.rows = _provision_rows(content, section)
        elif section == Section.I:
            doc.rows = _placement_rows(content)
        elif section == Section.J:
            doc.rows = _budget_rows(content)
        else:
            doc.rows = _advice_rows(content)
        sections.append(doc)
    return sections


def link_choices(content: PlanContent, section: str) -> list[tuple[str, str]]:
    """What a row can link to: the needs an outcome addresses, the outcomes provision serves."""

    def short(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    if section == Section.E:
        return [(str(n.key), f"{need_ref(n)}: {short(n.description)}") for n in content.needs.all()]
    if section in PROVISION_SECTIONS:
        return [
            (str(o.key), f"{outcome_ref(o)}: {short(o.description)}")
            for o in content.outcomes.all()
        ]
    return []


def describe(content: PlanContent) -> dict[str, Any]:
    """What the page heading and the PDF's first lines say about this edition."""
    version = content.version
    return {
        "stage": content.get_stage_display(),
        "version": version.number if version is not None else None,
        "issued_on": content.issued_on,
    }
