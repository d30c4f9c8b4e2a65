"""What the reporting pages share: who may read, whose figures, the period, and downloads.

Managers and administrators see the council; a caseworker sees their team's figures, or their
own caseload with `?scope=mine`. Every download is a table as CSV or Excel with the same rows,
recorded in the audit trail.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.generic import View

from reporting.metrics import Metric, UnknownMetric, get_metric
from reporting.periods import (
    Period,
    PeriodError,
    PeriodKind,
    last_complete_month,
    month_period,
    parse_period,
)
from reporting.selectors import Scope, scope_for
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.audit.services import record
from send_cms.common.exports import Sheet, csv_response, xlsx_response
from send_cms.common.steps import ServiceFormView

#: Who sees the council's figures and sets targets, comparators and commentary.
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
FORMATS = ("csv", "xlsx")
MONTH_ONLY = "Enter a month like 2025-08."


class ReportingPage(RoleRequiredMixin, View):
    """Managers, administrators and caseworkers read the figures; panel members may not."""

    allowed_roles = CASEWORK_READ


class ManagerFormView(ServiceFormView):
    """A manager's form on the shared step view (`perform` calls the service, whose refusals land
    on the form); the page also links back. What the form is about is looked up after the role
    check, so others get 403, never a 404 that says whether it exists."""

    allowed_roles = MANAGERS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.get_success_url()
        return context


def default_period() -> Period:
    """The last complete month: the month the 1st-of-the-month scorecard reports."""
    return last_complete_month(timezone.localdate())


def next_month(period: Period) -> Period:
    after = period.end + dt.timedelta(days=1)
    return month_period(after.year, after.month)


def is_manager(request: HttpRequest) -> bool:
    return bool(user_roles(request.user) & MANAGERS)


def metric_or_404(metric_id: str) -> Metric:
    try:
        return get_metric(metric_id)
    except UnknownMetric:
        raise Http404("There is no figure with that id.") from None


@dataclass(frozen=True)
class Whose:
    """Whose figures a page shows, and whether the reader may switch (caseworkers in a team)."""

    scope: Scope
    mine: bool
    can_switch: bool

    @property
    def param(self) -> str:
        """The `scope` query parameter that keeps this choice on the next page."""
        return "mine" if self.mine else ""


def whose(request: HttpRequest) -> Whose:
    user: Any = request.user
    if user_roles(user) & MANAGERS:
        return Whose(scope_for(user), mine=False, can_switch=False)
    mine = request.GET.get("scope") == "mine"
    return Whose(scope_for(user, mine=mine), mine=mine, can_switch=bool(user.team))


def query(**params: str | None) -> str:
    """A query string of the non-empty parameters with its leading ?, or ""."""
    kept = {key: value for key, value in params.items() if value}
    return "?" + urlencode(kept) if kept else ""


def optional_url(name: str, **kwargs: str) -> str:
    """A link to a page another part of the app provides, or "" while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class Tab:
    label: str
    href: str
    current: bool


#: The reporting pages' sub-navigation; pages another part of the app has yet to add are left out.
TABS = (
    ("Dashboard", "reporting:dashboard"),
    ("Plans in force by month", "reporting:open-plans"),
    ("Assessments at risk", "reporting:at-risk"),
    ("Published scorecards", "reporting:scorecard-list"),
    ("SEN2 data quality", "reporting:data-quality"),
    ("High needs", "reporting:high-needs"),
    ("Trajectory", "reporting:trajectory"),
)


def tabs(current: str) -> list[Tab]:
    return [
        Tab(label, href, name == current) for label, name in TABS if (href := optional_url(name))
    ]


def download_urls(name: str, params: str, **kwargs: str) -> dict[str, str]:
    """The CSV and Excel links of a table (URL names `name-csv` and `name-xlsx`)."""
    return {
        fmt: reverse(f"reporting:{name}-{fmt}", kwargs=kwargs or None) + params for fmt in FORMATS
    }


def period_from_get(request: HttpRequest, *, months_only: bool = False) -> Period:
    """A download's period (default: the last complete month); PeriodError for a bad one."""
    text = request.GET.get("period", "")
    if not text:
        return default_period()
    period = parse_period(text)
    if months_only and period.kind != PeriodKind.MONTH:
        raise PeriodError(MONTH_ONLY)
    return period


def bad_request(message: str) -> HttpResponse:
    """A download asked for with a bad parameter: the reason as plain text."""
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def download(
    request: HttpRequest,
    *,
    fmt: str,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    changes: dict[str, Any],
    action: str = "report.download",
) -> HttpResponse:
    """A table as CSV or Excel (the same rows either way), recorded in the audit trail."""
    table = [list(row) for row in rows]
    record(
        actor=request.user, action=action, changes={**changes, "format": fmt, "rows": len(table)}
    )
    if fmt == "csv":
        return csv_response(filename=filename, headers=headers, rows=table)
    return xlsx_response(
        filename=filename, sheets=[Sheet(title=title, headers=headers, rows=table)]
    )


def table_downloads(route: str, view: type[View], name: str) -> list[URLPattern]:
    """`route.csv` and `route.xlsx`, named `name-csv` and `name-xlsx` (the view gets `fmt`)."""
    return [
        path(f"{route}.{fmt}", view.as_view(), {"fmt": fmt}, name=f"{name}-{fmt}")
        for fmt in FORMATS
    ]
