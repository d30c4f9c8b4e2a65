"""The assessment request and its journey: advice, permitted exceptions, draft consultations.

Every date SEN2 and the scorecard need is a column here; nothing is derived by counting. Rules
that the database can express are constraints; the rest are refused in the services.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from cases.codes import AdviceKind, Channel, RequestSource
from cases.models.children import USER, Child, Establishment
from send_cms.common.models import BaseModel, free_text_validators
from send_cms.timescales import (
    APPLIES_TO,
    ExceptionNotApplicable,
    UnknownRule,
    ensure_exception_applies,
)

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
        indexes = [
            models.Index(fields=["status", "received_on"], name="request_status_idx"),
            # Every request, newest first (the API's list): walked backwards to the page, where
            # sorting them all read every request, child and plan of the council.
            models.Index(fields=["received_on", "created_at"], name="request_received_idx"),
        ]

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
