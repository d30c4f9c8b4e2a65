"""Annual reviews of EHC plans, one row per review cycle, and the reminders sent about them.

A plan's first review runs from the day the plan was issued; each later one from the previous
review's decision (the decision letter concludes a review). Every step is a dated column, so
the due dates are computed from source dates by the timescales engine and never counted. The
orders the law makes impossible (a decision before the meeting, a final amended plan before the
amendments) are refused by services.py and, where a database can say so, by constraints here.
"""

import datetime as dt

from django.db import models
from django.db.models import F, Q

from cases.models import Plan, PlanVersion
from reviews.phase import TransferKind
from send_cms.common.models import BaseModel, free_text_validators


class ReviewStatus(models.TextChoices):
    AWAITING_MEETING = "awaiting_meeting", "Meeting to arrange"
    INVITED = "invited", "Meeting arranged"
    MEETING_HELD = "meeting_held", "Meeting held"
    REPORT_RECEIVED = "report_received", "Report received"
    MAINTAINED = "maintained", "Plan maintained"
    AMENDMENTS_DUE = "amendments_due", "Decided to amend: amendments to send"
    AMENDMENTS_SENT = "amendments_sent", "Amendments sent"
    AMENDED = "amended", "Amended plan issued"
    CEASE_PROPOSED = "cease_proposed", "Decided to cease"


#: Before the decision letter: the review is still open.
OPEN_STATUSES = (
    ReviewStatus.AWAITING_MEETING,
    ReviewStatus.INVITED,
    ReviewStatus.MEETING_HELD,
    ReviewStatus.REPORT_RECEIVED,
)
#: After the decision letter: the review has concluded (amendments may still be in progress).
DECIDED_STATUSES = (
    ReviewStatus.MAINTAINED,
    ReviewStatus.AMENDMENTS_DUE,
    ReviewStatus.AMENDMENTS_SENT,
    ReviewStatus.AMENDED,
    ReviewStatus.CEASE_PROPOSED,
)


class Decision(models.TextChoices):
    MAINTAIN = "maintain", "Maintain the plan unchanged"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease to maintain the plan"


