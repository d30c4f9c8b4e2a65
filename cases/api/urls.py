"""API of the cases app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from cases.api import documents, views
from cases.plan_content import api_urls as plan_content_api_urls

router = SimpleRouter(use_regex_path=False)  # path() routes with <uuid:pk>
router.register("children", views.ChildViewSet, basename="child")
router.register(
    "assessment-requests", views.AssessmentRequestViewSet, basename="assessment-request"
)
router.register("advice-requests", views.AdviceRequestViewSet, basename="advice-request")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("letters", documents.LetterViewSet, basename="letter")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

# The plan's content, sections A to K (cases.plan_content).
urlpatterns += plan_content_api_urls.urlpatterns
