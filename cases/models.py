"""Casework: the child or young person, the assessment request and its journey, the EHC plan.

Every date SEN2 and the scorecard need is a column here; nothing is derived by counting. Rules
that the database can express are constraints; the rest are refused in services.py.
"""

import datetime as dt
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

from cases.codes import (
    SETTING_RANKS,
    AdviceKind,
    CeaseReason,
    Channel,
    ContactPreference,
    EstablishmentKind,
    Ethnicity,
    RequestSource,
    SenSetting,
    SenType,
    Sex,
    UpnUnknown,
)
from cases.validators import REFERENCE_FORMAT, REFERENCE_PATTERN
from send_cms.common.models import BaseModel, free_text_validators
from send_cms.common.versioning import Versioned
from send_cms.deadlines.models import NextDeadline
from send_cms.timescales import (
    APPLIES_TO,
    ExceptionNotApplicable,
    UnknownRule,
    ensure_exception_applies,
)

USER = settings.AUTH_USER_MODEL
DRAFT_WINDOW = dt.timedelta(days=15)


class AddDays(models.Func):
    """`date + n days`, as a date, in each database's own SQL (PostgreSQL and SQLite).

    Django compiles `F("day") + timedelta(...)` on SQLite to `django_format_dtdelta(...)`, a
    Python function only Django's connections register: a CHECK constraint written with it
    makes every write to the table from outside Django (`manage.py dbshell`, the sqlite3 tool, a
    restore) fail with "unknown function". SQLite's own `date(day, '+15 days')` and PostgreSQL's
    `date + integer` give the same date everywhere.
    """

    arity = 1
    output_field = models.DateField()

    def __init__(self, expression: Any, days: int, **extra: Any) -> None:
        super().__init__(expression, days=int(days), **extra)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        # PostgreSQL: date + integer is a date.
        sql, params = super().as_sql(
            compiler,
            connection,
            template="(CAST(%(expressions)s AS date) + %(days)s)",
            **extra_context,
        )
        return sql, list(params)

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s, '+%(days)s days')",
            **extra_context,
        )
        return sql, list(params)


class Establishment(BaseModel):
    """A school, college or other setting, usually from Get Information About Schools."""

    urn = models.CharField("URN", max_length=6, blank=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=EstablishmentKind.choices)
    phase = models.CharField(max_length=60, blank=True)
    la_code = models.CharField("LA code", max_length=3, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"], condition=~Q(urn=""), name="establishment_urn_unique"
            ),
            models.UniqueConstraint(
                fields=["ukprn"], condition=~Q(ukprn=""), name="establishment_ukprn_unique"
            ),
            models.CheckConstraint(
                condition=Q(urn="") | Q(urn__regex=r"^[0-9]{6}$"), name="establishment_urn_6_digits"
            ),
            models.CheckConstraint(
                condition=Q(ukprn="") | Q(ukprn__regex=r"^[0-9]{8}$"),
                name="establishment_ukprn_8_digits",
            ),
        ]

    def __str__(self) -> str:
        ref = self.urn or self.ukprn
        return f"{self.name} ({ref})" if ref else self.name


class _NextDeadlineDescriptor(ForwardManyToOneDescriptor):  # type: ignore[type-arg]
    """`child.next_deadline`: None when the child has nothing to meet (no row, not an error)."""

    def get_object(self, instance: Any) -> Any:
        try:
            return super().get_object(instance)
        except NextDeadline.DoesNotExist:
            return None


class NextDeadlineRelation(models.ForeignObject):  # type: ignore[type-arg]
    """A join to the stored next deadline on the child's own id: no column, no constraint."""

    forward_related_accessor_class = _NextDeadlineDescriptor


