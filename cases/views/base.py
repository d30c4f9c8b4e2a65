"""What the casework pages share: who may write, and the form view that calls one service."""

from abc import abstractmethod
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from cases import selectors
from cases.models import Child
from send_cms.accounts.actor import Actor
from send_cms.accounts.models import User
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import CASEWORK_WRITE, Role
from send_cms.common.steps import ServiceFormView

#: Who may see every caseworker's caseload and move a case from one caseworker to another.
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def may_write(user: Actor) -> bool:
    return bool(user_roles(user) & CASEWORK_WRITE)


def is_manager(user: Actor) -> bool:
    return bool(user_roles(user) & MANAGERS)


def caseworkers() -> QuerySet[User]:
    """Active users holding the caseworker role: whom a case can be given to."""
    return User.objects.filter(groups__name=Role.CASEWORKER, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def case_url(child: Child) -> str:
    return reverse("cases:child-detail", args=[child.pk])


class CaseFormView(ServiceFormView):
    """A step on a child's case: caseworkers only, back to the case with a success banner."""

    allowed_roles = CASEWORK_WRITE
    template_name = "cases/request_step.html"

    @abstractmethod
    def child(self) -> Child:
        """Whose case the form is on."""

    def get_success_url(self) -> str:
        return case_url(self.child())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["child"] = self.child()
        return context


class ChildFormView(CaseFormView):
    """A form about one child, read through the audited child selector."""

    @cached_property
    def case(self) -> Child:
        return selectors.child_get(user=self.request.user, pk=self.kwargs["pk"])

    def child(self) -> Child:
        return self.case
