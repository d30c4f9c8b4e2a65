"""Pages of the reviews app: thin views that read through selectors and act through services."""

from reviews.views.lists import (
    BacklogView,
    PhaseTransfersView,
    ReviewsDueView,
    TermCsvView,
    TermPdfView,
    TimelinessView,
)
from reviews.views.review import ReviewDetailView, ReviewIcsView, ReviewStepView

__all__ = [
    "BacklogView",
    "PhaseTransfersView",
    "ReviewDetailView",
    "ReviewIcsView",
    "ReviewStepView",
    "ReviewsDueView",
    "TermCsvView",
    "TermPdfView",
    "TimelinessView",
]
