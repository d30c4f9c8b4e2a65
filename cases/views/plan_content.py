"""Writing the EHC plan in the browser: start the edition, write each section A to K, see the
quality checklist and the differences from the edition before, and download the plan as a PDF.

The rules are the services' (`cases.plan_content.services`); these views only translate.
"""

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from cases import selectors
from cases.codes import AdviceKind
from cases.models import Child, RequestStatus
from cases.plan_content import presenters
from cases.plan_content.checks import quality_checks
from cases.plan_content.differences import plan_differences
from cases.plan_content.forms import (
    FIELD_FORMS,
    ROW_WORD,
    initial_rows,
    kept_rows,
    row_formset,
    rows_of,
)
from cases.plan_content.models import PlanContent, Section
from cases.plan_content.sections import (
    _advice_of,
    plan_content_list_advice_received,
    plan_content_section_save,
)
from cases.plan_content.selectors import plan_content_get
from cases.plan_content.services import (
    plan_content_start,
    plan_content_update,
)
from cases.views.base import may_write
from send_cms.accounts.actor import Actor
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import CASEWORK_READ, CASEWORK_WRITE
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.pdf import pdf_response
from send_cms.common.steps import apply_service_errors


def content_url(content: PlanContent) -> str:
    return reverse("cases:plan-content-detail", args=[content.pk])


class PlanContentStartView(RoleRequiredMixin, TemplateView):
    """The button that starts (or reopens) the edition of the child's plan being written."""

    allowed_roles = CASEWORK_WRITE
    template_name = "cases/plan_content/start.html"

    @cached_property
    def child(self) -> Child:
        return selectors.child_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["child"] = self.child
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            content = plan_content_start(actor=request.user, child=self.child)
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context, status=400)
        return redirect(content_url(content))


class ContentPage(RoleRequiredMixin, View):
    """A page about one edition, found through the (audited) selector."""

    allowed_roles = CASEWORK_READ

    @cached_property
    def content(self) -> PlanContent:
        return plan_content_get(user=self.request.user, pk=self.kwargs["pk"])

    def base_context(self) -> dict[str, Any]:
        content = self.content
        return {
            "content": content,
            "child": content.child,
            "may_write": may_write(self.request.user) and not content.is_issued,
        }


