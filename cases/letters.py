"""The letters the law requires on a child's case: what each says by default, the facts each is
filled with, and rendering one to PDF.

Wording is data: an administrator edits it (each edit a new version, see
`cases.services.letters`). A wording is Django template text filled from `Letter.values`, a
dictionary of plain strings made when the letter is made: the template can reach nothing else
(no model, no setting), and the letter renders the same years later, with the wording and the
dates it was sent with. The family's dates (mediation, the appeal deadline, when a plan may
cease) come from the timescales engine, never counted here.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.utils.safestring import SafeString, mark_safe

from cases.models import (
    AssessmentDecision,
    AssessmentRequest,
    Child,
    IssueDecision,
    Letter,
    LetterKind,
    Plan,
)
from cases.selectors import plan_cease_window
from cases.services.plans import appeal_deadline_for
from send_cms.common.pdf import render_pdf
from send_cms.deadlines.calendar import council_calendar
from send_cms.timescales import compute, format_date

#: The built-in wordings (each kind's version 1): a subject here, the body in its own file.
WORDINGS_DIR = Path(__file__).resolve().parent / "letter_wordings"
SUBJECTS: dict[str, str] = {
    LetterKind.DECISION_TO_ASSESS: "We will carry out an EHC needs assessment for {{ child_name }}",
    LetterKind.DECISION_NOT_TO_ASSESS: (
        "Our decision: not to carry out an EHC needs assessment for {{ child_name }}"
    ),
    LetterKind.DECISION_NOT_TO_ISSUE: "Our decision: not to issue an EHC plan for {{ child_name }}",
    LetterKind.CEASE_PROPOSAL: (
        "We are considering ceasing to maintain {{ child_first_name }}'s EHC plan"
    ),
    LetterKind.CEASE_DECISION: (
        "Our decision: to cease to maintain {{ child_first_name }}'s EHC plan"
    ),
}


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def default_wording(kind: str) -> Wording:
    """The wording a kind of letter starts with, before any administrator has edited it."""
    body = (WORDINGS_DIR / f"{kind}.html").read_text(encoding="utf-8")
    return Wording(SUBJECTS[kind], body)


#: The letters that carry the family's rights of mediation and appeal (their dates must show).
WITH_APPEAL_RIGHTS = frozenset(
    {
        LetterKind.DECISION_NOT_TO_ASSESS,
        LetterKind.DECISION_NOT_TO_ISSUE,
        LetterKind.CEASE_DECISION,
    }
)

#: What a wording may use, for the administrator editing it.
COMMON_VALUES = (
    "council_name",
    "child_name",
    "child_first_name",
    "reference",
    "date_of_birth",
    "dated",
    "notes",
)
VALUES: dict[str, tuple[str, ...]] = {
    LetterKind.DECISION_TO_ASSESS: ("received_on", "decided_on", "final_plan_due"),
    LetterKind.DECISION_NOT_TO_ASSESS: (
        "received_on",
        "decided_on",
        "reasons",
        "notice_on",
        "mediation_contact_by",
        "appeal_deadline",
    ),
    LetterKind.DECISION_NOT_TO_ISSUE: (
        "received_on",
        "decided_on",
        "reasons",
        "notice_on",
        "mediation_contact_by",
        "appeal_deadline",
    ),
    LetterKind.CEASE_PROPOSAL: ("plan_issued_on", "proposed_on", "reasons"),
    LetterKind.CEASE_DECISION: (
        "plan_issued_on",
        "proposed_on",
        "reasons",
        "notice_on",
        "mediation_contact_by",
        "appeal_deadline",
        "earliest_cease_on",
    ),
}

TEMPLATE_ERROR = "The wording is not a valid template: {error}"


def check_wording(text: str) -> str:
    """An error message if `text` is not valid template text, else ""."""
    try:
        Template(text)
    except TemplateSyntaxError as error:
        return TEMPLATE_ERROR.format(error=error)
    return ""


# --- which letters a case can have, and their values ---------------------------------------


@dataclass(frozen=True)
class LetterOption:
    """A letter the case's records allow now: its kind and the request or plan it is about."""

    kind: str
    request: AssessmentRequest | None = None
    plan: Plan | None = None

    @property
    def key(self) -> str:
        subject = self.request if self.request is not None else self.plan
        assert subject is not None
        return f"{self.kind}:{subject.pk}"

    @property
    def label(self) -> str:
        if self.request is not None:
            return (
                f"{LetterKind(self.kind).label} (request received {fmt(self.request.received_on)})"
            )
        assert self.plan is not None
        return f"{LetterKind(self.kind).label} (plan issued {fmt(self.plan.issued_on)})"


def fmt(day: dt.date | None) -> str:
    return format_date(day) if day is not None else ""


