"""Pages of the reporting app (metrics): one figure's page and the cases behind it.

The page shows the definition, value, numerator and denominator for any period, its 12 months
as a chart and table, a breakdown, the target, comparators and commentary. The cases page lists
the children behind the figure: a read of their records, so it is audited (as are downloads).
"""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse

from cases.presenters import pagination
from reporting.charts import Series, bar_chart
from reporting.forms import MetricForm, PeriodForm
from reporting.metrics import CaseRow, Figure, Metric
from reporting.models import Commentary
from reporting.periods import Period, PeriodError, PeriodKind, month_of
from reporting.presenters import (
    ARROWS,
    RAG_TAGS,
    as_float,
    breakdown_label,
    case_cells,
    case_summary,
    chart_unit,
    counted_text,
    date_labels,
    display,
    figure_row,
    part_text,
    rag_label,
    revised_text,
    row_chart,
)
from reporting.rag import Rag, Travel, rag, travel
from reporting.selectors import metric_cases, metric_figure
from reporting.selectors.dashboard import commentary_for
from reporting.selectors.scorecard import ScorecardRow, scorecard_rows
from reporting.views.common import (
    ReportingPage,
    Whose,
    bad_request,
    default_period,
    download,
    download_urls,
    is_manager,
    metric_or_404,
    optional_url,
    period_from_get,
    query,
    table_downloads,
    whose,
)
from send_cms.audit.services import record

TREND_MONTHS = 12
CASES_PER_PAGE = 200
MONTHLY_HEADERS = ("Month", "Value", "Numerator", "Denominator")
NO_SUCH_BREAKDOWN = "Choose one of this figure's breakdowns."


@dataclass(frozen=True)
class MetricPage:
    """A metric for a period: the figure, its 12-month row and what managers entered."""

    metric: Metric
    period: Period
    figure: Figure
    row: ScorecardRow
    rag: Rag | None
    travel: Travel | None
    previous: Figure | None
    commentary: Commentary | None


def metric_page(*, metric: Metric, period: Period, breakdown: str | None, who: Whose) -> MetricPage:
    """The figure for any period; the 12 months to the period's last month from the one builder
    (with the target, comparators and what was published)."""
    figure = metric_figure(metric=metric, period=period, breakdown=breakdown, scope=who.scope)
    month = month_of(period.end)
    row = scorecard_rows(period=month, months=TREND_MONTHS, scope=who.scope, metrics=[metric])[0]
    if period.kind == PeriodKind.MONTH:
        previous = row.previous
    else:
        previous = metric_figure(metric=metric, period=period.previous(), scope=who.scope)
    target = row.target
    return MetricPage(
        metric=metric,
        period=period,
        figure=figure,
        row=row,
        rag=rag(
            value=figure.value,
            target=target.target if target else None,
            floor=target.floor if target else None,
            polarity=metric.polarity,
        ),
        travel=travel(
            value=figure.value,
            previous=previous.value if previous else None,
            polarity=metric.polarity,
        ),
        previous=previous,
        commentary=(
            commentary_for(metric_id=metric.id, period=period)
            if period.kind == PeriodKind.MONTH
            else None
        ),
    )


