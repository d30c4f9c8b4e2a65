"""Stored deadlines: one row per (case step, rule), rebuilt from source dates, never counted.

Kept so caseloads can be sorted and filtered by the next deadline in one query. The child is
held by id only: this table is cross-cutting and must not depend on the casework tables.
"""

from django.conf import settings
from django.db import models

from send_cms.timescales.status import DeadlineStatus

#: The rows whose status changes with the calendar alone: open cases, unmet, applicable. The
#: nightly refresh reads only these, through a partial index on exactly this condition.
REFRESH_CANDIDATES = models.Q(case_open=True, met_on__isnull=True) & ~models.Q(
    status=DeadlineStatus.not_applicable.value
)
#: Deadlines still to meet, in the order a caseworker should worry about them.
TO_MEET_STATUSES = (
    DeadlineStatus.overdue.value,
    DeadlineStatus.due_soon.value,
    DeadlineStatus.upcoming.value,
)
#: The rows a case's next deadline is chosen from (the soonest due, then the lowest id).
TO_MEET = models.Q(case_open=True, met_on__isnull=True, status__in=TO_MEET_STATUSES)


class Deadline(models.Model):
    id = models.BigAutoField(primary_key=True)
    child_id = models.UUIDField(db_index=True)
    subject_type = models.CharField(max_length=60, help_text="app_label.model of the step")
    subject_id = models.UUIDField()
    rule = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    regulation = models.CharField(max_length=200)
    trigger_on = models.DateField()
    due_on = models.DateField()
    practical_target_on = models.DateField()
    due_overridden = models.BooleanField(default=False)
    met_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20,
        choices=[(s.value, s.value.replace("_", " ").capitalize()) for s in DeadlineStatus],
    )
    explanation = models.TextField()
    excused = models.BooleanField(default=False)
    case_open = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule"], name="deadline_one_per_step_rule"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in DeadlineStatus]),
                name="deadline_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["case_open", "status", "due_on"], name="deadline_open_status_idx"),
            models.Index(fields=["owner", "status", "due_on"], name="deadline_owner_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject_idx"),
            # Reports of one rule's deadlines falling due in a period (phase transfers).
            models.Index(fields=["rule", "due_on"], name="deadline_rule_due_idx"),
            # The nightly refresh walks these rows in id order, a batch at a time: with this
            # index it reads the open rows only, however many met and closed ones the table has.
            models.Index(fields=["id"], condition=REFRESH_CANDIDATES, name="deadline_refresh_idx"),
            # A child's rows still to meet, soonest first: where its next deadline comes from.
            models.Index(
                fields=["child_id", "due_on", "id"], condition=TO_MEET, name="deadline_to_meet_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: due {self.due_on:%-d %b %Y} ({self.status})"


class NextDeadline(models.Model):
    """Each child's next deadline to meet (the soonest due, then the lowest id, of `TO_MEET`).

    Written by the recompute in the same transaction as the deadlines it follows, and by the
    nightly refresh (its status; the next deadline itself when a window closes or reopens), so
    a caseload is sorted, filtered and counted by it through one index instead of finding every
    child's soonest row. A child with nothing to meet has no row. The child is held by id only,
    like the deadlines.
    """

    child_id = models.UUIDField(primary_key=True)
    deadline = models.OneToOneField(Deadline, on_delete=models.CASCADE, related_name="+")
    # The deadline's rule, due date and status, copied: counting a council's overdue cases
    # reads this table alone, and the nightly refresh sets the status on both tables from the
    # same dates, in the same transaction.
    rule = models.CharField(max_length=40)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Deadline._meta.get_field("status").choices)

    class Meta:
        indexes = [models.Index(fields=["due_on", "child_id"], name="next_deadline_due_idx")]

    def __str__(self) -> str:
        return f"Next deadline of {self.child_id}: due {self.due_on:%-d %b %Y}"


class ClosureDay(models.Model):
    """A day the council's offices are closed (besides bank holidays), set by an administrator.

    Closure days never change a statutory working day; they move only the practical target, the
    last day the office is open on or before the due date.
    """

    date = models.DateField(unique=True)
    reason = models.CharField(
        max_length=200, help_text="For example: office closure between Christmas and New Year."
    )

    class Meta:
        ordering = ["date"]
        verbose_name = "council closure day"

    def __str__(self) -> str:
        return f"{self.date:%-d %b %Y}: {self.reason}"


class DigestSent(models.Model):
    """The claim for one person's morning digest on one day: inserted before the email is sent.

    The unique key is what makes the digest go once, however many times (or how concurrently)
    the task runs: the second insert fails and that run skips the person.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_digests"
    )
    sent_on = models.DateField()
    deadline_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on"]
        verbose_name = "deadline digest sent"
        verbose_name_plural = "deadline digests sent"
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="digest_one_per_user_per_day")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.sent_on:%-d %b %Y}"


class RecomputeRun(models.Model):
    """One full recompute of every child's deadlines (after a change in the law or the calendar).

    Its children are split into chunks (`RecomputeChunk`), contiguous ranges of child ids, that
    Celery workers recompute in parallel. Each chunk's row says whether it is done, so a run
    stopped midway (a worker or the broker went down) is resumed by queueing only the chunks not
    done, and its progress is read from the same rows.
    """

    id = models.BigAutoField(primary_key=True)
    reason = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadline_recomputes",
    )
    chunk_size = models.PositiveIntegerField()
    children = models.PositiveIntegerField(help_text="Children known when the run was planned")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "full deadline recompute"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(chunk_size__gte=1), name="recompute_chunk_size"
            )
        ]

    def __str__(self) -> str:
        return f"Recompute {self.pk}: {self.reason}"


class ChunkStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class RecomputeChunk(models.Model):
    """The children with ids after `after_child` up to and including `upto_child` (a keyset
    range; an empty end is open), recomputed by one Celery task."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(RecomputeRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    after_child = models.UUIDField(null=True, blank=True)
    upto_child = models.UUIDField(null=True, blank=True)
    children = models.PositiveIntegerField(help_text="Children in the range when planned")
    status = models.CharField(
        max_length=10, choices=ChunkStatus.choices, default=ChunkStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0, help_text="Rows written or removed")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="recompute_chunk_number"),
            models.CheckConstraint(
                condition=models.Q(status__in=ChunkStatus.values), name="recompute_chunk_status"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ChunkStatus.DONE) | models.Q(finished_at__isnull=False),
                name="recompute_chunk_done_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(after_child__isnull=True)
                | models.Q(upto_child__isnull=True)
                | models.Q(after_child__lt=models.F("upto_child")),
                name="recompute_chunk_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["run", "status"], name="recompute_chunk_status_idx")]

    def __str__(self) -> str:
        return f"Chunk {self.number} of recompute {self.run_id} ({self.status})"
