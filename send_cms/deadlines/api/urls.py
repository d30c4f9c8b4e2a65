"""API of the deadlines app (the timescale calculator), mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from send_cms.deadlines.api.views import TimescaleViewSet

router = SimpleRouter()
router.register("timescales", TimescaleViewSet, basename="timescale")

urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
