"""The nightly deadline refresh's time and query count, with 5,000, 10,000 and 20,000 open cases.

Runs against a throwaway test database (created and destroyed here, like the test suite's), so it
never touches real data:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/nightly_recompute.py [--cases 20000]

It bulk-creates open cases (a child with an assessment request at one of the open stages, spread
over 30 caseworkers), stores their deadlines with the recompute every service queues (as of the
build day), then runs the nightly task's service, `refresh_statuses`, for a night a week later:
its time and queries per batch and in total, and a second run the same night (nothing left to
change), each the median of `--runs` runs. It does the same at a quarter, half and all of
`--cases`, so the figures show whether the time grows with the cases and the queries per batch
stay the same. Each run starts from the build day's statuses, so every stage has the same share
of rows to change.

Then the full recompute (`manage.py recompute_deadlines`, and the task a closure-day change
queues) over every case, once the table is current: its time and queries per batch of children.

Last, on PostgreSQL, the nightly refresh beside one bare SQL UPDATE of the same rows, in one run
at each of `--side-by-side` open deadlines (100,000, 400,000 and 900,000 by default): the table
is grown by cloning the rows the recompute stored, and each is timed from the build day's
statuses, so the two change the same rows.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.db.models import F  # noqa: E402 - after django.setup()
from django.db.models.functions import Now  # noqa: E402 - after django.setup()
from django.utils import timezone  # noqa: E402 - after django.setup()

from benchmarks._database import throwaway_database  # noqa: E402 - after django.setup()
from cases.models import AssessmentRequest, Child, RequestStatus  # noqa: E402 - after django.setup()
from send_cms.accounts.models import User  # noqa: E402 - after django.setup()
from send_cms.accounts.roles import Role  # noqa: E402 - after django.setup()
from send_cms.accounts.services import user_create_or_update  # noqa: E402 - after django.setup()
from send_cms.deadlines.models import REFRESH_CANDIDATES, Deadline  # noqa: E402 - after django.setup()
from send_cms.deadlines.services import (  # noqa: E402 - after django.setup()
    _todays_status,
    all_child_ids,
    recompute_all,
    refresh_candidates,
    refresh_statuses,
)

#: Rows per bulk insert while building the cases.
BUILD_BATCH = 2000
#: The day the stored statuses were last right, and the night the refresh runs (a week later,
#: so rows move from upcoming to due soon and from due soon to overdue). Fixed, so every run of
#: the benchmark does the same work.
BUILD_DAY = dt.date(2026, 3, 2)
NIGHT = BUILD_DAY + dt.timedelta(days=7)
STAGES = (
    RequestStatus.RECEIVED,
    RequestStatus.ASSESSING,
    RequestStatus.ISSUING,
    RequestStatus.DRAFT_ISSUED,
)


def _request_for(child: Child, n: int) -> AssessmentRequest:
    """An open request at one of the four open stages, received 1 to 30 weeks before the build."""
    received = BUILD_DAY - dt.timedelta(days=7 + (n * 13) % 200)
    stage = STAGES[n % len(STAGES)]
    fields: dict[str, Any] = {}
    if stage != RequestStatus.RECEIVED:
        fields.update(
            decision="assess", decided_on=min(received + dt.timedelta(days=30), BUILD_DAY)
        )
    if stage in (RequestStatus.ISSUING, RequestStatus.DRAFT_ISSUED):
        fields.update(issue_decision="issue", issue_decided_on=fields["decided_on"])
    if stage == RequestStatus.DRAFT_ISSUED:
        fields.update(draft_issued_on=fields["decided_on"])
    return AssessmentRequest(
        id=uuid.uuid4(),
        child=child,
        status=stage,
        received_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10))),
        received_on=received,
        channel="email",
        source="parent_or_young_person",
        **fields,
    )


def create_open_cases(count: int, *, start: int, caseworkers: list[User]) -> list[uuid.UUID]:
    """`count` children, each with one open assessment request; returns their ids."""
    ids: list[uuid.UUID] = []
    for offset in range(0, count, BUILD_BATCH):
        children = [
            Child(
                id=uuid.uuid4(),
                reference=f"NIGHT-{n:06d}",
                first_name=f"Child{n}",
                last_name=f"Family{n % 997}",
                date_of_birth=dt.date(2008 + n % 16, 1 + n % 12, 1 + n % 28),
                sex="MF"[n % 2],
                upn_unknown="UN5",
                caseworker=caseworkers[n % len(caseworkers)],
            )
            for n in range(start + offset, start + min(offset + BUILD_BATCH, count))
        ]
        Child.objects.bulk_create(children, batch_size=BUILD_BATCH)
        AssessmentRequest.objects.bulk_create(
            [_request_for(child, start + offset + i) for i, child in enumerate(children)],
            batch_size=BUILD_BATCH,
        )
        ids.extend(child.pk for child in children)
    return ids


def analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class QueryLog(deque[dict[str, str]]):
    """Django's query log, counting every entry while keeping only the last one.

    Django's own log keeps the last 9,000 queries, so counting by its length gave 0 once it was
    full (the nightly refresh at 400,000 open deadlines printed 0 queries). This counts what
    Django logs (BEGIN and COMMIT included), however many there are, in constant memory.
    """

    def __init__(self) -> None:
        super().__init__(maxlen=1)
        self.entries = 0

    def append(self, entry: dict[str, str]) -> None:
        self.entries += 1
        super().append(entry)


@contextmanager
def counting_queries() -> Iterator[QueryLog]:
    """Every query sent inside the block, counted in the `entries` of what it yields."""
    log, saved = QueryLog(), (connection.queries_log, connection.force_debug_cursor)
    connection.queries_log, connection.force_debug_cursor = log, True
    try:
        yield log
    finally:
        connection.queries_log, connection.force_debug_cursor = saved


class Run:
    """One timed call of a batched service: its result, seconds, queries, and each batch's."""

    def __init__(self, call: Callable[..., Any]) -> None:
        """Call `call(progress=...)`; the service calls `progress(n)` after each batch."""
        self.batches: list[tuple[int, int, float]] = []  # (items, queries, seconds)
        with counting_queries() as log:
            last_queries, last_time = 0, time.perf_counter()
            began = last_time

            def progress(items: int) -> None:
                nonlocal last_queries, last_time
                now = time.perf_counter()
                self.batches.append((items, log.entries - last_queries, now - last_time))
                last_queries, last_time = log.entries, now

            self.result = call(progress=progress)
            self.seconds = time.perf_counter() - began
        self.queries = log.entries
        self.last_sql = log[-1]["sql"] if log else ""

    @property
    def outside_batches(self) -> int:
        """Queries before the first batch (finding the work) and after the last."""
        return self.queries - sum(queries for _, queries, _ in self.batches)

    def per_batch(self) -> str:
        counts = sorted({queries for _, queries, _ in self.batches})
        return ", ".join(map(str, counts)) if counts else "-"


