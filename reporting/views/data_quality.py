"""SEN2 data quality all year: each validation rule's count, and the failing records with the page
that fixes each, as a page and a CSV download."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.views import View

from cases.presenters import pagination
from reporting.sen2.validation import Failure, data_quality_read
from reporting.sen2.validation_counts import count_history
from reporting.sen2.validation_rules import (
    BY_ID,
    FIRST_PERSON_LEVEL_YEAR,
    current_year,
)
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import CASEWORK_READ
from send_cms.common.exports import csv_response

FAILURES_PER_PAGE = 50
NO_SUCH_RULE = "There is no SEN2 validation rule {rule}."
HEADERS = (
    "Rule",
    "Severity",
    "Problem",
    "Reference",
    "Name",
    "Caseworker",
    "Record",
    "Where to fix it",
)


def _row(failure: Failure) -> list[object]:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return [
        failure.rule_id,
        failure.severity.capitalize(),
        failure.message,
        failure.child_reference,
        failure.child_name,
        failure.caseworker,
        failure.record,
        f"{site}{failure.fix_url}" if failure.fix_url else "The council's settings",
    ]


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 1


def _url(query: dict[str, str]) -> str:
    page = reverse("reporting:data-quality")
    return f"{page}?{urlencode(query)}" if query else page


class DataQualityView(RoleRequiredMixin, View):
    """Managers and administrators see the whole council; a caseworker sees the failures in their
    own caseload, the records they can fix. Panel members are refused."""

    allowed_roles = CASEWORK_READ
    template_name = "reporting/data_quality.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        current = current_year(timezone.localdate())
        years = [y for y in (current - 1, current, current + 1) if y >= FIRST_PERSON_LEVEL_YEAR]
        chosen = request.GET.get("year", "")
        year = int(chosen) if chosen.isdigit() and int(chosen) in years else current
        rule = request.GET.get("rule") or None
        if rule is not None and rule not in BY_ID:
            raise Http404(NO_SUCH_RULE.format(rule=rule))
        query = {"year": str(year), **({"rule": rule} if rule else {})}

        if request.GET.get("download") == "csv":
            found = data_quality_read(user=user, year=year, rule=rule, output="csv").failures
            filename = f"sen2-{year}-data-quality{f'-{rule}' if rule else ''}"
            return csv_response(filename=filename, headers=HEADERS, rows=map(_row, found))

        report = data_quality_read(user=user, year=year, rule=rule, output="page")
        page = Paginator(report.failures, FAILURES_PER_PAGE).get_page(
            _page_number(request.GET.get("page"))
        )
        whole_council = report.scope is None
        return TemplateResponse(
            request,
            self.template_name,
            {
                "report": report,
                "c": report.year,
                "years": years,
                "year": year,
                "rule": BY_ID[rule] if rule else None,
                "counts": [
                    (rc, _url({"year": str(year), "rule": rc.rule.id})) for rc in report.counts
                ],
                "errors": report.errors,
                "queries": report.queries,
                "page": page,
                "pages": pagination(page, query),
                "scope_label": report.scope_label,
                "whole_council": whole_council,
                "history": count_history(year=year) if whole_council else [],
                "all_url": _url({"year": str(year)}),
                "csv_url": _url({**query, "download": "csv"}),
            },
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("data-quality/", DataQualityView.as_view(), name="data-quality"),
]
