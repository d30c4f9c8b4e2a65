"""A child's documents and letters: the tab that lists them, uploading a document, making a
letter to the family, and the two downloads (each checked against the child's access and
recorded in the audit trail)."""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from cases import document_forms, selectors
from cases.documents import attachable_for, attachables
from cases.letters import (
    COMMON_VALUES,
    VALUES,
    LetterOption,
    default_wording,
    letter_filename,
    letter_options,
    letter_pdf,
)
from cases.models import Child, Document, Letter, LetterKind, LetterTemplateVersion, PlanVersion
from cases.services.documents import document_upload
from cases.services.letters import letter_create, letter_template_revise
from cases.views.base import ChildFormView
from cases.views.case import CasePage
from send_cms.accounts.actor import Actor
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import ALL_ROLES, CASEWORK_READ, CASEWORK_WRITE, Role
from send_cms.audit.reads import record_download
from send_cms.common.downloads import content_disposition
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.steps import apply_service_errors

MISSING_FILE = "The document's file is missing from storage: ask an administrator to restore it."
#: Who may change the wording of letters.
WORDING_ROLES = frozenset({Role.ADMIN})


def documents_url(child: Child) -> str:
    return reverse("cases:child-documents", args=[child.pk])


def document_download(request: HttpRequest, document: Document) -> FileResponse:
    """Send a stored document as an attachment (never shown in the site's own pages), its name
    through the one safe download helper, the download recorded against the child."""
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(MISSING_FILE) from None
    record_download(
        actor=request.user,
        name=f"document {document.title}"[:200],
        fmt=document.filename.rsplit(".", 1)[-1].lower(),
        child_id=document.child_id,
        obj=document,
    )
    response = FileResponse(stream, content_type=document.mime_type)
    response["Content-Disposition"] = content_disposition(document.filename)
    response["Cache-Control"] = "private, no-store"
    return response


def letter_response(request: HttpRequest, letter: Letter) -> HttpResponse:
    """A letter made earlier, rendered from its own wording version and values."""
    record_download(
        actor=request.user,
        name=f"letter {letter.kind}",
        fmt="pdf",
        child_id=letter.child_id,
        obj=letter,
    )
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter_filename(letter), inline=True)
    response["Cache-Control"] = "private, no-store"
    return response


def case_letter_options(child: Child) -> list[LetterOption]:
    return letter_options(requests=list(child.requests.all()), plans=list(child.plans.all()))


class ChildDocumentsView(CasePage):
    """The Documents and letters tab: what has been uploaded and what letters were made."""

    template_name = "cases/child_documents.html"
    tab = "documents"

    def section(self, child: Child) -> dict[str, Any]:
        return {
            "documents": list(selectors.document_list(user=self.request.user, child=child)),
            "letters": list(selectors.letter_list(user=self.request.user, child=child)),
            "letter_options": case_letter_options(child),
            "may_edit_wording": bool(user_roles(self.request.user) & WORDING_ROLES),
        }


class ChildStepView(ChildFormView):
    """A form about one child; back to the documents tab."""

    def get_success_url(self) -> str:
        return documents_url(self.case)


class DocumentUploadView(ChildStepView):
    title = "Upload a document"
    submit_label = "Upload the document"
    template_name = "cases/document_upload.html"
    form_class = document_forms.DocumentUploadForm
    error_aliases = {"attached_to_id": "attached_to"}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        child = self.case
        advice = [
            advice
            for request in child.requests.prefetch_related("advice_requests")
            for advice in request.advice_requests.all()
        ]
        versions = list(
            PlanVersion.objects.filter(plan__child=child)
            .select_related("plan")
            .order_by("plan__issued_on", "number")
        )
        records = [
            (f"{found.name}:{record.pk}", f"{found.label}: {found.describe(record)}", record)
            for found in attachables().values()
            for record in found.records_of(child.pk)
        ]
        kwargs.update(advice=advice, versions=versions, records=records)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        """`?attached_to=appeal:<id>` from a review's, panel item's or appeal's page."""
        return {"attached_to": self.request.GET.get("attached_to", "")}

    def perform(self, form: forms.Form) -> str:
        upload = cast(document_forms.DocumentUploadForm, form)
        document = document_upload(
            actor=self.request.user, child=self.case, **upload.service_data()
        )
        message = f"{document.title} uploaded"
        if upload.service_data()["advice_received"]:
            message += ": the advice is recorded as received"
        return message


