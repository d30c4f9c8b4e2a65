"""The high-needs pack's build task: thin, an id in, the service does the work. reporting/apps.py
imports this module so the worker registers the task (Celery's autodiscovery finds only
`<app>.tasks`)."""

from django.db import OperationalError

from reporting.high_needs.services import high_needs_pack_build
from send_cms.celery import app


@app.task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_high_needs_pack(pack_id: str) -> str:
    """Build a requested pack; a second run finds it claimed and does nothing."""
    return str(high_needs_pack_build(pack_id=pack_id).status)
