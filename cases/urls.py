"""Pages of the cases app, under /cases/."""

from django.urls import URLPattern, URLResolver, path

from cases.plan_content import urls as plan_content_urls
from cases.views import (
    access,
    case,
    caseload,
    cease,
    documents,
    requests,
    search,
    sen2_import,
    steps,
)

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", caseload.CaseloadView.as_view(), name="caseload"),
    path("advice/", caseload.AdviceTrackerView.as_view(), name="advice-tracker"),
    path("requests/new/", requests.RequestCreateView.as_view(), name="request-create"),
    # The search boxes' suggestions (JSON; the forms work without them).
    path("settings/search/", search.EstablishmentSearchView.as_view(), name="establishment-search"),
    path("children/search/", search.ChildSearchView.as_view(), name="child-search"),
    path("import/sen2/", sen2_import.Sen2ImportView.as_view(), name="sen2-import"),
    # The case page and its sections.
    path("<uuid:pk>/", case.ChildDetailView.as_view(), name="child-detail"),
    path("<uuid:pk>/timeline/", case.ChildTimelineView.as_view(), name="child-timeline"),
    path("<uuid:pk>/deadlines/", case.ChildDeadlinesView.as_view(), name="child-deadlines"),
    path("<uuid:pk>/advice/", case.ChildAdviceView.as_view(), name="child-advice"),
    path("<uuid:pk>/plan/", case.ChildPlanView.as_view(), name="child-plan"),
    path("<uuid:pk>/placements/", case.ChildPlacementsView.as_view(), name="child-placements"),
    path("<uuid:pk>/documents/", documents.ChildDocumentsView.as_view(), name="child-documents"),
    path(
        "<uuid:pk>/documents/new/",
        documents.DocumentUploadView.as_view(),
        name="child-document-upload",
    ),
    path(
        "<uuid:pk>/letters/new/", documents.LetterCreateView.as_view(), name="child-letter-create"
    ),
    path(
        "documents/<uuid:pk>/file/", documents.DocumentDownloadView.as_view(), name="document-file"
    ),
    path(
        "letters/<uuid:pk>/letter.pdf", documents.LetterDownloadView.as_view(), name="letter-file"
    ),
    path("letters/wording/", documents.LetterWordingListView.as_view(), name="letter-wording-list"),
    path(
        "letters/wording/<slug:kind>/",
        documents.LetterWordingEditView.as_view(),
        name="letter-wording-edit",
    ),
    path("<uuid:pk>/edit/", case.ChildEditView.as_view(), name="child-edit"),
    path("<uuid:pk>/contacts/new/", case.ContactCreateView.as_view(), name="contact-create"),
    path("<uuid:pk>/reallocate/", case.ChildReallocateView.as_view(), name="child-reallocate"),
    path("<uuid:pk>/access-log/", access.ChildAccessLogView.as_view(), name="child-access-log"),
    path(
        "access/outside-caseloads/",
        access.ReadsOutsideCaseloadView.as_view(),
        name="reads-outside-caseloads",
    ),
    # Ceasing a plan: proposed, the decision notified, then ended after the appeal window.
    path(
        "plans/<uuid:pk>/cease/propose/",
        cease.CeaseProposeView.as_view(),
        name="plan-cease-propose",
    ),
    path(
        "plans/<uuid:pk>/cease/decision/", cease.CeaseDecideView.as_view(), name="plan-cease-decide"
    ),
    path("plans/<uuid:pk>/cease/", cease.CeaseView.as_view(), name="plan-cease"),
    # The steps of an assessment request.
    path("requests/<uuid:pk>/decision/", steps.DecisionView.as_view(), name="request-decision"),
    path("requests/<uuid:pk>/advice/", steps.AdviceRequestView.as_view(), name="request-advice"),
    path("requests/<uuid:pk>/exception/", steps.ExceptionView.as_view(), name="request-exception"),
    path(
        "requests/<uuid:pk>/issue-decision/",
        steps.IssueDecisionView.as_view(),
        name="request-issue-decision",
    ),
    path(
        "requests/<uuid:pk>/draft-plan/", steps.DraftPlanView.as_view(), name="request-draft-plan"
    ),
    path(
        "requests/<uuid:pk>/consultation/",
        steps.ConsultationView.as_view(),
        name="request-consultation",
    ),
    path(
        "requests/<uuid:pk>/final-plan/", steps.FinalPlanView.as_view(), name="request-final-plan"
    ),
    path("requests/<uuid:pk>/withdraw/", steps.WithdrawView.as_view(), name="request-withdraw"),
    path(
        "requests/<uuid:pk>/transfer-out/",
        steps.TransferOutView.as_view(),
        name="request-transfer-out",
    ),
    path(
        "requests/<uuid:pk>/advice/<uuid:advice_pk>/receive/",
        steps.AdviceReceiveView.as_view(),
        name="advice-receive",
    ),
    path(
        "requests/<uuid:pk>/advice/<uuid:advice_pk>/return/",
        steps.AdviceReturnView.as_view(),
        name="advice-return",
    ),
    path(
        "requests/<uuid:pk>/advice/<uuid:advice_pk>/re-receive/",
        steps.AdviceReReceiveView.as_view(),
        name="advice-re-receive",
    ),
    path(
        "requests/<uuid:pk>/consultations/<uuid:consultation_pk>/reply/",
        steps.ConsultationReplyView.as_view(),
        name="consultation-reply",
    ),
]

# Writing the EHC plan, sections A to K (cases.plan_content).
urlpatterns += plan_content_urls.urlpatterns
