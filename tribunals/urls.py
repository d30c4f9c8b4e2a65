"""Pages of the tribunals app."""

from django.urls import URLPattern, URLResolver, path

from tribunals.views import appeals, mediation, reports

app_name = "tribunals"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", appeals.AppealRegisterView.as_view(), name="appeal-list"),
    path("appeals/new/", appeals.AppealFindChildView.as_view(), name="appeal-find-child"),
    path(
        "children/<uuid:child_id>/appeals/new/",
        appeals.AppealCreateView.as_view(),
        name="appeal-create",
    ),
    path("appeals/<uuid:pk>/", appeals.AppealDetailView.as_view(), name="appeal-detail"),
    path(
        "appeals/<uuid:pk>/response/", appeals.AppealResponseView.as_view(), name="appeal-response"
    ),
    path("appeals/<uuid:pk>/hearing/", appeals.AppealHearingView.as_view(), name="appeal-hearing"),
    path("appeals/<uuid:pk>/outcome/", appeals.AppealOutcomeView.as_view(), name="appeal-outcome"),
    path("appeals/<uuid:pk>/orders/new/", appeals.AppealOrderView.as_view(), name="appeal-order"),
    path(
        "appeals/<uuid:pk>/directions/new/",
        appeals.AppealDirectionView.as_view(),
        name="appeal-direction",
    ),
    path(
        "appeals/<uuid:pk>/recommendations/new/",
        appeals.AppealRecommendationView.as_view(),
        name="appeal-recommendation",
    ),
    path("appeals/<uuid:pk>/details/", appeals.AppealDetailsView.as_view(), name="appeal-details"),
    path(
        "directions/<uuid:pk>/complied/",
        appeals.DirectionCompliedView.as_view(),
        name="direction-complied",
    ),
    path(
        "recommendations/<uuid:pk>/response/",
        appeals.RecommendationResponseView.as_view(),
        name="recommendation-response",
    ),
    path("orders/overdue/", appeals.OrderOverdueView.as_view(), name="order-overdue"),
    path("orders/<uuid:pk>/complied/", appeals.OrderCompliedView.as_view(), name="order-complied"),
    path("mediations/", mediation.MediationRegisterView.as_view(), name="mediation-list"),
    path(
        "mediations/new/", mediation.MediationFindChildView.as_view(), name="mediation-find-child"
    ),
    path(
        "children/<uuid:child_id>/mediations/new/",
        mediation.MediationCreateView.as_view(),
        name="mediation-create",
    ),
    path("mediations/<uuid:pk>/", mediation.MediationDetailView.as_view(), name="mediation-detail"),
    path(
        "mediations/<uuid:pk>/contact/",
        mediation.MediationContactView.as_view(),
        name="mediation-contact",
    ),
    path(
        "mediations/<uuid:pk>/wanted/",
        mediation.MediationWantedView.as_view(),
        name="mediation-wanted",
    ),
    path(
        "mediations/<uuid:pk>/not-arranged/",
        mediation.MediationNotArrangedView.as_view(),
        name="mediation-not-arranged",
    ),
    path(
        "mediations/<uuid:pk>/held/", mediation.MediationHeldView.as_view(), name="mediation-held"
    ),
    path(
        "mediations/<uuid:pk>/certificate/",
        mediation.MediationCertificateView.as_view(),
        name="mediation-certificate",
    ),
    path(
        "mediations/<uuid:pk>/actions/new/",
        mediation.MediationActionView.as_view(),
        name="mediation-action",
    ),
    path(
        "mediation-actions/<uuid:pk>/complied/",
        mediation.MediationActionCompliedView.as_view(),
        name="mediation-action-complied",
    ),
    path("outcomes/", reports.OutcomesView.as_view(), name="outcomes"),
    path(
        "children/<uuid:child_id>/chronology.pdf",
        reports.ChronologyPdfView.as_view(),
        name="chronology",
    ),
]
