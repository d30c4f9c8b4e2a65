"""Pages of the plan's content, under /cases/ (names start `cases:plan-content-`)."""

from django.urls import URLPattern, path

from cases.views import plan_content

urlpatterns: list[URLPattern] = [
    path(
        "<uuid:pk>/plan/write/",
        plan_content.PlanContentStartView.as_view(),
        name="plan-content-start",
    ),
    path(
        "plan-content/<uuid:pk>/",
        plan_content.PlanContentDetailView.as_view(),
        name="plan-content-detail",
    ),
    path(
        "plan-content/<uuid:pk>/section/<slug:section>/",
        plan_content.PlanContentSectionView.as_view(),
        name="plan-content-section",
    ),
    path(
        "plan-content/<uuid:pk>/differences/",
        plan_content.PlanContentDifferencesView.as_view(),
        name="plan-content-differences",
    ),
    path(
        "plan-content/<uuid:pk>/plan.pdf",
        plan_content.PlanContentPdfView.as_view(),
        name="plan-content-pdf",
    ),
]
