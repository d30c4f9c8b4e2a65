"""Celery tasks of retention: thin, safe to run twice."""

from django.db import OperationalError as DatabaseError

from send_cms.celery import app
from send_cms.retention import services


@app.task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def list_records_due_for_disposal() -> int:
    """Nightly: list the records past their retention period for a manager to approve."""
    return services.disposals_list_due().listed
