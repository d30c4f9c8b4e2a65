"""The SEN2 exports made and the validation counts kept each night."""

from django.db import models
from django.db.models import Q

from reporting.models.base import USER
from send_cms.common.models import BaseModel


class Sen2ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Sen2Export(BaseModel):
    """A SEN2 return file built for DfE: who asked, when, what it holds, and the file itself.

    Kept, never replaced, so the council can show which file it submitted. When the data still
    had validation errors, the manager's reason for building it anyway is kept too.
    """

    year = models.PositiveSmallIntegerField(help_text="The census year, e.g. 2026.")
    reference_date = models.DateField("Census date")
    serial_no = models.PositiveSmallIntegerField("Serial number")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=Sen2ExportStatus.choices, default=Sen2ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent of persons written.")
    dmo = models.CharField("Designated medical officer", max_length=1)
    dco = models.CharField("Designated clinical officer", max_length=1)
    dsco = models.CharField("Designated social care officer", max_length=1)
    validation_errors = models.PositiveIntegerField(
        null=True, blank=True, help_text="Errors the validation reported when the build was asked."
    )
    override_reason = models.TextField(
        "Reason for building with errors", max_length=2000, blank=True
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    persons = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    plans = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="sen2/", blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes.")
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "SEN2 return file"
        constraints = [
            models.UniqueConstraint(fields=["year", "serial_no"], name="sen2_export_serial_unique"),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="sen2_export_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(status="ready") | Q(file=""), name="sen2_export_file_when_ready"
            ),
        ]

    def __str__(self) -> str:
        return f"SEN2 {self.year} return no. {self.serial_no:03d}"


class Sen2ValidationCount(models.Model):
    """One night's count of the records failing one SEN2 validation rule, council-wide.

    Counted by the nightly task for the trend on the data-quality page; the page and the
    dashboard's figures are live. One row per day, return year and rule, so a second run on the
    same day overwrites the first.
    """

    id = models.BigAutoField(primary_key=True)
    counted_on = models.DateField()
    year = models.PositiveSmallIntegerField(help_text="The census year of the return, e.g. 2026.")
    rule_id = models.CharField(max_length=8)
    severity = models.CharField(max_length=5, help_text="error or query")
    failures = models.PositiveIntegerField()

    class Meta:
        ordering = ["-counted_on", "rule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["counted_on", "year", "rule_id"], name="sen2_validation_count_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} on {self.counted_on}: {self.failures}"
