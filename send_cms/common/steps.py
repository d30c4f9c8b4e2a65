"""The step form every app's pages use: a short GOV.UK form whose clean data goes to one service,
the service having the last word. A refusal reads the same on every page: a field-keyed
`ValidationError` on its fields, a `TransitionNotAllowed` at the top of the error summary, a
`StaleVersion` there too with the other person's values beside the user's."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView

from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.versioning import StaleVersion, refuse_stale_form

T = TypeVar("T")

#: What a service raises to refuse a change a form asked for.
SERVICE_REFUSALS = (ValidationError, TransitionNotAllowed, StaleVersion)


def apply_service_errors(
    form: forms.BaseForm, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: keyed messages on their field (or the form's
    name for it in `aliases`), anything else at the top of the error summary."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, errors in error.message_dict.items():
        field = aliases.get(key, key)
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in errors:
            form.add_error(target, message)


def refuse_form(
    form: forms.Form, refusal: Exception, aliases: Mapping[str, str] | None = None
) -> None:
    """Show one of `SERVICE_REFUSALS` on the form, as every page shows it."""
    if isinstance(refusal, TransitionNotAllowed):
        form.add_error(None, refusal.message)
    elif isinstance(refusal, StaleVersion):
        refuse_stale_form(form, refusal)
    elif isinstance(refusal, ValidationError):
        apply_service_errors(form, refusal, aliases)
    else:
        raise refusal


class ServiceFormView(RoleRequiredMixin, FormView[forms.Form], ABC):
    """A form whose clean data goes to one service: on success, a banner and a redirect to
    `get_success_url()`; on a refusal, the form again with the service's errors.

    `error_aliases` maps a service's field name to the form's where they differ. The page gets
    `title` and `submit_label`.
    """

    title: ClassVar[str] = ""
    submit_label: ClassVar[str] = "Save"
    #: The banner when `perform` returns none of its own.
    success_message: ClassVar[str] = ""
    error_aliases: ClassVar[Mapping[str, str]] = {}

    @abstractmethod
    def perform(self, form: forms.Form) -> str | None:
        """Call the service; return the success banner's text (None: `success_message`)."""

    def call_service(self, service: Callable[..., T], form: forms.Form, **subject: Any) -> T:
        """`service(actor=the user, **subject, **the form's clean data)`, for a form whose
        fields are the service's arguments."""
        return service(actor=self.request.user, **subject, **form.cleaned_data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, submit_label=self.submit_label)
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.perform(form)
        except SERVICE_REFUSALS as refusal:
            refuse_form(form, refusal, self.error_aliases)
            return self.form_invalid(form)
        messages.success(self.request, message or self.success_message)
        return redirect(self.get_success_url())
