"""Letters to families: making one (from the current wording of its kind, with its facts kept),
and changing a wording (always a new version: letters already made keep theirs)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.letters import (
    LetterOption,
    check_wording,
    default_wording,
    letter_options,
    letter_values,
)
from cases.models import (
    AssessmentRequest,
    Child,
    Letter,
    LetterKind,
    LetterTemplate,
    LetterTemplateVersion,
    Plan,
)
from cases.services.common import actor_user, lock, timeline_record, today
from cases.services.steps import save_new
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record

LETTER_NOT_DUE = "This letter cannot be made: the case has no such decision recorded."
WORDING_UNCHANGED = "The wording is unchanged: change it, or cancel."
CREATED = "letter.created"
TEMPLATE_REVISED = "letter_template.revised"


@transaction.atomic
def letter_template_current(*, kind: str) -> LetterTemplateVersion:
    """The wording letters of `kind` are made with now: the newest version. A kind with no
    wording yet starts with the built-in one (version 1), so a new council needs no set-up."""
    template, _ = LetterTemplate.objects.get_or_create(kind=kind)
    version = template.versions.order_by("-number").first()
    if version is None:
        default = default_wording(kind)
        version = LetterTemplateVersion.objects.create(
            template=template, number=1, subject=default.subject, body=default.body
        )
    return version


@transaction.atomic
def letter_template_revise(
    *, actor: Actor | None, kind: str, subject: str, body: str
) -> LetterTemplateVersion:
    """A new version of the wording of `kind`, used by every letter made from now on."""
    current = letter_template_current(kind=kind)
    template = lock(current.template)
    current = template.versions.order_by("-number").first() or current
    errors: dict[str, list[str]] = {}
    for field, text in (("subject", subject), ("body", body)):
        problem = check_wording(text)
        if problem:
            errors[field] = [problem]
    if not errors and subject == current.subject and body == current.body:
        errors["body"] = [WORDING_UNCHANGED]
    if errors:
        raise ValidationError(errors)
    version = LetterTemplateVersion(
        template=template,
        number=current.number + 1,
        subject=subject,
        body=body,
        created_by=actor_user(actor),
    )
    save_new(version)
    record(
        actor=actor,
        action=TEMPLATE_REVISED,
        obj=version,
        changes={"kind": kind, "version": version.number, "previous": current.number},
    )
    return version


@transaction.atomic
def letter_create(
    *,
    actor: Actor | None,
    child: Child,
    kind: str,
    request: AssessmentRequest | None = None,
    plan: Plan | None = None,
    notes: str = "",
    dated: dt.date | None = None,
) -> Letter:
    """Make a letter for the family about a decision recorded on the case, dated today.

    Its values (the dates, the reasons, the family's appeal deadline from the timescales
    engine) are computed now and kept, as is the wording's version: downloading it later gives
    the same letter.
    """
    requests = [request] if request is not None and request.child_id == child.pk else []
    plans = [plan] if plan is not None and plan.child_id == child.pk else []
    allowed = [
        option for option in letter_options(requests=requests, plans=plans) if option.kind == kind
    ]
    if not allowed:
        raise ValidationError({"kind": [LETTER_NOT_DUE]})
    option: LetterOption = allowed[0]
    dated = dated or today()
    version = letter_template_current(kind=kind)
    letter = Letter(
        child=child,
        kind=kind,
        template_version=version,
        request=option.request,
        plan=option.plan,
        dated=dated,
        values=letter_values(option=option, child=child, dated=dated, notes=notes.strip()),
        created_by=actor_user(actor),
    )
    save_new(letter)
    record(
        actor=actor,
        action=CREATED,
        obj=letter,
        child_id=child.pk,
        changes={"kind": kind, "template_version": version.number, "dated": dated},
    )
    timeline_record(
        actor=actor,
        child=child,
        event=CREATED,
        title=f"Letter made: {LetterKind(kind).label}",
        occurred_on=dated,
        request=option.request,
        plan=option.plan,
    )
    return letter
