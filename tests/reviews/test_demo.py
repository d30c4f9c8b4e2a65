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
        PlanFactory.create(issued_on=dt.date(2024, 1, 10) + dt.timedelta(days=17 * i))
    users = {"caseworker": caseworker}
    summary = seed(rng=random.Random(2026), users=users, children=40, stdout=io.StringIO())  # noqa: S311
    assert summary.startswith("reviews: 40 reviews opened;")
    statuses = set(AnnualReview.objects.values_list("status", flat=True))
    assert {"awaiting_meeting", "meeting_held", "maintained", "amended"} <= statuses
    assert AnnualReview.objects.filter(sequence=2).exists()  # decisions opened the next review
    assert not AnnualReview.objects.filter(meeting_on__gt=frozen).exists()
    counts = (AnnualReview.objects.count(), TimelineEntry.objects.count())
    again = seed(rng=random.Random(2026), users=users, children=40, stdout=io.StringIO())  # noqa: S311
    assert again == "reviews: every plan already has its reviews"
    assert (AnnualReview.objects.count(), TimelineEntry.objects.count()) == counts
