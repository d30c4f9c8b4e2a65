"""Celery tasks of the reviews app: thin, safe to run twice (scheduled in send_cms/celery.py)."""

from celery import shared_task
from django.utils import timezone

from reviews.reminders import send_review_reminders
from reviews.services import ensure_reviews_for_new_plans


@shared_task
def open_reviews_for_new_plans() -> int:
    """Nightly: the first review of any plan in force without one (plans issued through the
    casework services have theirs from the moment they are issued)."""
    return len(ensure_reviews_for_new_plans(actor=None))


@shared_task
def send_reminders() -> int:
    """Daily: reminders to caseworkers (review due in 4 weeks, decision or final amended plan
    overdue, under-5 checks), each sent once."""
    return len(send_review_reminders(today=timezone.localdate()))
