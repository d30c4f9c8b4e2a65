"""A new request for an assessment: for a child on the system, or one added in the same form."""

import uuid
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView

from cases import forms as case_forms
from cases import selectors, services
from cases.models import Child
from cases.services import DuplicateChild
from cases.views.base import case_url
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_WRITE, Role
from send_cms.common.steps import SERVICE_REFUSALS, apply_service_errors, refuse_form

SEARCH_LIMIT = 20
REQUEST_FIELDS = (
    "received_date",
    "received_time",
    "channel",
    "signed_for_on",
    "source",
    "requester_name",
    "relevant_youth_accommodation",
)


class RequestCreateView(RoleRequiredMixin, FormView[forms.Form]):
    """`?child=<id>` records the request for that child; otherwise the form adds the child.

    A possible duplicate (same name and date of birth) re-shows the form with the matches and
    a "This is a different child" box: a child is never created twice without a person saying
    so. The child and the request are saved together or not at all.
    """

    allowed_roles = CASEWORK_WRITE
    template_name = "cases/request_form.html"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.duplicates: list[Child] = []
        self.upn_duplicate = False

    @cached_property
    def chosen_child(self) -> Child | None:
        raw = self.request.GET.get("child", "")
        if not raw:
            return None
        try:
            pk = uuid.UUID(raw)
        except ValueError:
            raise Http404("No such child") from None
        return selectors.child_get(user=self.request.user, pk=pk)

    def get_form_class(self) -> type[forms.Form]:
        if self.chosen_child is not None:
            return case_forms.RequestForChildForm
        return case_forms.RequestWithNewChildForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        search = case_forms.ChildSearchForm(self.request.GET or None)
        results: list[Child] = []
        if self.chosen_child is None and search.is_bound and search.is_valid():
            text = search.cleaned_data["find"]
            if text:
                results = list(
                    selectors.child_search(user=self.request.user, q=text)[:SEARCH_LIMIT]
                )
        context.update(
            child=self.chosen_child,
            search_form=search,
            search_results=results,
            duplicates=self.duplicates,
            offer_confirmation=bool(self.duplicates) and not self.upn_duplicate,
            child_fields=[form[name] for name in case_forms.CHILD_FIELDS if name in form.fields],
            request_fields=[form[name] for name in REQUEST_FIELDS],
        )
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        user = self.request.user
        try:
            with transaction.atomic():
                child = self.chosen_child
                if child is None:
                    assert isinstance(form, case_forms.RequestWithNewChildForm)
                    caseworker = user if Role.CASEWORKER in user_roles(user) else None
                    child = services.child_create(
                        actor=user, caseworker=caseworker, **form.child_kwargs()
                    )
                assert isinstance(form, case_forms.RequestFieldsMixin)
                services.assessment_request_create(actor=user, child=child, **form.request_kwargs())
        except DuplicateChild as duplicate:
            self.duplicates = list(duplicate.matches)
            self.upn_duplicate = "upn" in getattr(duplicate, "error_dict", {})
            apply_service_errors(form, duplicate)
            return self.form_invalid(form)
        except SERVICE_REFUSALS as refusal:
            refuse_form(form, refusal, case_forms.REQUEST_ALIASES)
            return self.form_invalid(form)
        messages.success(self.request, f"Request recorded for {child.full_name}")
        return redirect(case_url(child))
