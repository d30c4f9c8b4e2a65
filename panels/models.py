"""Panels: the council's multi-agency decisions on assessments, plans, placements and funding.

A panel type (needs assessment, provision and placement, high-cost placement, cease) is council
configuration with its quorum rule. Each meeting has members (who was invited, who was present),
an agenda of items about cases, declarations of interest, and one current decision per item;
earlier decisions are kept as history. Decisions reach the case only through cases.services, once,
when the chair closes the meeting.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from cases.codes import EstablishmentKind
from send_cms.common.models import BaseModel, free_text_validators
from send_cms.common.versioning import Versioned

USER = settings.AUTH_USER_MODEL


class ItemKind(models.TextChoices):
    """What a panel is asked to decide (api.md slugs)."""

    DECISION_TO_ASSESS = "decision_to_assess", "Decision to assess"
    ISSUE_DECISION = "issue_decision", "Decision to issue a plan"
    PLACEMENT = "placement", "Placement and funding band"
    CEASE = "cease", "Ceasing a plan"


#: Kinds about an assessment request; the others are about a plan.
REQUEST_KINDS = frozenset({ItemKind.DECISION_TO_ASSESS, ItemKind.ISSUE_DECISION})
PLAN_KINDS = frozenset({ItemKind.PLACEMENT, ItemKind.CEASE})


class ProfessionalRole(models.TextChoices):
    EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist", "Educational psychologist"
    LA_OFFICER = "la_officer", "LA officer"
    HEAD_TEACHER = "head_teacher", "Head teacher"
    SENCO = "senco", "SENCO"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
    OTHER = "other", "Other"


class PanelType(Versioned, BaseModel):
    """A panel the council runs, with its remit and quorum rule (api.md: /api/v1/panels/)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, validators=free_text_validators())
    decision_kinds = models.JSONField(
        default=list, help_text="The item kinds this panel may decide (api.md slugs)."
    )
    quorum_minimum = models.PositiveSmallIntegerField(
        default=3, help_text="Members present (without a conflict) needed to decide."
    )
    quorum_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Professional roles at least one member present must hold.",
    )
    cost_threshold = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="A placement costing more than this a year must be decided by this panel.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "panel"
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_minimum__gte=1), name="panel_type_quorum_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(cost_threshold__isnull=True) | Q(cost_threshold__gte=0),
                name="panel_type_threshold_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def takes(self, kind: str) -> bool:
        return kind in self.decision_kinds


class PanelMember(BaseModel):
    """A user with the panel member role, with the organisation and role they sit for."""

    user = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="panel_membership")
    organisation = models.CharField(max_length=200)
    professional_role = models.CharField(max_length=30, choices=ProfessionalRole.choices)
    panel_types = models.ManyToManyField(PanelType, related_name="members", blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_professional_role_display()}, {self.organisation})"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_SESSION = "in_session", "In session"
    CLOSED = "closed", "Closed"


#: The meeting workflow (the only status changes services may make) is `panels.workflow`.


class PanelMeeting(BaseModel):
    panel = models.ForeignKey(PanelType, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("Meeting date")
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="chaired_meetings")
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "panel__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.CLOSED, closed_at__isnull=False)
                | ~Q(status=MeetingStatus.CLOSED) & Q(closed_at__isnull=True),
                name="meeting_closed_with_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "held_on"], name="meeting_status_idx")]

    def __str__(self) -> str:
        return f"{self.panel.name}, {self.held_on:%-d %b %Y}"

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class MeetingMember(models.Model):
    """A member invited to a meeting, and whether they were present (quorum counts those)."""

    id = models.BigAutoField(primary_key=True)
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="panel_meetings")
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'present' if self.present else 'absent'})"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    DECIDED = "decided", "Decided"
    DEFERRED = "deferred", "Deferred"


class AgendaItem(BaseModel):
    """A case put to a meeting. `is_open` until the meeting closes: one open item per case step."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=30, choices=ItemKind.choices)
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="panel_items")
    request = models.ForeignKey(
        "cases.AssessmentRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="panel_items",
    )
    plan = models.ForeignKey(
        "cases.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="panel_items"
    )
    summary = models.TextField(blank=True, validators=free_text_validators())
    position = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    is_open = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A deferred item returns to the next agenda as a new item that points back to it.
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_to"
    )
    deferral_count = models.PositiveSmallIntegerField(
        default=0, help_text="How many times this case step was deferred before this item."
    )
    # What the caseworker proposes for a placement item; the panel decides the actual values.
    proposed_establishment = models.ForeignKey(
        "cases.Establishment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_band = models.CharField(max_length=20, blank=True)
    proposed_starts_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=sorted(REQUEST_KINDS), request__isnull=False, plan__isnull=True
                )
                | Q(kind__in=sorted(PLAN_KINDS), plan__isnull=False, request__isnull=True),
                name="agenda_item_subject_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "request"],
                condition=Q(is_open=True, request__isnull=False),
                name="agenda_item_one_open_per_request",
            ),
            models.UniqueConstraint(
                fields=["kind", "plan"],
                condition=Q(is_open=True, plan__isnull=False),
                name="agenda_item_one_open_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.child_id}"


class Declaration(models.Model):
    """A declaration of interest by a member on one item: they may not decide it."""

    id = models.BigAutoField(primary_key=True)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    interest = models.TextField(validators=free_text_validators())
    declared_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="declaration_unique"),
        ]

    def __str__(self) -> str:
        return f"Interest declared by {self.member}"


class FundingBand(Versioned, BaseModel):
    """A funding band's annual value for one kind of setting over a dated period.

    Yearly uplifts are new rows from their effective date; periods of the same kind and code
    never overlap (services refuse it; on PostgreSQL an exclusion constraint does too).
    """

    kind = models.CharField(max_length=30, choices=EstablishmentKind.choices)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    annual_value = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "code", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="funding_band_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0), name="funding_band_value_not_negative"
            ),
            models.UniqueConstraint(
                fields=["kind", "code", "effective_from"], name="funding_band_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} (£{self.annual_value:,.2f})"

    def applies_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class Outcome(models.TextChoices):
    AGREE = "agree", "Agree"
    DECLINE = "decline", "Decline"
    DEFER = "defer", "Defer"


class Decision(BaseModel):
    """A panel decision on an item. Changes are new rows: one current decision per item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField(validators=free_text_validators())
    dissent = models.TextField(
        blank=True, help_text="Dissent noted, with who and why.", validators=free_text_validators()
    )
    dissenters: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        USER, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    # An approved placement: the setting, band and annual cost.
    establishment = models.ForeignKey(
        "cases.Establishment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    band = models.ForeignKey(
        FundingBand, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    band_code = models.CharField(max_length=20, blank=True)
    annual_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost_reason = models.CharField(max_length=300, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    # Set once, when the decision reached the case (the meeting closed).
    applied_at = models.DateTimeField(null=True, blank=True)
    letter_dated_on = models.DateField(null=True, blank=True)
    placement = models.ForeignKey(
        "cases.Placement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["item", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(is_current=True), name="decision_one_current_per_item"
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="decision_has_reasons"),
            models.CheckConstraint(
                condition=Q(annual_cost__isnull=True) | Q(annual_cost__gte=0),
                name="decision_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(applied_at__isnull=True) | Q(letter_dated_on__isnull=False),
                name="decision_applied_with_letter_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.item_id})"
