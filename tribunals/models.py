"""Mediation and tribunal appeals: the records, their dates, and the orders that follow.

Every statutory clock runs from a date column here, through the timescales engine (see
deadlines.py); nothing is counted by hand. What the database can refuse is a constraint; the
rest is refused in services.py with a message a caseworker can act on.
"""

from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.codes import EstablishmentKind
from cases.models import AssessmentRequest, Child, Plan
from send_cms.common.models import BaseModel, free_text_validators
from send_cms.common.versioning import Versioned
from tribunals.codes import (
    OPEN_APPEAL_STATUSES,
    PLAN_APPEALS,
    PLAN_DECISIONS,
    REQUEST_APPEALS,
    REQUEST_DECISIONS,
    SECTION_APPEALS,
    AgreementMatter,
    AppealStatus,
    AppealType,
    AppellantKind,
    CertificateKind,
    DecisionType,
    MediationOutcome,
    OrderKind,
    Outcome,
    RecommendationKind,
    Representation,
)

USER = settings.AUTH_USER_MODEL
ZERO = Decimal("0")


def _about_request_or_plan(field: str, request_kinds: Any, plan_kinds: Any) -> Q:
    """Request-type decisions hang off a request, plan-type ones off a plan, others either."""
    on_request = Q(request__isnull=False, plan__isnull=True)
    on_plan = Q(request__isnull=True, plan__isnull=False)
    return (
        Q(**{f"{field}__in": request_kinds}) & on_request
        | Q(**{f"{field}__in": plan_kinds}) & on_plan
        | ~Q(**{f"{field}__in": [*request_kinds, *plan_kinds]}) & (on_request | on_plan)
    )


class Mediation(BaseModel):
    """Mediation about one decision: the family's contact with the mediation adviser, the
    meeting, the certificate that lets the family appeal, and any agreement."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="mediations")
    request = models.ForeignKey(
        AssessmentRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations",
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="mediations"
    )
    decision_type = models.CharField(max_length=20, choices=DecisionType.choices)
    decision_notice_on = models.DateField("Decision notice sent")
    family_contacted_on = models.DateField(
        "Family contacted the mediation adviser", null=True, blank=True
    )
    mediation_wanted = models.BooleanField(null=True, blank=True)
    la_informed_on = models.DateField(
        "Council told the family wants mediation", null=True, blank=True
    )
    not_arranged_on = models.DateField(
        "Council told the adviser it cannot arrange mediation within 30 days",
        null=True,
        blank=True,
    )
    held_on = models.DateField("Mediation held", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=MediationOutcome.choices, blank=True)
    certificate_issued_on = models.DateField(null=True, blank=True)
    certificate_kind = models.CharField(max_length=20, choices=CertificateKind.choices, blank=True)
    mediator = models.CharField("Mediation service", max_length=200, blank=True)
    notes = models.TextField(blank=True, validators=free_text_validators())

    class Meta:
        ordering = ["-decision_notice_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=_about_request_or_plan(
                    "decision_type", REQUEST_DECISIONS, PLAN_DECISIONS
                ),
                name="tribunals_mediation_request_or_plan",
            ),
            models.CheckConstraint(
                condition=Q(family_contacted_on__isnull=True)
                | Q(family_contacted_on__gte=F("decision_notice_on")),
                name="tribunals_mediation_contact_after_notice",
            ),
            models.CheckConstraint(
                condition=Q(la_informed_on__isnull=True)
                | Q(mediation_wanted=True, la_informed_on__gte=F("decision_notice_on")),
                name="tribunals_mediation_informed_when_wanted",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True)
                | Q(mediation_wanted=True, held_on__gte=F("decision_notice_on")),
                name="tribunals_mediation_held_when_wanted",
            ),
            models.CheckConstraint(
                condition=Q(not_arranged_on__isnull=True)
                | Q(mediation_wanted=True, held_on__isnull=True),
                name="tribunals_mediation_not_arranged_not_held",
            ),
            models.CheckConstraint(
                condition=Q(certificate_issued_on__isnull=True, certificate_kind="")
                | Q(
                    certificate_issued_on__isnull=False,
                    certificate_issued_on__gte=F("decision_notice_on"),
                )
                & ~Q(certificate_kind=""),
                name="tribunals_mediation_certificate_with_kind",
            ),
            models.CheckConstraint(
                condition=~Q(certificate_kind=CertificateKind.AFTER_MEDIATION)
                | Q(held_on__isnull=False),
                name="tribunals_mediation_certificate_after_held",
            ),
            models.CheckConstraint(
                condition=~Q(certificate_kind=CertificateKind.DECLINED) | Q(mediation_wanted=False),
                name="tribunals_mediation_certificate_declined",
            ),
            models.CheckConstraint(
                condition=~Q(certificate_kind=CertificateKind.DEEMED)
                | Q(not_arranged_on__isnull=False),
                name="tribunals_mediation_certificate_deemed",
            ),
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(outcome=MediationOutcome.DECLINED, mediation_wanted=False)
                | Q(
                    outcome__in=[MediationOutcome.AGREEMENT, MediationOutcome.NO_AGREEMENT],
                    held_on__isnull=False,
                ),
                name="tribunals_mediation_outcome_fits",
            ),
        ]
        indexes = [models.Index(fields=["child", "decision_type"], name="tribunals_med_child_idx")]

    def __str__(self) -> str:
        return (
            f"Mediation: {self.get_decision_type_display()} ({self.decision_notice_on:%-d %b %Y})"
        )


class MediationAction(BaseModel):
    """Something the council agreed to do at mediation, with its own deadlines."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="actions")
    matter = models.CharField(max_length=20, choices=AgreementMatter.choices)
    description = models.TextField(validators=free_text_validators())
    agreed_on = models.DateField("Agreement made")

    class Meta:
        ordering = ["agreed_on", "created_at"]

    def __str__(self) -> str:
        return f"Agreement action: {self.get_matter_display()}"


