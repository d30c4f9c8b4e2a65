"""The census page, and what every high-needs page shares (its tabs, the period in the URL)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from reporting.high_needs.forms import CensusForm
from reporting.high_needs.periods import (
    ReturnPeriod,
    ReturnPeriodError,
    parse_return_period,
    return_period_of,
)
from reporting.metrics.engine import AGE_BAND_LABELS
from reporting.selectors.high_needs import (
    AGE_BAND_KEYS,
    NEED_LABELS,
    committed_spend,
    high_needs_census,
    independent_placements,
    places_used,
)
from reporting.views.common import ReportingPage, Tab, is_manager, query, tabs, whose
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
