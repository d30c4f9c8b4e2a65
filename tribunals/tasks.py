"""Celery tasks of the tribunals app: thin, safe to run twice (scheduled in send_cms/celery.py)."""

from celery import shared_task
from django.utils import timezone

from tribunals.reminders import send_tribunal_reminders


@shared_task
def send_reminders() -> int:
    """Daily: reminders to caseworkers 5 working days before a response or order deadline and
    once it is overdue, each sent once."""
    return len(send_tribunal_reminders(today=timezone.localdate()))
