"""The demo caseload: every stage, some late, some excused, made through the services, and the
same data however many times it is run."""

import datetime as dt
import io
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from cases.demo import seed
from cases.demo.data import JOURNEYS
from cases.demo.stories import draw, journeys_for
from cases.models import (
    AdviceRequest,
    AssessmentRequest,
    Child,
    Placement,
    Plan,
    PlanStatus,
    RequestStatus,
    TimelineEntry,
    TimescaleException,
)
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline

pytestmark = pytest.mark.django_db

CHILDREN = 40


#: A Monday in term, a Sunday between the Christmas bank holidays, just after the September moves.
DAYS = {
    "march": dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC),
    "christmas": dt.datetime(2026, 12, 27, 9, tzinfo=dt.UTC),
    "september": dt.datetime(2027, 9, 2, 16, tzinfo=dt.UTC),
}


@pytest.fixture
def today() -> Iterator[dt.date]:
    with time_machine.travel(DAYS["march"], tick=False):
        yield DAYS["march"].date()


@pytest.fixture(params=list(DAYS))
def any_day(request: pytest.FixtureRequest) -> Iterator[dt.date]:
    with time_machine.travel(DAYS[request.param], tick=False):
        yield DAYS[request.param].date()


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "caseworker": make_user("caseworker", Role.CASEWORKER, first_name="Sam"),
        "caseworker2": make_user("caseworker2", Role.CASEWORKER, first_name="Priya"),
        "manager": make_user("manager", Role.MANAGER),
        "admin": make_user("admin", Role.ADMIN),
    }


def run(users: dict[str, User], children: int = CHILDREN) -> str:
    rng = random.Random(2026)  # noqa: S311 - the seeders take a seeded random; not security
    return seed(rng=rng, users=users, children=children, stdout=io.StringIO())


def snapshot() -> dict[str, Any]:
    """What a person would see change: the records, the timeline, the audit trail, deadlines."""
    return {
        "children": sorted(Child.objects.values_list("reference", "first_name", "date_of_birth")),
        "requests": sorted(
            AssessmentRequest.objects.values_list("child__reference", "status", "received_on")
        ),
        "timeline": TimelineEntry.objects.count(),
        "audit": AuditEvent.objects.count(),
        "deadlines": sorted(Deadline.objects.values_list("child_id", "rule", "due_on", "status")),
    }


def test_the_caseload_has_every_stage_some_late_and_some_excused(
    any_day: dt.date, users: dict[str, User]
) -> None:
    today = any_day
    summary = run(users)

    assert summary.startswith(f"cases: {CHILDREN} children in ")
    assert Child.objects.count() == CHILDREN
    statuses = set(AssessmentRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    assert set(Plan.objects.values_list("status", flat=True)) == set(PlanStatus.values)
    overdue = Deadline.objects.filter(status="overdue", case_open=True)
    assert overdue.filter(rule="decision_to_assess").exists()
    assert overdue.filter(rule="advice").exists()
    assert Deadline.objects.filter(rule="final_plan", status="met").exists()
    assert Deadline.objects.filter(rule="final_plan", status="met_late").exists()
    assert TimescaleException.objects.filter(rule="final_plan").exists()
    assert AdviceRequest.objects.filter(returned_for_quality_on__isnull=False).exists()
    assert Placement.objects.filter(establishment__isnull=False, annual_cost__gt=0).exists()
    assert not AssessmentRequest.objects.filter(received_on__gt=today).exists()
    assert not TimelineEntry.objects.filter(occurred_on__gt=today).exists()
    # Every case is held by one of the two caseworkers, with a contact and a timeline.
    assert set(Child.objects.values_list("caseworker__username", flat=True)) == {
        "caseworker",
        "caseworker2",
    }
    assert not Child.objects.annotate(n=Count("contacts")).filter(n=0).exists()
    steps = TimelineEntry.objects.filter(event="assessment_request.decided")
    assert steps.count() == AssessmentRequest.objects.exclude(decided_on=None).count()


def test_running_it_again_changes_nothing(today: dt.date, users: dict[str, User]) -> None:
    run(users)
    before = snapshot()

    assert run(users) == f"cases: the {CHILDREN} demo children are already there"
    assert snapshot() == before


def test_a_bigger_demo_adds_only_the_new_children(today: dt.date, users: dict[str, User]) -> None:
    run(users, children=20)
    first = snapshot()["children"]

    run(users, children=24)

    children = snapshot()["children"]
    assert len(children) == 24
    assert set(first) <= set(children)


def test_the_caseload_pages_list_the_cases_by_their_next_deadline(
    today: dt.date, users: dict[str, User]
) -> None:
    run(users)
    caseworker, manager = Client(), Client()
    caseworker.force_login(users["caseworker"])
    manager.force_login(users["manager"])

    mine = caseworker.get("/cases/")
    everyone = manager.get("/cases/")

    assert mine.status_code == everyone.status_code == 200
    rows = mine.context["rows"]
    assert rows
    assert {row.child.caseworker_id for row in rows} == {users["caseworker"].pk}
    due = [row.next_due_on for row in rows if row.next_due_on is not None]
    assert due == sorted(due)
    assert everyone.context["counts"]["overdue"] > 0
    assert everyone.context["rows"][0].status_label == "Overdue"


def test_each_story_is_the_same_for_the_same_seed() -> None:
    def story(seed: int) -> Any:
        return draw(7, "plan", 1, random.Random(seed))  # noqa: S311 - seeded demo data

    assert story(1) == story(1)
    assert story(1) != story(2)
    assert set(journeys_for(len(JOURNEYS) * 3)) == {journey for journey, _ in JOURNEYS}


def test_seed_demo_refuses_without_debug_unless_forced(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()

    out = io.StringIO()
    call_command("seed_demo", "--force", "--children", "0", stdout=out)
    assert "Demo data ready" in out.getvalue()
    assert User.objects.filter(username="caseworker").exists()
    assert not Child.objects.exists()