class Child(Versioned, BaseModel):
    """A child or young person (0-25): the subject of a case."""

    reference = models.CharField(
        "LA reference",
        max_length=20,
        unique=True,
        validators=[RegexValidator(REFERENCE_PATTERN, message=REFERENCE_FORMAT)],
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    upn = models.CharField("UPN", max_length=13, blank=True)
    uln = models.CharField("ULN", max_length=10, blank=True)
    upn_unknown = models.CharField(
        "Reason the UPN is unknown", max_length=4, choices=UpnUnknown.choices, blank=True
    )
    postcode = models.CharField(max_length=10, blank=True)
    current_setting = models.ForeignKey(
        Establishment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    caseworker = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    # The next deadline to meet, stored by the deadlines app on the child's id (no column here):
    # caseloads sort and filter by it through its table's index.
    next_deadline = NextDeadlineRelation(  # type: ignore[misc]
        NextDeadline,
        on_delete=models.DO_NOTHING,
        from_fields=["id"],
        to_fields=["child_id"],
        null=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "child or young person"
        verbose_name_plural = "children and young people"
        constraints = [
            models.UniqueConstraint(fields=["upn"], condition=~Q(upn=""), name="child_upn_unique"),
            models.CheckConstraint(
                condition=~(~Q(upn="") & ~Q(upn_unknown="")), name="child_upn_or_reason_not_both"
            ),
        ]
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "date_of_birth"], name="child_name_dob_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.reference})"

    def clean_fields(self, exclude: Any = None) -> None:
        # The next deadline is the deadlines app's, not a value of the child to check.
        super().clean_fields(exclude={*(exclude or ()), "next_deadline"})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Contact(BaseModel):
    """A parent or carer (or the young person's chosen contact)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60)
    parental_responsibility = models.BooleanField(default=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True, validators=free_text_validators())
    preferred_contact = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.EMAIL
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class Allocation(BaseModel):
    """History of who held the case: one row per (re)allocation."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    caseworker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    allocated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.child_id} -> {self.caseworker_id}"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Awaiting decision to assess"
    NOT_ASSESSING = "not_assessing", "Decided not to assess"
    ASSESSING = "assessing", "Assessing"
    NOT_ISSUING = "not_issuing", "Decided not to issue a plan"
    ISSUING = "issuing", "Decided to issue: drafting the plan"
    DRAFT_ISSUED = "draft_issued", "Draft plan issued"
    FINAL_ISSUED = "final_issued", "Final plan issued"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRANSFERRED_OUT = "transferred_out", "Transferred to another LA"


OPEN_REQUEST_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.ASSESSING,
    RequestStatus.ISSUING,
    RequestStatus.DRAFT_ISSUED,
)


class AssessmentDecision(models.TextChoices):
    ASSESS = "assess", "Assess"
    NOT_ASSESS = "not_assess", "Do not assess"


class IssueDecision(models.TextChoices):
    ISSUE = "issue", "Issue a plan"
    NOT_ISSUE = "not_issue", "Do not issue a plan"


class AssessmentRequest(BaseModel):
    """A request for an EHC needs assessment, from receipt to final plan (or its other ends)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    # Receipt: the timestamp and channel are kept; the legal received date is derived from them.
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    signed_for_on = models.DateField(null=True, blank=True)
    received_on = models.DateField("Legal received date")
    # The council's cut-off when the date was derived (settings.REQUEST_CUT_OFF), so the reason
    # shown beside the date stays true if the setting changes; empty: the law's 5pm.
    received_cut_off = models.TimeField(null=True, blank=True, editable=False)
    received_on_override_reason = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=30, choices=RequestSource.choices)
    requester_name = models.CharField(max_length=200, blank=True)
    relevant_youth_accommodation = models.BooleanField(default=False)
    is_reassessment = models.BooleanField(default=False)
    # Decision to assess (SEN2 RequestOutcome / RequestOutcomeDate).
    decision = models.CharField(max_length=12, choices=AssessmentDecision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True, validators=free_text_validators())
    decision_letter_sent_on = models.DateField(null=True, blank=True)
    # Decision to issue (SEN2 AssessmentOutcome).
    issue_decision = models.CharField(max_length=12, choices=IssueDecision.choices, blank=True)
    issue_decided_on = models.DateField(null=True, blank=True)
    issue_decision_reasons = models.TextField(blank=True, validators=free_text_validators())
    # Draft plan and the family's 15 days.
    draft_issued_on = models.DateField(null=True, blank=True)
    preferred_setting = models.ForeignKey(
        Establishment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_issued_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=300, blank=True)
    transferred_out_on = models.DateField(null=True, blank=True)
    transferred_to_la = models.CharField("New LA code", max_length=3, blank=True)
    # History from an imported SEN2 file that no other column holds (cases.sen2_import):
    # {"flags": {"RequestTribunal": 1, "Week20": 1}, "inferred": ["decided_on", ...]}.
    sen2_history = models.JSONField(
        "SEN2 history",
        default=dict,
        blank=True,
        editable=False,
        help_text="The mediation, tribunal and Week20 flags an imported SEN2 file gave, and the "
        "dates inferred because the file does not give them.",
    )

    class Meta:
        ordering = ["-received_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=OPEN_REQUEST_STATUSES),
                name="request_one_open_per_child",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("received_on")),
                name="request_decision_not_before_receipt",
            ),
            models.CheckConstraint(
                condition=Q(decision="", decided_on__isnull=True)
                | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="request_decision_with_its_date",
            ),
            models.CheckConstraint(
                condition=Q(issue_decision="", issue_decided_on__isnull=True)
                | (~Q(issue_decision="") & Q(issue_decided_on__isnull=False)),
                name="request_issue_decision_with_its_date",
            ),
            models.CheckConstraint(
                condition=Q(issue_decision="") | Q(decision=AssessmentDecision.ASSESS),
                name="request_issue_decision_needs_assessment",
            ),
            models.CheckConstraint(
                condition=Q(issue_decided_on__isnull=True)
                | Q(issue_decided_on__gte=F("decided_on")),
                name="request_issue_decision_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(draft_issued_on__isnull=True)
                | Q(issue_decided_on__isnull=False, draft_issued_on__gte=F("issue_decided_on")),
                name="request_draft_after_issue_decision",
            ),
            models.CheckConstraint(
                condition=Q(final_issued_on__isnull=True)
                | Q(
                    issue_decision=IssueDecision.ISSUE,
                    draft_issued_on__isnull=False,
                    final_issued_on__gte=AddDays(F("draft_issued_on"), DRAFT_WINDOW.days),
                ),
                name="request_final_after_draft_window",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("received_on")),
                name="request_withdrawal_not_before_receipt",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_on"], name="request_status_idx")]

    def __str__(self) -> str:
        return f"Request received {self.received_on:%-d %b %Y} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class AdviceRequest(BaseModel):
    """A request for advice during an assessment; the adviser has 6 weeks (reg 8)."""

    request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="advice_requests"
    )
    kind = models.CharField(max_length=30, choices=AdviceKind.choices)
    provider = models.CharField(max_length=200, blank=True)
    requested_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    returned_for_quality_on = models.DateField(null=True, blank=True)
    re_received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("requested_on")),
                name="advice_received_after_requested",
            ),
            models.CheckConstraint(
                condition=Q(returned_for_quality_on__isnull=True)
                | Q(received_on__isnull=False, returned_for_quality_on__gte=F("received_on")),
                name="advice_returned_after_received",
            ),
            models.CheckConstraint(
                condition=Q(re_received_on__isnull=True)
                | Q(
                    returned_for_quality_on__isnull=False,
                    re_received_on__gte=F("returned_for_quality_on"),
                ),
                name="advice_re_received_after_return",
            ),
        ]

    def __str__(self) -> str:
        return f"{AdviceKind(self.kind).advice} requested {self.requested_on:%-d %b %Y}"

    @property
    def is_outstanding(self) -> bool:
        """Awaiting the adviser: never received, or returned for quality and not yet re-sent."""
        if self.received_on is None:
            return True
        return self.returned_for_quality_on is not None and self.re_received_on is None


def _exception_excuses_rule() -> Q:
    """The law's table of which exception may excuse which time limit, as a database check."""
    allowed = Q()
    for kind, rules in APPLIES_TO.items():
        allowed |= Q(kind=kind.value, rule__in=sorted(rules))
    return allowed


class TimescaleException(BaseModel):
    """A permitted exception (timescales.md section 2). It never moves a due date; it changes how
    timeliness is reported ("excluding exceptions")."""

    request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="exceptions"
    )
    advice_request = models.ForeignKey(
        AdviceRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    kind = models.CharField(max_length=30)
    rule = models.CharField("Time limit excused", max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, validators=free_text_validators())
    # Empty when the system recorded it (an import, the demo data).
    applied_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    family_told_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="exception_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["request", "kind", "rule", "starts_on"], name="exception_unique"
            ),
            # A missed appointment never excuses the council's own 20 weeks, and so on.
            models.CheckConstraint(
                condition=_exception_excuses_rule(), name="exception_excuses_its_rule"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} exception to {self.rule} from {self.starts_on:%-d %b %Y}"

    def clean(self) -> None:
        """Refuse an exception the Regulations do not allow for this time limit."""
        super().clean()
        try:
            ensure_exception_applies(self.kind, self.rule)
        except ExceptionNotApplicable as exc:
            raise ValidationError({"kind": [str(exc)]}) from None
        except UnknownRule:
            raise ValidationError(
                {"rule": ["Choose a time limit this exception can excuse."]}
            ) from None
        except ValueError:  # not one of the exceptions the Regulations allow
            raise ValidationError({"kind": ["Choose the kind of exception."]}) from None


