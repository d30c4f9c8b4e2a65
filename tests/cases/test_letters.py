"""Letters to families: each renders to PDF with its key words and dates (the family's appeal
deadline from the timescales engine), and a wording edited is a new version that letters
already made do not take."""

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from cases.letters import letter_pdf
from cases.models import Contact, Letter, LetterKind, LetterTemplateVersion
from cases.services.letters import letter_create, letter_template_current, letter_template_revise
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.timescales import compute, default_calendar
from tests.factories import AssessmentRequestFactory, PlanFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def _due(rule: str, start: dt.date) -> dt.date:
    return compute(rule, start, default_calendar()).due


def test_decision_to_assess_letter_gives_the_final_plan_due_date(caseworker: User) -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    letter = letter_create(
        actor=caseworker, child=request.child, kind=LetterKind.DECISION_TO_ASSESS, request=request
    )
    text = text_of(letter_pdf(letter))
    assert "We will carry out an EHC needs assessment" in text
    assert request.child.full_name in text
    assert day(request.received_on) in text
    assert day(_due("final_plan", request.received_on)) in text
    assert "Appeal deadline" not in text  # no right of appeal against a decision to assess


def test_decision_not_to_assess_letter_gives_the_reasons_and_the_familys_rights(
    caseworker: User,
) -> None:
    request = AssessmentRequestFactory.create(not_assessing=True)
    Contact.objects.create(
        child=request.child, name="Grace Okoro", relationship="Mother", address="1 High Street"
    )
    letter = letter_create(
        actor=caseworker,
        child=request.child,
        kind=LetterKind.DECISION_NOT_TO_ASSESS,
        request=request,
        notes="We will meet the school next week.",
    )
    text = text_of(letter_pdf(letter))
    notice_on = request.decision_letter_sent_on
    assert notice_on is not None
    assert "not to carry out an EHC needs assessment" in text
    assert "Grace Okoro" in text
    assert "1 High Street" in text
    assert request.decision_reasons in text
    assert "We will meet the school next week." in text
    assert "mediation adviser" in text
    assert f"Contact the adviser by {day(_due('mediation_contact', notice_on))}" in text
    assert f"Appeal deadline: {day(_due('appeal_deadline', notice_on))}" in text


def test_decision_not_to_issue_letter_counts_the_appeal_from_the_letters_date(
    caseworker: User,
) -> None:
    request = AssessmentRequestFactory.create(
        not_issuing=True, issue_decision_reasons="Needs can be met from the school's resources."
    )
    letter = letter_create(
        actor=caseworker,
        child=request.child,
        kind=LetterKind.DECISION_NOT_TO_ISSUE,
        request=request,
    )
    text = text_of(letter_pdf(letter))
    assert "not to issue an EHC plan" in text
    assert "Needs can be met from the school's resources." in text
    assert f"Appeal deadline: {day(_due('appeal_deadline', TODAY))}" in text
    assert day(dt.date(2025, 12, 1)) in text  # the decision's date


def test_cease_letters_give_the_reasons_and_the_decisions_dates(caseworker: User) -> None:
    plan = PlanFactory.create(
        cease_proposed_on=dt.date(2026, 1, 20),
        cease_proposal_reasons="The young person has started an apprenticeship.",
        cease_decided_on=dt.date(2026, 2, 10),
        cease_decision_reasons="Outcomes achieved; no longer needs special provision.",
    )
    proposal = letter_create(
        actor=caseworker, child=plan.child, kind=LetterKind.CEASE_PROPOSAL, plan=plan
    )
    text = text_of(letter_pdf(proposal))
    assert "considering ceasing" in text
    assert "The young person has started an apprenticeship." in text
    assert "Appeal deadline" not in text

    decision = letter_create(
        actor=caseworker, child=plan.child, kind=LetterKind.CEASE_DECISION, plan=plan
    )
    text = text_of(letter_pdf(decision))
    deadline = _due("appeal_deadline", dt.date(2026, 2, 10))
    assert "to cease to maintain" in text
    assert "Outcomes achieved; no longer needs special provision." in text
    assert f"Appeal deadline: {day(deadline)}" in text
    assert f"no earlier than {day(deadline + dt.timedelta(days=1))}" in text


def test_a_letter_the_case_does_not_call_for_is_refused(caseworker: User) -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    with pytest.raises(ValidationError) as excinfo:
        letter_create(
            actor=caseworker,
            child=request.child,
            kind=LetterKind.DECISION_NOT_TO_ASSESS,
            request=request,
        )
    assert "no such decision" in excinfo.value.messages[0]
    assert not Letter.objects.exists()


def test_editing_a_wording_is_a_new_version_and_old_letters_keep_theirs(
    caseworker: User, admin_user: User
) -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    first = letter_create(
        actor=caseworker, child=request.child, kind=LetterKind.DECISION_TO_ASSESS, request=request
    )
    current = letter_template_current(kind=LetterKind.DECISION_TO_ASSESS)
    revised = letter_template_revise(
        actor=admin_user,
        kind=LetterKind.DECISION_TO_ASSESS,
        subject=current.subject,
        body=current.body.replace("What happens next", "The next steps"),
    )
    assert revised.number == current.number + 1
    assert LetterTemplateVersion.objects.filter(template=current.template).count() == 2
    second = letter_create(
        actor=caseworker, child=request.child, kind=LetterKind.DECISION_TO_ASSESS, request=request
    )
    first.refresh_from_db()
    assert first.template_version == current
    assert second.template_version == revised
    assert "What happens next" in text_of(letter_pdf(first))
    assert "The next steps" in text_of(letter_pdf(second))
    assert "What happens next" not in text_of(letter_pdf(second))
    assert AuditEvent.objects.filter(action="letter_template.revised").count() == 1


def test_a_wording_that_is_not_a_valid_template_is_refused(admin_user: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        letter_template_revise(
            actor=admin_user,
            kind=LetterKind.CEASE_PROPOSAL,
            subject="Ceasing",
            body="<p>{% if %}</p>",
        )
    assert list(excinfo.value.message_dict) == ["body"]
    assert "not a valid template" in excinfo.value.message_dict["body"][0]
