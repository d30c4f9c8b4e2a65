"""Pages of the reporting app (dashboard): the live position for a month, and the grid of plans
in force at each month end. The metric pages and the managers' forms are in metrics.py and
targets.py; their URLs are listed here with the dashboard's.

Every tile comes from the one scorecard builder (`scorecard_rows`, 12 months, the reader's
scope), so the dashboard, the PDF and the API cannot disagree. Pages work without JavaScript:
the month is chosen with a GET form and the charts are inline SVG with their figures as a table.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse

from reporting.charts import COUNT, Chart, Series, line_chart
from reporting.forms import DashboardForm, OpenPlansForm
from reporting.periods import MONTH_NAMES, Period, PeriodError, month_period
from reporting.presenters import HEADLINE_HEADERS, Tile, sections_of, tile_for
from reporting.selectors import open_plans_by_month
from reporting.selectors.scorecard import scorecard_rows
from reporting.sen2.validation import data_quality_summary
from reporting.views import metrics, targets
from reporting.views.common import (
    ReportingPage,
    Whose,
    bad_request,
    default_period,
    download,
    download_urls,
    next_month,
    optional_url,
    period_from_get,
    query,
    table_downloads,
    tabs,
    whose,
)

TREND_MONTHS = 12
GRID_YEARS = 6
GRID_HEADERS = ("Year", *MONTH_NAMES)


def dashboard_tiles(*, period: Period, who: Whose) -> list[Tile]:
    params = query(period=period.key, scope=who.param)
    return [
        tile_for(
            row,
            url=reverse("reporting:metric-detail", args=[row.metric.id]) + params,
            months=TREND_MONTHS,
        )
        for row in scorecard_rows(period=period, months=TREND_MONTHS, scope=who.scope)
    ]


class DashboardView(ReportingPage):
    def get(self, request: HttpRequest) -> HttpResponse:
        who = whose(request)
        period = latest = default_period()
        if "period" in request.GET:
            form = DashboardForm(request.GET)
            if form.is_valid() and form.cleaned_data["period"] is not None:
                period = form.cleaned_data["period"]
        else:
            form = DashboardForm(initial={"period": period.key})
        tiles = dashboard_tiles(period=period, who=who)
        context = {
            "form": form,
            "period": period,
            "who": who,
            "sections": sections_of(tiles),
            "tiles": tiles,
            "headers": HEADLINE_HEADERS[2:],
            "downloads": download_urls("dashboard", query(period=period.key, scope=who.param)),
            "previous_url": query(period=period.previous().key, scope=who.param),
            "next_url": (
                query(period=next_month(period).key, scope=who.param)
                if period.start < latest.start
                else ""
            ),
            "next_label": next_month(period).label,
            "team_url": query(period=period.key),
            "mine_url": query(period=period.key, scope="mine"),
            "open_plans_url": reverse("reporting:open-plans") + query(scope=who.param),
            "pdf_url": optional_url("reporting:scorecard-pdf", period=period.key),
            "tabs": tabs("reporting:dashboard"),
            "data_quality": data_quality_summary(user=request.user),
            "data_quality_url": reverse("reporting:data-quality"),
            "at_risk_url": reverse("reporting:at-risk"),
        }
        return render(
            request, "reporting/dashboard.html", context, status=400 if form.errors else 200
        )


class DashboardDownloadView(ReportingPage):
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        try:
            period = period_from_get(request, months_only=True)
        except PeriodError as error:
            return bad_request(str(error))
        who = whose(request)
        return download(
            request,
            fmt=fmt,
            filename=f"dashboard-{period.key}",
            title=f"Dashboard {period.key}",
            headers=HEADLINE_HEADERS,
            rows=[tile.numbers for tile in dashboard_tiles(period=period, who=who)],
            changes={"table": "dashboard", "period": period.key, "scope": who.scope.label},
        )


# --- plans in force at each month end -----------------------------------------------------------
@dataclass(frozen=True)
class Grid:
    """Cambridgeshire's "Current EHCPs by year and month": a row per year, January to December
    (None outside the chosen months), and the same months as a line."""

    first: Period
    last: Period
    years: list[tuple[int, list[int | None]]]
    chart: Chart


def open_plans_grid(*, first: Period, last: Period, who: Whose) -> Grid:
    counts = open_plans_by_month(first=first, last=last, scope=who.scope)
    by_key = {c.month.key: c.open_plans for c in counts}
    years = [
        (year, [by_key.get(f"{year:04d}-{month:02d}") for month in range(1, 13)])
        for year in range(first.start.year, last.start.year + 1)
    ]
    chart = line_chart(
        title=f"EHC plans in force at each month end, {first.label} to {last.label}",
        labels=[c.month.short_label for c in counts],
        series=[Series("Plans in force", tuple(float(c.open_plans) for c in counts))],
        unit=COUNT,
        label_heading="Month",
    )
    return Grid(first=first, last=last, years=years, chart=chart)


def grid_range(request: HttpRequest) -> tuple[OpenPlansForm, Period, Period]:
    """The chosen months; by default the last complete month and the 5 calendar years before."""
    last = default_period()
    first = month_period(last.start.year - (GRID_YEARS - 1), 1)
    if not {"first", "last"} & set(request.GET):
        return OpenPlansForm(initial={"first": first.key, "last": last.key}), first, last
    form = OpenPlansForm(request.GET)
    if form.is_valid():
        last = form.cleaned_data["last"] or last
        first = form.cleaned_data["first"] or month_period(last.start.year - (GRID_YEARS - 1), 1)
        if first.start > last.start:  # only "from" given, after the default "to"
            last = first
    return form, first, last


class OpenPlansView(ReportingPage):
    def get(self, request: HttpRequest) -> HttpResponse:
        who = whose(request)
        form, first, last = grid_range(request)
        grid = open_plans_grid(first=first, last=last, who=who)
        context: dict[str, Any] = {
            "form": form,
            "who": who,
            "grid": grid,
            "months": [(name[:3], name) for name in MONTH_NAMES],
            "rows": [
                (year, ["" if n is None else f"{n:,}" for n in cells]) for year, cells in grid.years
            ],
            "tabs": tabs("reporting:open-plans"),
            "downloads": download_urls(
                "open-plans", query(first=first.key, last=last.key, scope=who.param)
            ),
            "dashboard_url": reverse("reporting:dashboard") + query(scope=who.param),
            "team_url": query(first=first.key, last=last.key),
            "mine_url": query(first=first.key, last=last.key, scope="mine"),
        }
        return render(
            request,
            "reporting/dashboard_open_plans.html",
            context,
            status=400 if form.errors else 200,
        )


class OpenPlansDownloadView(ReportingPage):
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        form, first, last = grid_range(request)
        if form.errors:
            return bad_request(" ".join(str(m) for errors in form.errors.values() for m in errors))
        who = whose(request)
        grid = open_plans_grid(first=first, last=last, who=who)
        return download(
            request,
            fmt=fmt,
            filename=f"plans-in-force-{first.key}-to-{last.key}",
            title="Plans in force",
            headers=GRID_HEADERS,
            rows=[(year, *cells) for year, cells in grid.years],
            changes={
                "table": "plans in force by month",
                "first": first.key,
                "last": last.key,
                "scope": who.scope.label,
            },
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("", DashboardView.as_view(), name="dashboard"),
    *table_downloads("dashboard", DashboardDownloadView, "dashboard"),
    path("open-plans/", OpenPlansView.as_view(), name="open-plans"),
    *table_downloads("open-plans/grid", OpenPlansDownloadView, "open-plans"),
    *metrics.urlpatterns,
    *targets.urlpatterns,
]