class PlanContentDetailView(ContentPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = self.content
        context = self.base_context()
        request_ = content.request
        context.update(
            sections=presenters.document_sections(content),
            checks=quality_checks(content),
            issue_draft=request_ is not None
            and not content.is_issued
            and content.stage == PlanContent.Stage.DRAFT
            and request_.status == RequestStatus.ISSUING,
            issue_final=request_ is not None
            and not content.is_issued
            and request_.status == RequestStatus.DRAFT_ISSUED,
        )
        return render(request, "cases/plan_content/detail.html", context)


class PlanContentSectionView(ContentPage):
    """One section's form: A, I and J are fields; the others are rows added one at a time."""

    allowed_roles = CASEWORK_WRITE

    @cached_property
    def section(self) -> str:
        section = presenters.SLUGS.get(self.kwargs["section"])
        if section is None:
            raise Http404("There is no such section in an EHC plan.")
        return section

    def form_kwargs(self) -> dict[str, Any]:
        content = self.content
        kwargs: dict[str, Any] = {"links": presenters.link_choices(content, self.section)}
        if self.section == Section.K:
            kwargs["advice"] = [
                (
                    str(a.pk),
                    f"{AdviceKind(a.kind).advice}"
                    + (f" from {a.provider}" if a.provider else "")
                    + (" (received)" if a.received_on else " (not yet received)"),
                )
                for a in _advice_of(content)
            ]
        return kwargs

    def render_page(self, form: Any, *, status: int = 200) -> HttpResponse:
        context = self.base_context()
        section = Section(self.section)
        context.update(
            section=section,
            form=form,
            word=ROW_WORD.get(self.section, ""),
            listed=self.section not in FIELD_FORMS,
        )
        if self.section not in FIELD_FORMS:
            context["errors"] = [
                (f, field, error) for f in form.forms for field in f for error in field.errors
            ] + [(None, None, e) for e in form.non_form_errors()]
        template = (
            "cases/plan_content/section_rows.html"
            if self.section not in FIELD_FORMS
            else "cases/plan_content/section_fields.html"
        )
        return render(self.request, template, context, status=status)

    def refused(self) -> HttpResponse | None:
        if self.content.is_issued:
            messages.error(self.request, "This edition has been issued and cannot change.")
            return redirect(content_url(self.content))
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (response := self.refused()) is not None:
            return response
        content = self.content
        if self.section in FIELD_FORMS:
            form_class = FIELD_FORMS[self.section]
            initial = {name: getattr(content, name) for name in form_class.base_fields}
            return self.render_page(form_class(initial=initial))
        formset = row_formset(self.section)(
            initial=initial_rows(content, self.section) or [{}],
            prefix="rows",
            form_kwargs=self.form_kwargs(),
        )
        return self.render_page(formset)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (response := self.refused()) is not None:
            return response
        if self.section in FIELD_FORMS:
            return self.post_fields()
        return self.post_rows()

    def post_fields(self) -> HttpResponse:
        form = FIELD_FORMS[self.section](self.request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            plan_content_update(actor=self.request.user, content=self.content, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.render_page(form, status=400)
        return self.saved()

    def post_rows(self) -> HttpResponse:
        content = self.content
        if "list_advice" in self.request.POST and self.section == Section.K:
            added = plan_content_list_advice_received(actor=self.request.user, content=content)
            messages.success(self.request, f"Section K: {len(added)} added to the list")
            return redirect(reverse("cases:plan-content-section", args=[content.pk, "k"]))
        formset_class = row_formset(self.section)
        formset = formset_class(self.request.POST, prefix="rows", form_kwargs=self.form_kwargs())
        if not formset.is_valid():
            return self.render_page(formset, status=400)
        rows = rows_of(formset)
        if "add" in self.request.POST:
            fresh = formset_class(
                initial=[*rows, {}], prefix="rows", form_kwargs=self.form_kwargs()
            )
            return self.render_page(fresh)
        try:
            plan_content_section_save(
                actor=self.request.user, content=content, section=self.section, items=rows
            )
        except ValidationError as error:
            self.apply_row_errors(formset, error)
            return self.render_page(formset, status=400)
        return self.saved()

    def apply_row_errors(self, formset: Any, error: ValidationError) -> None:
        """A service's "1.description" error lands on the form of the second row kept."""
        kept = [form for form, _ in kept_rows(formset)]
        for key, errors in error.message_dict.items():
            index, _, name = key.partition(".")
            target: forms.Form | None = kept[int(index)] if index.isdigit() else None
            for message in errors:
                if target is not None and name in target.fields:
                    target.add_error(name, message)
                else:
                    formset.forms[0].add_error(None, message)

    def saved(self) -> HttpResponse:
        messages.success(self.request, f"Section {self.section} saved")
        return redirect(content_url(self.content))

    def handle_transition(self, refused: TransitionNotAllowed) -> HttpResponse:
        messages.error(self.request, refused.message)
        return redirect(content_url(self.content))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)
        except TransitionNotAllowed as refused:
            return self.handle_transition(refused)


class PlanContentDifferencesView(ContentPage):
    """What changed from the edition this one started from, section by section."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = self.content
        context = self.base_context()
        before = content.based_on
        if before is not None:
            before = plan_content_get(user=request.user, pk=before.pk, audit=False)
            context["differences"] = plan_differences(before, content)
        context["before"] = before
        return render(request, "cases/plan_content/differences.html", context)


def plan_pdf_name(content: PlanContent) -> str:
    stage = {"draft": "draft-ehc-plan", "final": "ehc-plan", "amended": "amended-ehc-plan"}
    when = f"{content.issued_on:%Y-%m-%d}" if content.issued_on else "not-issued"
    return f"{stage[content.stage]}-{content.child.reference}-{when}.pdf"


def plan_pdf(*, user: Actor, content: PlanContent) -> HttpResponse:
    """The edition as the family reads it, as a PDF; the download is in the audit trail."""
    record(
        actor=user,
        action="file.downloaded",
        obj=content,
        child_id=content.child_id,
        changes={"download": "EHC plan", "stage": content.stage, "format": "pdf"},
    )
    return pdf_response(
        "cases/pdf/ehc_plan.html",
        {
            "content": content,
            "child": content.child,
            "sections": presenters.document_sections(content),
        },
        plan_pdf_name(content),
    )


class PlanContentPdfView(ContentPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return plan_pdf(user=request.user, content=self.content)
