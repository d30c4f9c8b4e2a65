"""Predicted breaches: the open assessments that will miss 20 weeks at the council's pace, with
next month's forecast, as a page and as CSV or Excel downloads."""

from collections.abc import Sequence
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.views import View

from reporting.charts import format_value
from reporting.forecast import STATUTORY_DAYS
from reporting.selectors import scope_for
from reporting.selectors.at_risk import (
    FEWEST_OVER_FIRST,
    MOST_OVER_FIRST,
    SORTS,
    AtRiskReport,
    AtRiskRow,
    at_risk_report,
)
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.common.exports import Sheet, csv_response, xlsx_response

#: The caseworker's switch between their own caseload (the default) and their team's.
TEAM = "team"
DOWNLOADS = ("csv", "xlsx")

HEADERS = (
    "Reference",
    "Name",
    "Caseworker",
    "Received",
    "20-week date",
    "Predicted final plan",
    "Days over",
    "Late step",
    "Ran late",
    "Next step",
)
PACE_HEADERS = ("Step", "Median days", "Completed cases", "Assumed days")


def _row(row: AtRiskRow) -> list[object]:
    p = row.prediction
    return [
        row.child.reference,
        row.child.full_name,
        row.caseworker,
        row.request.received_on,
        p.due_on,
        p.final_on,
        p.days_over,
        "; ".join(p.late),
        "; ".join(p.ran_late),
        p.next_step,
    ]


def _pace_rows(report: AtRiskReport) -> list[Sequence[object]]:
    return [(step.measure, step.median_days, step.cases, step.days) for step in report.pace.steps]


def forecast_sentence(report: AtRiskReport) -> str:
    """ "Forecast for May 2026: 12 plans expected, 58.3% within 20 weeks"."""
    forecast = report.forecast
    label = f"Forecast for {forecast.month.label}"
    if not forecast.expected:
        return f"{label}: no plans expected"
    plans = "plan" if forecast.expected == 1 else "plans"
    percent = format_value(
        float(forecast.percent) if forecast.percent is not None else None, unit="percent"
    )
    return f"{label}: {forecast.expected} {plans} expected, {percent} within 20 weeks"


class AtRiskView(RoleRequiredMixin, View):
    """Caseworkers see their own caseload (their team's with ?scope=team); managers and
    administrators the whole council. Panel members are refused."""

    allowed_roles = CASEWORK_READ
    template_name = "reporting/at_risk.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        manager = bool(user_roles(user) & {Role.MANAGER, Role.ADMIN})
        team = not manager and request.GET.get("scope") == TEAM
        scope = scope_for(user, mine=not manager and not team)
        sort = request.GET.get("sort", MOST_OVER_FIRST)
        if sort not in SORTS:
            sort = MOST_OVER_FIRST
        download = request.GET.get("download", "")
        report = at_risk_report(
            user=user,
            scope=scope,
            today=timezone.localdate(),
            sort=sort,
            output=download if download in DOWNLOADS else "page",
        )
        filename = f"at-risk-20-weeks-{report.today.isoformat()}"
        if download == "csv":
            return csv_response(
                filename=filename, headers=HEADERS, rows=(_row(r) for r in report.rows)
            )
        if download == "xlsx":
            return xlsx_response(
                filename=filename,
                sheets=[
                    Sheet("At risk of missing 20 weeks", HEADERS, (_row(r) for r in report.rows)),
                    Sheet("Assumptions", PACE_HEADERS, _pace_rows(report)),
                ],
            )
        scoped = {"scope": TEAM} if team else {}
        sorted_ = {**scoped, "sort": sort} if sort != MOST_OVER_FIRST else scoped
        return TemplateResponse(
            request,
            self.template_name,
            {
                "report": report,
                "forecast_sentence": forecast_sentence(report),
                "manager": manager,
                "team": team,
                "most_over_first": sort == MOST_OVER_FIRST,
                "sort_url": _url(
                    {
                        **scoped,
                        "sort": FEWEST_OVER_FIRST if sort == MOST_OVER_FIRST else MOST_OVER_FIRST,
                    }
                ),
                "mine_url": _url({"sort": sort} if sort != MOST_OVER_FIRST else {}),
                "team_url": _url({"scope": TEAM, **sorted_}),
                "csv_url": _url({**sorted_, "download": "csv"}),
                "xlsx_url": _url({**sorted_, "download": "xlsx"}),
                "statutory_days": sum(STATUTORY_DAYS.values()),
            },
        )


def _url(query: dict[str, str]) -> str:
    """This page with `query`: the links keep the caseworker's scope and the sort."""
    page = reverse("reporting:at-risk")
    return f"{page}?{urlencode(query)}" if query else page


urlpatterns: list[URLPattern | URLResolver] = [
    path("at-risk/", AtRiskView.as_view(), name="at-risk"),
]
