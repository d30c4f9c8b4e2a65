from django.urls import path

from send_cms.retention import views

app_name = "retention"

urlpatterns = [
    path("disposals/", views.DisposalListView.as_view(), name="disposal-list"),
    path("disposals/confirm/", views.DisposalConfirmView.as_view(), name="disposal-confirm"),
    path(
        "children/<uuid:child_id>/subject-access/",
        views.SubjectAccessView.as_view(),
        name="subject-access",
    ),
    path(
        "children/<uuid:child_id>/subject-access.<str:fmt>",
        views.SubjectAccessDownloadView.as_view(),
        name="subject-access-download",
    ),
]
