"""Pages of the reviews app, under /reviews/."""

from django.urls import URLPattern, URLResolver, path

from reviews import views
from reviews.workflow import Step

app_name = "reviews"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ReviewsDueView.as_view(), name="review-list"),
    path("term.csv", views.TermCsvView.as_view(), name="term-csv"),
    path("term.pdf", views.TermPdfView.as_view(), name="term-pdf"),
    path("backlog/", views.BacklogView.as_view(), name="backlog"),
    path("timeliness/", views.TimelinessView.as_view(), name="timeliness"),
    path("phase-transfers/", views.PhaseTransfersView.as_view(), name="phase-transfers"),
    path("<uuid:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("<uuid:pk>/meeting.ics", views.ReviewIcsView.as_view(), name="review-ics"),
    *(
        path(
            f"<uuid:pk>/{step.value}/",
            views.ReviewStepView.as_view(step=step),
            name=f"review-{step.value}",
        )
        for step in Step
    ),
]
