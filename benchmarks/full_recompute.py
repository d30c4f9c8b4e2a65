"""The full recompute after a change in the law: every child, in chunks, across real Celery workers.

Runs against a throwaway database (created and destroyed here) and a Redis queue of its own:

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python benchmarks/full_recompute.py [--children 100000] [--workers 1,2]

It bulk-creates `--children` children, 60% with an assessment request at one of the open stages
(so about 1.8 stored deadlines per child), stores their deadlines, then makes every stored row
stale (a day later and another explanation: what a change in the law does, the worst case: every
row is rewritten). For each number of workers it starts that many `celery worker` processes
(production settings, one process each, `--pool solo`), plans a run (`recompute_deadlines
--parallel`'s service), queues its chunks and times the run until the last chunk is done, with
the progress as it goes; then the rows are made stale again for the next count. Last, a run when
nothing changed (the cost of checking alone).

It prints, per worker count: children per second, and the CPU seconds per 1,000 children of the
workers and of PostgreSQL's backends on the database (from /proc, as the server runs on this
machine; a backend is sampled every 0.1 s while it lives, since Celery closes a task's connection
at its end, so PostgreSQL's figure may be a little under), and two extrapolations to
the national size (1,200,000 children) with 4 workers: from the measured rate assuming it scales
with workers as it did from 1 to 2 here, and from the workers' CPU time if each worker has a core
of its own and PostgreSQL keeps up. A machine with 2 cores shared by workers and PostgreSQL cannot
show 4 workers' scaling; the figures say so rather than guess.
"""

import argparse
import datetime as dt
import math
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.db.models import F  # noqa: E402 - after django.setup()
from django.utils import timezone  # noqa: E402 - after django.setup()