class DraftConsultation(BaseModel):
    """A setting consulted about being named in the plan, and its reply."""

    class Reply(models.TextChoices):
        CAN_MEET = "can_meet", "Can meet needs"
        CANNOT_MEET = "cannot_meet", "Cannot meet needs"

    request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="consultations"
    )
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    replied_on = models.DateField(null=True, blank=True)
    reply = models.CharField(max_length=20, choices=Reply.choices, blank=True)

    class Meta:
        ordering = ["sent_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=F("sent_on")),
                name="consultation_reply_after_sent",
            )
        ]

    def __str__(self) -> str:
        return f"Consultation with {self.establishment_id}"


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


class TimelineEntry(models.Model):
    """One immutable row per step on a case: who, when, what. Together, the case timeline.

    Every app writes here through `cases.services.timeline_record`, so the timeline shows panel
    decisions, reviews and appeals beside the assessment's own steps.
    """

    id = models.BigAutoField(primary_key=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="timeline")
    request = models.ForeignKey(
        AssessmentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="timeline"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="timeline"
    )
    event = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    occurred_on = models.DateField(help_text="The date the step happened (may be backdated).")
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Empty for the system (a scheduled task, an import): recorded_by_name says so.
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["child", "occurred_on"], name="timeline_child_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%-d %b %Y} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Timeline entries are a record of what happened: they cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Timeline entries are a record of what happened: they cannot be deleted.")