def print_batches(run: Run, unit: str) -> None:
    print(f"    {'batch':>5}  {unit:>8}  {'queries':>7}  {'ms':>8}")
    for number, (items, queries, seconds) in enumerate(run.batches, start=1):
        print(f"    {number:>5}  {items:>8,}  {queries:>7}  {seconds * 1000:>8.1f}")
    if run.batches:
        times = [seconds * 1000 for _, _, seconds in run.batches]
        print(
            f"    ms per batch: median {statistics.median(times):.1f}, "
            f"min {min(times):.1f}, max {max(times):.1f}; "
            f"queries outside the batches: {run.outside_batches}"
        )


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def nightly(batch_size: int, *, runs: int, verbose: bool) -> tuple[Run, Run]:
    """The nightly refresh from the build day's statuses, then a second run the same night.

    Each is timed `runs` times (the statuses put back to the build day's before each first
    run); the run with the median time is the one reported.
    """
    firsts, seconds = [], []
    for _ in range(runs):
        refresh_statuses(today=BUILD_DAY, batch_size=batch_size)  # every run starts alike
        firsts.append(Run(partial(refresh_statuses, today=NIGHT, batch_size=batch_size)))
        seconds.append(Run(partial(refresh_statuses, today=NIGHT, batch_size=batch_size)))
    first, second = _median(firsts), _median(seconds)
    print(
        f"  nightly refresh ({NIGHT:%-d %b %Y}): {first.result:,} rows changed in "
        f"{first.seconds:.2f} s, {first.queries} queries, {len(first.batches)} batches "
        f"(queries per batch: {first.per_batch()}); median of {runs} runs"
    )
    if verbose:
        print_batches(first, "deadlines")
    print(
        f"  the same night again: {second.result:,} rows changed in {second.seconds:.2f} s, "
        f"{second.queries} queries, {len(second.batches)} batches "
        f"(queries per batch: {second.per_batch()})"
    )
    return first, second