def letter_options(*, requests: list[AssessmentRequest], plans: list[Plan]) -> list[LetterOption]:
    """The letters the records allow: a decision recorded is a letter to send."""
    options: list[LetterOption] = []
    for request in requests:
        if request.decision == AssessmentDecision.ASSESS:
            options.append(LetterOption(LetterKind.DECISION_TO_ASSESS, request=request))
        elif request.decision == AssessmentDecision.NOT_ASSESS:
            options.append(LetterOption(LetterKind.DECISION_NOT_TO_ASSESS, request=request))
        if request.issue_decision == IssueDecision.NOT_ISSUE:
            options.append(LetterOption(LetterKind.DECISION_NOT_TO_ISSUE, request=request))
    for plan in plans:
        if plan.cease_proposed_on is not None:
            options.append(LetterOption(LetterKind.CEASE_PROPOSAL, plan=plan))
        if plan.cease_decided_on is not None:
            options.append(LetterOption(LetterKind.CEASE_DECISION, plan=plan))
    return options


def _rights(notice_on: dt.date, certificate: dt.date | None = None) -> dict[str, str]:
    calendar = council_calendar()
    return {
        "notice_on": fmt(notice_on),
        "mediation_contact_by": fmt(compute("mediation_contact", notice_on, calendar).due),
        "appeal_deadline": fmt(appeal_deadline_for(notice_on, certificate=certificate)),
    }


def letter_values(
    *, option: LetterOption, child: Child, dated: dt.date, notes: str
) -> dict[str, Any]:
    """The facts the letter is filled with, as text, computed now and kept with the letter (the
    people it is addressed to too: those with parental responsibility, or the young person)."""
    recipients = [
        [contact.name, contact.address]
        for contact in child.contacts.all()
        if contact.parental_responsibility
    ]
    values: dict[str, Any] = {
        "recipients": recipients or [[child.full_name, ""]],
        "council_name": str(settings.COUNCIL_NAME),
        "child_name": child.full_name,
        "child_first_name": child.first_name,
        "reference": child.reference,
        "date_of_birth": fmt(child.date_of_birth),
        "dated": fmt(dated),
        "notes": notes,
    }
    request, plan = option.request, option.plan
    if request is not None:
        values["received_on"] = fmt(request.received_on)
    if option.kind == LetterKind.DECISION_TO_ASSESS:
        assert request is not None
        assert request.decided_on is not None
        values["decided_on"] = fmt(request.decided_on)
        calendar = council_calendar()
        if request.is_reassessment:
            start = request.decision_letter_sent_on or request.decided_on
            due = compute("reassessment_final_plan", start, calendar).due
        else:
            due = compute("final_plan", request.received_on, calendar).due
        values["final_plan_due"] = fmt(due)
    elif option.kind == LetterKind.DECISION_NOT_TO_ASSESS:
        assert request is not None
        values["decided_on"] = fmt(request.decided_on)
        values["reasons"] = request.decision_reasons
        # The appeal runs from the day the notice is sent: the letter's own date, unless the
        # date the decision letter was sent is already recorded.
        values.update(_rights(request.decision_letter_sent_on or dated))
    elif option.kind == LetterKind.DECISION_NOT_TO_ISSUE:
        assert request is not None
        values["decided_on"] = fmt(request.issue_decided_on)
        values["reasons"] = request.issue_decision_reasons
        values.update(_rights(dated))
    elif option.kind in (LetterKind.CEASE_PROPOSAL, LetterKind.CEASE_DECISION):
        assert plan is not None
        values["plan_issued_on"] = fmt(plan.issued_on)
        values["proposed_on"] = fmt(plan.cease_proposed_on)
        if option.kind == LetterKind.CEASE_PROPOSAL:
            values["reasons"] = plan.cease_proposal_reasons
        else:
            # The notice is the decision recorded on the plan: the dates the case pages show.
            window = plan_cease_window(plan=plan)
            assert window is not None
            values["reasons"] = plan.cease_decision_reasons
            values["notice_on"] = fmt(window.decided_on)
            values["mediation_contact_by"] = fmt(window.mediation_contact_by)
            values["appeal_deadline"] = fmt(window.appeal_deadline)
            values["earliest_cease_on"] = fmt(window.earliest_cease_on)
    return values


# --- rendering -------------------------------------------------------------------------------


def fill(text: str, values: Mapping[str, Any]) -> SafeString:
    """The wording filled with the letter's values (escaped: the values are typed text)."""
    return mark_safe(Template(text).render(Context(dict(values), autoescape=True)))  # noqa: S308 - an administrator's wording, values escaped


def letter_pdf(letter: Letter) -> bytes:
    """The letter as a PDF, from the wording version it was made with and its own values."""
    version = letter.template_version
    values = letter.values
    return render_pdf(
        "cases/pdf/letter.html",
        {
            "subject": fill(version.subject, values),
            "body": fill(version.body, values),
            "values": values,
            "recipients": values.get("recipients", []),
            "letter": letter,
        },
    )


def letter_filename(letter: Letter) -> str:
    """ "letter-not-assess-2026-00001-2026-03-02.pdf" (made safe by the download helper)."""
    kind = letter.kind.replace("_", "-")
    return f"letter-{kind}-{letter.values.get('reference', '')}-{letter.dated:%Y-%m-%d}.pdf"
