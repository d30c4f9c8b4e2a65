"""The quality check before a plan is issued: the Code of Practice's tests of a good plan.

Every need has an outcome, every outcome has provision, section F says exactly what, how much,
how often and who (the vague phrases tribunals strike out are flagged), preparing-for-adulthood
outcomes from year 9, and section K lists every advice received. A checklist for the writer:
it never stops a plan being issued.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from cases.plan_content import messages as msg
from cases.plan_content.models import PlanContent, PlanNeed, PlanOutcome, PlanProvision, Section
from cases.plan_content.sections import (
    advice_received,
    advice_title,
    documents_received,
)
from send_cms.timescales import format_date

#: Phrases that leave provision unquantified or optional (Code of Practice 9.69: provision
#: "must be detailed and specific and should normally be quantified").
VAGUE_PHRASES = (
    "regular",
    "regularly",
    "access to",
    "as appropriate",
    "as required",
    "as needed",
    "when needed",
    "where necessary",
    "up to",
    "opportunities for",
    "opportunity to",
    "support as",
    "if possible",
    "may benefit",
    "should have",
    "would benefit",
)
_VAGUE = re.compile(r"\b(" + "|".join(re.escape(p) for p in VAGUE_PHRASES) + r")\b", re.I)
SEPTEMBER = 9
#: Preparing for adulthood outcomes are required in plans from year 9 (Code of Practice 8.9).
ADULTHOOD_FROM_YEAR = 9


@dataclass
class Check:
    """One line of the checklist: what is tested, whether the plan passes, and what to fix."""

    key: str
    title: str
    problems: list[str] = field(default_factory=list)
    applies: bool = True

    @property
    def passed(self) -> bool:
        return not self.problems


def need_ref(need: PlanNeed) -> str:
    return f"{need.section}{need.position}"


def outcome_ref(outcome: PlanOutcome) -> str:
    return f"E{outcome.position}"


def provision_ref(item: PlanProvision) -> str:
    return f"{item.section}.{item.position}"


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def vague_phrases(text: str) -> list[str]:
    """The vague phrases in a text, each once, in the order they appear."""
    found: list[str] = []
    for match in _VAGUE.finditer(text):
        phrase = match.group(1).lower()
        if phrase not in found:
            found.append(phrase)
    return found


def year_group(date_of_birth: dt.date, on: dt.date) -> int:
    """The school year on a date: 0 reception, 9 from the September after turning 13."""
    start = on.year if on.month >= SEPTEMBER else on.year - 1
    reception = date_of_birth.year + (5 if date_of_birth.month >= SEPTEMBER else 4)
    return start - reception


def quality_checks(content: PlanContent, *, on: dt.date | None = None) -> list[Check]:
    """The checklist for one edition, in the order a writer works through the plan."""
    on = on or content.issued_on or timezone.localdate()
    needs = list(content.needs.all())
    outcomes = list(content.outcomes.prefetch_related("needs", "provision"))
    provision = list(content.provision.all())

    section_a = Check("a", msg.CHECK_A)
    for name, what in (
        ("views", "views"),
        ("interests", "interests"),
        ("aspirations", "aspirations"),
    ):
        if not getattr(content, name).strip():
            section_a.problems.append(msg.CHECK_A_MISSING.format(what=what))

    section_b = Check("b", msg.CHECK_B)
    if not any(n.section == Section.B for n in needs):
        section_b.problems.append(msg.CHECK_B_MISSING)

    addressed = {n.pk for o in outcomes for n in o.needs.all()}
    needs_outcomes = Check("needs_outcomes", msg.CHECK_NEEDS_OUTCOMES)
    for need in needs:
        if need.pk not in addressed:
            needs_outcomes.problems.append(
                msg.CHECK_NEED_WITHOUT_OUTCOME.format(
                    ref=need_ref(need), text=_short(need.description)
                )
            )

    outcomes_provision = Check("outcomes_provision", msg.CHECK_OUTCOMES_PROVISION)
    for outcome in outcomes:
        if not outcome.provision.all():
            outcomes_provision.problems.append(
                msg.CHECK_OUTCOME_WITHOUT_PROVISION.format(
                    ref=outcome_ref(outcome), text=_short(outcome.description)
                )
            )

    specific = Check("f_specific", msg.CHECK_F_SPECIFIC)
    section_f = [p for p in provision if p.section == Section.F]
    if not section_f:
        specific.problems.append(msg.CHECK_F_NONE)
    for item in section_f:
        ref = provision_ref(item)
        for name, what in (
            ("frequency", "how much and how often"),
            ("duration", "for how long"),
            ("provider", "who provides it"),
        ):
            if not getattr(item, name).strip():
                specific.problems.append(msg.CHECK_F_MISSING.format(ref=ref, what=what))
        words = vague_phrases(" ".join((item.description, item.frequency, item.duration)))
        if words:
            specific.problems.append(msg.CHECK_F_VAGUE.format(ref=ref, words='", "'.join(words)))

    year = year_group(content.child.date_of_birth, on)
    adulthood = Check("adulthood", msg.CHECK_ADULTHOOD, applies=year >= ADULTHOOD_FROM_YEAR)
    if adulthood.applies and not any(o.adulthood for o in outcomes):
        adulthood.problems.append(
            msg.CHECK_ADULTHOOD_MISSING.format(name=content.child.first_name, year=year)
        )

    section_k = Check("k", msg.CHECK_K)
    listed = {a.advice_request_id for a in content.advice.all()}
    for advice in advice_received(content):
        if advice.pk not in listed:
            received = advice.re_received_on or advice.received_on
            assert received is not None
            section_k.problems.append(
                msg.CHECK_K_MISSING.format(
                    advice=advice_title(advice).lower(),
                    received_on=format_date(received),
                )
            )

    documents = {a.document_id for a in content.advice.all()}
    for document in documents_received(content):
        if document.pk not in documents:
            section_k.problems.append(msg.CHECK_K_DOCUMENT_MISSING.format(title=document.title))

    checks = [
        section_a,
        section_b,
        needs_outcomes,
        outcomes_provision,
        specific,
        adulthood,
        section_k,
    ]
    return [c for c in checks if c.applies]
