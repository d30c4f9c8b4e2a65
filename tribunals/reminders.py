"""Reminder emails to the child's caseworker before a response or order deadline (and the deadlines
of a mediation agreement, which run on the order periods), each sent once.

A reminder goes 5 working days before the due date (or on the first run inside that window) and
again once the deadline has passed unmet. The unique constraint on ReminderSent is the guard: a
reminder is claimed by inserting its row in the same transaction that sends the email, so
running the task twice (or on two workers) sends nothing twice, and a failed send leaves no row
and is tried again on the next run. Due dates are recomputed from source dates each run.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from cases.models import Child
from send_cms.accounts.models import User
from send_cms.audit.services import record
from send_cms.deadlines.registry import Step
from send_cms.timescales import default_calendar, format_date, get_rule
from tribunals.codes import OPEN_APPEAL_STATUSES, ORDER_RULES, AgreementMatter, agreement_rules
from tribunals.deadlines import appeal_steps, appeals_with_steps, compute_due, mediation_steps
from tribunals.models import (
    Appeal,
    ComplianceStep,
    Mediation,
    MediationAction,
    ReminderKind,
    ReminderSent,
)

logger = logging.getLogger(__name__)

#: The steps of a mediation agreement's actions (regulation 42).
AGREEMENT_RULES = frozenset(rule for m in AgreementMatter for rule in agreement_rules(m))
#: The council's responses, order steps and agreement actions; the family's own deadlines (and
#: the mediation adviser's certificate) get no reminder.
REMINDED_RULES = frozenset(
    {"tribunal_response", "recommendation_response"}
    | {rule for rules in ORDER_RULES.values() for rule in rules}
    | AGREEMENT_RULES
)
#: How many working days ahead the first reminder goes.
WORKING_DAYS_AHEAD = 5


@dataclass(frozen=True)
class Reminder:
    step: Step
    kind: str
    due: dt.date
    subject: str
    body: str


def due_reminders(appeal: Appeal, *, today: dt.date) -> list[Reminder]:
    """The reminders this appeal's steps call for today (sent or not)."""
    link = reverse("tribunals:appeal-detail", args=[appeal.pk])
    return _reminders(appeal_steps(appeal, today=today), appeal.child, "appeal", link, today)


def mediation_reminders(mediation: Mediation, *, today: dt.date) -> list[Reminder]:
    """The reminders a mediation agreement's actions call for today (sent or not)."""
    link = reverse("tribunals:mediation-detail", args=[mediation.pk])
    steps = [s for s in mediation_steps(mediation, today=today) if s.rule in AGREEMENT_RULES]
    return _reminders(steps, mediation.child, "mediation agreement", link, today)


def _reminders(
    steps: list[Step], child: Child, about: str, link: str, today: dt.date
) -> list[Reminder]:
    who = f"{child.full_name} ({child.reference})"
    horizon = default_calendar().add_working_days(today, WORKING_DAYS_AHEAD)
    found = []
    for step in steps:
        if step.rule not in REMINDED_RULES or step.start is None:
            continue
        if not step.applicable or step.met_on is not None:
            continue
        computed = compute_due(step.rule, step.start, **step.params)
        due = step.due_override or computed.due
        title = get_rule(step.rule).title
        if today > due:
            kind, opening = ReminderKind.OVERDUE, f"Overdue: {title}"
        elif due <= horizon:
            kind, opening = ReminderKind.DUE_SOON, f"Due {format_date(due)}: {title}"
        else:
            continue
        body = (
            f"{title} for {who}'s {about} was due by {format_date(due)}."
            if kind == ReminderKind.OVERDUE
            else f"{title} for {who}'s {about} is due by {format_date(due)}."
        )
        explanation = (
            "The date was set by the tribunal." if step.due_override else computed.explanation
        )
        found.append(
            Reminder(
                step=step,
                kind=kind,
                due=due,
                subject=f"{opening} ({child.reference})",
                body=f"{body}\n{explanation}\n\nThe {about}: {link}",
            )
        )
    return found


def _recipient(*users: User | None) -> str:
    """The first of the users (the child's caseworker first) with an email address."""
    for user in users:
        if user is not None and user.email:
            return str(user.email)
    return ""


def _appeals_to_check() -> list[Appeal]:
    pending_orders = ComplianceStep.objects.filter(
        order__appeal=OuterRef("pk"), applicable=True, complied_on__isnull=True
    )
    queryset = Appeal.objects.filter(
        Q(status__in=OPEN_APPEAL_STATUSES)
        | Exists(pending_orders)
        | Q(recommendations__responded_on__isnull=True, recommendations__isnull=False)
    ).distinct()
    return list(
        appeals_with_steps(queryset).select_related("child__caseworker", "la_representative")
    )


def _mediations_to_check() -> list[Mediation]:
    pending = ComplianceStep.objects.filter(
        action__mediation=OuterRef("pk"), applicable=True, complied_on__isnull=True
    )
    steps = Prefetch("steps", queryset=ComplianceStep.objects.order_by("position"))
    return list(
        Mediation.objects.filter(Exists(pending))
        .select_related("child__caseworker")
        .prefetch_related(
            Prefetch("actions", queryset=MediationAction.objects.prefetch_related(steps))
        )
    )


def send_tribunal_reminders(*, today: dt.date) -> list[ReminderSent]:
    """Send every reminder due today that has not been sent; returns the ones sent now."""
    batches: list[tuple[Child, str, list[Reminder]]] = [
        (
            appeal.child,
            _recipient(appeal.child.caseworker, appeal.la_representative),
            due_reminders(appeal, today=today),
        )
        for appeal in _appeals_to_check()
    ]
    batches.extend(
        (
            mediation.child,
            _recipient(mediation.child.caseworker),
            mediation_reminders(mediation, today=today),
        )
        for mediation in _mediations_to_check()
    )
    sent = []
    for child, recipient, reminders in batches:
        if not recipient:
            continue
        for reminder in reminders:
            row = _send_once(child, reminder, recipient)
            if row is not None:
                sent.append(row)
    return sent


def _send_once(child: Child, reminder: Reminder, recipient: str) -> ReminderSent | None:
    subject = reminder.step.subject
    try:
        with transaction.atomic():
            row = ReminderSent.objects.create(
                child_id=child.pk,
                subject_type=subject._meta.label_lower,
                subject_id=subject.pk,
                rule=reminder.step.rule,
                kind=reminder.kind,
                due_on=reminder.due,
                recipient=recipient,
            )
            send_mail(reminder.subject, reminder.body, None, [recipient])
            record(
                actor=None,
                action="tribunals.reminder_sent",
                obj=subject,
                child_id=child.pk,
                changes={"rule": reminder.step.rule, "kind": reminder.kind, "to": recipient},
            )
    except IntegrityError:
        return None  # already sent (another run claimed it first)
    logger.info("Sent %s reminder for %s to %s", reminder.kind, reminder.step.rule, recipient)
    return row
