"""API of the panels app, mounted under /api/v1/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from panels.api import views

router = SimpleRouter(use_regex_path=False)  # path() routes with <uuid:pk>
router.register("panels", views.PanelViewSet, basename="panel")
router.register("panel-meetings", views.PanelMeetingViewSet, basename="panel-meeting")
router.register("panel-items", views.PanelItemViewSet, basename="panel-item")
router.register("funding-bands", views.FundingBandViewSet, basename="funding-band")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
