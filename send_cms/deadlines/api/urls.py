"""API of the deadlines app (the timescale calculator), mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from send_cms.deadlines.api.views import TimescaleViewSet

router = SimpleRouter(use_regex_path=False)  # path() routes, like every other app's API
router.register("timescales", TimescaleViewSet, basename="timescale")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
