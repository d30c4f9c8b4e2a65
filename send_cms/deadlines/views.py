"""The timescale calculator page: a GET form, so every result is a link that can be shared."""

from typing import Any

from django.core.exceptions import ValidationError
from django.views.generic import TemplateView

from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import ALL_ROLES
from send_cms.deadlines.calculator import calculate, rules
from send_cms.deadlines.forms import TimescaleCalculatorForm
from send_cms.timescales import Due, format_date


def long_date(value: Any) -> str:
    """ "Monday 26 Jan 2026": the weekday matters for a deadline."""
    return f"{value:%A} {format_date(value)}"


class TimescaleCalculatorView(RoleRequiredMixin, TemplateView):
    allowed_roles = ALL_ROLES
    template_name = "deadlines/timescale_calculator.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        submitted = bool(self.request.GET)
        form = TimescaleCalculatorForm(self.request.GET if submitted else None)
        result: Due | None = None
        if submitted and form.is_valid():
            try:
                result = calculate(
                    rule_id=form.cleaned_data["rule"],
                    start=form.cleaned_data["start"],
                    params=form.parameter_values(),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        form.add_error(field, message)
        context["form"] = form
        context["result"] = result
        context["rules"] = rules()
        if result is not None:
            context["due_text"] = long_date(result.due)
            context["start_text"] = long_date(result.start)
            context["practical_text"] = long_date(result.practical_target)
            context["statutory_text"] = (
                long_date(result.statutory_date) if result.statutory_date else ""
            )
        return context