# --- documents and letters -----------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    ADVICE = "advice", "Advice report"
    REPORT = "report", "Report from a school, setting or professional"
    FAMILY_VIEWS = "family_views", "The family's views"
    PLAN = "plan", "EHC plan or draft plan"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


def document_path(instance: "Document", filename: str) -> str:
    """Where the file is stored: the child's folder and the document's id, never the name the
    uploader gave it (that is kept in `filename` and shown, safely, on download)."""
    extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(
        instance.mime_type, ".docx" if "wordprocessingml" in instance.mime_type else ""
    )
    return f"documents/{instance.child_id}/{instance.id}{extension}"


class Document(BaseModel):
    """A file on a child's record: an advice report, a setting's report, the family's views.

    It may also belong to an advice request or a plan version (columns here), or to a record of
    an app that builds on casework (an annual review, a panel agenda item, an appeal) through
    `attached_to`: casework cannot name those apps' models, so that link is generic, limited to
    the models the apps register (`cases.documents.register_attachable`).
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_path, max_length=255)
    filename = models.CharField("File name", max_length=255)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    received_on = models.DateField(null=True, blank=True)
    advice_request = models.ForeignKey(
        AdviceRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    plan_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    attached_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attached_id = models.UUIDField(null=True, blank=True)
    attached_to = GenericForeignKey("attached_type", "attached_id")
    uploaded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["child", "created_at"], name="document_child_idx"),
            models.Index(fields=["attached_type", "attached_id"], name="document_attached_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attached_type__isnull=True, attached_id__isnull=True)
                | Q(attached_type__isnull=False, attached_id__isnull=False),
                name="document_attached_whole",
            ),
            models.CheckConstraint(condition=~Q(filename=""), name="document_has_filename"),
        ]

    def __str__(self) -> str:
        return self.title


class LetterKind(models.TextChoices):
    DECISION_TO_ASSESS = "assess", "Decision to carry out an EHC needs assessment"
    DECISION_NOT_TO_ASSESS = "not_assess", "Decision not to carry out an EHC needs assessment"
    DECISION_NOT_TO_ISSUE = "not_issue", "Decision not to issue an EHC plan"
    CEASE_PROPOSAL = "cease_proposal", "Proposal to cease the EHC plan"
    CEASE_DECISION = "cease_decision", "Decision to cease the EHC plan"


class LetterTemplate(BaseModel):
    """The wording of one kind of letter. Its wording is never changed in place: each edit is
    a new `LetterTemplateVersion`, so a letter already sent keeps the words it was sent with."""

    kind = models.CharField(max_length=20, choices=LetterKind.choices, unique=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return LetterKind(self.kind).label


class LetterTemplateVersion(BaseModel):
    """One wording of a letter: a subject and a body in Django's template language, filled in
    from plain text values only (see `cases.letters`)."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="letter_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} (version {self.number})"


class Letter(BaseModel):
    """A letter made for a family: which wording it used and the facts it was filled with, so it
    renders the same whenever it is downloaded again, whatever changed since."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    template_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="letters"
    )
    request = models.ForeignKey(
        AssessmentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    dated = models.DateField()
    values = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False) | Q(plan__isnull=False),
                name="letter_about_request_or_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{LetterKind(self.kind).label} ({self.dated:%-d %b %Y})"


# The plan's content (sections A to K) lives in its own module; imported here so Django sees it.
from cases.plan_content.models import (  # noqa: E402, F401
    PlanAdvice,
    PlanContent,
    PlanNeed,
    PlanOutcome,
    PlanProvision,
)
