"""The high-needs census for a council of 21,000 plans in force: the selector, the API and the page.

Runs against a throwaway test database (created and destroyed here), so it never touches real
data:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/high_needs.py [--runs 15]

It bulk-creates 21,000 plans in force and 4,000 ceased ones, each child with a placement history
(a move for two in five, a dual placement for one in thirty, some awaiting a place, some with
none), settings of every kind, funding bands with a yearly uplift and place funding rates; then
times the census (one grouped query: category, age band, need and cost per plan in the database),
committed spend, independent fees and places used, the API's body and the whole page (median of N
runs after warm-up). The target for the census is under 1 second.

Then the safety-valve and DSG management plan pack (`--pack-runs`, default 3): its data (the
census on the day and at three year ends, places, spend, entries, plans by month and the
trajectory's fit and forecast), the PDF and the workbook rendered from it, and each download as
a reader gets it. The target for each download is under 5 seconds.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
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
from cases.codes import EstablishmentKind as K  # noqa: E402 - after django.setup()
from cases.codes import SenType  # noqa: E402 - after django.setup()
from cases.models import Child, Establishment, Placement, Plan  # noqa: E402 - after django.setup()
from panels.models import FundingBand  # noqa: E402 - after django.setup()
from reporting.high_needs.pack import pack_data  # noqa: E402 - after django.setup()
from reporting.high_needs.pack_pdf import pack_pdf  # noqa: E402 - after django.setup()
from reporting.high_needs.pack_xlsx import pack_xlsx  # noqa: E402 - after django.setup()
from reporting.high_needs.periods import return_period_of  # noqa: E402 - after django.setup()
from reporting.selectors.high_needs import (  # noqa: E402 - after django.setup()
    committed_spend,
    high_needs_census,
    independent_placements,
    places_used,
)
from reporting.services.high_needs import place_funding_set  # noqa: E402 - after django.setup()
from send_cms.accounts.roles import Role  # noqa: E402 - after django.setup()
from send_cms.accounts.services import user_create_or_update  # noqa: E402 - after django.setup()

BATCH = 2000
IN_FORCE, CEASED = 21_000, 4_000
# The mix of rank-1 settings (weights), "" for no placement recorded.
MIX = (
    (K.MAINSTREAM, 40),
    (K.RESOURCED_PROVISION, 6),
    (K.SPECIAL, 28),
    (K.INDEPENDENT_SPECIAL, 8),
    (K.ALTERNATIVE_PROVISION, 3),
    (K.FURTHER_EDUCATION, 8),
    (K.EARLY_YEARS, 2),
    ("", 5),
)
SETTINGS: dict[str, int] = {
    K.MAINSTREAM: 220,
    K.RESOURCED_PROVISION: 15,
    K.SPECIAL: 12,
    K.INDEPENDENT_SPECIAL: 25,
    K.ALTERNATIVE_PROVISION: 6,
    K.FURTHER_EDUCATION: 5,
    K.EARLY_YEARS: 12,
}
BANDS: dict[str, tuple[tuple[str, int], ...]] = {
    K.MAINSTREAM: (("B1", 1600), ("B2", 3100), ("B3", 4500)),
    K.RESOURCED_PROVISION: (("R1", 9000), ("R2", 12000)),
    K.SPECIAL: (("X1", 11412), ("X2", 14500), ("X3", 17556)),
    K.ALTERNATIVE_PROVISION: (("A1", 12000),),
    K.FURTHER_EDUCATION: (("F1", 5000), ("F2", 9000)),
    K.EARLY_YEARS: (("E1", 3000),),
}
PLACE_FUNDING: dict[str, int] = {
    K.MAINSTREAM: 6000,
    K.RESOURCED_PROVISION: 6000,
    K.SPECIAL: 10000,
    K.ALTERNATIVE_PROVISION: 10000,
    K.FURTHER_EDUCATION: 6000,
}
FIRST, UPLIFT = dt.date(2023, 4, 1), dt.date(2025, 4, 1)


def set_up_rates(actor: Any) -> None:
    """Bands and place funding from April 2023 with a 3% uplift from April 2025."""
    rows = []
    for kind, bands in BANDS.items():
        for code, value in bands:
            rows.append(
                FundingBand(
                    kind=kind,
                    code=code,
                    name=code,
                    annual_value=Decimal(value),
                    effective_from=FIRST,
                    effective_to=UPLIFT - dt.timedelta(days=1),
                )
            )
            rows.append(
                FundingBand(
                    kind=kind,
                    code=code,
                    name=code,
                    annual_value=(Decimal(value) * Decimal("1.03")).quantize(Decimal("1")),
                    effective_from=UPLIFT,
                )
            )
    FundingBand.objects.bulk_create(rows)
    for kind, value in PLACE_FUNDING.items():
        for start, amount in ((FIRST, value), (UPLIFT, value * 103 // 100)):
            place_funding_set(
                actor=actor, kind=kind, annual_value=Decimal(amount), effective_from=start
            )


def _placement(
    plan: Plan, setting: Establishment, start: dt.date, rng: random.Random, **fields: Any
) -> Placement:
    if setting.kind == K.INDEPENDENT_SPECIAL:
        cost = {"band": "", "annual_cost": Decimal(rng.randint(45, 75) * 1000)}
        cost["cost_reason"] = "Individual fee: no maintained place can meet needs"
    else:
        code, value = rng.choice(BANDS[setting.kind])
        cost = {"band": code, "annual_cost": Decimal(value), "cost_reason": ""}
    return Placement(
        id=uuid.uuid4(), plan=plan, establishment=setting, starts_on=start, **cost, **fields
    )


def create_caseload(rng: random.Random, today: dt.date) -> None:
    settings: dict[str, list[Establishment]] = {
        kind: Establishment.objects.bulk_create(
            Establishment(urn=f"{300000 + i * 1000 + n}", name=f"{kind} {n}", kind=kind)
            for n in range(count)
        )
        for i, (kind, count) in enumerate(SETTINGS.items())
    }
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    needs = SenType.values
    total = IN_FORCE + CEASED
    for offset in range(0, total, BATCH):
        children, plans, placements = [], [], []
        for n in range(offset, min(offset + BATCH, total)):
            born = today - dt.timedelta(days=rng.randint(3 * 365, 24 * 365))
            child = Child(
                id=uuid.uuid4(),
                reference=f"HN-{n:06d}",
                first_name=f"Child{n}",
                last_name=f"Family{n % 997}",
                date_of_birth=born,
                sex="MF"[n % 2],
                upn_unknown="UN5",
            )
            children.append(child)
            issued = today - dt.timedelta(days=rng.randint(30, 9 * 365))
            ceased = n >= IN_FORCE
            plan = Plan(
                id=uuid.uuid4(),
                child=child,
                issued_on=issued,
                primary_need=rng.choice(needs),
                status="ceased" if ceased else "active",
                ceased_on=today - dt.timedelta(days=rng.randint(1, 29)) if ceased else None,
                cease_reason=1 if ceased else None,
            )
            if ceased and plan.ceased_on is not None and plan.ceased_on < issued:
                plan.issued_on = plan.ceased_on
            plans.append(plan)
            kind = rng.choice(kinds)
            roll = rng.random()
            if not kind:
                continue
            if roll < 0.03:
                placements.append(
                    Placement(id=uuid.uuid4(), plan=plan, awaiting_placement=True, band="")
                )
                continue
            start = plan.issued_on
            if roll < 0.40 and (today - start).days > 60:
                moved = start + dt.timedelta(days=rng.randint(30, (today - start).days - 1))
                earlier = rng.choice(settings[K.MAINSTREAM])
                placements.append(
                    _placement(plan, earlier, start, rng, ends_on=moved - dt.timedelta(days=1))
                )
                start = moved
            placements.append(_placement(plan, rng.choice(settings[kind]), start, rng))
            if roll > 0.967:
                second = rng.choice(settings[K.ALTERNATIVE_PROVISION])
                placements.append(_placement(plan, second, start, rng, rank=2))
        Child.objects.bulk_create(children, batch_size=BATCH)
        Plan.objects.bulk_create(plans, batch_size=BATCH)
        Placement.objects.bulk_create(placements, batch_size=BATCH)


def timed(function: Callable[[], Any], runs: int) -> tuple[float, int, Any]:
    """(median milliseconds, queries, the last result) over `runs` calls, after warm-up."""
    for _ in range(2):
        function()
    with CaptureQueriesContext(connection) as captured:
        result = function()
    queries = len(captured)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), queries, result


def report(label: str, figures: tuple[float, int, Any]) -> None:
    median, queries, _ = figures
    print(f"  {label:<52} {median:8.1f} ms  {queries:3d} queries")


def get(client: Client, path: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response

    return call


def run(args: argparse.Namespace) -> None:
    rng = random.Random(2026)
    today = timezone.localdate()
    manager = user_create_or_update(
        username="bench-manager",
        password="benchmark-password-0000",  # noqa: S106 - a throwaway test database
        roles=[Role.MANAGER],
        first_name="Bench",
        last_name="Manager",
    )
    began = time.perf_counter()
    set_up_rates(manager)
    create_caseload(rng, today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor}; {Plan.objects.count():,} plans "
        f"({IN_FORCE:,} in force), {Placement.objects.count():,} placements, "
        f"made in {time.perf_counter() - began:.1f} s; {args.runs} runs per figure (median)"
    )
    client = Client()
    client.force_login(manager)
    census = timed(lambda: high_needs_census(on=today), args.runs)
    report(f"Census on {today} (selector)", census)
    result = census[2]
    print(
        f"    {result.total_plans:,} plans, £{result.total_annual_cost:,.2f} a year, "
        f"{len(result.rows)} category x age band rows, {result.awaiting_placement} awaiting"
    )
    report(
        "Census, API body", timed(get(client, f"/api/v1/reports/high-needs/?on={today}"), args.runs)
    )
    report(
        "Committed spend for the financial year",
        timed(lambda: committed_spend(on=today), args.runs),
    )
    report(
        "Independent placements with fees",
        timed(lambda: independent_placements(on=today), args.runs),
    )
    report("Places used against commissioned", timed(lambda: places_used(on=today), args.runs))
    report(
        "The high-needs page (all of it)", timed(get(client, "/reporting/high-needs/"), args.runs)
    )
    slow = []
    if census[0] >= 1000:
        slow.append(f"the census took {census[0]:.0f} ms: over the 1 s target")
    runs = args.pack_runs
    period = return_period_of(today)
    data = timed(lambda: pack_data(on=today, period=period), runs)
    report("Pack: its data (4 censuses, places, spend, forecast)", data)
    pack = data[2]
    print(
        f"    {pack.census.total_plans:,} plans; forecast: "
        f"{pack.forecast.title if pack.forecast else pack.forecast_note}"
    )
    pdf = timed(lambda: pack_pdf(pack), runs)
    report(f"Pack: the PDF from its data ({len(pdf[2]):,} bytes)", pdf)
    xlsx = timed(lambda: pack_xlsx(pack), runs)
    report(f"Pack: the workbook from its data ({len(xlsx[2]):,} bytes)", xlsx)
    for fmt in ("pdf", "xlsx"):
        whole = timed(get(client, f"/reporting/high-needs/{today}.{fmt}"), runs)
        report(f"Pack: GET /reporting/high-needs/{today}.{fmt}", whole)
        if whole[0] >= 5000:
            slow.append(f"the pack's {fmt} took {whole[0]:.0f} ms: over the 5 s target")
    for line in slow:
        print(f"  {line}")
    if slow:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed calls per figure")
    parser.add_argument("--pack-runs", type=int, default=3, help="timed calls per pack figure")
    args = parser.parse_args()
    with throwaway_database():
        run(args)


if __name__ == "__main__":
    main()