class Appeal(Versioned, BaseModel):
    """An appeal to the First-tier Tribunal (SEND), from registration to its outcome."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="appeals")
    request = models.ForeignKey(
        AssessmentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    mediation = models.ForeignKey(
        Mediation, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    status = models.CharField(
        max_length=20, choices=AppealStatus.choices, default=AppealStatus.REGISTERED
    )
    tribunal_reference = models.CharField(max_length=40, blank=True)
    appellant_name = models.CharField(max_length=200, blank=True)
    appellant_kind = models.CharField(
        max_length=20, choices=AppellantKind.choices, default=AppellantKind.PARENT
    )
    appeal_type = models.CharField(max_length=30, choices=AppealType.choices)
    section_b = models.BooleanField("Section B", default=False)
    section_f = models.BooleanField("Section F", default=False)
    section_i = models.BooleanField("Section I", default=False)
    setting_kind_sought = models.CharField(
        "Kind of setting the family wants",
        max_length=30,
        choices=EstablishmentKind.choices,
        blank=True,
    )
    decision_notice_on = models.DateField("Decision notice sent")
    certificate_issued_on = models.DateField("Mediation certificate issued", null=True, blank=True)
    lodged_on = models.DateField("Tribunal received the appeal", null=True, blank=True)
    received_by_la_on = models.DateField("Council received the appeal")
    response_due_on = models.DateField(
        "Response due (registration letter)",
        null=True,
        blank=True,
        help_text="A date set by the tribunal replaces the computed one.",
    )
    response_submitted_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(
        null=True, blank=True, help_text="For a concession, the day the council told the tribunal."
    )
    unopposed = models.BooleanField(
        default=False,
        help_text="Conceded before the response was due (regulation 45): set by the service.",
    )
    legal_costs = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    counsel_costs = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    expert_costs = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    la_representation = models.CharField(
        "Council represented by", max_length=30, choices=Representation.choices, blank=True
    )
    la_representative = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    la_representative_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_by_la_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=_about_request_or_plan("appeal_type", REQUEST_APPEALS, PLAN_APPEALS),
                name="tribunals_appeal_request_or_plan",
            ),
            models.CheckConstraint(
                condition=Q(appeal_type__in=SECTION_APPEALS)
                & (Q(section_b=True) | Q(section_f=True) | Q(section_i=True))
                | ~Q(appeal_type__in=SECTION_APPEALS)
                & Q(section_b=False, section_f=False, section_i=False),
                name="tribunals_appeal_sections_fit_type",
            ),
            models.CheckConstraint(
                condition=Q(received_by_la_on__gte=F("decision_notice_on")),
                name="tribunals_appeal_received_after_notice",
            ),
            models.CheckConstraint(
                condition=Q(certificate_issued_on__isnull=True)
                | Q(certificate_issued_on__gte=F("decision_notice_on")),
                name="tribunals_appeal_certificate_after_notice",
            ),
            models.CheckConstraint(
                condition=Q(lodged_on__isnull=True)
                | Q(
                    lodged_on__gte=F("decision_notice_on"),
                    lodged_on__lte=F("received_by_la_on"),
                ),
                name="tribunals_appeal_lodged_in_order",
            ),
            models.CheckConstraint(
                condition=Q(response_submitted_on__isnull=True)
                | Q(response_submitted_on__gte=F("received_by_la_on")),
                name="tribunals_appeal_response_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("received_by_la_on")),
                name="tribunals_appeal_decided_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_APPEAL_STATUSES, outcome="", decided_on__isnull=True)
                | Q(
                    status=AppealStatus.DECIDED,
                    outcome__in=[Outcome.UPHELD, Outcome.UPHELD_IN_PART, Outcome.DISMISSED],
                    decided_on__isnull=False,
                )
                | Q(
                    status=AppealStatus.CONCEDED, outcome=Outcome.CONCEDED, decided_on__isnull=False
                )
                | Q(
                    status=AppealStatus.WITHDRAWN,
                    outcome=Outcome.WITHDRAWN,
                    decided_on__isnull=False,
                )
                | Q(
                    status=AppealStatus.STRUCK_OUT,
                    outcome=Outcome.STRUCK_OUT,
                    decided_on__isnull=False,
                ),
                name="tribunals_appeal_status_matches_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=AppealStatus.RESPONSE_SUBMITTED)
                | Q(response_submitted_on__isnull=False),
                name="tribunals_appeal_responded_status",
            ),
            models.CheckConstraint(
                condition=~Q(status=AppealStatus.HEARING_LISTED)
                | Q(response_submitted_on__isnull=False, hearing_on__isnull=False),
                name="tribunals_appeal_hearing_status",
            ),
            models.CheckConstraint(
                condition=Q(unopposed=False)
                | Q(status=AppealStatus.CONCEDED, response_submitted_on__isnull=True),
                name="tribunals_appeal_unopposed_is_early_concession",
            ),
            models.CheckConstraint(
                condition=Q(legal_costs__gte=ZERO, counsel_costs__gte=ZERO, expert_costs__gte=ZERO),
                name="tribunals_appeal_costs_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "received_by_la_on"], name="tribunals_appeal_status_idx"
            ),
            models.Index(fields=["appeal_type", "decided_on"], name="tribunals_appeal_type_idx"),
        ]

    def __str__(self) -> str:
        ref = f" {self.tribunal_reference}" if self.tribunal_reference else ""
        return f"Appeal{ref}: {self.get_appeal_type_display()}"

    @property
    def sections(self) -> list[str]:
        """The plan sections appealed, as api.md lists them."""
        flags = (("B", self.section_b), ("F", self.section_f), ("I", self.section_i))
        return [letter for letter, on in flags if on]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPEAL_STATUSES

    @property
    def total_costs(self) -> Decimal:
        return self.legal_costs + self.counsel_costs + self.expert_costs

    @property
    def representative_label(self) -> str:
        if self.la_representative_id is not None and self.la_representative is not None:
            return str(self.la_representative)
        return self.la_representative_name


class AppealEvent(models.Model):
    """One immutable row per step of an appeal: what happened, when, and who recorded it."""

    id = models.BigAutoField(primary_key=True)
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    occurred_on = models.DateField()
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%-d %b %Y} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Appeal events are a record of what happened: they cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Appeal events are a record of what happened: they cannot be deleted.")


class Direction(BaseModel):
    """A direction from the tribunal (evidence, bundles, attendance) with its own due date."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="directions")
    description = models.TextField(validators=free_text_validators())
    made_on = models.DateField(null=True, blank=True)
    due_on = models.DateField("Due (set by the tribunal)")
    complied_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(made_on__isnull=True) | Q(due_on__gte=F("made_on")),
                name="tribunals_direction_due_after_made",
            )
        ]

    def __str__(self) -> str:
        return f"Direction due {self.due_on:%-d %b %Y}"


