"""High needs: what the council enters beside the computed census and costs; the packs built."""

from django.db import models
from django.db.models import F, Q

from cases.codes import EstablishmentKind
from reporting.models.base import USER, WriteOnce
from send_cms.common.models import BaseModel

ENTRY_IS_FINAL = "An entry is never changed: enter a new version, which supersedes it."


class AppendOnly(WriteOnce):
    """Entries for a return period written once: a correction is a new row that supersedes the
    old, which is kept and shown in the history (what a board was told must stay readable)."""

    refused = ENTRY_IS_FINAL

    period = models.CharField(max_length=9, help_text="The return period, e.g. FY2025-Q2.")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        abstract = True


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

    item = models.CharField(max_length=30, choices=ReturnFigure.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(max_length=2000, blank=True)

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
    rag = models.CharField("RAG", max_length=5, choices=ConditionRag.choices)
    narrative = models.TextField(max_length=4000)
    evidence = models.TextField(max_length=2000, blank=True)

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

    kind = models.CharField(max_length=10, choices=PressureKind.choices)
    title = models.CharField(max_length=200)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="In-year effect."
    )
    narrative = models.TextField(max_length=4000, blank=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["period", "kind", "title", "-created_at"]
        verbose_name_plural = "pressure entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}: {self.title}"


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
