"""The demo caseload: every stage, some late, some excused, made through the services, and the
same data however many times it is run; and two years of history behind every dashboard trend."""

import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, Min
from django.test import Client

from cases.demo import seed
from cases.demo.data import JOURNEYS
from cases.demo.stories import HISTORY_DAYS, draw, journeys_for, strain
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
from cases.selectors import timeline_for
from reviews.models import AnnualReview
from reviews.selectors import backlog_q, in_timescale_q
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline
from tribunals.models import Appeal, Mediation

pytestmark = pytest.mark.django_db

CHILDREN = 40
#: Enough children for two years of history in every month (the default demo has 500).
HISTORY_CHILDREN = 150
#: The seeders of the apps with casework; the reporting app's own demo figures are not needed.
CASEWORK_SEEDERS = [
    "cases.demo.seed",
    "panels.demo.seed",
    "reviews.demo.seed",
    "tribunals.demo.seed",
]


#: A Monday in term, a Sunday between the Christmas bank holidays, just after the September moves.
DAYS = {
    "march": dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC),
    "christmas": dt.datetime(2026, 12, 27, 9, tzinfo=dt.UTC),
    "september": dt.datetime(2027, 9, 2, 16, tzinfo=dt.UTC),
}


@pytest.fixture
def frozen_at() -> dt.datetime:
    return DAYS["march"]


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
    assert_each_case_opened_with_its_first_request()


def assert_each_case_opened_with_its_first_request() -> None:
    """The reference's year is the year the first request counts from, the case opened that
    day, and so "Case opened" is the oldest step of every timeline, never today's."""
    first_received = dict(
        AssessmentRequest.objects.values("child")
        .annotate(first=Min("received_on"))
        .values_list("child", "first")
    )
    for child in Child.objects.all():
        timeline = list(timeline_for(child=child))
        opened = timeline[-1]
        assert (opened.title, opened.occurred_on) == ("Case opened", first_received[child.pk])
        assert child.reference.split("-")[1] == str(first_received[child.pk].year)


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


