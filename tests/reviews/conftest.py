"""Fixtures for the review tests: a plan in force and its first review."""

import datetime as dt

import pytest

from reviews.models import AnnualReview
from reviews.services import annual_review_open_first
from tests.reviews.factories import PlanFactory


@pytest.fixture
def frozen_at() -> dt.datetime:
    """Today is Mon 1 Jun 2026: every date of the worked examples is in the past."""
    return dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(today: dt.date) -> dt.date:
    """The reviews tests' name for `today` (tests/conftest.py), on Mon 1 Jun 2026."""
    return today


@pytest.fixture
def plan(db, caseworker):
    """Issued Mon 10 Mar 2025 (the worked example), for a child in year 4 in 2025/26."""
    return PlanFactory.create(
        issued_on=dt.date(2025, 3, 10),
        child__date_of_birth=dt.date(2016, 5, 5),
        child__caseworker=caseworker,
    )


@pytest.fixture
def review(plan, frozen, caseworker) -> AnnualReview:
    return annual_review_open_first(plan=plan, actor=caseworker)