class AnnualReview(BaseModel):
    """One review cycle of one plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="annual_reviews")
    sequence = models.PositiveSmallIntegerField(help_text="1 for the plan's first review.")
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.AWAITING_MEETING
    )
    cycle_start_on = models.DateField(
        "Plan issued or last reviewed", help_text="The 12 months run from this date."
    )
    due_on = models.DateField("Review due", help_text="From the timescales engine.")
    # Arranging the meeting.
    invitations_sent_on = models.DateField(null=True, blank=True)
    meeting_planned_on = models.DateField("Meeting date (planned)", null=True, blank=True)
    advice_gathered_on = models.DateField(null=True, blank=True)
    advice_note = models.TextField("Advice gathered", blank=True, validators=free_text_validators())
    # The meeting.
    meeting_on = models.DateField("Meeting held", null=True, blank=True)
    attendees = models.TextField(blank=True, validators=free_text_validators())
    child_views = models.TextField(
        "The child's or young person's views", blank=True, validators=free_text_validators()
    )
    family_views = models.TextField(
        "The family's views", blank=True, validators=free_text_validators()
    )
    report_received_on = models.DateField(null=True, blank=True)
    # The decision: its letter concludes the review.
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_issued_on = models.DateField(null=True, blank=True)
    # Amending.
    amendments_issued_on = models.DateField("Proposed amendments sent", null=True, blank=True)
    proposed_changes = models.TextField(blank=True, validators=free_text_validators())
    final_amended_issued_on = models.DateField("Final amended plan issued", null=True, blank=True)
    plan_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Phase transfer: computed from the date of birth unless set by hand.
    phase_transfer = models.BooleanField(default=False)
    phase_transfer_kind = models.CharField(max_length=20, choices=TransferKind.choices, blank=True)
    phase_transfer_on = models.DateField("Transfer date", null=True, blank=True)
    phase_transfer_label = models.CharField(max_length=100, blank=True)
    phase_transfer_manual = models.BooleanField(
        "Phase transfer set by hand", default=False, help_text="Not recomputed when true."
    )
    infant_school = models.BooleanField(
        "At an infant school", default=False, help_text="Adds the transfer to year 3."
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "sequence"], name="review_sequence_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(decision_issued_on__isnull=True),
                name="review_one_open_per_plan",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("cycle_start_on")), name="review_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES, decision="", decision_issued_on__isnull=True)
                | Q(status__in=DECIDED_STATUSES, decision_issued_on__isnull=False)
                & ~Q(decision=""),
                name="review_status_matches_decision",
            ),
            models.CheckConstraint(
                condition=Q(invitations_sent_on__isnull=True)
                | Q(invitations_sent_on__gte=F("cycle_start_on")),
                name="review_invitations_in_cycle",
            ),
            models.CheckConstraint(
                condition=Q(invitations_sent_on__isnull=True)
                | Q(
                    meeting_planned_on__isnull=False,
                    meeting_planned_on__gt=F("invitations_sent_on"),
                ),
                name="review_invitations_before_planned_meeting",
            ),
            models.CheckConstraint(
                condition=Q(meeting_on__isnull=True) | Q(meeting_on__gte=F("cycle_start_on")),
                name="review_meeting_in_cycle",
            ),
            models.CheckConstraint(
                condition=Q(meeting_on__isnull=True)
                | Q(invitations_sent_on__isnull=True)
                | Q(meeting_on__gt=F("invitations_sent_on")),
                name="review_meeting_after_invitations",
            ),
            models.CheckConstraint(
                condition=Q(report_received_on__isnull=True)
                | Q(meeting_on__isnull=False, report_received_on__gte=F("meeting_on")),
                name="review_report_after_meeting",
            ),
            models.CheckConstraint(
                condition=Q(decision_issued_on__isnull=True)
                | Q(meeting_on__isnull=False, decision_issued_on__gte=F("meeting_on")),
                name="review_decision_after_meeting",
            ),
            models.CheckConstraint(
                condition=Q(amendments_issued_on__isnull=True)
                | Q(decision=Decision.AMEND, amendments_issued_on__gte=F("decision_issued_on")),
                name="review_amendments_after_amend_decision",
            ),
            models.CheckConstraint(
                condition=Q(final_amended_issued_on__isnull=True)
                | Q(
                    amendments_issued_on__isnull=False,
                    final_amended_issued_on__gte=F("amendments_issued_on"),
                ),
                name="review_final_after_amendments",
            ),
            models.CheckConstraint(
                condition=Q(phase_transfer=False, phase_transfer_kind="")
                | Q(phase_transfer=True, phase_transfer_on__isnull=False)
                & ~Q(phase_transfer_kind=""),
                name="review_phase_transfer_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="review_status_due_idx"),
            models.Index(fields=["phase_transfer", "phase_transfer_on"], name="review_phase_idx"),
        ]

    def __str__(self) -> str:
        return f"Annual review due {self.due_on:%-d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.decision_issued_on is None

    @property
    def meeting_date(self) -> dt.date | None:
        """The meeting held, else the one planned (for notices and calendar invites)."""
        return self.meeting_on or self.meeting_planned_on


class ReminderKind(models.TextChoices):
    REVIEW_DUE = "review_due", "Review due in 4 weeks"
    DECISION_OVERDUE = "decision_overdue", "Review decision overdue"
    FINAL_OVERDUE = "final_overdue", "Final amended plan overdue"
    UNDER_5 = "under_5", "Under-5 review check"


class ReminderSent(models.Model):
    """A reminder email sent about a review: at most one per review and kind."""

    id = models.BigAutoField(primary_key=True)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=40, help_text="A ReminderKind, or under_5:<date>.")
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="reminder_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.review_id}"