from benchmarks._database import throwaway_database  # noqa: E402 - after django.setup()
from cases.models import AssessmentRequest, Child, RequestStatus  # noqa: E402 - after django.setup()
from send_cms.celery import app  # noqa: E402 - after django.setup()
from send_cms.deadlines.full_recompute import (  # noqa: E402 - after django.setup()
    queue_chunks,
    recompute_run_plan,
    recompute_run_progress,
)
from send_cms.deadlines.models import Deadline, RecomputeRun  # noqa: E402 - after django.setup()
from send_cms.deadlines.services import recompute_all  # noqa: E402 - after django.setup()

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = 1_200_000
NATIONAL_WORKERS = 4
TARGET_SECONDS = 300
BUILD_BATCH = 5000
STAGES = (
    RequestStatus.RECEIVED,
    RequestStatus.ASSESSING,
    RequestStatus.ISSUING,
    RequestStatus.DRAFT_ISSUED,
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _request_for(child: Child, n: int, today: dt.date) -> AssessmentRequest:
    received = today - dt.timedelta(days=7 + (n * 13) % 200)
    stage = STAGES[n % len(STAGES)]
    fields: dict[str, Any] = {}
    if stage != RequestStatus.RECEIVED:
        fields.update(decision="assess", decided_on=min(received + dt.timedelta(days=30), today))
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


def build(count: int) -> None:
    today = timezone.localdate()
    for offset in range(0, count, BUILD_BATCH):
        children = [
            Child(
                id=uuid.uuid4(),
                reference=f"LAW-{n:07d}",
                first_name=f"Child{n}",
                last_name=f"Family{n % 997}",
                date_of_birth=dt.date(2008 + n % 16, 1 + n % 12, 1 + n % 28),
                sex="MF"[n % 2],
                upn_unknown="UN5",
            )
            for n in range(offset, min(offset + BUILD_BATCH, count))
        ]
        Child.objects.bulk_create(children, batch_size=BUILD_BATCH)
        AssessmentRequest.objects.bulk_create(
            [
                _request_for(child, offset + i, today)
                for i, child in enumerate(children)
                if (offset + i) % 5 < 3
            ],
            batch_size=BUILD_BATCH,
        )


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def make_stale() -> int:
    """Every stored row as an older law had it: the recompute must rewrite each one."""
    changed = Deadline.objects.update(
        due_on=F("due_on") + dt.timedelta(days=1), explanation="Before the amendment"
    )
    analyse()
    return changed


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def cpu_seconds_of(pid: int) -> float:
    """A process's user and system CPU seconds so far (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def database_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend on this database (the server is on this machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {pid: cpu_seconds_of(pid) for (pid,) in cursor.fetchall()}


class Workers:
    """`count` worker processes on a queue of their own, with production settings."""

    def __init__(self, count: int, redis_url: str, folder: Path) -> None:
        self.queue = f"full-recompute-bench-{uuid.uuid4().hex[:8]}"
        self.logs = [folder / f"{self.queue}-{n}.log" for n in range(count)]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "send_cms.settings.production",
            "SECRET_KEY": "benchmark-only-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "LOG_LEVEL": "WARNING",
            # One connection per worker for the whole benchmark, so its backend's CPU is counted.
            "CONN_MAX_AGE": "3600",
        }
        self.processes = []
        for n, log in enumerate(self.logs):
            with log.open("w") as out:
                command = [
                    sys.executable,
                    *("-m", "celery", "-A", "send_cms", "worker", "--pool", "solo"),
                    *("--queues", self.queue, "--hostname", f"{self.queue}-{n}@%h"),
                    *("--loglevel", "INFO", "--without-heartbeat", "--without-gossip"),
                    "--without-mingle",
                ]
                self.processes.append(
                    subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
                        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                )
        deadline = time.monotonic() + 60
        while not all(" ready." in log.read_text() for log in self.logs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                raise SystemExit("a worker did not start:\n" + self.logs[0].read_text())
            time.sleep(0.2)
        app.conf.update(
            task_always_eager=False, broker_url=redis_url, task_default_queue=self.queue
        )
        app.close()
        app.__dict__.pop("amqp", None)

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds_of(process.pid) for process in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def timed_run(workers: Workers, chunk_size: int, reason: str) -> dict[str, float]:
    cpu_before = workers.cpu_seconds()
    database_before = database_cpu()
    # Celery closes a task's connection when it ends, so each chunk has a backend of its own
    # that is gone by the end: the most CPU each backend was seen with, sampled as the run goes.
    database_seen = dict(database_before)
    began = time.perf_counter()
    run = recompute_run_plan(actor=None, reason=reason, chunk_size=chunk_size)
    planned = time.perf_counter() - began
    queue_chunks(run)
    last_print = time.perf_counter()
    while True:
        run = RecomputeRun.objects.get(pk=run.pk)
        progress = recompute_run_progress(run)
        for pid, cpu in database_cpu().items():
            database_seen[pid] = max(database_seen.get(pid, 0.0), cpu)
        if progress.finished:
            break
        if time.perf_counter() - last_print > 10:
            print(
                f"    progress: {progress.chunks_done}/{progress.chunks} chunks, "
                f"{progress.children_done:,}/{progress.children:,} children, "
                f"{time.perf_counter() - began:.0f} s",
                flush=True,
            )
            last_print = time.perf_counter()
        time.sleep(0.1)
    seconds = time.perf_counter() - began
    time.sleep(0.5)  # let /proc catch up with the last task's CPU
    for pid, cpu in database_cpu().items():
        database_seen[pid] = max(database_seen.get(pid, 0.0), cpu)
    database = sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database_seen.items())
    return {
        "database_cpu": database,
        "seconds": seconds,
        "planned": planned,
        "children": progress.children_done,
        "chunks": progress.chunks,
        "changed": progress.changed,
        "cpu": workers.cpu_seconds() - cpu_before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2", help="worker counts to time, e.g. 1,2")
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14",
        help="the broker the workers use (a queue of the benchmark's own is made on it)",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    if connection.vendor != "postgresql":
        raise SystemExit("The full recompute benchmark needs PostgreSQL (workers share it).")
    with throwaway_database(), tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        build(args.children)
        analyse()
        built = time.perf_counter() - began
        began = time.perf_counter()
        first = recompute_all(batch_size=500)
        single = time.perf_counter() - began
        analyse()
        print(
            f"{args.children:,} children, {AssessmentRequest.objects.count():,} requests, "
            f"{Deadline.objects.count():,} stored deadlines (built in {built:.0f} s; "
            f"PostgreSQL, {os.cpu_count()} cores on this machine, shared: load average "
            f"{os.getloadavg()[0]:.1f})"
        )
        print(
            f"  one process, no Celery (recompute_deadlines): {first.changed:,} rows written in "
            f"{single:.1f} s, {args.children / single:,.0f} children/s"
        )
        results: dict[int, dict[str, float]] = {}
        for count in counts:
            rows = make_stale()
            workers = Workers(count, args.redis_url, Path(folder))
            try:
                print(f"  {count} worker(s), every row stale ({rows:,} rows):", flush=True)
                figures = timed_run(workers, args.chunk_size, f"benchmark, {count} workers")
                results[count] = figures
                print(
                    f"    {figures['children']:,.0f} children in {figures['chunks']:.0f} chunks "
                    f"of {args.chunk_size:,}: {figures['seconds']:.1f} s "
                    f"({figures['children'] / figures['seconds']:,.0f} children/s; planning "
                    f"{figures['planned']:.1f} s), {figures['changed']:,.0f} rows written; "
                    f"CPU per 1,000 children: workers "
                    f"{figures['cpu'] / figures['children'] * 1000:.2f} s, PostgreSQL "
                    f"{figures['database_cpu'] / figures['children'] * 1000:.2f} s",
                    flush=True,
                )
                if count == counts[-1]:
                    again = timed_run(workers, args.chunk_size, "benchmark, nothing changed")
                    print(
                        f"  {count} worker(s), nothing to change: {again['seconds']:.1f} s "
                        f"({again['children'] / again['seconds']:,.0f} children/s), "
                        f"{again['changed']:,.0f} rows written",
                        flush=True,
                    )
            finally:
                workers.stop()
        report(results, args.children)


def report(results: dict[int, dict[str, float]], children: int) -> None:
    """Extrapolate to the national size, twice, and say what each assumes."""
    print(
        f"national size: {NATIONAL:,} children, {NATIONAL_WORKERS} workers "
        f"(target under {TARGET_SECONDS} s; load average now {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores, so wall times here are what the workers got of a shared CPU):"
    )
    counts = sorted(results)
    rates = {n: results[n]["children"] / results[n]["seconds"] for n in counts}
    most = counts[-1]
    planning = results[most]["planned"] * NATIONAL / children
    factor = 1.0
    if len(counts) > 1:
        factor = (rates[most] / rates[counts[0]]) ** (1 / math.log2(most / counts[0]))
        print(
            f"  measured: {counts[0]} -> {most} workers: {rates[counts[0]]:,.0f} -> "
            f"{rates[most]:,.0f} children/s ({factor:.2f}x per doubling of workers)"
        )
    projected = rates[most] * factor ** math.log2(max(NATIONAL_WORKERS / most, 1))
    print(
        f"  from the measured rate, {factor:.2f}x per doubling on to {NATIONAL_WORKERS} workers "
        f"({projected:,.0f} children/s): {NATIONAL / projected + planning:.0f} s "
        f"(of which planning {planning:.0f} s)"
    )
    worker = results[most]["cpu"] / results[most]["children"]
    database = results[most]["database_cpu"] / results[most]["children"]
    # A worker waits for PostgreSQL at every query, so one child costs it both CPU times.
    per_worker = 1 / (worker + database)
    print(
        f"  from CPU time (per 1,000 children: workers {worker * 1000:.2f} s, PostgreSQL "
        f"{database * 1000:.2f} s), each worker on a core of its own and PostgreSQL with "
        f"{NATIONAL_WORKERS * database / (worker + database):.1f} cores free: "
        f"{NATIONAL / (per_worker * NATIONAL_WORKERS) + planning:.0f} s "
        f"({per_worker * NATIONAL_WORKERS:,.0f} children/s)"
    )


if __name__ == "__main__":
    main()