class Order(BaseModel):
    """An order of the tribunal (or, for an unopposed appeal, what the council conceded).

    Time runs from `runs_from`: the day the order was sent, or for an unopposed appeal the day
    the council told the tribunal it would not oppose (regulation 45).
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(max_length=20, choices=OrderKind.choices)
    made_on = models.DateField()
    sent_on = models.DateField()
    runs_from = models.DateField(help_text="The day the order periods run from.")
    wording = models.TextField(
        blank=True, help_text="The tribunal's own words win.", validators=free_text_validators()
    )

    class Meta:
        ordering = ["runs_from", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_on__gte=F("made_on")), name="tribunals_order_sent_after_made"
            )
        ]

    def __str__(self) -> str:
        return f"Order: {self.get_kind_display()} (sent {self.sent_on:%-d %b %Y})"


class ComplianceStep(BaseModel):
    """One statutory step of an order or a mediation agreement action, and when it was met.

    `due_on` is the timescales engine's date, stored so overdue orders can be found in one
    query; `applicable` turns off the other ending of an ordered assessment once one is met.
    """

    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    action = models.ForeignKey(
        MediationAction, null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    rule = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=1)
    due_on = models.DateField()
    complied_on = models.DateField(null=True, blank=True)
    applicable = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False, action__isnull=True)
                | Q(order__isnull=True, action__isnull=False),
                name="tribunals_step_one_parent",
            ),
            models.UniqueConstraint(
                fields=["order", "rule"],
                condition=Q(order__isnull=False),
                name="tribunals_step_order_rule_unique",
            ),
            models.UniqueConstraint(
                fields=["action", "rule"],
                condition=Q(action__isnull=False),
                name="tribunals_step_action_rule_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["applicable", "complied_on", "due_on"], name="tribunals_step_idx")
        ]

    def __str__(self) -> str:
        return f"{self.rule} due {self.due_on:%-d %b %Y}"

    @property
    def is_met(self) -> bool:
        return self.complied_on is not None


class Recommendation(BaseModel):
    """A tribunal recommendation on health or social care; the council responds in 5 weeks."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=20, choices=RecommendationKind.choices)
    made_on = models.DateField("Recommendation made")
    summary = models.TextField(validators=free_text_validators())
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True, validators=free_text_validators())

    class Meta:
        ordering = ["made_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=F("made_on")),
                name="tribunals_recommendation_response_after",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} recommendation ({self.made_on:%-d %b %Y})"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due within 5 working days"
    OVERDUE = "overdue", "Overdue"


class ReminderSent(models.Model):
    """A reminder email about one deadline: at most one per (step, kind, due date)."""

    id = models.BigAutoField(primary_key=True)
    child_id = models.UUIDField()
    subject_type = models.CharField(max_length=60)
    subject_id = models.UUIDField()
    rule = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule", "kind", "due_on"],
                name="tribunals_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder: {self.rule} due {self.due_on:%-d %b %Y}"
