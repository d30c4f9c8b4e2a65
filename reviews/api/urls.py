"""API of the reviews app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from reviews.api.views import AnnualReviewViewSet

router = SimpleRouter(use_regex_path=False)  # path() routes with <uuid:pk>
router.register("annual-reviews", AnnualReviewViewSet, basename="annual-review")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