class MetricDetailView(ReportingPage):
    def get(self, request: HttpRequest, metric_id: str) -> HttpResponse:
        metric = metric_or_404(metric_id)
        who = whose(request)
        choices = [(name, breakdown_label(name)) for name in metric.breakdowns]
        period, breakdown = default_period(), None
        if {"period", "breakdown"} & set(request.GET):
            form = MetricForm(request.GET, breakdowns=choices)
            form.is_valid()  # a bad field keeps the default; the good one is still used
            period = form.cleaned_data.get("period") or period
            breakdown = form.cleaned_data.get("breakdown") or None
        else:
            form = MetricForm(initial={"period": period.key}, breakdowns=choices)
        page = metric_page(metric=metric, period=period, breakdown=breakdown, who=who)
        context = {
            "form": form,
            "metric": metric,
            "period": period,
            "who": who,
            "page": page,
            **self.figures(page),
            **self.breakdown(page, breakdown),
            **self.links(page, breakdown, who),
            "is_manager": is_manager(request),
            "is_month": period.kind == PeriodKind.MONTH,
        }
        return render(
            request, "reporting/metric_detail.html", context, status=400 if form.errors else 200
        )

    @staticmethod
    def figures(page: MetricPage) -> dict[str, Any]:
        metric, figure, row, unit = page.metric, page.figure, page.row, page.metric.unit
        return {
            "value": display(figure.value, unit),
            "numerator": part_text(figure.numerator, unit),
            "denominator": part_text(figure.denominator, "count"),
            "rag_label": rag_label(page.rag, metric.polarity) if page.rag else "",
            "rag_class": RAG_TAGS[page.rag] if page.rag else "",
            "arrow": ARROWS[page.travel.direction] if page.travel else "",
            "previous_value": display(page.previous.value, unit) if page.previous else "",
            "target": display(row.target.target, unit) if row.target else "",
            "floor": display(row.target.floor, unit) if row.target else "",
            "revised": revised_text(row, figure) if page.period.kind == PeriodKind.MONTH else "",
            "comparators": [(c, display(c.value, unit)) for c in row.comparators],
            "chart": row_chart(
                row,
                title=f"{metric.title}, {TREND_MONTHS} months to {row.current.period.label}",
            ),
        }

    @staticmethod
    def breakdown(page: MetricPage, breakdown: str | None) -> dict[str, Any]:
        metric, rows, unit = page.metric, page.figure.breakdown, page.metric.unit
        if not breakdown or rows is None:
            return {"breakdown": None}
        heading = breakdown_label(breakdown)
        chart = None
        if rows:
            chart = bar_chart(
                title=f"{metric.title} by {heading.lower()}, {page.period.label}",
                labels=[b.label for b in rows],
                series=[Series(metric.title, tuple(as_float(b.value) for b in rows))],
                unit=chart_unit(metric),
                label_heading=heading,
            )
        return {
            "breakdown": breakdown,
            "breakdown_heading": heading,
            "breakdown_rows": [
                (
                    b.label,
                    display(b.value, unit),
                    part_text(b.numerator, unit),
                    part_text(b.denominator, "count"),
                )
                for b in rows
            ],
            "breakdown_chart": chart,
        }

    @staticmethod
    def links(page: MetricPage, breakdown: str | None, who: Whose) -> dict[str, Any]:
        metric, period, month = page.metric, page.period, page.row.current.period
        params = query(period=period.key, scope=who.param)
        return {
            "cases_url": reverse("reporting:metric-cases", args=[metric.id]) + params,
            "dashboard_url": reverse("reporting:dashboard")
            + query(period=month.key, scope=who.param),
            "monthly_downloads": download_urls(
                "metric-monthly", query(period=month.key, scope=who.param), metric_id=metric.id
            ),
            "breakdown_downloads": download_urls(
                "metric-breakdown",
                query(period=period.key, breakdown=breakdown, scope=who.param),
                metric_id=metric.id,
            ),
            "period_param": query(period=period.key),
            "pdf_url": optional_url("reporting:scorecard-pdf", period=month.key),
        }


class MetricMonthlyDownloadView(ReportingPage):
    def get(self, request: HttpRequest, metric_id: str, fmt: str) -> HttpResponse:
        metric = metric_or_404(metric_id)
        try:
            month = month_of(period_from_get(request).end)
        except PeriodError as error:
            return bad_request(str(error))
        who = whose(request)
        row = scorecard_rows(period=month, months=TREND_MONTHS, scope=who.scope, metrics=[metric])[
            0
        ]
        return download(
            request,
            fmt=fmt,
            filename=f"{metric.id}-monthly-to-{month.key}",
            title=f"{metric.id} monthly",
            headers=MONTHLY_HEADERS,
            rows=[(f.period.key, *figure_row(metric, f)) for f in row.figures],
            changes={
                "table": "metric monthly",
                "metric": metric.id,
                "period": month.key,
                "scope": who.scope.label,
            },
        )


class MetricBreakdownDownloadView(ReportingPage):
    def get(self, request: HttpRequest, metric_id: str, fmt: str) -> HttpResponse:
        metric = metric_or_404(metric_id)
        try:
            period = period_from_get(request)
        except PeriodError as error:
            return bad_request(str(error))
        breakdown = request.GET.get("breakdown", "")
        if breakdown not in metric.breakdowns:
            return bad_request(NO_SUCH_BREAKDOWN)
        who = whose(request)
        figure = metric_figure(metric=metric, period=period, breakdown=breakdown, scope=who.scope)
        return download(
            request,
            fmt=fmt,
            filename=f"{metric.id}-{period.key}-by-{breakdown}",
            title=f"{metric.id} by {breakdown}",
            headers=(breakdown_label(breakdown), *MONTHLY_HEADERS[1:]),
            rows=[(b.label, *figure_row(metric, b)) for b in figure.breakdown or ()],
            changes={
                "table": "metric breakdown",
                "metric": metric.id,
                "period": period.key,
                "breakdown": breakdown,
                "scope": who.scope.label,
            },
        )


