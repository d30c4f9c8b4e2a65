"""The case timeline: one immutable row per step, written by every app."""

from typing import Any, NoReturn

from django.db import models

from cases.models.children import USER, Child
from cases.models.plans import Plan
from cases.models.requests import AssessmentRequest


class TimelineEntry(models.Model):
    """One immutable row per step on a case: who, when, what. Together, the case timeline.

    Every app writes here through `cases.services.timeline_record`, so the timeline shows panel
    decisions, reviews and appeals beside the assessment's own steps.
    """

    id = models.BigAutoField(primary_key=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="timeline")
    request = models.ForeignKey(
        AssessmentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="timeline"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="timeline"
    )
    event = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    occurred_on = models.DateField(help_text="The date the step happened (may be backdated).")
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Empty for the system (a scheduled task, an import): recorded_by_name says so.
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["child", "occurred_on"], name="timeline_child_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%-d %b %Y} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Timeline entries are a record of what happened: they cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Timeline entries are a record of what happened: they cannot be deleted.")
