"""Load test: 16 caseworkers on their pages and the API for 60 s, gunicorn with production settings.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/load.py [--children 100000]
        [--users 16] [--seconds 60] [--gunicorn-workers N (2 a core)]

Needs Locust (`pip install -e '.[dev]'` has it). It builds a throwaway database (16 caseworkers
with 250 open cases each, then children up to `--children` over 30 other caseworkers, at every
stage, with plans and deadlines: the caseload benchmark's data), serves it with gunicorn under
`send_cms.settings.production` on a free port of the loopback, and runs Locust headless: each
user signs in as one of the caseworkers and goes through the caseload (and its page 2, the
overdue filter, a search by name), their cases and their deadlines, and the API's children,
a child and the assessment requests, with a second's thinking time. It prints each page's and
the whole run's requests, p50, p95 and p99 in milliseconds and the errors (anything not a 200),
then the target: p95 under 150 ms and no errors. Every request is what production does,
audit row included. Locust, gunicorn and PostgreSQL share this machine's cores, so the
figures include their contention (the load average is printed).
"""

import argparse
import csv
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402 - after django.setup()
from django.db import connection  # noqa: E402 - after django.setup()
from django.db.models import Value  # noqa: E402 - after django.setup()
from django.db.models.functions import Concat, Substr  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402 - after django.setup()

from benchmarks._database import throwaway_database  # noqa: E402 - after django.setup()
from benchmarks.caseload import (  # noqa: E402 - after django.setup()
    _user,
    analyse,
    create_caseload,
    create_children,
)
from benchmarks.full_recompute import (  # noqa: E402 - after django.setup()
    cpu_seconds_of,
    database_cpu,
    database_url,
)
from cases.models import Child, Establishment  # noqa: E402 - after django.setup()
from send_cms.accounts.roles import Role  # noqa: E402 - after django.setup()
from send_cms.accounts.services import token_issue  # noqa: E402 - after django.setup()
from send_cms.audit.models import AuditEvent  # noqa: E402 - after django.setup()

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 150
CASES_EACH = 250


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The data, and for each of the users' caseworkers a session, an API token and cases."""
    establishments = Establishment.objects.bulk_create(
        Establishment(urn=f"{300000 + n}", name=f"Load School {n}", kind="mainstream")
        for n in range(120)
    )
    logins: list[dict[str, Any]] = []
    for n in range(args.users):
        caseworker = _user(f"load-caseworker{n}", Role.CASEWORKER)
        create_caseload(caseworker, CASES_EACH, establishments[:40])
        # Each caseload is made with the same references: make them each caseworker's own.
        Child.objects.filter(reference__startswith="MINE-", caseworker=caseworker).update(
            reference=Concat(Value(f"LOAD{n:02d}-"), Substr("reference", 6))
        )
        client = Client()
        client.force_login(caseworker)
        _, token = token_issue(user=caseworker, via="load test")
        children = [
            str(pk)
            for pk in Child.objects.filter(caseworker=caseworker).values_list("pk", flat=True)
        ]
        logins.append(
            {"session": client.cookies["sessionid"].value, "token": token, "children": children}
        )
    others = [_user(f"load-other{n}", Role.CASEWORKER) for n in range(30)]
    create_children(
        max(args.children - Child.objects.count(), 0),
        start=0,
        caseworkers=others,
        settings=establishments,
    )
    analyse()
    return logins


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn as production runs it (the compose file's command), on the loopback."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "send_cms.settings.production",
        # The sessions were signed with this process's key.
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "0",
        "LOG_LEVEL": "WARNING",
    }
    # Production serves hashed static file names from a manifest, as the image builds it.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    command = [
        sys.executable,
        *("-m", "gunicorn", "send_cms.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - fixed arguments
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def load(
    port: int, server: subprocess.Popen[bytes], args: argparse.Namespace, folder: Path
) -> tuple[Path, float, float]:
    """Run Locust; returns its statistics file and the CPU seconds gunicorn's workers and
    PostgreSQL's backends on this database spent meanwhile (sampled from /proc while they live:
    the server runs on this machine)."""
    prefix = folder / "load"
    command = [
        sys.executable,
        *("-m", "locust", "-f", str(Path(__file__).with_name("_locustfile.py"))),
        *("--headless", "--users", str(args.users), "--spawn-rate", str(args.users)),
        *("--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}"),
        *("--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"),
    ]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    workers = [int(pid) for pid in children.read_text().split()]
    web_before = {pid: cpu_seconds_of(pid) for pid in workers}
    database_before = database_cpu()
    web_seen, database_seen = dict(web_before), dict(database_before)
    with (folder / "locust.log").open("w") as log:
        locust = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)  # noqa: S603
        while locust.poll() is None:
            for pid in workers:
                web_seen[pid] = max(web_seen[pid], cpu_seconds_of(pid))
            for pid, cpu in database_cpu().items():
                database_seen[pid] = max(database_seen.get(pid, 0.0), cpu)
            time.sleep(0.5)
    web = sum(cpu - web_before[pid] for pid, cpu in web_seen.items())
    database = sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database_seen.items())
    return Path(f"{prefix}_stats.csv"), web, database


