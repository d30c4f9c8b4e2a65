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
import re
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
from send_cms.deadlines.models import TO_MEET_STATUSES, Deadline  # noqa: E402 - after django.setup()
from send_cms.deadlines.services import store_next_deadlines  # noqa: E402 - after django.setup()
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
        store_next_deadlines([child.pk for child in children])  # as the recompute does


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
    store_next_deadlines([child.pk for child in children])  # as the recompute does


#: Print each page's queries and PostgreSQL's plan of each SELECT (`--verbose`).
VERBOSE = False


def explain(captured: CaptureQueriesContext) -> None:
    """Each query of one request with its time, and EXPLAIN ANALYZE of every SELECT; then the
    buffers (8 KiB pages) all the SELECTs touched, the figure that shows whether a page reads
    only its own rows (it stays put as the database grows) or others' too."""
    buffers = 0
    for query in captured.captured_queries:
        sql = query["sql"]
        print(f"      {float(query['time']) * 1000:7.1f} ms  {sql[:110]}")
        if connection.vendor == "postgresql" and sql.startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                lines = [line for (line,) in cursor.fetchall()]
            for line in lines:
                print(f"          {line}")
            # The plan's first Buffers line is its top node's: every node below included.
            top = next((line for line in lines if "Buffers: shared" in line), "")
            shared = top.split("temp")[0]
            buffers += sum(int(n) for n in re.findall(r"(?:hit|read)=(\d+)", shared))
    if connection.vendor == "postgresql":
        print(f"      buffers touched by the page's SELECTs: {buffers:,}")


def _copy_rows(model: Any, copy: int, changes: dict[str, str], where: str) -> int:
    """INSERT ... SELECT one copy of `model`'s rows matching `where` (SQL on alias `t`), every
    column as it is but those in `changes` (SQL expressions of `t`, `{copy}` filled in)."""
    columns = [field.column for field in model._meta.concrete_fields]
    if model is Deadline:
        columns.remove("id")  # a new id from the sequence
    values = [changes.get(column, f"t.{column}").format(copy=copy) for column in columns]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - the models' own names
            f"SELECT {', '.join(values)} FROM {table} t WHERE {where}"
        )
        return int(cursor.rowcount)


def _new_id(column: str) -> str:
    """The copy's id of an original's: the same in every table, so the copies join up."""
    return f"md5(t.{column}::text || ':{{copy}}')::uuid"


def grow_by_copying(plans: int) -> None:
    """Copy the other caseworkers' children, with their requests, plans and stored deadlines,
    until the database holds `plans` plans (PostgreSQL: INSERT ... SELECT, minutes where
    building them one by one would take hours). The caseworker's own cases are not copied."""
    bench = "t.reference LIKE 'BENCH-%'"
    of_bench = "t.child_id IN (SELECT id FROM cases_child WHERE reference LIKE 'BENCH-%')"
    per_copy = Plan.objects.filter(child__reference__startswith="BENCH-").count()
    copy = 0
    while Plan.objects.count() < plans and per_copy:
        copy += 1
        _copy_rows(
            Child,
            copy,
            {"id": _new_id("id"), "reference": "'C{copy}-' || substr(t.reference, 7)"},
            bench,
        )
        child = {"id": _new_id("id"), "child_id": _new_id("child_id")}
        _copy_rows(AssessmentRequest, copy, child, of_bench)
        _copy_rows(Plan, copy, {**child, "request_id": _new_id("request_id")}, of_bench)
        before = Deadline.objects.order_by("-id").values_list("id", flat=True).first() or 0
        _copy_rows(
            Deadline,
            copy,
            {"child_id": _new_id("child_id"), "subject_id": _new_id("subject_id")},
            of_bench,
        )
        with connection.cursor() as cursor:  # as the recompute stores them
            cursor.execute(
                "INSERT INTO deadlines_nextdeadline (child_id, deadline_id, rule, due_on, status) "
                "SELECT DISTINCT ON (child_id) child_id, id, rule, due_on, status "
                "FROM deadlines_deadline WHERE id > %s AND case_open AND met_on IS NULL "
                "AND status = ANY(%s) ORDER BY child_id, due_on, id",
                [before, list(TO_MEET_STATUSES)],
            )


