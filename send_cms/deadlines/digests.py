"""The morning digest: each person's open deadlines due within 7 days or overdue, by email.

One email a person a day, claimed and sent through `send_once` (mail.py): a second run skips
whoever has theirs, and one that fails is logged and sent by the next run.
"""

import datetime as dt
import logging
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from send_cms.audit.services import record
from send_cms.deadlines import selectors
from send_cms.deadlines.display import DeadlineRow, stored_row
from send_cms.deadlines.mail import send_once
from send_cms.deadlines.messages import DIGEST_SUBJECT
from send_cms.deadlines.models import DigestSent
from send_cms.timescales import DUE_SOON_DAYS, DeadlineStatus, format_date

logger = logging.getLogger(__name__)


def _digest_message(user: Any, lines: list[DeadlineRow], today: dt.date) -> EmailMultiAlternatives:
    overdue = [line for line in lines if line.status is DeadlineStatus.overdue]
    due_soon = [line for line in lines if line.status is not DeadlineStatus.overdue]
    context = {
        "user": user,
        "today": today,
        "today_text": format_date(today),
        "overdue": overdue,
        "due_soon": due_soon,
        "due_soon_days": DUE_SOON_DAYS,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
    }
    message = EmailMultiAlternatives(
        subject=DIGEST_SUBJECT.format(overdue=len(overdue), due_soon=len(due_soon)),
        body=render_to_string("deadlines/email/digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("deadlines/email/digest.html", context), "text/html"
    )
    return message


def _send_digest(owner: Any, lines: list[DeadlineRow], today: dt.date) -> DigestSent | None:
    return send_once(
        claim=lambda: DigestSent.objects.create(
            user=owner, sent_on=today, deadline_count=len(lines)
        ),
        send=lambda: _digest_message(owner, lines, today).send(),
        audit=lambda claim: record(
            actor=None,
            action="deadline_digest.sent",
            obj=claim,
            changes={"user": owner.pk, "sent_on": today, "deadlines": len(lines)},
        ),
        what=f"The digest of user {owner.pk}",
    )


def send_digests(*, today: dt.date | None = None) -> int:
    """Email each person their open deadlines due within 7 days or overdue; returns how many
    emails were sent."""
    today = today or timezone.localdate()
    by_owner = selectors.digest_deadlines(today=today)
    references = selectors.case_references({d.child_id for rows in by_owner.values() for d in rows})
    sent = 0
    for owner, deadlines in by_owner.items():
        if not owner.email:
            logger.warning("No digest for user %s: no email address", owner.pk)
            continue
        lines = [
            replace(
                stored_row(d, case_reference=references.get(d.child_id, "")),
                status=DeadlineStatus.overdue if d.due_on < today else DeadlineStatus.due_soon,
            )
            for d in deadlines
        ]
        if _send_digest(owner, lines, today) is not None:
            sent += 1
    return sent
