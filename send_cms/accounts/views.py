"""The home page: each role lands on the work it does most."""

from typing import Any

from django.views.generic import TemplateView

from send_cms.accounts.permissions import RoleRequiredMixin


class HomeView(RoleRequiredMixin, TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roles"] = self.request.user.roles  # type: ignore[union-attr]
        return context
