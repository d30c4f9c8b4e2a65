"""A return period's entries: figures, safety-valve conditions, pressures, mitigations, history."""

import uuid
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from reporting.high_needs.forms import (
    ConditionAddForm,
    ConditionForm,
    FiguresForm,
    PressureForm,
    ReturnPeriodForm,
)
from reporting.high_needs.periods import ReturnPeriod, return_period_of
from reporting.models import PressureEntry, ReturnFigure, SafetyValveCondition
from reporting.selectors.high_needs import (
    current_condition_update,
    figures_version,
    periods_with_entries,
    pressure_entry,
    return_entries,
    return_history,
)
from reporting.services.high_needs import (
    FigureInput,
    condition_update_enter,
    high_needs_figures_enter,
    pressure_enter,
    safety_valve_condition_add,
)
from reporting.views.common import MANAGERS, ManagerFormView, ReportingPage, is_manager
from reporting.views.high_needs.census import high_needs_tabs, period_or_404, return_url
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.common.steps import apply_service_errors


# --- a return period's entries ------------------------------------------------------------------
class ReturnView(ReportingPage):
    """A return period's figures, conditions, pressures and mitigations (readers), with links to
    change them (managers). The period defaults to today's quarter."""

    def get(self, request: HttpRequest) -> HttpResponse:
        period = return_period_of(timezone.localdate())
        if "period" in request.GET:
            form = ReturnPeriodForm(request.GET)
            if form.is_valid() and form.cleaned_data["period"]:
                period = form.cleaned_data["period"]
        else:
            form = ReturnPeriodForm(initial={"period": period.key})
        entries = return_entries(period=period)
        variances = [
            (label, signed_money(amount), None if amount == 0 else amount > 0)
            for label, amount in (
                ("In-year balance against the agreed profile", entries.in_year_variance),
                ("Cumulative balance against the agreed profile", entries.cumulative_variance),
            )
            if amount is not None
        ]
        context = {
            "tabs": high_needs_tabs(),
            "form": form,
            "period": period,
            "entries": entries,
            "figures": [
                (label, "" if figure is None else signed_money(figure.amount), figure)
                for _, label, figure in entries.figure_rows()
            ],
            "variances": variances,
            "pressure_tables": [
                ("Pressures", entries.pressures, entries.pressures_total),
                ("Mitigations", entries.mitigations, entries.mitigations_total),
            ],
            "previous_url": return_url(period.previous()),
            "next_url": return_url(period.next()),
            "earlier": [key for key in periods_with_entries() if key != period.key][:8],
            "manager": is_manager(request),
        }
        return render(request, "reporting/high_needs_return.html", context)


