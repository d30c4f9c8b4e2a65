"""API of the tribunals app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from tribunals.api.views import AppealViewSet, MediationViewSet, OrderViewSet

router = SimpleRouter(use_regex_path=False)  # path() routes with <uuid:pk>
router.register("mediations", MediationViewSet, basename="mediation")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("orders", OrderViewSet, basename="order")

urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
