"""A mail backend whose server refuses some recipients, for the "one failed email" tests."""

import smtplib
from collections.abc import Sequence
from typing import Any, ClassVar

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """The test outbox, except that a message to a refused address raises as SMTP does."""

    refused: ClassVar[frozenset[str]] = frozenset()

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            refused = dict.fromkeys(message.recipients(), (550, b"Mailbox unavailable"))
            refused = {r: why for r, why in refused.items() if r in self.refused}
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        return super().send_messages(messages)


def refuse_mail_to(settings: Any, monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    """From now on the mail server refuses these addresses (none: it accepts every one).

    `settings` and `monkeypatch` are the tests' fixtures, which undo both when the test ends.
    """
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    monkeypatch.setattr(RefusingBackend, "refused", frozenset(addresses))
