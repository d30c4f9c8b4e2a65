"""The SEN2 export's time and memory for a council with 21,000 plans in force.

Runs against a throwaway test database (created and destroyed here, like the test suite's), so it
never touches real data:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/sen2.py [--plans 21000]

It bulk-creates the council as the 2026 return sees it: `--plans` plans in force on the census
day (each with its request, versions, named settings, placements and an annual review; a fifth
issued in 2025, some amended, some with a personal budget, a phase transfer or a placement that
ended in the year), 1,500 plans ceased in 2025, and 6,000 requests of 2025 at every other stage.
Then it writes the 2026 return three times:

- in this process, timed (the writer alone);
- in this process under tracemalloc: the peak of Python's own allocations and the queries;
- as `manage.py export_sen2` in a child process: wall time and the child's peak resident memory
  (everything: Python, Django, lxml's C buffers, the database driver). The command also counts
  the validation errors to warn about them, so that count is timed on its own too.

Targets: under 20 seconds and under 300 MB. With the shared schemas beside the repo, the file is
also checked against the 2026 schema (after the measurements; that check holds the whole tree).
"""

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402 - after django.setup()
from django.db import connection  # noqa: E402 - after django.setup()
from django.test.utils import CaptureQueriesContext  # noqa: E402 - after django.setup()
from django.utils import timezone  # noqa: E402 - after django.setup()

from benchmarks._database import throwaway_database  # noqa: E402 - after django.setup()
from cases.models import (  # noqa: E402 - after django.setup()
    AssessmentRequest,
    Child,
    Establishment,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
    RequestStatus,
)
from reporting.sen2.export import HeaderDetails, write_return  # noqa: E402 - after django.setup()
from reporting.sen2.services import validation_error_count  # noqa: E402 - after django.setup()
from reviews.models import AnnualReview  # noqa: E402 - after django.setup()

YEAR = 2026
BATCH = 2000
TARGET_SECONDS = 20
TARGET_MB = 300
HEADER = HeaderDetails(serial_no=1, dmo="Y", dco="Y", dsco="Y")
NEEDS = ("ASD", "SEMH", "SLCN", "MLD", "SPLD", "SLD", "PD", "HI")
D = dt.date


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _child(n: int, prefix: str) -> Child:
    return Child(
        id=uuid.uuid4(),
        reference=f"{prefix}{n:06d}",
        first_name=f"Child{n}",
        last_name=f"Family{n % 997}",
        date_of_birth=D(2004 + n % 18, 1 + n % 12, 1 + n % 28),
        sex="MF"[n % 2],
        ethnicity=("WBRI", "AIND", "BAFR", "MWBC", "NOBT")[n % 5],
        upn=f"A{n:012d}" if prefix == "P" and n % 3 == 0 else "",
        upn_unknown="" if prefix == "P" and n % 3 == 0 else "UN5",
        postcode="AB1 2CD",
    )


def _issued_request(child: Child, issued: dt.date, n: int) -> AssessmentRequest:
    received = issued - dt.timedelta(days=126 + n % 100)
    return AssessmentRequest(
        id=uuid.uuid4(),
        child=child,
        status=RequestStatus.FINAL_ISSUED,
        received_at=_aware(received),
        received_on=received,
        source=("parent_or_young_person", "school", "health")[n % 3],
        decision="assess",
        decided_on=received + dt.timedelta(days=40),
        issue_decision="issue",
        issue_decided_on=received + dt.timedelta(days=100),
        draft_issued_on=received + dt.timedelta(days=110),
        final_issued_on=issued,
    )


