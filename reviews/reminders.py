"""Reminder emails to the child's caseworker, each sent once per review and kind.

The unique constraint on `ReminderSent(review, kind)` is the claim `send_once` inserts with the
email (send_cms/deadlines/mail.py: sent once, and a failed send is retried on the next run).
What is due is recomputed from the review's dates each run, never counted.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from reviews import conf
from reviews.models import AnnualReview, Decision, ReminderKind, ReminderSent
from reviews.selectors import reviews_needing_reminders, under_5_checks
from send_cms.audit.services import record
from send_cms.deadlines.calendar import council_calendar
from send_cms.deadlines.mail import send_once
from send_cms.timescales import WorkingCalendar, add_weeks, compute, format_date


@dataclass(frozen=True)
class Reminder:
    kind: str
    subject: str
    body: str


def due_reminders(
    review: AnnualReview, *, today: dt.date, calendar: WorkingCalendar
) -> list[Reminder]:
    """The reminders this review calls for today (sent or not)."""
    child = review.plan.child
    who = f"{child.full_name} ({child.reference})"
    found = []
    if review.decision_issued_on is None:
        if today >= add_weeks(review.due_on, -conf.reminder_weeks()):
            found.append(
                Reminder(
                    ReminderKind.REVIEW_DUE,
                    f"Annual review due {format_date(review.due_on)}: {child.reference}",
                    f"The annual review of {who}'s EHC plan is due by "
                    f"{format_date(review.due_on)}.",
                )
            )
        if review.meeting_on is not None:
            due = compute("review_decision", review.meeting_on, calendar)
            if today > due.due:
                found.append(
                    Reminder(
                        ReminderKind.DECISION_OVERDUE,
                        f"Annual review decision overdue: {child.reference}",
                        f"The decision after {who}'s review meeting was due by "
                        f"{format_date(due.due)}. {due.explanation}",
                    )
                )
        checks = [check for check in under_5_checks(review) if check <= today]
        if checks:
            found.append(
                Reminder(
                    f"{ReminderKind.UNDER_5}:{checks[-1].isoformat()}",
                    f"Under-5 review check due: {child.reference}",
                    f"{who} is under 5: check whether the plan needs reviewing early "
                    f"(a check every {conf.under_5_months()} months, due "
                    f"{format_date(checks[-1])}).",
                )
            )
    elif review.decision == Decision.AMEND and review.final_amended_issued_on is None:
        dues = []
        if review.meeting_on is not None:
            dues.append(compute("review_longstop", review.meeting_on, calendar))
        if review.amendments_issued_on is not None:
            dues.append(compute("review_final_amended_plan", review.amendments_issued_on, calendar))
        passed = [due for due in dues if today > due.due]
        if passed:
            first = min(passed, key=lambda d: d.due)
            found.append(
                Reminder(
                    ReminderKind.FINAL_OVERDUE,
                    f"Final amended plan overdue: {child.reference}",
                    f"The final amended plan for {who} was due by {format_date(first.due)}. "
                    f"{first.explanation}",
                )
            )
    return found


def send_review_reminders(*, today: dt.date) -> list[ReminderSent]:
    """Send every reminder due today that has not been sent; returns the ones sent now."""
    sent = []
    calendar = council_calendar()
    for review in reviews_needing_reminders(today=today):
        caseworker = review.plan.child.caseworker
        if caseworker is None or not caseworker.email:
            continue  # sent once the case has a caseworker with an email address
        already = {reminder.kind for reminder in review.reminders.all()}
        for reminder in due_reminders(review, today=today, calendar=calendar):
            if reminder.kind in already:
                continue
            row = _send_once(review, reminder, caseworker.email)
            if row is not None:
                sent.append(row)
    return sent


def _send_once(review: AnnualReview, reminder: Reminder, recipient: str) -> ReminderSent | None:
    return send_once(
        claim=lambda: ReminderSent.objects.create(
            review=review, kind=reminder.kind, recipient=recipient
        ),
        send=lambda: send_mail(
            reminder.subject,
            reminder.body,
            settings.DEFAULT_FROM_EMAIL,
            [recipient],
            fail_silently=False,
        ),
        audit=lambda row: record(
            actor=None,
            action="annual_review.reminder_sent",
            obj=review,
            child_id=review.plan.child_id,
            changes={"kind": reminder.kind, "recipient": recipient},
        ),
        what=f"Reminder {reminder.kind} for review {review.pk}",
    )
