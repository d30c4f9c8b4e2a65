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

Then the import (`--import-persons`, 10,000 by default; `--import-only` skips the export): a
2026 file of that many new persons (plans in force with their placements, needs and latest
review, plans ceased in the year, requests at every other stage, some settings not on the
register) is written, and imported into the same database three times:

- as a dry run in this process under tracemalloc (the peak of Python's own allocations, queries);
- as `manage.py import_sen2` in a child process: wall time and that child's peak resident
  memory (everything it needs, deadlines recomputed for every imported child included);
- again in this process: every person matched, nothing changed (the idempotent path).

Target: the import under 60 seconds.
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
from cases.sen2_import import sen2_import  # noqa: E402 - after django.setup()
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
    if args.import_only:
        return run_import(args.import_persons)
    met = run_export(args, schools)
    return run_import(args.import_persons) or met


def run_export(args: argparse.Namespace, schools: list[Establishment]) -> int:
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


# --- the import ------------------------------------------------------------------------------
IMPORT_TARGET_SECONDS = 60
IMPORT_TARGET_MB = 500


def _add(parent: Any, tag: str, text: object = None) -> Any:
    from lxml import etree

    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text.isoformat() if isinstance(text, dt.date) else str(text)
    return element


def _setting(parent: Any, tag: str, n: int, **dates: dt.date) -> None:
    """A PlanDetail or PlacementDetail: mostly a school on the register, 1 in 40 a URN that is
    not (a placeholder), 1 in 15 arranged otherwise than at school."""
    detail = _add(parent, tag)
    if n % 15 == 0:
        _add(detail, "SENsetting", "OLA")
        _add(detail, "PlacementRank", 1)
    else:
        urn = 400000 + n % 250 if n % 40 == 0 else 300000 + n % 300
        _add(detail, "URN", urn)
        _add(detail, "PlacementRank", 1)
    for name, day in dates.items():
        _add(detail, name, day)
    if n % 15:
        _add(detail, "SENunitIndicator", int(n % 9 == 0))
        _add(detail, "ResourcedProvisionIndicator", 0)


def _import_person(n: int) -> Any:
    """One person of the synthetic 2026 file: 6 in 10 with a plan in force, 1 in 10 a plan ceased
    in 2025, the rest requests decided not to assess, still open, or withdrawn."""
    from lxml import etree

    person = etree.Element("Person")
    _add(person, "Surname", f"Imported{n % 991}")
    _add(person, "Forename", f"Pupil{n}")
    _add(person, "PersonBirthDate", D(2005 + n % 17, 1 + n % 12, 1 + n % 28))
    _add(person, "Sex", "MF"[n % 2])
    _add(person, "Ethnicity", ("WBRI", "AIND", "BAFR", "MWBC", "WOTH")[n % 5])
    _add(person, "PostCode", f"ZZ{n % 9} {n % 10}AB")
    if n % 3:
        _add(person, "UPN", f"K{n:012d}")
    else:
        _add(person, "UPNunknown", "UN5")
    requests = _add(person, "Requests")
    kind = n % 10
    if kind <= 6:
        historical = n % 2 == 0 or kind == 6
        issued = D(2019 + n % 5, 1 + n % 12, 1 + n % 27) if historical else D(2025, 3, 3)
        if historical:
            issued += dt.timedelta(days=n % 5)
        else:
            issued += dt.timedelta(days=n % 280)
        received = issued - dt.timedelta(days=119 + n % 60)
        _add(requests, "ReceivedDate", received)
        _add(requests, "RequestSource", 1 + n % 5)
        _add(requests, "RYA", 0)
        if not historical:
            _add(requests, "RequestOutcomeDate", received + dt.timedelta(days=40))
        _add(requests, "RequestOutcome", "H" if historical else "Y")
        if not historical:
            _add(requests, "RequestMediation", 0)
            _add(requests, "RequestTribunal", int(n % 50 == 1))
        assessment = _add(requests, "Assessment")
        _add(assessment, "AssessmentOutcome", "H" if historical else "Y")
        if not historical:
            _add(assessment, "AssessmentOutcomeDate", issued)
            for flag in ("AssessmentMediation", "AssessmentTribunal", "OtherMediation"):
                _add(assessment, flag, 0)
            _add(assessment, "OtherTribunal", 0)
            _add(assessment, "Week20", int(n % 20 == 1))
        named = _add(assessment, "NamedPlan")
        _add(named, "StartDate", issued)
        _setting(named, "PlanDetail", n)
        _add(named, "PB", int(n % 10 == 3))
        if n % 10 == 3:
            _add(named, "OA", 0)
            _add(named, "DP", "E")
        if kind == 6:
            _add(named, "CeaseDate", D(2025, 1 + n % 12, 15))
            _add(named, "CeaseReason", 1 + n % 9)
            return person
        active = _add(requests, "ActivePlans")
        _setting(active, "PlacementDetail", n, EntryDate=issued)
        need = _add(active, "SENneed")
        _add(need, "SENtype", NEEDS[n % len(NEEDS)])
        _add(need, "SENtypeRank", 1)
        if historical:
            meeting = D(2025, 1 + n % 11, 10)
            _add(active, "ReviewMeeting", meeting)
            _add(active, "ReviewOutcome", "M")
            _add(active, "LastReview", meeting + dt.timedelta(days=14))
        return person
    received = D(2025, 1, 6) + dt.timedelta(days=n % 330)
    _add(requests, "ReceivedDate", received)
    _add(requests, "RequestSource", 2)
    _add(requests, "RYA", 0)
    if kind == 7:
        _add(requests, "RequestOutcomeDate", received + dt.timedelta(days=38))
        _add(requests, "RequestOutcome", "N")
        _add(requests, "RequestMediation", 0)
        _add(requests, "RequestTribunal", 0)
    else:
        _add(requests, "RequestOutcome", "A" if kind == 8 else "W")
    return person


def write_import_file(path: Path, persons: int) -> None:
    """A 2026 return of `persons` new persons, written as a council's old system would."""
    from lxml import etree

    with path.open("wb") as out, etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            header = etree.Element("Header")
            details = _add(header, "CollectionDetails")
            _add(details, "Collection", "SEN2")
            _add(details, "Year", YEAR)
            _add(details, "ReferenceDate", D(2026, 1, 15))
            source = _add(header, "Source")
            for tag, text in (
                ("SourceLevel", "L"),
                ("LEA", settings.LA_CODE),
                ("SoftwareCode", "old-system"),
                ("Release", "1"),
                ("SerialNo", "001"),
                ("DateTime", "2026-02-02T09:00:00"),
                ("DMO", "Y"),
                ("DCO", "Y"),
                ("DSCO", "Y"),
            ):
                _add(source, tag, text)
            xf.write(header, pretty_print=True)
            with xf.element("Persons"):
                for n in range(persons):
                    xf.write(_import_person(n), pretty_print=True)


def import_command(path: Path) -> tuple[float, float, float]:
    """(seconds, CPU seconds, peak resident MB) of `manage.py import_sen2` in a child process
    that reports its own: VmHWM, its address space's high-water mark (Linux keeps ru_maxrss
    across fork and exec, so that would report this larger process's peak). On a busy machine
    the CPU time is the figure that does not depend on who else is running."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    env.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")
    code = (
        "import resource, sys\n"
        "from django.core.management import execute_from_command_line\n"
        "try:\n"
        "    execute_from_command_line(['manage.py', 'import_sen2', sys.argv[1]])\n"
        "finally:\n"
        "    use = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    cpu = use.ru_utime + use.ru_stime\n"
        "    with open('/proc/self/status') as status:\n"
        "        peak = next(line.split()[1] for line in status if line.startswith('VmHWM'))\n"
        "    print(f'peak-rss-kib {peak} {cpu}', file=sys.stderr)\n"
    )
    began = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "-c", code, str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"import_sen2 failed ({done.returncode}): {done.stderr[-2000:]}")
    _, peak, cpu = next(
        line.split() for line in done.stderr.splitlines() if line.startswith("peak-rss")
    )
    return seconds, float(cpu), int(peak) / 1024  # Linux: KiB


def run_import(persons: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sen2_2026_import.xml"
        began = time.perf_counter()
        write_import_file(path, persons)
        print(
            f"  import file: {persons:,} persons, {path.stat().st_size / 2**20:.1f} MB of XML "
            f"(written in {time.perf_counter() - began:.1f} s); database has "
            f"{Child.objects.count():,} children"
        )
        tracemalloc.start()
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            dry = sen2_import(actor=None, source=path, file_name=path.name, dry_run=True)
        traced_seconds = time.perf_counter() - began
        peak_python = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(
            f"  import dry run, in process under tracemalloc: {traced_seconds:6.1f} s   "
            f"peak {peak_python:6.1f} MB   {len(queries):,} queries   "
            f"{dry.tallies['persons'].created:,} persons, {dry.rejected} rejected"
        )
        seconds, cpu, peak_rss = import_command(path)
        created = {
            name: Model.objects.count()
            for name, Model in (("children", Child), ("plans", Plan), ("placements", Placement))
        }
        print(
            f"  manage.py import_sen2, child process: {seconds:6.1f} s ({cpu:.1f} s CPU there)   "
            f"peak resident "
            f"{peak_rss:6.1f} MB (targets {IMPORT_TARGET_SECONDS} s, {IMPORT_TARGET_MB} MB); now "
            + ", ".join(f"{count:,} {name}" for name, count in created.items())
        )
        began, cpu_began = time.perf_counter(), time.process_time()
        again = sen2_import(actor=None, source=path, file_name=path.name)
        print(
            f"  the same file again, in process: {time.perf_counter() - began:6.1f} s "
            f"({time.process_time() - cpu_began:.1f} s CPU here)   "
            f"{again.tallies['persons'].matched:,} persons matched, "
            f"{again.tallies['persons'].updated + again.tallies['persons'].created} changed"
        )
    met = seconds < IMPORT_TARGET_SECONDS and peak_rss < IMPORT_TARGET_MB and not dry.rejected
    print(f"  import targets {'met' if met else 'MISSED'}; load average {os.getloadavg()[0]:.1f}")
    return 0 if met else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=21_000, help="plans in force on census day")
    parser.add_argument("--ceased", type=int, default=1_500, help="plans ceased in the year")
    parser.add_argument("--requests", type=int, default=6_000, help="other requests in the year")
    parser.add_argument(
        "--import-persons", type=int, default=10_000, help="persons in the file to import"
    )
    parser.add_argument("--import-only", action="store_true", help="skip the export")
    args = parser.parse_args()
    with throwaway_database():
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