def measure(client: Client, path: str, runs: int) -> tuple[float, int, int]:
    """(median milliseconds, queries per request, response bytes) over `runs` requests."""
    for _ in range(3):
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    queries = len(captured)  # before the next request resets the log
    if VERBOSE:
        print(f"    {path}:")
        explain(captured)
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
    small = measure(mine, "/cases/", args.runs)
    report(f"My caseload, {args.cases} cases, page 1", small)

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
    figures = big_database(mine, everyone, args, settings)
    page = figures[f"My caseload, {args.cases} cases, page 1"][0]
    print(
        f"  ratios: my caseload here / with {args.cases} children "
        f"{page / small[0]:.2f}; manager's every caseload / my caseload "
        f"{figures['Manager: every caseload, page 1'][0] / page:.2f}; "
        f"search by name / my caseload {figures['Manager: search by name'][0] / page:.2f}"
    )
    if connection.vendor == "postgresql" and args.jit:
        # The settings turn PostgreSQL's JIT compiler off (POSTGRES_JIT): the same figures with
        # it on for this session show why.
        global VERBOSE
        verbose, VERBOSE = VERBOSE, False
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            setting = cursor.fetchone()[0]
            cursor.execute("SET jit = " + ("off" if setting == "on" else "on"))
        print(f"the same, with PostgreSQL's JIT compilation {'off' if setting == 'on' else 'on'}:")
        big_database(mine, everyone, args, settings)
        with connection.cursor() as cursor:
            cursor.execute(f"SET jit = {setting}")
        VERBOSE = verbose
    if args.plans and connection.vendor == "postgresql":
        began = time.perf_counter()
        grow_by_copying(args.plans)
        analyse()
        print(
            f"{Child.objects.count():,} children in the database "
            f"({AssessmentRequest.objects.count():,} requests, {Plan.objects.count():,} plans, "
            f"{Deadline.objects.count():,} deadlines; copied in "
            f"{time.perf_counter() - began:.1f} s):"
        )
        large = measure(mine, "/cases/", args.runs)
        report(f"My caseload, {args.cases} cases, page 1", large)
        print(f"  ratio: my caseload here / with {args.cases} children {large[0] / small[0]:.2f}")


def big_database(
    mine: Client, everyone: Client, args: argparse.Namespace, settings: list[Establishment]
) -> dict[str, tuple[float, int, int]]:
    pages = {
        f"My caseload, {args.cases} cases, page 1": (mine, "/cases/"),
        f"My caseload, {args.cases} cases, last page": (
            mine,
            f"/cases/?page={(args.cases + 24) // 25}",
        ),
        "My caseload filtered (overdue, a setting)": (
            mine,
            f"/cases/?deadline_status=overdue&setting={settings[1].pk}",
        ),
        "Manager: every caseload, page 1": (everyone, "/cases/"),
        "Manager: search by name": (everyone, "/cases/?q=family12"),
    }
    figures = {}
    for label, (client, path) in pages.items():
        figures[label] = measure(client, path, args.runs)
        report(label, figures[label])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="timed requests per figure")
    parser.add_argument("--cases", type=int, default=250, help="the caseworker's open cases")
    parser.add_argument("--children", type=int, default=20_000, help="children in the database")
    parser.add_argument(
        "--plans",
        type=int,
        default=0,
        help="then copy the other caseworkers' cases until the database holds this many plans "
        "(e.g. 640000; PostgreSQL) and time my caseload again",
    )
    parser.add_argument(
        "--no-jit",
        dest="jit",
        action="store_false",
        help="skip the figures with PostgreSQL's JIT compilation turned on",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="each page's queries, with EXPLAIN ANALYZE of every SELECT (PostgreSQL)",
    )
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    with throwaway_database():
        run(args)


if __name__ == "__main__":
    main()
