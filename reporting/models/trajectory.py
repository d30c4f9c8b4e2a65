"""Saved trajectory scenarios."""

from django.db import models
from django.db.models import Q

from reporting.models.base import USER
from reporting.periods import MONTH_NAMES
from send_cms.common.models import BaseModel


class Scenario(BaseModel):
    """A named trajectory scenario a manager saved: its start, length and every parameter as
    run, the fitted "do nothing" parameters it was compared with then, and the trajectory the
    council agreed (plans in force at the end of each year), so actuals can be tracked
    against it. Runs are recomputed from these; only people's choices are stored."""

    name = models.CharField(max_length=120, unique=True)
    start = models.CharField(max_length=7, help_text="The first month, YYYY-MM.")
    years = models.PositiveSmallIntegerField()
    parameters = models.JSONField(help_text="Every parameter as run (the API's names).")
    defaults = models.JSONField(help_text="The fitted do-nothing parameters when saved.")
    agreed_trajectory = models.JSONField(
        default=list, blank=True, help_text="Plans in force agreed for the end of each year."
    )
    note = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=10), name="scenario_years_1_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.start}, {self.years} years)"

    @property
    def start_label(self) -> str:
        """`December 2026`."""
        year, month = self.start.split("-")
        return f"{MONTH_NAMES[int(month) - 1]} {year}"
