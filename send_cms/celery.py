"""The Celery app. The broker is REDIS_URL; with none set, settings make every task run eagerly.

The beat schedule lives here, in code, so it is reviewed like everything else.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.local")

app = Celery("send_cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task, in one place. Times are Europe/London (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    "deadlines-refresh-statuses": {
        "task": "send_cms.deadlines.tasks.refresh_deadline_statuses",
        "schedule": crontab(hour=1, minute=30),
    },
    "deadlines-send-digests": {
        "task": "send_cms.deadlines.tasks.send_deadline_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
    "tribunals-settle-lapsed-steps": {
        "task": "tribunals.tasks.settle_lapsed_steps",
        "schedule": crontab(hour=1, minute=45),
    },
    "tribunals-send-reminders": {
        "task": "tribunals.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=20),
    },
    "cases-settings-follow-placements": {
        "task": "cases.tasks.settings_follow_placements",
        "schedule": crontab(hour=0, minute=45),
    },
    "reviews-open-for-new-plans": {
        "task": "reviews.tasks.open_reviews_for_new_plans",
        "schedule": crontab(hour=1, minute=0),
    },
    "reviews-send-reminders": {
        "task": "reviews.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    "reporting-publish-monthly-scorecard": {
        "task": "reporting.tasks.publish_monthly_scorecard",
        "schedule": crontab(day_of_month="1", hour=6, minute=0),
    },
    "retention-list-records-due-for-disposal": {
        "task": "send_cms.retention.tasks.list_records_due_for_disposal",
        "schedule": crontab(hour=2, minute=45),
    },
    "reporting-sen2-validation-counts": {
        "task": "reporting.sen2.validation_tasks.record_validation_counts",
        "schedule": crontab(hour=2, minute=15),
    },
}
