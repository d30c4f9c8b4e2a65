"""API of the reporting app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from reporting.api.views import (
    HighNeedsView,
    MetricViewSet,
    OpenPlansByMonthView,
    ScorecardListView,
    TrajectoryView,
)

router = SimpleRouter(use_regex_path=False)  # path() routes, like every other app's API
router.register("reports/metrics", MetricViewSet, basename="report-metric")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path(
        "reports/open-plans-by-month/",
        OpenPlansByMonthView.as_view(),
        name="report-open-plans-by-month",
    ),
    path("reports/scorecards/", ScorecardListView.as_view(), name="report-scorecard-list"),
    path("reports/high-needs/", HighNeedsView.as_view(), name="report-high-needs"),
    path("reports/trajectory/", TrajectoryView.as_view(), name="report-trajectory"),
]
