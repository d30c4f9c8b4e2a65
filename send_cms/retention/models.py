"""The disposal log: each record the nightly job found past its retention period, and who
approved its disposal, when, by which rule. A disposed record is gone or anonymised; its row
here stays, naming it only by type, id and reference."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from send_cms.common.models import BaseModel
from send_cms.retention.schedule import ACTION_LABELS, DEFAULT_SCHEDULE


class DisposalStatus(models.TextChoices):
    DUE = "due", "Due for disposal"
    DONE = "done", "Disposed of"
    WITHDRAWN = "withdrawn", "No longer due"


RULE_CHOICES = [(rule.id, rule.title) for rule in DEFAULT_SCHEDULE]
ACTION_CHOICES = [(action.value, label) for action, label in ACTION_LABELS.items()]


class Disposal(BaseModel):
    rule = models.CharField(max_length=30, choices=RULE_CHOICES)
    action = models.CharField(max_length=10, choices=ACTION_CHOICES)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    # No foreign key, like the audit trail: the row outlives the record it names.
    child_id = models.UUIDField(null=True, blank=True, db_index=True)
    reference = models.CharField(max_length=100)
    due_on = models.DateField("Retention ended")
    years = models.PositiveSmallIntegerField("Years kept under the rule")
    status = models.CharField(
        max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.DUE
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the disposal did: counts of records anonymised or deleted, by kind.
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_on", "reference"]
        constraints = [
            # One live listing per record and rule: the nightly job may run twice.
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id"],
                condition=Q(status__in=["due", "done"]),
                name="disposal_one_per_record_and_rule",
            ),
            models.CheckConstraint(
                condition=Q(status="done", decided_at__isnull=False, decided_by__isnull=False)
                | (~Q(status="done") & Q(decided_by__isnull=True)),
                name="disposal_done_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.reference} ({self.get_status_display()})"
