"""Celery tasks of the reporting app: thin, safe to run twice (scheduled in send_cms/celery.py).

Bound to the project's app (not `shared_task`), so a web process that queues one always uses the
configured broker, or runs it in-process when there is none.
"""

from django.db import OperationalError
from django.utils import timezone

from reporting.periods import last_complete_month
from reporting.services.scorecards import scorecard_publish
from send_cms.celery import app


@app.task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def publish_monthly_scorecard() -> str:
    """The 1st of each month: publish last month's scorecard and email the managers a link.

    A second run finds the month published and does nothing (no second email)."""
    period = last_complete_month(timezone.localdate())
    return scorecard_publish(period=period, actor=None).period
