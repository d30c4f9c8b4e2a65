"""Pages of the panels app, under /panels/."""

from django.urls import URLPattern, URLResolver, path

from panels import views

app_name = "panels"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<uuid:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "meetings/<uuid:pk>/attendance/",
        views.MeetingAttendanceView.as_view(),
        name="meeting-attendance",
    ),
    path("meetings/<uuid:pk>/start/", views.MeetingStartView.as_view(), name="meeting-start"),
    path("meetings/<uuid:pk>/close/", views.MeetingCloseView.as_view(), name="meeting-close"),
    path("meetings/<uuid:pk>/papers.pdf", views.PapersPackView.as_view(), name="meeting-papers"),
    path("meetings/<uuid:pk>/items/new/", views.ItemCreateView.as_view(), name="item-create"),
    path("items/<uuid:pk>/", views.ItemDetailView.as_view(), name="item-detail"),
    path("items/<uuid:pk>/decision/", views.DecisionCreateView.as_view(), name="item-decide"),
    path(
        "items/<uuid:pk>/declarations/new/",
        views.DeclarationCreateView.as_view(),
        name="declaration-create",
    ),
    path("decisions/", views.DecisionListView.as_view(), name="decision-list"),
    path(
        "decisions/<uuid:pk>/letters/family.pdf",
        views.FamilyLetterView.as_view(),
        name="decision-letter-family",
    ),
    path(
        "decisions/<uuid:pk>/letters/setting.pdf",
        views.SettingLetterView.as_view(),
        name="decision-letter-setting",
    ),
    path("consistency/", views.ConsistencyView.as_view(), name="consistency"),
    path("funding-bands/", views.BandListView.as_view(), name="band-list"),
]
