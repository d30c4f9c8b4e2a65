"""What every tribunals page shares: the roles, the sub-navigation and the step-form view."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.navigation import may_open
from send_cms.common.versioning import StaleVersion, refuse_stale_form
from tribunals.forms import add_service_errors

CW, MG, AD = Role.CASEWORKER, Role.MANAGER, Role.ADMIN
#: Appeals and mediation are casework: a panel member decides on the papers of their agenda
#: and has no register to keep, so these pages (and the navigation's links) are not theirs.
READERS = CASEWORK_READ
WRITERS = frozenset({CW, AD})
#: The whole case record (the chronology) is casework reading, not a panel member's.
CASE_READERS = CASEWORK_READ
OUTCOME_READERS = frozenset({MG, AD})

#: Each link is shown to the roles its page lets in (read from the page's view).
SUBNAV: list[tuple[str, str]] = [
    ("Tribunal register", "tribunals:appeal-list"),
    ("Orders overdue", "tribunals:order-overdue"),
    ("Mediation", "tribunals:mediation-list"),
    ("Outcomes and costs", "tribunals:outcomes"),
]


def subnav(user: Any, url_name: str) -> list[dict[str, Any]]:
    roles = user_roles(user)
    return [
        {"label": label, "href": reverse(name), "active": name == url_name}
        for label, name in SUBNAV
        if may_open(roles, name)
    ]


def can_write(user: Any) -> bool:
    return bool(user_roles(user) & WRITERS)


class TribunalsPage(RoleRequiredMixin):
    """Adds the tribunals sub-navigation to every page."""

    allowed_roles: ClassVar[frozenset[str]] = READERS
    nav_name: ClassVar[str] = "tribunals:appeal-list"
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["subnav"] = subnav(self.request.user, self.nav_name)
        context["can_write"] = can_write(self.request.user)
        context["can_read_case"] = bool(user_roles(self.request.user) & CASE_READERS)
        return context


class StepView(TribunalsPage, FormView[forms.Form], ABC):
    """One step of a mediation or appeal on its own page: a form, a service call, a redirect
    with a success banner. Service errors land on the form's fields; a step the record's state
    does not allow is shown at the top of the form, and so is a save refused because someone
    else changed the record first (with their values beside the user's)."""

    allowed_roles = WRITERS
    template_name = "tribunals/step_form.html"
    title: ClassVar[str] = ""
    button: ClassVar[str] = "Save"
    success_message: ClassVar[str] = ""
    hint: ClassVar[str] = ""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self._object: Any = None

    @abstractmethod
    def get_object(self) -> Any:
        """The record the step is about, through a selector (404 if not visible)."""

    @property
    def object(self) -> Any:
        if self._object is None:
            self._object = self.get_object()
        return self._object

    @abstractmethod
    def perform(self, data: Mapping[str, Any]) -> None:
        """Call the step's service with the form's clean data."""

    @abstractmethod
    def back_url(self) -> str:
        """Where the step returns to (the record's page)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object  # noqa: B018 - 404 before drawing a form for a record that does not exist
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            button=self.button,
            hint=self.hint,
            back_url=self.back_url(),
            subject=self.object,
        )
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            self.perform(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        except TransitionNotAllowed as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        except StaleVersion as stale:
            refuse_stale_form(form, stale)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.back_url())
