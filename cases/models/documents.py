"""Documents on a child's record, and the letters made for families with their wordings."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q

from cases.models.children import USER, Child
from cases.models.plans import Plan, PlanVersion
from cases.models.requests import AdviceRequest, AssessmentRequest
from send_cms.common.models import BaseModel


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
