"""The SEN2 build task: thin, ids in, the service does the work (reporting/apps.py imports this
module so the worker registers the task; Celery's autodiscovery finds only `<app>.tasks`)."""

from django.db import OperationalError

from reporting.sen2.services import sen2_export_build
from send_cms.celery import app


@app.task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_sen2_export(export_id: str) -> str:
    """Build a requested SEN2 file; a second run finds it claimed and does nothing."""
    return str(sen2_export_build(export_id=export_id).status)