class LetterCreateView(ChildStepView):
    title = "Make a letter to the family"
    submit_label = "Make the letter"
    form_class = document_forms.LetterCreateForm

    @cached_property
    def letter_choices(self) -> dict[str, LetterOption]:
        return {option.key: option for option in case_letter_options(self.case)}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = [(key, option.label) for key, option in self.letter_choices.items()]
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        wanted = self.request.GET.get("letter", "")
        return {"kind": wanted} if wanted in self.letter_choices else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not self.letter_choices:
            context["request_summary"] = (
                "No letter is due: a letter can be made once its decision is recorded."
            )
        else:
            context["request_summary"] = (
                "The letter uses the council's current wording, the dates recorded on the case "
                "and the family's deadlines, and is kept on the Documents and letters tab."
            )
        return context

    def perform(self, form: forms.Form) -> str:
        option = self.letter_choices.get(form.cleaned_data["kind"])
        if option is None:
            raise TransitionNotAllowed("This letter cannot be made now.")
        letter = letter_create(
            actor=self.request.user,
            child=self.case,
            kind=option.kind,
            request=option.request,
            plan=option.plan,
            notes=form.cleaned_data["notes"],
        )
        return f"Letter made: {letter}. Download it from the list of letters"


class DocumentDownloadView(RoleRequiredMixin, View):
    """A document, to anyone who may read the child's record (a panel member only for the
    children on their panels' agendas); everyone else gets a 404."""

    allowed_roles = ALL_ROLES

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        return document_download(
            request, selectors.document_get(user=request.user, pk=kwargs["pk"])
        )


class LetterDownloadView(RoleRequiredMixin, View):
    allowed_roles = CASEWORK_READ

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return letter_response(request, selectors.letter_get(user=request.user, pk=kwargs["pk"]))


# --- the wording of letters, for administrators ---------------------------------------------


@dataclass(frozen=True)
class WordingRow:
    kind: str
    label: str
    version: LetterTemplateVersion | None


class LetterWordingListView(RoleRequiredMixin, TemplateView):
    """Each kind of letter and the version of its wording in use."""

    allowed_roles = WORDING_ROLES
    template_name = "cases/letter_wording_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        current = selectors.letter_wordings_current()
        context["rows"] = [
            WordingRow(kind.value, kind.label, current.get(kind.value)) for kind in LetterKind
        ]
        return context


class LetterWordingEditView(RoleRequiredMixin, FormView[forms.Form]):
    """Change the wording of one kind of letter: saved as a new version; letters already made
    keep the version they were made with."""

    allowed_roles = WORDING_ROLES
    template_name = "cases/letter_wording_form.html"
    form_class = document_forms.LetterWordingForm

    @cached_property
    def kind(self) -> LetterKind:
        try:
            return LetterKind(self.kwargs["kind"])
        except ValueError:
            raise Http404("No such letter.") from None

    @cached_property
    def versions(self) -> list[LetterTemplateVersion]:
        return list(selectors.letter_wording_versions(kind=self.kind))

    def get_initial(self) -> dict[str, Any]:
        if self.versions:
            return {"subject": self.versions[0].subject, "body": self.versions[0].body}
        default = default_wording(self.kind)
        return {"subject": default.subject, "body": default.body}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Wording: {self.kind.label}",
            versions=self.versions,
            values=[*COMMON_VALUES, *VALUES[self.kind]],
        )
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            version = letter_template_revise(
                actor=self.request.user,
                kind=self.kind,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Wording saved as version {version.number}: new letters use it"
        )
        return redirect("cases:letter-wording-list")


def attached_documents_context(user: Actor, record: Any, *, child_id: Any) -> dict[str, Any]:
    """What `cases/_attached_documents.html` needs on another app's page (a review, a panel
    agenda item, an appeal): the record's documents the user may see, and for those who may
    upload, the upload page with the record chosen."""
    found = attachable_for(record)
    upload = ""
    if found is not None and user_roles(user) & CASEWORK_WRITE:
        page = reverse("cases:child-document-upload", args=[child_id])
        upload = f"{page}?attached_to={found.name}:{record.pk}"
    return {
        "attached_documents": list(selectors.document_list(user=user, attached_to=record)),
        "document_upload_url": upload,
    }