def signed_money(amount: Decimal) -> str:
    """-£3,600,000.00 for a deficit, £1,250.00 otherwise."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


class HistoryView(ReportingPage):
    """Every entry ever made for the period, the replaced ones too, newest first."""

    def get(self, request: HttpRequest, period: str) -> HttpResponse:
        the_period = period_or_404(period)
        context = {
            "tabs": high_needs_tabs(),
            "period": the_period,
            "rows": return_history(period=the_period),
            "back_url": return_url(the_period),
        }
        return render(request, "reporting/high_needs_history.html", context)


class EntryFormView(ManagerFormView):
    """A manager's form for a return period."""

    template_name = "reporting/high_needs_form.html"

    @cached_property
    def period(self) -> ReturnPeriod:
        return period_or_404(self.kwargs["period"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.period.label
        return context

    def get_success_url(self) -> str:
        return return_url(self.period)


class FiguresView(EntryFormView):
    form_class = FiguresForm
    title = "Enter the figures"
    submit_label = "Save the figures"

    def get_initial(self) -> dict[str, Any]:
        entries = return_entries(period=self.period)
        initial: dict[str, Any] = {"version": entries.version}
        for item, figure in entries.figures.items():
            initial[item] = f"{figure.amount:.2f}"
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            "Amounts in pounds. Balances are negative in deficit. A figure you change becomes "
            "a new version; the one it replaces stays in the history. Leave a figure blank to "
            "keep it as it is."
        )
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        made = high_needs_figures_enter(
            actor=self.request.user,
            period=self.period,
            figures={
                item: FigureInput(amount=data[item], note=data["note"])
                for item in ReturnFigure.values
            },
            seen_version=data["version"] or figures_version(period=self.period),
        )
        if not made:
            return "No figure changed"
        return f"{len(made)} {'figure' if len(made) == 1 else 'figures'} saved"


class ConditionView(EntryFormView):
    form_class = ConditionForm
    submit_label = "Save the update"

    @cached_property
    def condition(self) -> SafetyValveCondition:
        found = SafetyValveCondition.objects.filter(number=self.kwargs["number"]).first()
        if found is None:
            raise Http404("There is no such condition.")
        return found

    def get_initial(self) -> dict[str, Any]:
        current = current_condition_update(condition=self.condition, period=self.period)
        if current is None:
            return {"replaces": ""}
        return {
            "replaces": str(current.pk),
            "rag": current.rag,
            "narrative": current.narrative,
            "evidence": current.evidence,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = f"Safety-valve condition {self.condition.number}"
        context["intro"] = self.condition.title
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        condition_update_enter(
            actor=self.request.user,
            condition=self.condition,
            period=self.period,
            rag=data["rag"],
            narrative=data["narrative"],
            evidence=data["evidence"],
            replaces=_uuid(data["replaces"]),
        )
        return f"Condition {self.condition.number} saved"


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


class ConditionAddView(RoleRequiredMixin, FormView):  # type: ignore[type-arg]
    """A condition of the safety-valve agreement, by its number."""

    allowed_roles = MANAGERS
    template_name = "reporting/high_needs_form.html"
    form_class = ConditionAddForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            caption="Safety-valve agreement",
            title="Add a condition",
            submit_label="Add the condition",
            back_url=self.get_success_url(),
        )
        return context

    def get_success_url(self) -> str:
        return reverse("reporting:high-needs-return")

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            condition = safety_valve_condition_add(
                actor=self.request.user,
                number=form.cleaned_data["number"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Condition {condition.number} added")
        return redirect(self.get_success_url())


class PressureAddView(EntryFormView):
    form_class = PressureForm
    title = "Add a pressure or mitigation"
    submit_label = "Add"

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        entry = pressure_enter(
            actor=self.request.user,
            period=self.period,
            kind=data["kind"],
            title=data["title"],
            amount=data["amount"],
            narrative=data["narrative"],
        )
        return f"{entry.get_kind_display()} added"


class PressureEditView(EntryFormView):
    """A new version of a pressure or mitigation line, or its withdrawal."""

    form_class = PressureForm
    title = "Change a pressure or mitigation"
    submit_label = "Save the change"

    @cached_property
    def entry(self) -> PressureEntry:
        found = pressure_entry(entry_id=self.kwargs["entry_id"])
        if found is None or found.period != self.period.key:
            raise Http404("There is no such line.")
        return found

    def get_initial(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "replaces": str(entry.pk),
            "kind": entry.kind,
            "title": entry.title,
            "amount": "" if entry.amount is None else f"{entry.amount:.2f}",
            "narrative": entry.narrative,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["withdraw_label"] = "" if self.entry.withdrawn else "Withdraw this line"
        if self.entry.withdrawn:
            context["refusal"] = "This line was withdrawn. It stays in the history."
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        shown = _uuid(data["replaces"])
        replaced = PressureEntry.objects.filter(pk=shown).first() if shown else None
        withdrawing = "withdraw" in self.request.POST
        entry = pressure_enter(
            actor=self.request.user,
            period=self.period,
            kind=data["kind"],
            title=data["title"],
            amount=data["amount"],
            narrative=data["narrative"],
            replaces=replaced or self.entry,
            withdrawn=withdrawing,
        )
        action = "withdrawn" if withdrawing else "saved"
        return f"{entry.get_kind_display()} {action}"
