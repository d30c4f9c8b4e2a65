"""What managers enter and what the monthly publication keeps.

Figures themselves are never stored as truth: they are computed from the cases' dated events.
What is stored is what people decide (targets, comparators, commentary) and what was published
(a scorecard's snapshot of every metric and its PDF), which never changes once written.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.codes import EstablishmentKind
from reporting.periods import MONTH_NAMES
from send_cms.common.models import BaseModel

USER = settings.AUTH_USER_MODEL
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


class Immutable(models.Model):
    """Rows written once: saving an existing row or deleting one is refused (the scorecard a
    board read must be the one the product shows later)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(PUBLISHED_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError(PUBLISHED_IS_FINAL)


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


# --- high needs: what the council enters beside the computed census and costs -------------------
ENTRY_IS_FINAL = "An entry is never changed: enter a new version, which supersedes it."


class AppendOnly(models.Model):
    """Rows written once: a correction is a new row that supersedes the old, which is kept and
    shown in the history (what a board was told must stay readable)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(ENTRY_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError(ENTRY_IS_FINAL)


class PlaceFunding(BaseModel):
    """Place funding (elements 1 and 2) a placement in one kind of setting carries, a year, from
    an effective date: a special place's GBP 10,000, a mainstream school's first GBP 6,000.

    A new rate is a new row from its effective date; the service keeps `effective_to` as the day
    before the next row of the same kind starts, so the periods of a kind never overlap or gap.
    """

    kind = models.CharField("Type of setting", max_length=30, choices=EstablishmentKind.choices)
    annual_value = models.DecimalField("Place funding a year", max_digits=10, decimal_places=2)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="For example: element 1 and 2.")
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"], name="place_funding_one_rate_per_start"
            ),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0), name="place_funding_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="place_funding_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.effective_from}: £{self.annual_value:,.2f}"


class CommissionedPlaces(BaseModel):
    """The places the council commissions at one setting for an academic year (the year's first
    calendar year: 2025 is September 2025 to August 2026), to set against places used."""

    establishment = models.ForeignKey(
        "cases.Establishment", on_delete=models.PROTECT, related_name="+"
    )
    academic_year = models.PositiveSmallIntegerField(
        help_text="The academic year's first year: 2025 for 2025 to 2026."
    )
    places = models.PositiveIntegerField()
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-academic_year", "establishment__name"]
        verbose_name_plural = "commissioned places"
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "academic_year"], name="commissioned_places_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.places} places in {self.academic_year} to {self.academic_year + 1}"


class ReturnFigure(models.TextChoices):
    """The figures finance enters for each return period (pounds; balances negative in deficit)."""

    ALLOCATION = "hnb_allocation", "High-needs block allocation"
    TRANSFERS = "block_transfers", "Block transfers into the high-needs block"
    OTHER_SPEND = "other_spend", "Other high-needs spend"
    FORECAST_OUTTURN = "forecast_outturn", "Forecast outturn"
    IN_YEAR_BALANCE = "in_year_balance", "In-year DSG balance"
    IN_YEAR_PROFILE = "in_year_profile", "In-year DSG balance in the agreed profile"
    CUMULATIVE_BALANCE = "cumulative_balance", "Cumulative DSG balance"
    CUMULATIVE_PROFILE = "cumulative_profile", "Cumulative DSG balance in the agreed profile"


class HighNeedsFigure(AppendOnly, BaseModel):
    """One entered figure for one return period (`FY2025-Q2`); a new entry supersedes it."""

    period = models.CharField(max_length=9, help_text="The return period, e.g. FY2025-Q2.")
    item = models.CharField(max_length=30, choices=ReturnFigure.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(max_length=2000, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        ordering = ["period", "item", "-created_at"]
        constraints = [
            # One first version per figure and period; later ones each supersede one row.
            models.UniqueConstraint(
                fields=["period", "item"],
                condition=Q(supersedes__isnull=True),
                name="high_needs_figure_one_first_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.period}: £{self.amount:,.2f}"


class SafetyValveCondition(BaseModel):
    """A condition of the council's safety-valve agreement with the DfE, by its number."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.TextField(max_length=1000)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Condition {self.number}"


class ConditionRag(models.TextChoices):
    GREEN = "green", "Green: on track"
    AMBER = "amber", "Amber: at risk"
    RED = "red", "Red: off track"


class ConditionUpdate(AppendOnly, BaseModel):
    """A condition's RAG, narrative and evidence for one return period; a new one supersedes it."""

    condition = models.ForeignKey(
        SafetyValveCondition, on_delete=models.PROTECT, related_name="updates"
    )
    period = models.CharField(max_length=9, help_text="The return period, e.g. FY2025-Q2.")
    rag = models.CharField("RAG", max_length=5, choices=ConditionRag.choices)
    narrative = models.TextField(max_length=4000)
    evidence = models.TextField(max_length=2000, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        ordering = ["period", "condition__number", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "period"],
                condition=Q(supersedes__isnull=True),
                name="condition_update_one_first_version",
            )
        ]

    def __str__(self) -> str:
        return f"Condition {self.condition_id} in {self.period}: {self.rag}"


class PressureKind(models.TextChoices):
    PRESSURE = "pressure", "Pressure"
    MITIGATION = "mitigation", "Mitigation"


class PressureEntry(AppendOnly, BaseModel):
    """A pressure on the high-needs budget, or a mitigation, for one return period, with its
    in-year effect in pounds when known. Edits and withdrawals are new versions of the line."""

    period = models.CharField(max_length=9, help_text="The return period, e.g. FY2025-Q2.")
    kind = models.CharField(max_length=10, choices=PressureKind.choices)
    title = models.CharField(max_length=200)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="In-year effect."
    )
    narrative = models.TextField(max_length=4000, blank=True)
    withdrawn = models.BooleanField(default=False)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        ordering = ["period", "kind", "title", "-created_at"]
        verbose_name_plural = "pressure entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}: {self.title}"


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


class HighNeedsPackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class HighNeedsPack(BaseModel):
    """A safety-valve and DSG management plan pack built for a return period: who asked, when,
    the day its census is on, and both files (the board's PDF and the DSG template's workbook).

    Kept, never replaced, so the council can show which pack the board read; a rebuild for the
    same period is another row.
    """

    period = models.CharField(max_length=9, help_text="The return period, e.g. FY2025-Q2.")
    on = models.DateField("Census date")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=HighNeedsPackStatus.choices, default=HighNeedsPackStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent built.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="high_needs_packs/", blank=True)
    xlsx = models.FileField(upload_to="high_needs_packs/", blank=True)
    total_plans = models.PositiveIntegerField(null=True, blank=True)
    total_annual_cost = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "high-needs pack"
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="high_needs_pack_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(status="ready") | (Q(pdf="") & Q(xlsx="")),
                name="high_needs_pack_files_when_ready",
            ),
        ]

    def __str__(self) -> str:
        return f"High-needs pack {self.period} on {self.on}"
