"""Pages of the reporting app (high needs): the census of plans by DSG category and age band with
their cost, committed spend, independent placements, places used against places commissioned;
each return period's entered figures, safety-valve conditions, pressures and mitigations, with
their history; and the council's place funding rates and commissioned places.

Managers (the finance lead) and administrators enter; caseworkers read (the census covers their
team's children, like every reporting figure); panel members are refused. Forms check shape and
reporting.services.high_needs has the last word.
"""

import datetime as dt
import uuid
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.views.generic import FormView

from reporting.forms import apply_errors
from reporting.high_needs.forms import (
    CensusForm,
    CommissionedPlacesForm,
    ConditionAddForm,
    ConditionForm,
    FiguresForm,
    PlaceFundingForm,
    PressureForm,
    ReturnPeriodForm,
)
from reporting.high_needs.periods import (
    ReturnPeriod,
    ReturnPeriodError,
    academic_year_of,
    parse_return_period,
    return_period_of,
)
from reporting.metrics.engine import AGE_BAND_LABELS
from reporting.models import PressureEntry, ReturnFigure, SafetyValveCondition
from reporting.selectors.high_needs import (
    AGE_BAND_KEYS,
    NEED_LABELS,
    commissionable_settings,
    commissioned_places,
    committed_spend,
    current_condition_update,
    figures_version,
    high_needs_census,
    independent_placements,
    periods_with_entries,
    place_funding_rates,
    places_used,
    pressure_entry,
    return_entries,
    return_history,
)
from reporting.services.high_needs import (
    FigureInput,
    commissioned_places_set,
    condition_update_enter,
    high_needs_figures_enter,
    place_funding_set,
    pressure_enter,
    safety_valve_condition_add,
)
from reporting.views.common import MANAGERS, ReportingPage, Tab, is_manager, query, tabs, whose
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.audit.services import record

PLACEMENTS_VIEWED = "high_needs.placements.view"


def high_needs_tabs() -> list[Tab]:
    """The reporting tabs with High needs current (its pages all sit under that one tab)."""
    return tabs("reporting:high-needs")


def return_url(period: ReturnPeriod) -> str:
    return reverse("reporting:high-needs-return") + query(period=period.key)


def period_or_404(key: str) -> ReturnPeriod:
    try:
        return parse_return_period(key)
    except ReturnPeriodError:
        raise Http404("There is no such return period.") from None


# --- the census ---------------------------------------------------------------------------------
def _census_form(request: HttpRequest) -> CensusForm:
    """The census date from the date boxes, or `?on=YYYY-MM-DD` (links and the API's form)."""
    data = request.GET.copy()
    on = data.pop("on", [""])[-1]
    if on and not any(f"on_{part}" in data for part in ("day", "month", "year")):
        parts = on.split("-")
        if len(parts) == 3:
            data.update({"on_year": parts[0], "on_month": parts[1], "on_day": parts[2]})
        else:
            data.update({"on_day": on, "on_month": "", "on_year": ""})
    return CensusForm(data) if data else CensusForm()


class HighNeedsView(ReportingPage):
    """The census on a date (default today) with totals and cost, committed spend, places used
    against places commissioned, plans awaiting placement, and independent placements' fees."""

    def get(self, request: HttpRequest) -> HttpResponse:
        who = whose(request)
        today = timezone.localdate()
        form = _census_form(request)
        on = today
        if form.is_bound and form.is_valid() and form.cleaned_data["on"]:
            on = form.cleaned_data["on"]
        if not form.is_bound:
            form = CensusForm(initial={"on": today})
        census = high_needs_census(on=on, scope=who.scope)
        fees = independent_placements(on=on, scope=who.scope)
        if fees:
            # Names of children and their fees: a read of their records, like opening a case.
            record(
                actor=request.user,
                action=PLACEMENTS_VIEWED,
                changes={
                    "on": on,
                    "scope": who.scope.label,
                    "children": sorted({str(row.child_id) for row in fees}),
                },
            )
        need_totals: dict[str, list[Any]] = {}
        for row in census.by_need:
            total = need_totals.setdefault(row.primary_need, [0, 0])
            total[0] += row.plans
            total[1] += row.annual_cost
        period = return_period_of(on)
        context = {
            "tabs": high_needs_tabs(),
            "who": who,
            "team_url": query(on=on.isoformat()),
            "mine_url": query(on=on.isoformat(), scope="mine"),
            "form": form,
            "on": on,
            "census": census,
            "age_bands": [AGE_BAND_LABELS[key] for key in AGE_BAND_KEYS],
            "needs": [
                (NEED_LABELS.get(need, need), plans, cost)
                for need, (plans, cost) in sorted(need_totals.items(), key=lambda i: -i[1][0])
            ],
            "spend": committed_spend(on=on, scope=who.scope),
            "places": places_used(on=on),
            "fees": fees,
            "fees_total": sum(row.annual_cost for row in fees),
            "return_period": period,
            "return_url": return_url(period),
            "manager": is_manager(request),
        }
        return render(request, "reporting/high_needs.html", context)


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


