"""The plan's content in the API, under /api/v1/ (see `cases.plan_content.api`)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from cases.plan_content import api

router = SimpleRouter(use_regex_path=False)
router.register("plan-contents", api.PlanContentViewSet, basename="plan-content")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path(
        "plans/<uuid:pk>/versions/<int:number>/content/",
        api.PlanVersionContentView.as_view(),
        name="plan-version-content",
    ),
    path(
        "plans/<uuid:pk>/versions/<int:number>/pdf/",
        api.PlanVersionPdfView.as_view(),
        name="plan-version-pdf",
    ),
]
