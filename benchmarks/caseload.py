"""My caseload's server time and query count, with 250 cases and with 20,000 children.

Runs against a throwaway test database (created and destroyed here, like the test suite's), so it
never touches real data:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/caseload.py [--runs 25]

It bulk-creates one caseworker's 250 open cases (each with its request and stored deadlines),
times the caseload page through Django's test client (median of N runs, after warm-up), then
adds children up to 20,000 in the database (spread over other caseworkers, at every stage, with
plans and deadlines) and times the same page again, plus a manager's view of every caseload and
a search. Times are server time: URL routing, the queries, the template, no network.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402 - after django.setup()
from django.test.utils import CaptureQueriesContext  # noqa: E402 - after django.setup()
from django.utils import timezone  # noqa: E402 - after django.setup()

from benchmarks._database import throwaway_database  # noqa: E402 - after django.setup()
from cases.models import AssessmentRequest, Child, Establishment, Plan, RequestStatus  # noqa: E402 - after django.setup()
from send_cms.accounts.models import User  # noqa: E402 - after django.setup()
from send_cms.accounts.roles import Role  # noqa: E402 - after django.setup()
from send_cms.accounts.services import user_create_or_update  # noqa: E402 - after django.setup()
from send_cms.deadlines.models import Deadline  # noqa: E402 - after django.setup()
from send_cms.timescales import compute, deadline_status  # noqa: E402 - after django.setup()

BATCH = 2000
STAGES = (
    RequestStatus.RECEIVED,
    RequestStatus.ASSESSING,
    RequestStatus.ISSUING,
    RequestStatus.DRAFT_ISSUED,
)


def _user(username: str, role: Role) -> User:
    return user_create_or_update(
        username=username,
        password="benchmark-password-0000",  # noqa: S106 - a throwaway test database
        roles=[role],
        first_name=username.title(),
        last_name="Bench",
    )


def _request_for(child: Child, n: int, today: dt.date) -> AssessmentRequest:
    """An open request at one of the four open stages, received 1 to 30 weeks ago."""
    received = today - dt.timedelta(days=7 + (n * 13) % 200)
    stage = STAGES[n % len(STAGES)]
    fields: dict[str, Any] = {}
    if stage != RequestStatus.RECEIVED:
        decided = received + dt.timedelta(days=30)
        fields.update(decision="assess", decided_on=min(decided, today))
    if stage in (RequestStatus.ISSUING, RequestStatus.DRAFT_ISSUED):
        fields.update(issue_decision="issue", issue_decided_on=fields["decided_on"])
    if stage == RequestStatus.DRAFT_ISSUED:
        fields.update(draft_issued_on=fields["decided_on"])
    return AssessmentRequest(
        child=child,
        status=stage,
        received_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10))),
        received_on=received,
        channel="email",
        source="parent_or_young_person",
        **fields,
    )


def _deadlines_for(request: AssessmentRequest, owner: User | None, today: dt.date) -> list[Any]:
    rows = []
    for rule in ("decision_to_assess", "decision_not_to_issue", "final_plan"):
        due = compute(rule, request.received_on)
        met = request.decided_on if rule == "decision_to_assess" else None
        rows.append(
            Deadline(
                child_id=request.child_id,
                subject_type="cases.assessmentrequest",
                subject_id=request.pk,
                rule=rule,
                title=due.title,
                regulation=due.regulation,
                trigger_on=request.received_on,
                due_on=due.due,
                practical_target_on=due.practical_target,
                met_on=met,
                status=deadline_status(due=due.due, met_on=met, today=today).value,
                explanation=due.explanation,
                owner=owner,
            )
        )
    return rows


def create_children(
    count: int, *, start: int, caseworkers: list[User], settings: list[Establishment]
) -> None:
    """`count` children; 40% with an open request, 35% with a plan, the rest closed cases."""
    today = timezone.localdate()
    for offset in range(0, count, BATCH):
        children = []
        for n in range(start + offset, start + min(offset + BATCH, count)):
            children.append(
                Child(
                    id=uuid.uuid4(),
                    reference=f"BENCH-{n:06d}",
                    first_name=f"Child{n}",
                    last_name=f"Family{n % 997}",
                    date_of_birth=dt.date(2008 + n % 16, 1 + n % 12, 1 + n % 28),
                    sex="MF"[n % 2],
                    upn_unknown="UN5",
                    current_setting=settings[n % len(settings)],
                    caseworker=caseworkers[n % len(caseworkers)],
                )
            )
        Child.objects.bulk_create(children, batch_size=BATCH)
        requests, plans, deadlines = [], [], []
        for i, child in enumerate(children):
            kind = (start + offset + i) % 20
            if kind < 8:
                request = _request_for(child, start + offset + i, today)
                request.id = uuid.uuid4()
                requests.append(request)
                deadlines.extend(_deadlines_for(request, child.caseworker, today))
            elif kind < 15:
                plans.append(
                    Plan(
                        child=child,
                        issued_on=today - dt.timedelta(days=100 + i % 300),
                        primary_need=("ASD", "SEMH", "SLCN", "MLD")[i % 4],
                    )
                )
        AssessmentRequest.objects.bulk_create(requests, batch_size=BATCH)
        Plan.objects.bulk_create(plans, batch_size=BATCH)
        Deadline.objects.bulk_create(deadlines, batch_size=BATCH)


def create_caseload(caseworker: User, cases: int, settings: list[Establishment]) -> None:
    """One caseworker's open cases: every child has an open request and its deadlines."""
    today = timezone.localdate()
    children = [
        Child(
            id=uuid.uuid4(),
            reference=f"MINE-{n:05d}",
            first_name=f"Mine{n}",
            last_name=f"Case{n}",
            date_of_birth=dt.date(2012, 1 + n % 12, 1 + n % 28),
            sex="F",
            upn_unknown="UN5",
            current_setting=settings[n % len(settings)],
            caseworker=caseworker,
        )
        for n in range(cases)
    ]
    Child.objects.bulk_create(children)
    requests = []
    for n, child in enumerate(children):
        request = _request_for(child, n, today)
        request.id = uuid.uuid4()
        requests.append(request)
    AssessmentRequest.objects.bulk_create(requests)
    Deadline.objects.bulk_create(
        [row for r in requests for row in _deadlines_for(r, caseworker, today)]
    )


