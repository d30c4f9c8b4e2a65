"""What an EHC plan says, section by section (Code of Practice 9.62): A to K as structured rows.

One `PlanContent` is one edition of the document: the draft the family comments on, the final
plan (the content of `PlanVersion` 1) and each amended plan (the content of a later version).
Only the edition being written can change; issuing it fixes it, and the next edition starts as
a copy (each item keeps its `key`, so the differences between editions are found item by item).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.codes import SenType
from cases.models import AdviceRequest, AssessmentRequest, Child, Plan, PlanVersion
from send_cms.common.models import BaseModel, free_text_validators

USER = settings.AUTH_USER_MODEL


class Section(models.TextChoices):
    """The sections of an EHC plan, as the Code of Practice names them."""

    A = (
        "A",
        (
            "The views, interests and aspirations of the child and their parents, or the young "
            "person"
        ),
    )
    B = "B", "Special educational needs"
    C = "C", "Health needs related to their special educational needs"
    D = "D", "Social care needs related to their special educational needs or disability"
    E = "E", "Outcomes"
    F = "F", "Special educational provision"
    G = "G", "Health provision"
    H1 = (
        "H1",
        (
            "Social care provision under section 2 of the Chronically Sick and Disabled Persons "
            "Act 1970"
        ),
    )
    H2 = "H2", "Other social care provision"
    I = "I", "Placement"  # noqa: E741 - the Code of Practice's name for the section
    J = "J", "Personal budget"
    K = "K", "Advice and information"


NEED_SECTIONS = (Section.B, Section.C, Section.D)
PROVISION_SECTIONS = (Section.F, Section.G, Section.H1, Section.H2)


class Adulthood(models.TextChoices):
    """The four preparing-for-adulthood outcomes (Code of Practice 8.5), from year 9."""

    EMPLOYMENT = "employment", "Higher education or employment"
    INDEPENDENT_LIVING = "independent_living", "Independent living"
    COMMUNITY = "community", "Participating in society: friends, relationships and community"
    HEALTH = "health", "Being as healthy as possible in adult life"


class PlanContent(BaseModel):
    """One edition of the plan's text: a draft, the final plan or an amended plan."""

    class Stage(models.TextChoices):
        DRAFT = "draft", "Draft plan"
        FINAL = "final", "Final plan"
        AMENDED = "amended", "Amended plan"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plan_contents")
    request = models.ForeignKey(
        AssessmentRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_contents",
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="contents"
    )
    version = models.OneToOneField(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="content"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Empty while it is being written; the draft's or the version's issue date once issued.
    issued_on = models.DateField(null=True, blank=True)
    # Section A, in the family's own words.
    views = models.TextField(blank=True, validators=free_text_validators())
    interests = models.TextField(blank=True, validators=free_text_validators())
    aspirations = models.TextField(blank=True, validators=free_text_validators())
    # Section I: the type of setting (a draft names none), and what the plan named when issued.
    placement = models.TextField(blank=True, validators=free_text_validators())
    named_settings = models.JSONField(default=list, blank=True)
    # Section J.
    personal_budget_requested = models.BooleanField(default=False)
    personal_budget_amount = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True
    )
    personal_budget_details = models.TextField(blank=True, validators=free_text_validators())
    written_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["child", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(issued_on__isnull=True),
                name="plan_content_one_being_written_per_child",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False) | Q(plan__isnull=False),
                name="plan_content_of_a_request_or_plan",
            ),
            models.CheckConstraint(
                condition=Q(version__isnull=True) | Q(issued_on__isnull=False, plan__isnull=False),
                name="plan_content_version_issued",
            ),
            models.CheckConstraint(
                condition=~Q(stage="draft") | Q(version__isnull=True),
                name="plan_content_draft_has_no_version",
            ),
            models.CheckConstraint(
                condition=Q(personal_budget_amount__isnull=True) | Q(personal_budget_amount__gte=0),
                name="plan_content_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        when = f"issued {self.issued_on:%-d %b %Y}" if self.issued_on else "being written"
        return f"{self.get_stage_display()} ({when})"

    @property
    def is_issued(self) -> bool:
        return self.issued_on is not None

    @property
    def title(self) -> str:
        if self.version_id is not None and self.version is not None:
            return f"{self.get_stage_display()}, version {self.version.number}"
        return str(self.get_stage_display())


class ContentItem(BaseModel):
    """A row of a section: kept in order, and known across editions by its `key`."""

    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        abstract = True


class PlanNeed(ContentItem):
    """A need in section B (by its SEN2 type of need), C or D."""

    content = models.ForeignKey(PlanContent, on_delete=models.CASCADE, related_name="needs")
    section = models.CharField(max_length=1, choices=[(s.value, s.label) for s in NEED_SECTIONS])
    need = models.CharField("Area of need", max_length=4, choices=SenType.choices, blank=True)
    description = models.TextField(validators=free_text_validators())

    class Meta:
        ordering = ["content", "section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["content", "key"], name="plan_need_key_unique"),
            models.CheckConstraint(
                condition=Q(section__in=[s.value for s in NEED_SECTIONS]),
                name="plan_need_section",
            ),
            models.CheckConstraint(
                condition=Q(section="B") | Q(need=""), name="plan_need_area_in_b_only"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}{self.position}"


class PlanOutcome(ContentItem):
    """An outcome in section E, linked to the needs it addresses."""

    content = models.ForeignKey(PlanContent, on_delete=models.CASCADE, related_name="outcomes")
    description = models.TextField(validators=free_text_validators())
    achieve_by = models.CharField("By when", max_length=200, blank=True)
    adulthood = models.CharField(
        "Preparing for adulthood", max_length=20, choices=Adulthood.choices, blank=True
    )
    needs = models.ManyToManyField(PlanNeed, blank=True, related_name="outcomes")

    class Meta:
        ordering = ["content", "position"]
        constraints = [
            models.UniqueConstraint(fields=["content", "key"], name="plan_outcome_key_unique")
        ]

    def __str__(self) -> str:
        return f"E{self.position}"


class PlanProvision(ContentItem):
    """An item of provision in section F, G, H1 or H2: what, how much, how long, who."""

    content = models.ForeignKey(PlanContent, on_delete=models.CASCADE, related_name="provision")
    section = models.CharField(
        max_length=2, choices=[(s.value, s.label) for s in PROVISION_SECTIONS]
    )
    description = models.TextField("What", validators=free_text_validators())
    frequency = models.CharField("How much and how often", max_length=300, blank=True)
    duration = models.CharField("For how long", max_length=300, blank=True)
    provider = models.CharField("Who provides it", max_length=300, blank=True)
    outcomes = models.ManyToManyField(PlanOutcome, blank=True, related_name="provision")

    class Meta:
        ordering = ["content", "section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["content", "key"], name="plan_provision_key_unique"),
            models.CheckConstraint(
                condition=Q(section__in=[s.value for s in PROVISION_SECTIONS]),
                name="plan_provision_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}.{self.position}"


class PlanAdvice(ContentItem):
    """Section K: a piece of advice or information the plan rests on."""

    content = models.ForeignKey(PlanContent, on_delete=models.CASCADE, related_name="advice")
    advice_request = models.ForeignKey(
        AdviceRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "cases.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField("Advice or information", max_length=300)
    author = models.CharField("From", max_length=200, blank=True)
    dated = models.DateField("Dated", null=True, blank=True)

    class Meta:
        ordering = ["content", "position"]
        constraints = [
            models.UniqueConstraint(fields=["content", "key"], name="plan_advice_key_unique"),
            models.UniqueConstraint(
                fields=["content", "advice_request"],
                condition=Q(advice_request__isnull=False),
                name="plan_advice_listed_once",
            ),
            models.UniqueConstraint(
                fields=["content", "document"],
                condition=Q(document__isnull=False),
                name="plan_advice_document_listed_once",
            ),
        ]

    def __str__(self) -> str:
        return self.description