class EntryFormView(RoleRequiredMixin, FormView):  # type: ignore[type-arg]
    """A manager's form for a return period; the service's refusals land on the fields. The
    period is read after the role check, so others get 403, never a 404."""

    allowed_roles = MANAGERS
    template_name = "reporting/high_needs_form.html"
    title: ClassVar[str] = ""
    submit_label: ClassVar[str] = "Save"

    @cached_property
    def period(self) -> ReturnPeriod:
        return period_or_404(self.kwargs["period"])

    def perform(self, form: forms.Form) -> str:
        """Call the service; return the success banner's text."""
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            caption=self.period.label,
            title=self.title,
            submit_label=self.submit_label,
            back_url=self.get_success_url(),
        )
        return context

    def get_success_url(self) -> str:
        return return_url(self.period)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.perform(form)
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())


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
            apply_errors(form, error)
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


# --- the council's tables -----------------------------------------------------------------------
class PlaceFundingView(ReportingPage):
    """Place funding rates by type of setting and effective date (readers); managers add one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, PlaceFundingForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if not is_manager(request):
            raise PermissionDenied("You need the manager or administrator role to do this.")
        form = PlaceFundingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rate = place_funding_set(
                    actor=request.user,
                    kind=data["kind"],
                    annual_value=data["annual_value"],
                    effective_from=data["effective_from"],
                    note=data["note"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Place funding saved: {rate}")
                return redirect("reporting:high-needs-place-funding")
        return self._page(request, form, status=400)

    def _page(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        context = {
            "tabs": high_needs_tabs(),
            "rates": place_funding_rates(),
            "form": form,
            "manager": is_manager(request),
        }
        return render(request, "reporting/high_needs_place_funding.html", context, status=status)


class CommissionedPlacesView(ReportingPage):
    """Places commissioned per setting for an academic year (readers); managers enter them."""

    def _year(self, request: HttpRequest) -> int:
        text = request.GET.get("year", "")
        if text.isdigit() and 2000 <= int(text) <= 2100:
            return int(text)
        return academic_year_of(timezone.localdate())

    def _settings(self) -> list[tuple[str, str]]:
        return [(str(e.pk), e.name) for e in commissionable_settings()]

    def get(self, request: HttpRequest) -> HttpResponse:
        year = self._year(request)
        form = CommissionedPlacesForm(settings=self._settings(), initial={"academic_year": year})
        return self._page(request, form, year)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not is_manager(request):
            raise PermissionDenied("You need the manager or administrator role to do this.")
        form = CommissionedPlacesForm(request.POST, settings=self._settings())
        year = self._year(request)
        if form.is_valid():
            data = form.cleaned_data
            setting = commissionable_settings().get(pk=data["establishment"])
            try:
                commissioned_places_set(
                    actor=request.user,
                    establishment=setting,
                    academic_year=data["academic_year"],
                    places=data["places"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"{data['places']} places saved for {setting.name}")
                url = reverse("reporting:high-needs-places")
                return redirect(url + query(year=str(data["academic_year"])))
        return self._page(request, form, year, status=400)

    def _page(
        self, request: HttpRequest, form: forms.Form, year: int, status: int = 200
    ) -> HttpResponse:
        context = {
            "tabs": high_needs_tabs(),
            "year": year,
            "rows": commissioned_places(academic_year=year),
            "form": form,
            "manager": is_manager(request),
            "previous_url": query(year=str(year - 1)),
            "next_url": query(year=str(year + 1)),
            "used_url": reverse("reporting:high-needs") + query(on=_day_in(year).isoformat()),
        }
        return render(request, "reporting/high_needs_places.html", context, status=status)


def _day_in(academic_year: int) -> dt.date:
    """Today if it falls in the academic year, else the year's nearest day."""
    first, last = dt.date(academic_year, 9, 1), dt.date(academic_year + 1, 8, 31)
    return max(first, min(timezone.localdate(), last))


urlpatterns: list[URLPattern | URLResolver] = [
    path("high-needs/", HighNeedsView.as_view(), name="high-needs"),
    path("high-needs/return/", ReturnView.as_view(), name="high-needs-return"),
    path(
        "high-needs/return/<str:period>/figures/",
        FiguresView.as_view(),
        name="high-needs-figures",
    ),
    path(
        "high-needs/return/<str:period>/conditions/<int:number>/",
        ConditionView.as_view(),
        name="high-needs-condition",
    ),
    path(
        "high-needs/return/<str:period>/pressures/add/",
        PressureAddView.as_view(),
        name="high-needs-pressure-add",
    ),
    path(
        "high-needs/return/<str:period>/pressures/<uuid:entry_id>/",
        PressureEditView.as_view(),
        name="high-needs-pressure",
    ),
    path(
        "high-needs/return/<str:period>/history/",
        HistoryView.as_view(),
        name="high-needs-history",
    ),
    path("high-needs/conditions/add/", ConditionAddView.as_view(), name="high-needs-condition-add"),
    path(
        "high-needs/place-funding/",
        PlaceFundingView.as_view(),
        name="high-needs-place-funding",
    ),
    path("high-needs/places/", CommissionedPlacesView.as_view(), name="high-needs-places"),
]
