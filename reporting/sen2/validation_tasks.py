"""The nightly SEN2 validation count: thin and safe to run twice (scheduled in send_cms/celery.py).

Registered with Celery by reporting/apps.py, since autodiscovery imports only `reporting.tasks`.
"""

from django.db import OperationalError
from django.utils import timezone

from reporting.sen2.validation_counts import validation_counts_record
from send_cms.celery import app


@app.task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def record_validation_counts() -> int:
    """Each night: store every rule's count for the return being prepared (one row per rule and
    day, overwritten by a second run). Returns the errors counted."""
    return validation_counts_record(day=timezone.localdate())