#: The columns a cloned deadline copies from its original (every column but the id and the
#: child's and subject's ids, which are new).
_CLONED_COLUMNS = (
    "subject_type, rule, title, regulation, trigger_on, due_on, practical_target_on, "
    "due_overridden, met_on, status, explanation, excused, case_open, owner_id, updated_at"
)


def grow_deadlines(open_deadlines: int, *, originals: int) -> None:
    """Clone the rows up to id `originals` (stored by the recompute from real cases) until the
    table holds `open_deadlines` open, unmet rows, with closed and met rows in the same proportion.

    PostgreSQL only: new child and subject ids from `gen_random_uuid()`. Cloning keeps the
    rules, due dates and statuses of the cases the services built, at a size that building
    cases one by one would take hours to reach on a small machine.
    """
    wanted = open_deadlines - refresh_candidates().count()
    if wanted <= 0:
        return
    source = Deadline.objects.filter(id__lte=originals)
    open_source = source.filter(REFRESH_CANDIDATES)
    open_rows, all_rows = open_source.count(), source.count()
    open_ids, params = open_source.values("id").query.sql_with_params()
    table = Deadline._meta.db_table
    with connection.cursor() as cursor:
        for negate, have, rows in (
            ("", open_rows, wanted),
            ("NOT ", all_rows - open_rows, round(wanted * (all_rows - open_rows) / open_rows)),
        ):
            if rows <= 0 or have <= 0:
                continue
            cursor.execute(
                f"INSERT INTO {table} (child_id, subject_id, {_CLONED_COLUMNS}) "  # noqa: S608 - our own names
                f"SELECT gen_random_uuid(), gen_random_uuid(), {_CLONED_COLUMNS} "
                f"FROM {table} CROSS JOIN generate_series(1, %s) AS copy "
                f"WHERE id <= %s AND {negate}(id IN ({open_ids})) ORDER BY copy, id LIMIT %s",
                [-(-rows // have), originals, *params, rows],
            )


def bare_update(today: dt.date) -> int:
    """Today's statuses set in one UPDATE of every row that changes: PostgreSQL alone."""
    status = _todays_status(today)
    return (
        refresh_candidates()
        .alias(todays=status)
        .exclude(status=F("todays"))
        .update(status=status, updated_at=Now())
    )


def side_by_side(sizes: list[int], *, batch_size: int, runs: int, verbose: bool) -> None:
    """The nightly refresh and the bare SQL UPDATE of the same rows, at each size, in one run."""
    if connection.vendor != "postgresql":
        print("\nthe refresh beside the bare UPDATE: PostgreSQL only (it clones rows in SQL)")
        return
    originals = Deadline.objects.order_by("-id").values_list("id", flat=True).first() or 0
    print(
        f"\nthe nightly refresh beside one bare SQL UPDATE of the same rows ({NIGHT:%-d %b %Y}; "
        f"the table grown by cloning the recompute's rows; median of {runs} runs, each from "
        f"the build day's statuses):"
    )
    print(
        f"  {'open':>9}  {'rows':>9}  {'changed':>7}  {'refresh s':>9}  {'queries':>7}  "
        f"{'batches':>7}  {'bare s':>7}  {'queries':>7}  {'ratio':>5}  {'µs/open':>7}"
    )
    for size in sizes:
        grow_deadlines(size, originals=originals)
        analyse()
        candidates = refresh_candidates().count()
        refreshes, bares = [], []
        for _ in range(runs):
            bare_update(BUILD_DAY)
            refreshes.append(Run(partial(refresh_statuses, today=NIGHT, batch_size=batch_size)))
            bare_update(BUILD_DAY)
            bares.append(Run(lambda progress: bare_update(NIGHT)))
        refresh, bare = _median(refreshes), _median(bares)
        if verbose and size == sizes[0]:
            print(f"  (the bare UPDATE: {bare.last_sql})")
        assert refresh.result == bare.result, (refresh.result, bare.result)
        print(
            f"  {candidates:>9,}  {Deadline.objects.count():>9,}  {refresh.result:>7,}  "
            f"{refresh.seconds:>9.2f}  {refresh.queries:>7}  {len(refresh.batches):>7}  "
            f"{bare.seconds:>7.2f}  {bare.queries:>7}  {refresh.seconds / bare.seconds:>5.1f}  "
            f"{refresh.seconds / candidates * 1e6:>7.1f}"
        )


def run(args: argparse.Namespace) -> None:
    caseworkers = [
        user_create_or_update(
            username=f"night-cw{n}",
            password="benchmark-password-0000",  # noqa: S106 - a throwaway test database
            roles=[Role.CASEWORKER],
            first_name=f"Night{n}",
            last_name="Bench",
        )
        for n in range(30)
    ]
    sizes = sorted({args.cases // 4, args.cases // 2, args.cases})
    print(
        f"database: {connection.vendor}; nightly batches of {args.batch_size:,} deadlines; "
        f"statuses built on {BUILD_DAY:%-d %b %Y}, refreshed on {NIGHT:%-d %b %Y}"
    )
    summary: list[tuple[int, int, int, Run, Run]] = []
    built = 0
    for size in sizes:
        began = time.perf_counter()
        ids = create_open_cases(size - built, start=built, caseworkers=caseworkers)
        build = Run(
            partial(
                recompute_all, child_ids=ids, today=BUILD_DAY, batch_size=args.recompute_batch_size
            )
        )
        analyse()
        built = size
        rows = Deadline.objects.count()
        candidates = refresh_candidates().count()
        print(
            f"\n{Child.objects.count():,} open cases, {rows:,} deadlines ({candidates:,} open and "
            f"unmet); {len(ids):,} cases added in {time.perf_counter() - began:.1f} s, "
            f"their {build.result.changed:,} deadlines stored by the recompute in "
            f"{build.seconds:.1f} s ({build.queries} queries, per batch of "
            f"{args.recompute_batch_size} children: {build.per_batch()})"
        )
        first, second = nightly(
            args.batch_size, runs=args.runs, verbose=args.verbose or size == sizes[-1]
        )
        summary.append((size, rows, candidates, first, second))

    print(
        f"\nfull recompute of every case on {NIGHT:%-d %b %Y} (the table is current), "
        f"batches of {args.recompute_batch_size:,} children:"
    )
    # What the command does: find every child (two queries), then recompute them in batches.
    finding = Run(lambda progress: all_child_ids())
    children = finding.result
    print(
        f"  finding the children: {len(children):,} in {finding.seconds * 1000:.0f} ms, "
        f"{finding.queries} queries"
    )
    full = Run(
        partial(
            recompute_all, child_ids=children, batch_size=args.recompute_batch_size, today=NIGHT
        )
    )
    print(
        f"  {full.result.children:,} children, {full.result.changed:,} rows changed in "
        f"{full.seconds:.2f} s, {full.queries} queries, {len(full.batches)} batches "
        f"(queries per batch: {full.per_batch()})"
    )
    if args.verbose:
        print_batches(full, "children")

    side_by_side(
        args.side_by_side, batch_size=args.batch_size, runs=args.runs, verbose=args.verbose
    )

    print(
        "\nsummary: the nightly refresh (on PostgreSQL, BEGIN and COMMIT count as queries: per "
        "batch, one SELECT of the batch's ids, BEGIN, one UPDATE of the deadlines, one of the "
        "children's next deadlines, COMMIT; the first batch's count includes the query that "
        "finds the family windows closing that night)"
    )
    print(
        f"  {'open cases':>10}  {'deadlines':>9}  {'candidates':>10}  {'changed':>7}  "
        f"{'batches':>7}  {'queries':>7}  {'q/batch':>7}  {'seconds':>7}  {'µs/cand.':>8}  "
        f"{'2nd run s':>9}"
    )
    for size, rows, candidates, first, second in summary:
        print(
            f"  {size:>10,}  {rows:>9,}  {candidates:>10,}  {first.result:>7,}  "
            f"{len(first.batches):>7}  {first.queries:>7}  {first.per_batch():>7}  "
            f"{first.seconds:>7.2f}  {first.seconds / candidates * 1e6:>8.1f}  "
            f"{second.seconds:>9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="open cases at the last stage")
    parser.add_argument(
        "--batch-size", type=int, default=10_000, help="deadlines per nightly batch (the default)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed nightly runs per stage")
    parser.add_argument(
        "--recompute-batch-size", type=int, default=500, help="children per full-recompute batch"
    )
    parser.add_argument(
        "--side-by-side",
        type=lambda text: [int(n) for n in text.split(",") if n],
        default=[100_000, 400_000, 900_000],
        help="open deadlines at which the refresh is timed beside the bare SQL UPDATE "
        "(comma-separated; empty to skip)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="every batch of every stage, not just the last"
    )
    args = parser.parse_args()
    with throwaway_database():
        run(args)


if __name__ == "__main__":
    main()