def report(stats: Path) -> int:
    """Print each request's figures and the whole run's, and the target; returns the requests."""
    rows = list(csv.DictReader(stats.open()))
    print(f"  {'request':<34} {'count':>7} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}  ms")
    total = None
    for row in rows:
        line = (
            f"  {row['Name'][:34]:<34} {int(row['Request Count']):>7,} "
            f"{int(row['Failure Count']):>6} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(line)
    assert total is not None, "Locust wrote no aggregate row"
    requests, errors = int(total["Request Count"]), int(total["Failure Count"])
    p95 = float(total["95%"])
    print(
        f"  all requests: {requests:,} in the run ({float(total['Requests/s']):.1f}/s), "
        f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, {errors} errors"
    )
    failures = stats.with_name(stats.name.replace("_stats", "_failures"))
    for failure in csv.DictReader(failures.open()) if failures.exists() else []:
        print(f"  error: {failure['Occurrences']} x {failure['Name']}: {failure['Error']}")
    met = p95 < TARGET_P95_MS and errors == 0
    print(
        f"  target p95 under {TARGET_P95_MS} ms and no errors: "
        f"{'met' if met else 'NOT met'} (load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores)"
    )
    return max(requests, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--gunicorn-workers",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="gunicorn's worker processes (default: 2 a core, as the README recommends)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The load test needs PostgreSQL (gunicorn's workers share it).")
    # Found, not imported: importing Locust patches this process's threads with gevent's.
    if importlib.util.find_spec("locust") is None:
        raise SystemExit("Locust is not installed: pip install -e '.[dev]'")
    with throwaway_database(), tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        logins = build(args)
        fixture = Path(folder) / "fixture.json"
        fixture.write_text(json.dumps({"logins": logins}))
        os.environ["LOAD_TEST_FIXTURE"] = str(fixture)
        print(
            f"{Child.objects.count():,} children in the database (built in "
            f"{time.perf_counter() - began:.0f} s); {args.users} users for {args.seconds} s, "
            f"gunicorn with production settings, {args.gunicorn_workers} workers:",
            flush=True,
        )
        port = free_port()
        audit_before = AuditEvent.objects.count()
        server = serve(port, args.gunicorn_workers)
        try:
            stats, web_cpu, database_cpu_seconds = load(port, server, args, Path(folder))
        finally:
            server.terminate()
            server.wait(timeout=30)
        audit_rows = AuditEvent.objects.count() - audit_before
        connection.close()  # gunicorn's connections are gone; the database can be dropped
        requests = report(stats)
        per_request = (web_cpu + database_cpu_seconds) / requests
        cores = os.cpu_count() or 1
        print(
            f"  CPU per request: gunicorn {web_cpu / requests * 1000:.0f} ms, PostgreSQL "
            f"{database_cpu_seconds / requests * 1000:.0f} ms; so {cores} cores of their own "
            f"serve at most {cores / per_request:.0f} requests a second; {args.users} users "
            f"with a second's thinking time ask for up to {args.users}"
        )
        print(
            f"  audit rows written: {audit_rows:,} ({audit_rows / args.seconds:.1f} a second: "
            "every read of a child's record or list is one)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
