"""The demo seeder: reviews for the demo plans, through the services, safe to run twice."""

import datetime as dt
import io
import random

import pytest

from cases.models import TimelineEntry
from reviews.demo import seed
from reviews.models import AnnualReview
from tests.reviews.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_the_seeder_makes_a_mix_of_reviews_and_is_idempotent(caseworker, frozen) -> None:
    for i in range(40):
        PlanFactory.create(issued_on=dt.date(2023, 1, 10) + dt.timedelta(days=30 * i))
    users = {"caseworker": caseworker}
    summary = seed(rng=random.Random(2026), users=users, children=40, stdout=io.StringIO())  # noqa: S311
    assert summary.startswith("reviews: ")
    assert " reviews of 40 plans; " in summary
    statuses = set(AnnualReview.objects.values_list("status", flat=True))
    assert {"awaiting_meeting", "maintained", "amended"} <= statuses
    # Each decision opened the next review: a plan issued in January 2023 has had two reviews
    # and its third is open (unless one of them is still overdue).
    assert AnnualReview.objects.filter(sequence=3).exists()
    assert not AnnualReview.objects.filter(meeting_on__gt=frozen).exists()
    assert not AnnualReview.objects.filter(decision_issued_on__gt=frozen).exists()
    decided_in = {
        (day.year, day.month)
        for day in AnnualReview.objects.values_list("decision_issued_on", flat=True)
        if day is not None
    }
    assert len(decided_in) >= 12
    counts = (AnnualReview.objects.count(), TimelineEntry.objects.count())
    again = seed(rng=random.Random(2026), users=users, children=40, stdout=io.StringIO())  # noqa: S311
    # Only reviews never moved on are walked again, each with its plan's own numbers: a review
    # left unheld the first time is left unheld again.
    assert " 0 meetings, 0 decisions, 0 amended plans, 0 decisions to cease " in again
    assert (AnnualReview.objects.count(), TimelineEntry.objects.count()) == counts
