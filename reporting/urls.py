"""Pages of the reporting app, under /reporting/."""

from django.urls import URLPattern, URLResolver

from reporting.views import (
    at_risk,
    dashboard,
    data_quality,
    high_needs,
    high_needs_pack,
    scorecards,
    sen2,
    trajectory,
)

app_name = "reporting"

urlpatterns: list[URLPattern | URLResolver] = [
    *dashboard.urlpatterns,
    *scorecards.urlpatterns,
    *at_risk.urlpatterns,
    *data_quality.urlpatterns,
    *sen2.urlpatterns,
    *high_needs.urlpatterns,
    *high_needs_pack.urlpatterns,
    *trajectory.urlpatterns,
]
