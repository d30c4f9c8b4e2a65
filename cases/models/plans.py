"""The EHC plan, its issued versions, the settings it names and where the child is placed."""

from django.db import models
from django.db.models import F, Q

from cases.codes import SETTING_RANKS, CeaseReason, SenSetting, SenType
from cases.models.children import USER, Child, Establishment
from cases.models.requests import AssessmentRequest
from send_cms.common.models import BaseModel, free_text_validators


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CEASED = "ceased", "Ceased"


class Plan(BaseModel):
    """An EHC plan. `issued_on` is the first final issue; each issue is a PlanVersion."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    request = models.OneToOneField(
        AssessmentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="plan"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    issued_on = models.DateField()
    primary_need = models.CharField(max_length=4, choices=SenType.choices)
    secondary_need = models.CharField(max_length=4, choices=SenType.choices, blank=True)
    transferred_in_from_la = models.CharField(max_length=3, blank=True)
    # SEN2 NamedPlan personal budget items.
    personal_budget = models.BooleanField(default=False)
    organised_arrangements = models.CharField(max_length=4, blank=True, help_text="E, S, H, I")
    direct_payments = models.CharField(max_length=4, blank=True, help_text="E, S, H, I")
    residential = models.CharField(max_length=1, blank=True, help_text="SEN2 PlanRes: A or B")
    work_based = models.CharField(max_length=1, blank=True, help_text="SEN2 PlanWBP: A, T or S")
    # Ceasing: proposed, decided, and the date the plan actually ended (SEN2 CeaseDate).
    cease_proposed_on = models.DateField(null=True, blank=True)
    cease_decided_on = models.DateField(null=True, blank=True)
    # The reasons the family's letters give (the proposal's, then the decision's).
    cease_proposal_reasons = models.TextField(blank=True, validators=free_text_validators())
    cease_decision_reasons = models.TextField(blank=True, validators=free_text_validators())
    ceased_on = models.DateField(null=True, blank=True)
    cease_reason = models.PositiveSmallIntegerField(
        choices=CeaseReason.choices, null=True, blank=True
    )
    # History from an imported SEN2 file (cases.sen2_import): {"inferred": ["issued_on"]}.
    sen2_history = models.JSONField(
        "SEN2 history",
        default=dict,
        blank=True,
        editable=False,
        help_text="The dates inferred because the imported SEN2 file does not give them.",
    )

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="active"), name="plan_one_active_per_child"
            ),
            models.CheckConstraint(
                condition=Q(secondary_need="") | ~Q(secondary_need=F("primary_need")),
                name="plan_secondary_need_differs",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ceased_on__isnull=True, cease_reason__isnull=True)
                | Q(status="ceased", ceased_on__isnull=False, cease_reason__isnull=False),
                name="plan_ceased_with_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(ceased_on__gte=F("issued_on")),
                name="plan_ceased_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"EHC plan issued {self.issued_on:%-d %b %Y}"


class PlanVersion(BaseModel):
    """Each issued version of a plan, kept: the first final plan and every amended plan."""

    class Kind(models.TextChoices):
        FINAL = "final", "Final plan"
        AMENDED = "amended", "Amended plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    issued_on = models.DateField()
    changes = models.TextField(
        blank=True, help_text="What changed in this version.", validators=free_text_validators()
    )
    issued_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.issued_on:%-d %b %Y})"


class SettingFields(models.Model):
    """A setting: an establishment (URN/UKPRN) or a SEN2 SENsetting code, never both."""

    establishment = models.ForeignKey(
        Establishment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sen_setting = models.CharField(max_length=4, choices=SenSetting.choices, blank=True)
    sen_setting_other = models.CharField(max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(default=1, choices=SETTING_RANKS)
    sen_unit = models.BooleanField("SEN unit", default=False)
    resourced_provision = models.BooleanField(default=False)

    class Meta:
        abstract = True


class NamedSetting(BaseModel, SettingFields):
    """A setting named in section I of a plan (SEN2 PlanDetail)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="named_settings")

    class Meta:
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="named_setting_rank_unique"),
            models.CheckConstraint(
                condition=Q(establishment__isnull=False, sen_setting="")
                | Q(establishment__isnull=True) & ~Q(sen_setting=""),
                name="named_setting_one_kind_of_setting",
            ),
        ]

    def __str__(self) -> str:
        return f"Named setting rank {self.rank}"


class Placement(BaseModel, SettingFields):
    """Where the child is actually educated over time (SEN2 PlacementDetail), with its cost."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="placements")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    awaiting_placement = models.BooleanField(default=False)
    band = models.CharField(max_length=20, blank=True, help_text="Funding band code.")
    annual_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost_reason = models.CharField(
        max_length=300, blank=True, help_text="Why an individual fee replaces the band's value."
    )
    residential = models.CharField(max_length=1, blank=True)
    work_based = models.CharField(max_length=1, blank=True)

    class Meta:
        ordering = ["plan", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(awaiting_placement=True)
                | Q(establishment__isnull=False, sen_setting="")
                | Q(establishment__isnull=True) & ~Q(sen_setting=""),
                name="placement_one_kind_of_setting",
            ),
            models.CheckConstraint(
                condition=Q(awaiting_placement=True) | Q(starts_on__isnull=False),
                name="placement_has_start_unless_awaiting",
            ),
        ]

    def __str__(self) -> str:
        return "Awaiting placement" if self.awaiting_placement else f"Placement rank {self.rank}"
