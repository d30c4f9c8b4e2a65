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

Last, the full recompute (`manage.py recompute_deadlines`, and the task a closure-day change
queues) over every case, once the table is current: its time and queries per batch of children.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.test.utils import CaptureQueriesContext  # noqa: E402 - after django.setup()
from django.utils import timezone  # noqa: E402 - after django.setup()

from benchmarks._database import throwaway_database  # noqa: E402 - after django.setup()
from cases.models import AssessmentRequest, Child, RequestStatus  # noqa: E402 - after django.setup()
from send_cms.accounts.models import User  # noqa: E402 - after django.setup()
from send_cms.accounts.roles import Role  # noqa: E402 - after django.setup()
from send_cms.accounts.services import user_create_or_update  # noqa: E402 - after django.setup()
from send_cms.deadlines.models import Deadline  # noqa: E402 - after django.setup()
from send_cms.deadlines.services import (  # noqa: E402 - after django.setup()
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


class Run:
    """One timed call of a batched service: its result, seconds, queries, and each batch's."""

    def __init__(self, call: Callable[..., Any]) -> None:
        """Call `call(progress=...)`; the service calls `progress(n)` after each batch."""
        self.batches: list[tuple[int, int, float]] = []  # (items, queries, seconds)
        with CaptureQueriesContext(connection) as captured:
            last_queries, last_time = 0, time.perf_counter()
            began = last_time

            def progress(items: int) -> None:
                nonlocal last_queries, last_time
                now = time.perf_counter()
                self.batches.append((items, len(captured) - last_queries, now - last_time))
                last_queries, last_time = len(captured), now

            self.result = call(progress=progress)
            self.seconds = time.perf_counter() - began
        self.queries = len(captured)

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

    print(
        "\nsummary: the nightly refresh (on PostgreSQL, BEGIN and COMMIT count as queries: per "
        "batch, one SELECT of the batch's ids, BEGIN, one UPDATE, COMMIT)"
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
        "--batch-size", type=int, default=2000, help="deadlines per nightly batch (the default)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed nightly runs per stage")
    parser.add_argument(
        "--recompute-batch-size", type=int, default=500, help="children per full-recompute batch"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="every batch of every stage, not just the last"
    )
    args = parser.parse_args()
    with throwaway_database():
        run(args)


if __name__ == "__main__":
    main()
