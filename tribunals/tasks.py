"""Celery tasks of the tribunals app: thin, safe to run twice (scheduled in send_cms/celery.py)."""

from celery import shared_task
from django.utils import timezone

from tribunals.reminders import send_tribunal_reminders
from tribunals.services.common import recompute_lapsed_steps


@shared_task
def send_reminders() -> int:
    """Daily: reminders to caseworkers 5 working days before a response, order or mediation
    agreement deadline and once it is overdue, each sent once."""
    return len(send_tribunal_reminders(today=timezone.localdate()))


@shared_task
def settle_lapsed_steps() -> int:
    """Nightly, before the morning digest: a family's closed mediation window and an ordered
    assessment's route not taken become not applicable on the stored deadlines, not overdue."""
    return recompute_lapsed_steps(today=timezone.localdate())