def create_plans(count: int, schools: list[Establishment]) -> None:
    """Plans in force on the census day, with everything the return reports about them."""
    for offset in range(0, count, BATCH):
        numbers = range(offset, min(offset + BATCH, count))
        children = [_child(n, "P") for n in numbers]
        requests, plans, versions, named, placements, reviews = [], [], [], [], [], []
        for n, child in zip(numbers, children, strict=True):
            if n % 5 == 0:
                issued = D(2025, 1, 6) + dt.timedelta(days=n % 340)
            else:
                issued = D(2018 + n % 7, 1 + n % 12, 1 + n % 27)
            request = _issued_request(child, issued, n)
            requests.append(request)
            plan = Plan(
                id=uuid.uuid4(),
                child=child,
                request=request,
                issued_on=issued,
                primary_need=NEEDS[n % len(NEEDS)],
                secondary_need=NEEDS[(n + 3) % len(NEEDS)] if n % 3 == 0 else "",
                personal_budget=n % 10 == 0,
                direct_payments="E" if n % 10 == 0 else "",
            )
            plans.append(plan)
            versions.append(PlanVersion(plan=plan, number=1, kind="final", issued_on=issued))
            school = schools[n % len(schools)]
            named.append(NamedSetting(plan=plan, establishment=school, rank=1))
            placements.append(Placement(plan=plan, establishment=school, rank=1, starts_on=issued))
            if n % 20 == 0:
                named.append(NamedSetting(plan=plan, sen_setting="OLA", rank=2))
            if n % 6 == 0 and issued < D(2025, 2, 3):
                placements.append(
                    Placement(
                        plan=plan,
                        sen_setting="OLA",
                        rank=2,
                        starts_on=max(issued, D(2025, 2, 3)),
                        ends_on=D(2025, 6, 30),
                    )
                )
            if issued.year < 2025:
                reviews.append(_review(plan, n))
                if n % 4 == 0:
                    versions.append(
                        PlanVersion(plan=plan, number=2, kind="amended", issued_on=D(2025, 9, 1))
                    )
        _save(children, requests, plans, versions, named, placements, reviews)


def _review(plan: Plan, n: int) -> AnnualReview:
    meeting = D(2025, 1 + n % 11, 10)
    amend = n % 3 == 0
    decided = meeting + dt.timedelta(days=14)
    phase = n % 7 == 0
    return AnnualReview(
        plan=plan,
        sequence=1,
        status="amendments_sent" if amend else "maintained",
        cycle_start_on=plan.issued_on,
        due_on=D(2025, 12, 31),
        meeting_on=meeting,
        decision="amend" if amend else "maintain",
        decision_issued_on=decided,
        amendments_issued_on=decided + dt.timedelta(days=7) if amend else None,
        phase_transfer=phase,
        phase_transfer_kind="school" if phase else "",
        phase_transfer_on=D(2026, 9, 1) if phase else None,
    )


def create_ceased(count: int, schools: list[Establishment]) -> None:
    children = [_child(n, "C") for n in range(count)]
    requests, plans, versions, placements = [], [], [], []
    for n, child in enumerate(children):
        issued = D(2019, 1 + n % 12, 1 + n % 27)
        request = _issued_request(child, issued, n)
        requests.append(request)
        plan = Plan(
            id=uuid.uuid4(),
            child=child,
            request=request,
            status="ceased",
            issued_on=issued,
            primary_need=NEEDS[n % len(NEEDS)],
            ceased_on=D(2025, 1 + n % 12, 15),
            cease_reason=1 + n % 9,
        )
        plans.append(plan)
        versions.append(PlanVersion(plan=plan, number=1, kind="final", issued_on=issued))
        placements.append(
            Placement(plan=plan, establishment=schools[n % len(schools)], starts_on=issued)
        )
    _save(children, requests, plans, versions, [], placements, [])


def create_requests(count: int) -> None:
    """Requests of 2025 that led to no plan (yet): every other stage, in turn."""
    children = [_child(n, "R") for n in range(count)]
    requests = []
    for n, child in enumerate(children):
        received = D(2025, 1, 6) + dt.timedelta(days=n % 330)
        decided = received + dt.timedelta(days=40)
        stage = n % 7
        fields: dict[str, Any] = {}
        if stage == 1:
            fields = {"status": "not_assessing", "decision": "not_assess", "decided_on": decided}
        elif stage == 2:
            fields = {"status": "withdrawn", "withdrawn_on": received + dt.timedelta(days=10)}
        elif stage == 3:
            fields = {"status": "assessing", "decision": "assess", "decided_on": decided}
        elif stage in (4, 5):
            fields = {
                "status": "issuing" if stage == 4 else "not_issuing",
                "decision": "assess",
                "decided_on": decided,
                "issue_decision": "issue" if stage == 4 else "not_issue",
                "issue_decided_on": decided + dt.timedelta(days=50),
            }
        elif stage == 6:
            fields = {
                "status": "transferred_out",
                "transferred_out_on": received + dt.timedelta(days=20),
                "transferred_to_la": "201",
            }
        requests.append(
            AssessmentRequest(
                child=child,
                received_at=_aware(received),
                received_on=received,
                source="school",
                **fields,
            )
        )
    _save(children, requests, [], [], [], [], [])


