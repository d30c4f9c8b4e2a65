"""Celery tasks of the casework app: thin, safe to run twice (scheduled in send_cms/celery.py)."""

from celery import shared_task
from django.utils import timezone

from cases.services import current_settings_follow_placements


@shared_task
def settings_follow_placements() -> int:
    """Nightly: a child placed in advance at a setting has it as their current setting from the
    day they start there."""
    return current_settings_follow_placements(on=timezone.localdate())
