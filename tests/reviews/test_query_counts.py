"""Every list costs the same number of queries for 1 row as for 20."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import services
from tests.reviews.factories import EstablishmentFactory, PlanFactory, PlanVersionFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/reviews/?term=summer-2026",
    "/reviews/term.csv?term=summer-2026",
    "/reviews/backlog/",
    "/reviews/phase-transfers/",
    "/reviews/timeliness/",
]


def _make(n: int, caseworker, make_user) -> None:
    """n reviews still open and n decided, so every list has rows to show."""
    for i in range(2 * n):
        worker = make_user(f"cw{i}-{n}", team=f"Team {i % 3}")
        plan = PlanFactory.create(
            issued_on=dt.date(2025, 4, 2) + dt.timedelta(days=i),  # due in the summer term
            child__date_of_birth=dt.date(2015, 1, 10),  # transfers in September 2026
            child__current_setting=EstablishmentFactory.create(),
            child__caseworker=worker,
        )
        PlanVersionFactory.create(plan=plan, number=2, issued_on=dt.date(2026, 1, 5))
        review = services.annual_review_open_first(plan=plan, actor=caseworker)
        if i % 2:
            review = services.review_meeting_record(
                actor=caseworker, review=review, held_on=dt.date(2026, 3, 2)
            )
            services.review_decision_issue(
                actor=caseworker, review=review, decision="maintain", issued_on=dt.date(2026, 3, 9)
            )


def _counts(client, urls) -> list[int]:
    client.get("/api/v1/annual-reviews/")  # the API client's user caches its roles: warm it up
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("url", PAGES)
def test_pages_query_count_does_not_grow(url, admin_client_, admin_user, make_user, frozen):
    _make(1, admin_user, make_user)
    one = _counts(admin_client_, [url])
    _make(20, admin_user, make_user)
    twenty = _counts(admin_client_, [url])
    assert one == twenty


def test_api_list_query_count_does_not_grow(caseworker_api, caseworker, make_user, frozen):
    _make(1, caseworker, make_user)
    one = _counts(caseworker_api, ["/api/v1/annual-reviews/"])
    _make(20, caseworker, make_user)
    twenty = _counts(caseworker_api, ["/api/v1/annual-reviews/"])
    assert one == twenty
    assert caseworker_api.get("/api/v1/annual-reviews/").json()["count"] == 63
