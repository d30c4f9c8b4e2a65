"""Reminder emails to the child's caseworker before a response or order deadline (and the deadlines
of a mediation agreement, which run on the order periods), each sent once.

A reminder goes 5 working days before the due date (or on the first run inside that window) and
again once the deadline has passed unmet. The unique constraint on ReminderSent is the claim
`send_once` inserts with the email (send_cms/deadlines/mail.py: sent once, and a failed send is
retried on the next run). Due dates are recomputed from source dates each run.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from cases.models import Child
from send_cms.accounts.models import User
from send_cms.audit.services import record
from send_cms.deadlines.calendar import council_calendar
from send_cms.deadlines.mail import send_once
from send_cms.deadlines.registry import Step
from send_cms.timescales import WorkingCalendar, format_date, get_rule
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


def due_reminders(
    appeal: Appeal, *, today: dt.date, calendar: WorkingCalendar | None = None
) -> list[Reminder]:
    """The reminders this appeal's steps call for today (sent or not)."""
    link = reverse("tribunals:appeal-detail", args=[appeal.pk])
    steps = appeal_steps(appeal, today=today)
    return _reminders(steps, appeal.child, "appeal", link, today, calendar or council_calendar())


def mediation_reminders(
    mediation: Mediation, *, today: dt.date, calendar: WorkingCalendar | None = None
) -> list[Reminder]:
    """The reminders a mediation agreement's actions call for today (sent or not)."""
    link = reverse("tribunals:mediation-detail", args=[mediation.pk])
    calendar = calendar or council_calendar()
    steps = [
        s
        for s in mediation_steps(mediation, today=today, calendar=calendar)
        if s.rule in AGREEMENT_RULES
    ]
    return _reminders(steps, mediation.child, "mediation agreement", link, today, calendar)


def _reminders(
    steps: list[Step],
    child: Child,
    about: str,
    link: str,
    today: dt.date,
    calendar: WorkingCalendar,
) -> list[Reminder]:
    who = f"{child.full_name} ({child.reference})"
    horizon = calendar.add_working_days(today, WORKING_DAYS_AHEAD)
    found = []
    for step in steps:
        if step.rule not in REMINDED_RULES or step.start is None:
            continue
        if not step.applicable or step.met_on is not None:
            continue
        computed = compute_due(step.rule, step.start, calendar=calendar, **step.params)
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
    calendar = council_calendar()
    batches: list[tuple[Child, str, list[Reminder]]] = [
        (
            appeal.child,
            _recipient(appeal.child.caseworker, appeal.la_representative),
            due_reminders(appeal, today=today, calendar=calendar),
        )
        for appeal in _appeals_to_check()
    ]
    batches.extend(
        (
            mediation.child,
            _recipient(mediation.child.caseworker),
            mediation_reminders(mediation, today=today, calendar=calendar),
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
                logger.info(
                    "Sent %s reminder for %s to %s", reminder.kind, reminder.step.rule, recipient
                )
                sent.append(row)
    return sent


def _send_once(child: Child, reminder: Reminder, recipient: str) -> ReminderSent | None:
    subject = reminder.step.subject
    return send_once(
        claim=lambda: ReminderSent.objects.create(
            child_id=child.pk,
            subject_type=subject._meta.label_lower,
            subject_id=subject.pk,
            rule=reminder.step.rule,
            kind=reminder.kind,
            due_on=reminder.due,
            recipient=recipient,
        ),
        send=lambda: send_mail(reminder.subject, reminder.body, None, [recipient]),
        audit=lambda row: record(
            actor=None,
            action="tribunals.reminder_sent",
            obj=subject,
            child_id=child.pk,
            changes={"rule": reminder.step.rule, "kind": reminder.kind, "to": recipient},
        ),
        what=f"The {reminder.kind} reminder for {reminder.step.rule} of child {child.pk}",
    )
