"""The reporting documents at the addresses the public API contract gives them
(`/reports/scorecards/YYYY-MM.pdf`, `/reports/high-needs/YYYY-MM-DD.pdf` and `.xlsx`).

The same views as the pages' own links under `/reporting/`, with the same roles and audit, so a
client written from the contract and a manager following a link get the same file."""

from django.urls import URLPattern, URLResolver, path

from reporting.high_needs.services import FORMATS
from reporting.views.high_needs_pack import PackDownloadView
from reporting.views.scorecards import ScorecardPdfView

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("scorecards/<str:period>.pdf", ScorecardPdfView.as_view(), name="scorecard-pdf"),
    *(
        path(
            f"high-needs/<str:on>.{fmt}",
            PackDownloadView.as_view(),
            {"fmt": fmt},
            name=f"high-needs-{fmt}",
        )
        for fmt in FORMATS
    ),
]
