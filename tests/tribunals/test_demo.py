"""The demo seeder: appeals and mediation on the casework seeder's records, through the
services, deterministic and safe to run twice."""

import datetime as dt
import io
import random

import pytest

from tribunals.demo import seed
from tribunals.models import Appeal, Mediation

from .factories import make_child, not_issuing_request, plan_for, refused_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_the_seeder_makes_a_history_and_runs_twice_safely(caseworker):
    for n in range(60):
        child = make_child()
        received = dt.date(2023, 1, 2) + dt.timedelta(days=22 * n)
        refused_request(child, received_on=received)
        if n % 2:
            not_issuing_request(make_child(), received_on=received)
        plan_for(make_child(), issued_on=received + dt.timedelta(days=10))
    users = {"caseworker": caseworker}
    summary = seed(
        rng=random.Random(2026),  # noqa: S311 - seeded demo data
        users=users,
        children=50,
        stdout=io.StringIO(),
    )
    assert summary.startswith("tribunals: ")
    appeals = Appeal.objects.count()
    assert appeals > 5
    assert Appeal.objects.exclude(outcome="").exists()
    assert Appeal.objects.filter(outcome="").exists()
    assert Mediation.objects.exclude(held_on=None).exists()
    mediations = Mediation.objects.count()
    again = seed(
        rng=random.Random(2026),  # noqa: S311 - seeded demo data
        users=users,
        children=50,
        stdout=io.StringIO(),
    )
    assert again == "tribunals: mediation and appeals already recorded"
    assert (Appeal.objects.count(), Mediation.objects.count()) == (appeals, mediations)
