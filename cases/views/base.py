"""What the casework pages share: who may write, and the form view that calls one service."""

from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from cases.forms import apply_errors
from cases.models import Child
from send_cms.accounts.models import User
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_WRITE, Role
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.versioning import StaleVersion, refuse_stale_form

#: Who may see every caseworker's caseload and move a case from one caseworker to another.
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def may_write(user: Any) -> bool:
    return bool(user_roles(user) & CASEWORK_WRITE)


def is_manager(user: Any) -> bool:
    return bool(user_roles(user) & MANAGERS)


def caseworkers() -> QuerySet[User]:
    """Active users holding the caseworker role: whom a case can be given to."""
    return User.objects.filter(groups__name=Role.CASEWORKER, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def case_url(child: Child) -> str:
    return reverse("cases:child-detail", args=[child.pk])


class ServiceFormView(RoleRequiredMixin, FormView, metaclass=ABCMeta):  # type: ignore[type-arg]
    """A short form whose clean data goes to one service; the service has the last word.

    A service's `ValidationError` lands on the form's fields (`error_aliases` maps a service's
    field name to the form's where they differ), a `TransitionNotAllowed` at the top of the
    error summary, a `StaleVersion` there too with the other person's values beside the user's;
    on success the user goes back to the case with a success banner.
    """

    allowed_roles = CASEWORK_WRITE
    template_name = "cases/request_step.html"
    title: ClassVar[str] = ""
    submit_label: ClassVar[str] = "Save"
    error_aliases: ClassVar[dict[str, str]] = {}

    @abstractmethod
    def child(self) -> Child:
        """Whose case the form is on."""

    @abstractmethod
    def perform(self, form: forms.Form) -> str:
        """Call the service; return the success banner's text."""

    def get_success_url(self) -> str:
        return case_url(self.child())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(child=self.child(), title=self.title, submit_label=self.submit_label)
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.perform(form)
        except TransitionNotAllowed as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        except StaleVersion as stale:
            refuse_stale_form(form, stale)
            return self.form_invalid(form)
        except ValidationError as error:
            apply_errors(form, error, self.error_aliases)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())
