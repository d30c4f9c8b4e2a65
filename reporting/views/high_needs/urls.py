"""The high-needs pages' addresses."""

from django.urls import URLPattern, URLResolver, path

from reporting.views.high_needs.census import HighNeedsView
from reporting.views.high_needs.entries import (
    ConditionAddView,
    ConditionView,
    FiguresView,
    HistoryView,
    PressureAddView,
    PressureEditView,
    ReturnView,
)
from reporting.views.high_needs.tables import CommissionedPlacesView, PlaceFundingView

urlpatterns: list[URLPattern | URLResolver] = [
    path("high-needs/", HighNeedsView.as_view(), name="high-needs"),
    path("high-needs/return/", ReturnView.as_view(), name="high-needs-return"),
    path(
        "high-needs/return/<str:period>/figures/",
        FiguresView.as_view(),
        name="high-needs-figures",
    ),
    path(
        "high-needs/return/<str:period>/conditions/<int:number>/",
        ConditionView.as_view(),
        name="high-needs-condition",
    ),
    path(
        "high-needs/return/<str:period>/pressures/add/",
        PressureAddView.as_view(),
        name="high-needs-pressure-add",
    ),
    path(
        "high-needs/return/<str:period>/pressures/<uuid:entry_id>/",
        PressureEditView.as_view(),
        name="high-needs-pressure",
    ),
    path(
        "high-needs/return/<str:period>/history/",
        HistoryView.as_view(),
        name="high-needs-history",
    ),
    path("high-needs/conditions/add/", ConditionAddView.as_view(), name="high-needs-condition-add"),
    path(
        "high-needs/place-funding/",
        PlaceFundingView.as_view(),
        name="high-needs-place-funding",
    ),
    path("high-needs/places/", CommissionedPlacesView.as_view(), name="high-needs-places"),
]
