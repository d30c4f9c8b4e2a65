"""Casework rows for the review tests, made with the ORM directly (the casework services have
their own tests). Reviews are opened through the reviews services, except where a test needs a
row with exact dates (AnnualReviewFactory)."""

import datetime as dt

from factory.declarations import LazyAttribute, SelfAttribute, SubFactory
from factory.django import DjangoModelFactory

from reviews.models import AnnualReview, ReviewStatus
from tests.factories import ChildFactory, EstablishmentFactory, PlanVersionFactory
from tests.factories import PlanFactory as SharedPlanFactory

# The shared factories, under the names the reviews tests import them by.
__all__ = [
    "AnnualReviewFactory",
    "ChildFactory",
    "EstablishmentFactory",
    "PlanFactory",
    "PlanVersionFactory",
]


#: A child of the reviews tests: born 1 Mar 2014, at a setting of their own.
REVIEW_CHILD = {
    "date_of_birth": dt.date(2014, 3, 1),
    "current_setting": SubFactory(EstablishmentFactory),
}


class PlanFactory(SharedPlanFactory):
    """A plan in force with its first version, issued 10 Mar 2025 with no request (the reviews
    tests start from the plan): the shared factory with those defaults."""

    child = SubFactory(ChildFactory, **REVIEW_CHILD)
    request = None
    issued_on = dt.date(2025, 3, 10)


def _status(review: AnnualReview) -> str:
    if review.decision_issued_on is not None:
        return ReviewStatus.MAINTAINED
    return ReviewStatus.MEETING_HELD if review.meeting_on is not None else ReviewStatus.INVITED


class AnnualReviewFactory(DjangoModelFactory[AnnualReview]):
    """A review row with exactly the dates given (no services, no audit): for testing figures
    against hand-built boundary days. By default the first review of a plan issued 10 Mar 2025,
    due 9 Mar 2026, nothing done yet; a decision date makes it a "maintain" decision."""

    class Meta:
        model = AnnualReview

    plan = SubFactory(PlanFactory)
    sequence = 1
    cycle_start_on = SelfAttribute("plan.issued_on")
    due_on = dt.date(2026, 3, 9)
    meeting_on = None
    decision_issued_on = None
    decision = LazyAttribute(lambda r: "maintain" if r.decision_issued_on else "")
    status = LazyAttribute(_status)