def measure(client: Client, path: str, runs: int) -> tuple[float, int, int]:
    """(median milliseconds, queries per request, response bytes) over `runs` requests."""
    for _ in range(3):
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    queries = len(captured)  # before the next request resets the log
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), queries, len(response.content)


def analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def report(label: str, figures: tuple[float, int, int]) -> None:
    median, queries, size = figures
    print(f"  {label:<58} {median:8.1f} ms  {queries:3d} queries  {size // 1024:4d} KiB")


def run(args: argparse.Namespace) -> None:
    caseworker = _user("bench-caseworker", Role.CASEWORKER)
    manager = _user("bench-manager", Role.MANAGER)
    others = [_user(f"bench-cw{n}", Role.CASEWORKER) for n in range(30)]
    settings = Establishment.objects.bulk_create(
        Establishment(urn=f"{200000 + n}", name=f"Bench School {n}", kind="mainstream")
        for n in range(120)
    )
    create_caseload(caseworker, args.cases, settings[:40])
    analyse()
    mine, everyone = Client(), Client()
    mine.force_login(caseworker)
    everyone.force_login(manager)

    print(f"database: {connection.vendor}, {args.runs} runs per figure (median)")
    print(f"{Child.objects.count():,} children in the database:")
    report(f"My caseload, {args.cases} cases, page 1", measure(mine, "/cases/", args.runs))

    began = time.perf_counter()
    create_children(
        args.children - Child.objects.count(), start=0, caseworkers=others, settings=settings
    )
    analyse()
    seconds = time.perf_counter() - began
    print(
        f"{Child.objects.count():,} children in the database "
        f"({AssessmentRequest.objects.count():,} requests, {Plan.objects.count():,} plans, "
        f"{Deadline.objects.count():,} deadlines; bulk-created in {seconds:.1f} s):"
    )
    big_database(mine, everyone, args, settings)
    if connection.vendor == "postgresql":
        # The settings turn PostgreSQL's JIT compiler off (POSTGRES_JIT): the same figures with
        # it on for this session show why.
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            setting = cursor.fetchone()[0]
            cursor.execute("SET jit = " + ("off" if setting == "on" else "on"))
        print(f"the same, with PostgreSQL's JIT compilation {'off' if setting == 'on' else 'on'}:")
        big_database(mine, everyone, args, settings)


def big_database(
    mine: Client, everyone: Client, args: argparse.Namespace, settings: list[Establishment]
) -> None:
    report(f"My caseload, {args.cases} cases, page 1", measure(mine, "/cases/", args.runs))
    report(
        f"My caseload, {args.cases} cases, last page",
        measure(mine, f"/cases/?page={(args.cases + 24) // 25}", args.runs),
    )
    report(
        "My caseload filtered (overdue, a setting)",
        measure(mine, f"/cases/?deadline_status=overdue&setting={settings[1].pk}", args.runs),
    )
    report("Manager: every caseload, page 1", measure(everyone, "/cases/", args.runs))
    report("Manager: search by name", measure(everyone, "/cases/?q=family12", args.runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="timed requests per figure")
    parser.add_argument("--cases", type=int, default=250, help="the caseworker's open cases")
    parser.add_argument("--children", type=int, default=20_000, help="children in the database")
    args = parser.parse_args()
    with throwaway_database():
        run(args)


if __name__ == "__main__":
    main()
