"""What every tribunals page shares: the roles, the sub-navigation and the step-form view."""

from abc import abstractmethod
from typing import Any, ClassVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic.base import ContextMixin

from cases.models import Child
from send_cms.accounts.actor import Actor
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.common.navigation import may_open
from send_cms.common.steps import ServiceFormView
from tribunals.forms import RequestOrPlanMixin

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


def subnav(user: Actor, url_name: str) -> list[dict[str, Any]]:
    roles = user_roles(user)
    return [
        {"label": label, "href": reverse(name), "active": name == url_name}
        for label, name in SUBNAV
        if may_open(roles, name)
    ]


def can_write(user: Actor) -> bool:
    return bool(user_roles(user) & WRITERS)


class TribunalsPage(RoleRequiredMixin, ContextMixin):
    """Adds the tribunals sub-navigation to every page."""

    allowed_roles: ClassVar[frozenset[str]] = READERS
    nav_name: ClassVar[str] = "tribunals:appeal-list"
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subnav"] = subnav(self.request.user, self.nav_name)
        context["can_write"] = can_write(self.request.user)
        context["can_read_case"] = bool(user_roles(self.request.user) & CASE_READERS)
        return context


class StepView(TribunalsPage, ServiceFormView):
    """One step of a mediation or appeal on its own page: a form, a service call, a redirect
    with `success_message`; a refusal is shown on the form (`ServiceFormView`)."""

    allowed_roles = WRITERS
    template_name = "tribunals/step_form.html"
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
    def back_url(self) -> str:
        """Where the step returns to (the record's page)."""

    def get_success_url(self) -> str:
        return self.back_url()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object  # noqa: B018 - 404 before drawing a form for a record that does not exist
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            button=self.submit_label, hint=self.hint, back_url=self.back_url(), subject=self.object
        )
        return context


class ChildRecordCreateView(TribunalsPage, ServiceFormView):
    """Registering an appeal or recording a mediation: a form about one child, then the new
    record's page."""

    allowed_roles = WRITERS
    #: The record `perform` made.
    created: Any

    def child(self) -> Child:
        return get_object_or_404(Child, pk=self.kwargs["child_id"])

    def get_form(self, form_class: Any = None) -> forms.Form:
        form = super().get_form(form_class)
        assert isinstance(form, RequestOrPlanMixin)
        form.limit_to(self.child())
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["child"] = self.child()
        return context

    @abstractmethod
    def record_url(self, record: Any) -> str:
        """The new record's page."""

    def get_success_url(self) -> str:
        return self.record_url(self.created)
