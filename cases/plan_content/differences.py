"""What changed between two editions of a plan, section by section (draft against final, an
amended plan against the plan in force), so families and panels see exactly what is different.

Rows are matched by their `key`, which an edition's copy keeps: a row in both is changed when
any of its words or links differ, added or removed otherwise.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from cases.codes import SenType
from cases.plan_content.checks import need_ref, outcome_ref, provision_ref
from cases.plan_content.models import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    Adulthood,
    PlanContent,
    Section,
)


@dataclass
class Change:
    """One difference: `kind` is added, removed or changed; `field` names what changed."""

    kind: str
    ref: str
    field: str
    before: str = ""
    after: str = ""


@dataclass
class SectionDifference:
    section: str
    title: str
    changes: list[Change] = field(default_factory=list)


def _budget(content: PlanContent) -> dict[str, str]:
    amount = content.personal_budget_amount
    return {
        "Personal budget requested": "Yes" if content.personal_budget_requested else "No",
        "Amount": f"£{amount:,.2f}" if amount is not None else "",
        "Details": content.personal_budget_details,
    }


def _placement(content: PlanContent) -> dict[str, str]:
    named = "; ".join(f"{s['rank']}. {s['name']}" for s in content.named_settings)
    return {"Type of setting": content.placement, "Settings named": named}


def _fields_of(content: PlanContent, section: str) -> dict[str, str]:
    if section == Section.A:
        return {
            "Views": content.views,
            "Interests": content.interests,
            "Aspirations": content.aspirations,
        }
    if section == Section.I:
        return _placement(content)
    return _budget(content)


def _rows(content: PlanContent, section: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Each row of a listed section by key: its reference and its words, links included."""
    rows: dict[str, tuple[str, dict[str, str]]] = {}
    if section in NEED_SECTIONS:
        for need in content.needs.all():
            if need.section == section:
                words = {"Need": need.description}
                if section == Section.B:
                    words["Area of need"] = SenType(need.need).label if need.need else ""
                rows[str(need.key)] = (need_ref(need), words)
    elif section == Section.E:
        for outcome in content.outcomes.prefetch_related("needs"):
            rows[str(outcome.key)] = (
                outcome_ref(outcome),
                {
                    "Outcome": outcome.description,
                    "By when": outcome.achieve_by,
                    "Preparing for adulthood": Adulthood(outcome.adulthood).label
                    if outcome.adulthood
                    else "",
                    "Needs it addresses": ", ".join(
                        sorted(need_ref(n) for n in outcome.needs.all())
                    ),
                },
            )
    elif section in PROVISION_SECTIONS:
        for item in content.provision.prefetch_related("outcomes"):
            if item.section == section:
                rows[str(item.key)] = (
                    provision_ref(item),
                    {
                        "Provision": item.description,
                        "How much and how often": item.frequency,
                        "For how long": item.duration,
                        "Who provides it": item.provider,
                        "Outcomes": ", ".join(sorted(outcome_ref(o) for o in item.outcomes.all())),
                    },
                )
    elif section == Section.K:
        for advice in content.advice.all():
            dated = f"{advice.dated:%-d %b %Y}" if advice.dated else ""
            rows[str(advice.key)] = (
                f"K{advice.position}",
                {"Advice": advice.description, "From": advice.author, "Dated": dated},
            )
    return rows


def _summary(words: dict[str, str]) -> str:
    return " · ".join(v for v in words.values() if v)


def _compare_rows(
    before: dict[str, tuple[str, dict[str, str]]], after: dict[str, tuple[str, dict[str, str]]]
) -> list[Change]:
    changes = []
    for key, (ref, words) in after.items():
        if key not in before:
            changes.append(Change("added", ref, "", "", _summary(words)))
            continue
        _, old_words = before[key]
        for name, value in words.items():
            if old_words.get(name, "") != value:
                changes.append(Change("changed", ref, name, old_words.get(name, ""), value))
    for key, (ref, words) in before.items():
        if key not in after:
            changes.append(Change("removed", ref, "", _summary(words), ""))
    return changes


def _compare_fields(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    return [
        Change("changed", "", name, before.get(name, ""), value)
        for name, value in after.items()
        if before.get(name, "") != value
    ]


FIELD_SECTIONS = (Section.A, Section.I, Section.J)


def plan_differences(before: PlanContent, after: PlanContent) -> list[SectionDifference]:
    """Every section A to K, with what changed from `before` to `after` (possibly nothing)."""
    result = []
    for section in Section:
        difference = SectionDifference(section.value, section.label)
        if section in FIELD_SECTIONS:
            difference.changes = _compare_fields(
                _fields_of(before, section), _fields_of(after, section)
            )
        else:
            difference.changes = _compare_rows(_rows(before, section), _rows(after, section))
        result.append(difference)
    return result


def changed_sections(differences: Iterable[SectionDifference]) -> list[str]:
    return [d.section for d in differences if d.changes]
