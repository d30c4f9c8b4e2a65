"""Pages of the reporting app, under /reporting/."""

from django.urls import URLPattern, URLResolver

from reporting.views import at_risk, dashboard, data_quality, high_needs, scorecards, sen2

app_name = "reporting"

urlpatterns: list[URLPattern | URLResolver] = [
    *dashboard.urlpatterns,
    *scorecards.urlpatterns,
    *at_risk.urlpatterns,
    *data_quality.urlpatterns,
    *sen2.urlpatterns,
    *high_needs.urlpatterns,
]