def test_stories_are_spread_over_two_years_and_were_slower_long_ago() -> None:
    stories = [
        draw(n, journey, nth, random.Random(n))  # noqa: S311 - seeded demo data
        for n, (journey, nth) in enumerate(numbered(journeys_for(300)), start=1)
    ]

    received = Counter(story.today * 12 // 365 for story in stories)
    issued = Counter(
        (story.today - story.final) * 12 // 365 for story in stories if story.journey == "plan"
    )

    assert all(received[month] >= 3 for month in range(24)), received
    assert all(issued[month] >= 2 for month in range(24)), issued
    assert max(story.today for story in stories) > HISTORY_DAYS  # plans older than the history
    weakest_recent = max(strain(day) for day in range(4 * 30))
    assert min(strain(day) for day in range(16 * 31, 24 * 31)) > weakest_recent


def numbered(journeys: Iterable[str]) -> Iterator[tuple[str, int]]:
    """Each journey with its number among the stories of that journey, as the seeder deals them."""
    seen: Counter[str] = Counter()
    for journey in journeys:
        yield journey, seen[journey]
        seen[journey] += 1


def last_months(today: dt.date, count: int) -> list[tuple[int, int]]:
    """The `count` whole calendar months before today's, oldest first, as (year, month)."""
    year, month, months = today.year, today.month, []
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append((year, month))
    return months[::-1]


def month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def per_month(days: Iterable[dt.date | None]) -> Counter[tuple[int, int]]:
    return Counter((day.year, day.month) for day in days if day is not None)


def within(dates: Iterable[tuple[Any, Any]], *, days: int) -> list[tuple[dt.date, bool]]:
    """For each (earlier, later) pair with a later date: that date, and whether it came within
    `days` of the earlier one."""
    return [(later, (later - earlier).days <= days) for earlier, later in dates if later]


def share(rows: Iterable[tuple[dt.date, bool]], months: list[tuple[int, int]]) -> float:
    """The share of the rows dated in these months that were on time."""
    kept = [on_time for day, on_time in rows if (day.year, day.month) in months]
    return sum(kept) / len(kept)


@pytest.fixture
def history(today: dt.date, settings: Any) -> dt.date:
    """The whole demo (casework, panels, reviews, appeals), made on the `today` fixture's day."""
    settings.DEMO_SEEDERS = CASEWORK_SEEDERS
    call_command("seed_demo", "--children", str(HISTORY_CHILDREN), "--force", stdout=io.StringIO())
    return today


def test_every_dashboard_trend_has_two_years_of_history(history: dt.date) -> None:
    months = last_months(history, 24)
    requests = AssessmentRequest.objects.all()
    plans = Plan.objects.all()
    reviews = AnnualReview.objects.all()

    received = per_month(requests.values_list("received_on", flat=True))
    refused = per_month(requests.filter(decision="not_assess").values_list("decided_on", flat=True))
    issued = per_month(requests.values_list("final_issued_on", flat=True))
    ceased = plans.exclude(ceased_on=None)
    decided_reviews = per_month(reviews.values_list("decision_issued_on", flat=True))
    held = per_month(Mediation.objects.values_list("held_on", flat=True))
    lodged = per_month(Appeal.objects.values_list("lodged_on", flat=True))
    in_force = [
        plans.filter(issued_on__lte=month_end(*m)).exclude(ceased_on__lte=month_end(*m)).count()
        for m in months
    ]
    backlog = [reviews.filter(backlog_q(on=month_end(*m))).count() for m in months]

    assert all(received[month] for month in months), received
    assert sum(1 for month in months if issued[month]) >= 20
    assert sum(1 for month in months if refused[month]) >= 12
    assert ceased.count() >= 8
    assert len(per_month(ceased.values_list("ceased_on", flat=True))) >= 6
    assert len(set(ceased.values_list("cease_reason", flat=True))) >= 3
    assert sum(1 for month in months if decided_reviews[month]) >= 12
    assert in_force[0] > 0
    assert in_force[-1] > in_force[0]
    assert all(backlog[-12:])
    assert len(set(backlog)) >= 4
    assert Placement.objects.filter(awaiting_placement=True, ends_on__isnull=False).exists()
    assert sum(1 for month in months if held[month]) >= 2
    assert sum(1 for month in months if lodged[month]) >= 4
    assert Appeal.objects.exclude(outcome="").values("outcome").distinct().count() >= 3
    assert TimescaleException.objects.filter(
        rule="final_plan", request__final_issued_on__gte=month_end(*months[0])
    ).exists()
    # The service got quicker over the last year: decisions, plans, psychology advice, reviews.
    earlier, recent = months[:12], months[12:]
    decisions = within(requests.values_list("received_on", "decided_on"), days=42)
    finals = within(requests.values_list("received_on", "final_issued_on"), days=140)
    psychology = AdviceRequest.objects.filter(kind="psychological")
    advice = within(psychology.values_list("requested_on", "received_on"), days=42)
    on_time = set(reviews.filter(in_timescale_q()).values_list("pk", flat=True))
    reviewed = [
        (decided, pk in on_time)
        for pk, decided in reviews.values_list("pk", "decision_issued_on")
        if decided is not None
    ]

    for rows in (decisions, finals, advice, reviewed):
        assert share(rows, recent) > share(rows, earlier) + 0.1


@pytest.mark.parametrize(("port", "address"), [("", "8000"), ("8123", "8123")])
def test_the_sign_in_address_printed_is_the_port_make_run_serves(
    monkeypatch: pytest.MonkeyPatch, port: str, address: str
) -> None:
    monkeypatch.setenv("PORT", port)
    out = io.StringIO()

    call_command("seed_demo", "--force", "--children", "0", stdout=out)

    assert f"Sign in at http://127.0.0.1:{address}/" in out.getvalue()
