"""What every panel page shares: the roles, the sub-navigation, a one-error form."""

from typing import Any, ClassVar

from django import forms
from django.http import HttpRequest
from django.views.generic.base import ContextMixin

from panels import presenters
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import Role
from send_cms.common.forms import GovukForm

PM, CW, MG, AD = Role.PANEL_MEMBER, Role.CASEWORKER, Role.MANAGER, Role.ADMIN
EVERY_PANEL_ROLE = frozenset({PM, CW, MG, AD})


class PanelsPage(RoleRequiredMixin, ContextMixin):
    """Adds the panels sub-navigation to every page."""

    allowed_roles: ClassVar[frozenset[str]] = EVERY_PANEL_ROLE
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subnav"] = presenters.subnav(self.request.user, self.request.path)
        return context


def errors_form(message: str) -> forms.Form:
    """An empty form carrying one error, so the shared error summary can show it."""
    form = GovukForm(data={})
    form.is_valid()
    form.add_error(None, message)
    return form