# --- the cases behind a figure ------------------------------------------------------------------
def audit_cases(
    request: HttpRequest,
    *,
    metric: Metric,
    period: Period,
    rows: list[CaseRow],
    shown: list[CaseRow],
    who: Whose,
    page: int,
) -> None:
    """Reading the cases behind a figure is a read of children's records: who saw which."""
    record(
        actor=request.user,
        action="report.cases.view",
        changes={
            "metric": metric.id,
            "period": period.key,
            "rows": len(rows),
            "page": page,
            "scope": who.scope.label,
            "children": sorted({str(r.child_id) for r in shown}),
        },
    )


class MetricCasesView(ReportingPage):
    def get(self, request: HttpRequest, metric_id: str) -> HttpResponse:
        metric = metric_or_404(metric_id)
        who = whose(request)
        period: Period | None = default_period()
        if "period" in request.GET:
            form = PeriodForm(request.GET)
            # A bad period lists nothing: no child's record is read that was not asked for.
            period = (form.cleaned_data["period"] or period) if form.is_valid() else None
        else:
            form = PeriodForm(initial={"period": default_period().key})
        context: dict[str, Any] = {
            "form": form,
            "metric": metric,
            "who": who,
            "period": period,
            "metric_url": reverse("reporting:metric-detail", args=[metric.id])
            + query(period=period.key if period else "", scope=who.param),
        }
        if period is not None:
            context.update(self.cases(request, metric=metric, period=period, who=who))
        return render(
            request, "reporting/metric_cases.html", context, status=400 if form.errors else 200
        )

    @staticmethod
    def cases(
        request: HttpRequest, *, metric: Metric, period: Period, who: Whose
    ) -> dict[str, Any]:
        rows = metric_cases(metric=metric, period=period, scope=who.scope)
        page = Paginator(rows, CASES_PER_PAGE).get_page(request.GET.get("page"))
        shown: list[CaseRow] = list(page.object_list)
        labels = date_labels(rows)
        audit_cases(
            request, metric=metric, period=period, rows=rows, shown=shown, who=who, page=page.number
        )
        params = query(period=period.key, scope=who.param)
        return {
            "labels": labels,
            "rows": [(row, case_cells(row, labels), counted_text(row)) for row in shown],
            "total": len(rows),
            "summary": case_summary(metric, rows),
            "pages": pagination(page, {"period": period.key, "scope": who.param}),
            "downloads": download_urls("metric-cases", params, metric_id=metric.id),
        }


class MetricCasesDownloadView(ReportingPage):
    def get(self, request: HttpRequest, metric_id: str, fmt: str) -> HttpResponse:
        metric = metric_or_404(metric_id)
        try:
            period = period_from_get(request)
        except PeriodError as error:
            return bad_request(str(error))
        who = whose(request)
        rows = metric_cases(metric=metric, period=period, scope=who.scope)
        labels = date_labels(rows)
        return download(
            request,
            fmt=fmt,
            filename=f"{metric.id}-{period.key}-cases",
            title=f"{metric.id} cases",
            headers=("Child reference", "Name", "Record", *labels, "Counted"),
            rows=[
                (row.reference, row.name, row.subject, *case_cells(row, labels), counted_text(row))
                for row in rows
            ],
            action="report.cases.download",
            changes={
                "metric": metric.id,
                "period": period.key,
                "scope": who.scope.label,
                "children": sorted({str(r.child_id) for r in rows}),
            },
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("metrics/<str:metric_id>/", MetricDetailView.as_view(), name="metric-detail"),
    *table_downloads(
        "metrics/<str:metric_id>/monthly", MetricMonthlyDownloadView, "metric-monthly"
    ),
    *table_downloads(
        "metrics/<str:metric_id>/breakdown", MetricBreakdownDownloadView, "metric-breakdown"
    ),
    path("metrics/<str:metric_id>/cases/", MetricCasesView.as_view(), name="metric-cases"),
    *table_downloads("metrics/<str:metric_id>/cases", MetricCasesDownloadView, "metric-cases"),
]
