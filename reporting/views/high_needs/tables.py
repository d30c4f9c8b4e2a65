"""The council's tables: place funding rates and commissioned places."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from reporting.high_needs.forms import CommissionedPlacesForm, PlaceFundingForm
from reporting.high_needs.periods import academic_year_of
from reporting.selectors.high_needs import (
    commissionable_settings,
    commissioned_places,
    place_funding_rates,
)
from reporting.services.high_needs import commissioned_places_set, place_funding_set
from reporting.views.common import ReportingPage, is_manager, query
from reporting.views.high_needs.census import high_needs_tabs
from send_cms.common.steps import apply_service_errors


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
                apply_service_errors(form, error)
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
                apply_service_errors(form, error)
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