def _save(*rows: list[Any]) -> None:
    for batch in rows:
        if batch:
            type(batch[0]).objects.bulk_create(batch, batch_size=BATCH)


def database_url() -> str:
    """The throwaway database, as a URL for the child process's settings."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}{port}/{db['NAME']}"


def measure_in_process(out: Path) -> tuple[float, float, Any]:
    """(wall seconds, this process's CPU seconds, counts): the rest of the wall time is the
    database's."""
    began, cpu = time.perf_counter(), time.process_time()
    with out.open("wb") as file:
        counts = write_return(file, year=YEAR, header=HEADER)
    return time.perf_counter() - began, time.process_time() - cpu, counts


def measure_traced(out: Path) -> tuple[float, int]:
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries, out.open("wb") as file:
        write_return(file, year=YEAR, header=HEADER)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20, len(queries)


def measure_command(out: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of `manage.py export_sen2` in a child process."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    command = [sys.executable, "manage.py", "export_sen2", "--year", str(YEAR), "--out", str(out)]
    began = time.perf_counter()
    subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=True, capture_output=True)  # noqa: S603 - our own manage.py
    seconds = time.perf_counter() - began
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    return seconds, peak_kib / 1024


def check_schema(out: Path) -> str:
    folder = Path(settings.BASE_DIR).parent / "shared" / "sen2"
    schema_path = folder / f"sen2_schema_{YEAR}.xsd"
    if not schema_path.exists():
        return "not checked (the shared schemas are not beside the repo)"
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(schema_path)))
    if schema.validate(etree.parse(str(out))):
        return "valid, 0 errors"
    return f"INVALID: {str(schema.error_log).splitlines()[:3]}"


def run(args: argparse.Namespace) -> int:
    schools = Establishment.objects.bulk_create(
        Establishment(urn=f"{300000 + n}", name=f"Bench School {n}", kind="mainstream")
        for n in range(300)
    )
    began = time.perf_counter()
    create_plans(args.plans, schools)
    create_ceased(args.ceased, schools)
    create_requests(args.requests)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}; {Child.objects.count():,} children, "
        f"{Plan.objects.count():,} plans, {AssessmentRequest.objects.count():,} requests, "
        f"{Placement.objects.count():,} placements, {AnnualReview.objects.count():,} reviews "
        f"(bulk-created in {time.perf_counter() - began:.1f} s)"
    )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "sen2.xml"
        seconds, cpu, counts = measure_in_process(out)
        size_mb = out.stat().st_size / 2**20
        print(
            f"  export {YEAR}, in process: {seconds:6.1f} s ({cpu:.1f} s CPU here)   "
            f"{counts.persons:,} persons, {counts.requests:,} requests, {counts.plans:,} plans, "
            f"{size_mb:.1f} MB of XML"
        )
        peak_python, queries = measure_traced(out)
        print(f"  tracemalloc peak (Python allocations): {peak_python:6.1f} MB   {queries} queries")
        began = time.perf_counter()
        errors = validation_error_count(year=YEAR)
        print(
            f"  the validation's error count (the command's warning): "
            f"{time.perf_counter() - began:6.1f} s   ({errors} errors)"
        )
        command_seconds, peak_rss = measure_command(out)
        print(
            f"  manage.py export_sen2, child process: {command_seconds:6.1f} s   "
            f"peak resident {peak_rss:6.1f} MB (targets {TARGET_SECONDS} s, {TARGET_MB} MB)"
        )
        print(f"  schema {YEAR}: {check_schema(out)}")
    met = seconds < TARGET_SECONDS and peak_rss < TARGET_MB
    print(f"  targets {'met' if met else 'MISSED'}; load average {os.getloadavg()[0]:.1f}")
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=21_000, help="plans in force on census day")
    parser.add_argument("--ceased", type=int, default=1_500, help="plans ceased in the year")
    parser.add_argument("--requests", type=int, default=6_000, help="other requests in the year")
    args = parser.parse_args()
    with throwaway_database():
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
