"""What managers decide about a metric (targets, comparators, commentary) and the
published scorecard.
"""

from django.db import models
from django.db.models import Q

from reporting.models.base import USER, WriteOnce
from send_cms.common.models import BaseModel

PUBLISHED_IS_FINAL = "A published scorecard never changes: publish a correction as commentary."


class MetricTarget(BaseModel):
    """A manager's target and floor for one metric: amber short of the target, red past the floor
    (the other way round for lower-is-better metrics)."""

    metric_id = models.CharField(max_length=60, unique=True)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    floor = models.DecimalField(max_digits=12, decimal_places=2)
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["metric_id"]

    def __str__(self) -> str:
        return f"{self.metric_id}: target {self.target}, floor {self.floor}"


class ComparatorArea(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    NEIGHBOURS = "neighbours", "Statistical neighbours"


class Comparator(BaseModel):
    """A published figure to compare with (England, the region, statistical neighbours)."""

    metric_id = models.CharField(max_length=60)
    area = models.CharField(max_length=20, choices=ComparatorArea.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    period_label = models.CharField("Period", max_length=40, help_text="For example 2024.")
    source = models.CharField(max_length=300, help_text="Where the figure was published.")
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["metric_id", "area", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric_id", "area", "period_label"], name="comparator_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()} {self.period_label}: {self.value}"


class Commentary(BaseModel):
    """A manager's words on one metric for one month, printed on the scorecard's exceptions page."""

    metric_id = models.CharField(max_length=60)
    period = models.CharField(max_length=7, help_text="The month, YYYY-MM.")
    text = models.TextField(max_length=3000)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["period", "metric_id"]
        constraints = [
            models.UniqueConstraint(fields=["metric_id", "period"], name="commentary_one_per_month")
        ]

    def __str__(self) -> str:
        return f"Commentary on {self.metric_id} for {self.period}"


class Immutable(WriteOnce):
    """Published rows: the scorecard a board read must be the one the product shows later."""

    refused = PUBLISHED_IS_FINAL

    class Meta:
        abstract = True


class Scorecard(Immutable, BaseModel):
    """A month's published scorecard: its PDF and a snapshot of every metric."""

    period = models.CharField(max_length=7, unique=True, help_text="The month, YYYY-MM.")
    published_at = models.DateTimeField()
    pdf = models.FileField(upload_to="scorecards/")
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"Scorecard {self.period}"


class MetricSnapshot(Immutable, models.Model):
    """One metric's published figure: value, numerator, denominator and the definition version,
    with the target and floor in force, so the published RAG can be shown again exactly."""

    id = models.BigAutoField(primary_key=True)
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="snapshots")
    metric_id = models.CharField(max_length=60)
    definition_version = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    numerator = models.DecimalField(max_digits=20, decimal_places=6)
    denominator = models.PositiveIntegerField(null=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    floor = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["scorecard", "metric_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "metric_id"], name="snapshot_one_per_metric"
            ),
            # No figure only when there was nothing to divide by.
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(denominator=0),
                name="snapshot_value_unless_empty_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric_id} in {self.scorecard_id}: {self.value}"
