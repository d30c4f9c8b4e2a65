"""Emails sent once (reminders, digests), with one policy for a send that fails.

An email is claimed by inserting its "sent" row (a unique key) in the same transaction that
sends it and writes its audit event, so running a task twice, or on two workers, sends nothing
twice. If the mail server refuses one email, that transaction rolls back: the failure is
logged, nothing is recorded as sent (so the next run tries it again) and the run goes on with
the other emails. One bad address or a mail server's hiccup never ends a run.
"""

import logging
import smtplib
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model

logger = logging.getLogger(__name__)

#: What a mail backend raises when an email cannot be sent (SMTP refusals, connection errors).
SEND_FAILURES: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)

Claim = TypeVar("Claim", bound=Model)


def send_once(
    *,
    claim: Callable[[], Claim],
    send: Callable[[], object],
    audit: Callable[[Claim], object],
    what: str,
) -> Claim | None:
    """Claim, send and audit in one transaction; the claim row when sent, else None.

    None when another run claimed it first, or when the send failed (logged with `what`, to be
    tried again on the next run).
    """
    try:
        with transaction.atomic():
            row = claim()
            send()
            audit(row)
    except IntegrityError:
        return None  # already sent, by an earlier run or a concurrent one
    except SEND_FAILURES:
        logger.exception("%s not sent; it is tried again on the next run", what)
        return None
    return row
