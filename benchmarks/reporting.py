"""Reporting's server time and query counts on a Kent-sized council, and on England's plans.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/reporting.py [--runs 5] [--national]
        [--month 2026-11] [--explain METRIC_ID] [--timeout 30] [--rebuild] [--drop]

Figures, each the median of `--runs` runs after a warm-up, with the queries Django ran:
1. every metric of the registry (`reporting.metrics.METRICS`) for one month through
   `metric_figure`, per metric and in all (target: under 1 s in all);
2. the dashboard's `scorecard_rows` for that month with 12 monthly columns;
3. the 70-month open-plans grid (`open_plans_by_month`) beside the bare SQL floor: one
   hand-written statement for the same 70 month-end counts through a raw cursor (the better of
   a running sum and the plain join of month ends to plans); the numbers must be identical;
4. with `--national`, the grid and the 20-week figure (`final_20wk_inc_exc_pct`) on 640,000 plans
   in force, each beside its bare SQL;
5. the monthly scorecard PDF, when reporting has a function that renders one;
6. the queries of every figure at a tenth of the council, the council and (with `--national`)
   England, to show they do not grow with the data.

The datasets (see `_reporting_data.py`) are made with PostgreSQL COPY from seeded generated rows,
not through the services, and keep every CHECK constraint. Each lives in its own database,
`benchmark_reporting`, `benchmark_reporting_tenth` and `benchmark_reporting_national`, apart
from the test suite's, and is kept (marked with the generator's version) so a rerun skips the
build: about a minute for the council, several for England. `--rebuild` builds them again;
`--drop` drops them at the end. `--explain ID` prints EXPLAIN ANALYZE of a metric's queries at
council scale. PostgreSQL only (the floors are PostgreSQL SQL): on SQLite it says so and stops.
"""

import argparse
import importlib
import inspect
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_cms.settings.test")

import django

django.setup()

from django.db import OperationalError, connection, transaction  # noqa: E402 - after django.setup()
from django.test.utils import CaptureQueriesContext  # noqa: E402 - after django.setup()

from benchmarks import _reporting_data as data  # noqa: E402 - after django.setup()
from cases.models import Child  # noqa: E402 - after django.setup()
from reporting.metrics import BY_ID, METRICS, Figure, Metric  # noqa: E402 - after django.setup()
from reporting.metrics.engine import figures  # noqa: E402 - after django.setup()
from reporting.periods import Period, last_months, month_period, parse_period  # noqa: E402 - after django.setup()
from reporting.selectors import metric_figure, open_plans_by_month  # noqa: E402 - after django.setup()
from reporting.selectors.scorecard import scorecard_rows  # noqa: E402 - after django.setup()
from send_cms.accounts.models import User  # noqa: E402 - after django.setup()

#: The datasets' last complete month: the month reported unless --month says otherwise, and
#: the grid's last column.
MONTH = month_period(data.END.year, data.END.month)
GRID_MONTHS = 70
SCORECARD_MONTHS = 12
TWENTY_WEEKS = "final_20wk_inc_exc_pct"
SLOW_MS = 100.0
TARGET_ALL_MS = 1000.0

#: Plans in force at each month end, as a running sum of plans issued less plans ceased by month
#: (plans from before the first month are counted in it): one scan of the plans.
GRID_RUNNING_SUM_SQL = """
WITH months AS (
    SELECT d::date AS first_day, (d + interval '1 month' - interval '1 day')::date AS month_end
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS d
),
changes AS (
    SELECT greatest(date_trunc('month', issued_on)::date, %(first)s::date) AS first_day, 1 AS delta
    FROM cases_plan WHERE issued_on <= %(last_end)s
    UNION ALL
    SELECT greatest(date_trunc('month', ceased_on)::date, %(first)s::date), -1
    FROM cases_plan WHERE ceased_on <= %(last_end)s
),
per_month AS (SELECT first_day, sum(delta) AS delta FROM changes GROUP BY first_day)
SELECT m.month_end, (sum(coalesce(p.delta, 0)) OVER (ORDER BY m.first_day))::integer
FROM months AS m LEFT JOIN per_month AS p USING (first_day)
ORDER BY m.month_end
"""
#: The same counts the plain way: every month end joined to the plans in force on it.
GRID_JOIN_SQL = """
SELECT m.month_end, count(p.id)::integer
FROM (
    SELECT (d + interval '1 month' - interval '1 day')::date AS month_end
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS d
) AS m
LEFT JOIN cases_plan AS p
    ON p.issued_on <= m.month_end AND (p.ceased_on IS NULL OR p.ceased_on > m.month_end)
GROUP BY m.month_end
ORDER BY m.month_end
"""
#: `final_20wk_inc_exc_pct`: final plans issued in the month, and those within 140 days.
TWENTY_WEEKS_SQL = """
SELECT count(*) FILTER (WHERE final_issued_on <= received_on + 140), count(*)
FROM cases_assessmentrequest
WHERE final_issued_on >= %(start)s AND final_issued_on <= %(end)s
"""
#: Where the monthly scorecard PDF may be rendered (another part of reporting, in progress).
PDF_MODULES = (
    "reporting.services.scorecards",
    "reporting.services.pdf",
    "reporting.services",
    "reporting.views.scorecards",
    "reporting.pdf",
)


# --- timing -------------------------------------------------------------------------------------
def _ms(began: float) -> float:
    return (time.perf_counter() - began) * 1000


TIMED_OUT = object()
_settings = {"timeout": 30}


def args_timeout() -> int:
    return _settings["timeout"]


def statement_timeout(seconds: int) -> None:
    """Cancel any one query slower than this (a figure that slow is broken, not slow)."""
    _settings["timeout"] = seconds
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(seconds) * 1000}")


def counted(call: Callable[[], Any]) -> tuple[int, Any, list[dict[str, Any]]]:
    """(queries, result, the queries) of one call; the result is TIMED_OUT when a query hit
    the statement timeout."""
    with CaptureQueriesContext(connection) as captured:
        try:
            result = call()
        except OperationalError as error:
            if "statement timeout" not in str(error):
                raise
            result = TIMED_OUT
    return len(captured), result, captured.captured_queries


def median_ms(call: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append(_ms(began))
    return statistics.median(times)


def raw(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def shown(figure: Figure) -> str:
    if figure.value is None:
        value = "-"
    elif figure.denominator is None:
        value = f"{figure.value:,.0f}"
    else:
        value = f"{figure.value:,.1f}"
    numbers = f"{figure.numerator:,.0f}" if isinstance(figure.numerator, int | Decimal) else ""
    if figure.denominator is not None:
        numbers += f"/{figure.denominator:,}"
    return f"{value:>9}  ({numbers})"


# --- the kept databases ------------------------------------------------------------------------
@contextmanager
def dataset(scale: data.Scale, *, rebuild: bool, drop: bool) -> Iterator[dict[str, Any]]:
    """Connect to `scale`'s kept database, building it first when it is missing or stale."""
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"benchmark_reporting{scale.name}"
    creation = connection.creation
    old_name = creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    try:
        fingerprint = data.built_fingerprint()
        if not rebuild and fingerprint == scale.fingerprint():
            summary = {**data.built_summary(), "reused": True}
        else:
            if fingerprint is not None or Child.objects.exists():  # stale or half-built
                creation.destroy_test_db(old_name, verbosity=0)
                old_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            summary = {**data.build(scale, progress=print), "reused": False}
        how = "kept from an earlier run, built in" if summary["reused"] else "built in"
        print(
            f"dataset: {scale.label}, database {connection.settings_dict['NAME']} "
            f"({how} {summary['seconds']:.0f} s): {data.describe(summary)}",
            flush=True,
        )
        yield summary
    finally:
        creation.destroy_test_db(old_name, verbosity=0, keepdb=not drop)


# --- the figures ----------------------------------------------------------------------------------
class Counts:
    """Queries per figure at each data size (section 6)."""

    def __init__(self) -> None:
        self.by_size: dict[str, dict[str, int]] = {}

    def record(self, size: str, name: str, queries: int) -> None:
        self.by_size.setdefault(size, {})[name] = queries


def every_metric(
    month: Period, runs: int, *, size: str, counts: Counts, show: bool
) -> tuple[float, list[str]]:
    """Section 1: each metric's figure for `month`; the median total in ms, and the metrics
    that hit the statement timeout (left out of the timed runs and the total)."""
    figures: dict[str, Any] = {}
    for metric in METRICS:  # warm-up, and the query count
        n, figures[metric.id], _ = counted(partial(metric_figure, metric=metric, period=month))
        counts.record(size, metric.id, n)
    timed_out = [m.id for m in METRICS if figures[m.id] is TIMED_OUT]
    timed = [m for m in METRICS if m.id not in timed_out]
    per_metric: dict[str, list[float]] = {m.id: [] for m in timed}
    totals = []
    for _ in range(runs):
        began = time.perf_counter()
        for metric in timed:
            one = time.perf_counter()
            metric_figure(metric=metric, period=month)
            per_metric[metric.id].append(_ms(one))
        totals.append(_ms(began))
    total = statistics.median(totals)
    if not show:
        return total, timed_out
    print(f"\n1. every metric for {month.label} ({len(METRICS)} metrics), median of {runs}:")
    print(f"   {'metric':<30} {'ms':>8} {'queries':>7}  {'value':>9}  (numerator/denominator)")
    for metric in METRICS:
        queries = counts.by_size[size][metric.id]
        if metric.id in timed_out:
            print(
                f"   {metric.id:<30} {'> ' + str(args_timeout()) + ' s':>8} {queries:>7}  TIMED OUT"
            )
            continue
        ms = statistics.median(per_metric[metric.id])
        flag = "  <- over 100 ms" if ms > SLOW_MS else ""
        print(f"   {metric.id:<30} {ms:8.1f} {queries:>7}  {shown(figures[metric.id])}{flag}")
    queries = sum(counts.by_size[size][m.id] for m in timed)
    verdict = "under" if total < TARGET_ALL_MS else "OVER"
    left_out = f" without {', '.join(timed_out)}" if timed_out else ""
    print(
        f"   {'all metrics' + left_out:<30} {total:8.1f} {queries:>7}  ({verdict} the 1 s target)"
    )
    slow = [m.id for m in timed if statistics.median(per_metric[m.id]) > SLOW_MS]
    if slow or timed_out:
        print(f"   slow: {', '.join(timed_out + slow)} (see --explain ID)")
    return total, timed_out


def metric_kinds(metrics: list[Metric]) -> str:
    stocks = sum(1 for m in metrics if m.kind == "stock")
    return f"{len(metrics) - stocks} flows, {stocks} stocks"


def scorecard(
    month: Period, runs: int, *, size: str, counts: Counts, show: bool, without: list[str]
) -> None:
    """Section 2: the dashboard's rows, every metric with 12 monthly columns (less `without`,
    metrics that time out on their own)."""
    metrics = [m for m in METRICS if m.id not in without]

    def rows() -> Any:
        return scorecard_rows(period=month, months=SCORECARD_MONTHS, metrics=metrics)

    n, result, _ = counted(rows)
    counts.record(size, "scorecard_rows (12 months)", n)
    if not show:
        return
    if result is TIMED_OUT:
        print(f"\n2. scorecard_rows for {month.label}: TIMED OUT (> {args_timeout()} s per query)")
        return
    ms = median_ms(rows, runs)
    left_out = f" (without {', '.join(without)})" if without else ""
    print(
        f"\n2. scorecard_rows for {month.label}, {len(result)} rows x {SCORECARD_MONTHS} "
        f"months{left_out}: {ms:.1f} ms, {n} queries (median of {runs})"
    )
    columns = last_months(ending=month, count=SCORECARD_MONTHS)
    costs = []
    for metric in metrics:  # where the time goes: each metric's 12 monthly figures
        series = partial(figures, metric_id=metric.id, measure=metric.measure, months=columns)
        queries = counted(series)[0]
        costs.append((median_ms(series, runs), queries, metric))
    costs.sort(key=lambda cost: -cost[0])
    print(f"   the costliest rows ({metric_kinds(metrics)}):")
    for cost_ms, queries, metric in costs[:8]:
        print(f"   {metric.id:<30} {cost_ms:8.1f} ms {queries:>3} queries  ({metric.kind})")


def grid(runs: int, *, size: str, counts: Counts, heading: str, join_runs: int) -> None:
    """Sections 3 and 4: the open-plans grid beside its bare SQL floors; identical numbers."""
    months = last_months(ending=MONTH, count=GRID_MONTHS)
    first, last = months[0], months[-1]
    params = {"first": first.start, "last": last.start, "last_end": last.end}
    n, result, _ = counted(lambda: open_plans_by_month(first=first, last=last))
    counts.record(size, f"open_plans_by_month ({GRID_MONTHS} months)", n)
    orm = [(row.month.end, row.open_plans) for row in result]
    running = [(day, count) for day, count in raw(GRID_RUNNING_SUM_SQL, params)]
    assert orm == running, "the grid and the hand-written running sum disagree"
    _, joined, _ = counted(lambda: raw(GRID_JOIN_SQL, params))  # slow on England's plans
    if joined is not TIMED_OUT:
        assert orm == joined, "the grid and the hand-written join disagree"
    orm_ms = median_ms(lambda: open_plans_by_month(first=first, last=last), runs)
    running_ms = median_ms(lambda: raw(GRID_RUNNING_SUM_SQL, params), runs)
    print(
        f"\n{heading} open-plans grid, {first.short_label} to {last.short_label} "
        f"({GRID_MONTHS} month ends, {orm[0][1]:,} to {orm[-1][1]:,} plans in force; "
        "identical numbers):"
    )
    print(f"   open_plans_by_month (ORM)       {orm_ms:8.1f} ms  {n} queries  (median of {runs})")
    print(f"   bare SQL, running sum           {running_ms:8.1f} ms  1 query")
    floor = running_ms
    if joined is TIMED_OUT:
        print(f"   bare SQL, month ends x plans    {f'> {args_timeout()} s':>8}     cancelled")
    else:
        joined_ms = median_ms(lambda: raw(GRID_JOIN_SQL, params), join_runs)
        floor = min(running_ms, joined_ms)
        print(
            f"   bare SQL, month ends x plans    {joined_ms:8.1f} ms  1 query  "
            f"(median of {join_runs})"
        )
    verdict = "within" if orm_ms <= 2 * floor else "NOT within"
    print(f"   ratio to the floor: {orm_ms / floor:.2f}x ({verdict} 2x)")


def twenty_weeks(month: Period, runs: int, *, heading: str) -> None:
    """Section 4: the 20-week figure beside its bare SQL; identical numerator and denominator."""
    metric = BY_ID.get(TWENTY_WEEKS)
    if metric is None:
        print(f"\n{heading} {TWENTY_WEEKS}: not in the registry")
        return
    params = {"start": month.start, "end": month.end}
    n, figure, _ = counted(lambda: metric_figure(metric=metric, period=month))
    ((within, issued),) = raw(TWENTY_WEEKS_SQL, params)
    assert (figure.numerator, figure.denominator) == (within, issued), (figure, within, issued)
    orm_ms = median_ms(lambda: metric_figure(metric=metric, period=month), runs)
    sql_ms = median_ms(lambda: raw(TWENTY_WEEKS_SQL, params), runs)
    print(
        f"\n{heading} {TWENTY_WEEKS} for {month.label}: {shown(figure).strip()} "
        "(identical numbers):"
    )
    print(f"   metric_figure                   {orm_ms:8.1f} ms  {n} queries  (median of {runs})")
    print(f"   bare SQL                        {sql_ms:8.1f} ms  1 query")
    print(f"   ratio to the floor: {orm_ms / sql_ms:.2f}x")


def find_pdf_renderer() -> tuple[str, Callable[..., Any]] | None:
    """A function that renders a month's scorecard PDF (named *pdf*, taking `period`), if any."""
    for name in PDF_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attribute, obj in sorted(vars(module).items()):
            lowered = attribute.lower()
            if not inspect.isfunction(obj) or "pdf" not in lowered:
                continue
            if any(word in lowered for word in ("publish", "email", "send", "response", "view")):
                continue
            if "period" in inspect.signature(obj).parameters:
                return f"{obj.__module__}.{attribute}", obj
    return None


def pdf(month: Period, *, without: list[str]) -> None:
    """Section 5: the monthly PDF's render time, in a transaction rolled back afterwards.

    When some metrics time out on their own (`without`) and the renderer takes the rows, it is
    given the scorecard rows without them, and says so."""
    found = find_pdf_renderer()
    if found is None:
        print("\n5. PDF: not available yet")
        return
    name, render = found
    parameters = inspect.signature(render).parameters
    manager = User.objects.get(username="report-manager")
    offered: dict[str, Any] = {"period": month, "scope": None}
    offered.update(dict.fromkeys(("user", "actor", "by", "requested_by"), manager))
    kwargs, missing = {}, []
    for parameter in parameters.values():
        if parameter.name in offered:
            kwargs[parameter.name] = offered[parameter.name]
        elif parameter.default is inspect.Parameter.empty:
            missing.append(parameter.name)
    if missing:
        print(f"\n5. PDF: {name} needs {', '.join(missing)}: not timed")
        return
    note, substitute = "", bool(without) and "rows" in parameters
    months = getattr(inspect.getmodule(render), "CHART_MONTHS", SCORECARD_MONTHS)
    metrics = [m for m in METRICS if m.id not in without]
    if substitute:
        note = f", given its {months}-month rows without {', '.join(without)} (timed out)"

    def once() -> bytes:
        call = dict(kwargs)
        if substitute:  # the rows it would build, less the metrics that time out
            call["rows"] = scorecard_rows(period=month, months=months, metrics=metrics)
        with transaction.atomic():
            result = render(**call)
            transaction.set_rollback(True)
        content = getattr(result, "content", result)
        assert isinstance(content, bytes), type(result)
        assert content.startswith(b"%PDF"), content[:20]
        return content

    n, content, _ = counted(once)
    if content is TIMED_OUT:
        print(f"\n5. PDF: {name}(period={month.key}) TIMED OUT (a query over {args_timeout()} s)")
        return
    ms = median_ms(once, 3)
    print(
        f"\n5. PDF: {name}(period={month.key}{note}): {ms:.0f} ms end to end, {n} queries, "
        f"{len(content) // 1024} KiB (median of 3)"
    )


def explain(metric_id: str, month: Period) -> None:
    """EXPLAIN ANALYZE of each query a metric's figure runs (plain EXPLAIN if it times out)."""
    metric: Metric = BY_ID[metric_id]
    _, _, queries = counted(lambda: metric_figure(metric=metric, period=month))
    for number, query in enumerate(queries, start=1):
        print(f"\n--explain {metric_id}, query {number} of {len(queries)}:\n{query['sql']}\n")
        with connection.cursor() as cursor:
            try:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            except OperationalError:
                print(f"   (EXPLAIN ANALYZE passed the {args_timeout()} s timeout: the plan only)")
                cursor.execute("EXPLAIN " + query["sql"])
            for (line,) in cursor.fetchall():
                print(f"   {line}")


def query_table(counts: Counts, *, without: list[str]) -> None:
    """Section 6: the queries of each figure at each size; they must not grow with the data."""
    sizes = list(counts.by_size)
    names = list(counts.by_size[sizes[0]])
    print(f"\n6. queries per figure at each data size ({', '.join(sizes)}):")
    width = max(len(name) for name in names)
    print(f"   {'figure':<{width}} " + " ".join(f"{size:>9}" for size in sizes))
    grew = []
    for name in names:
        row = [counts.by_size[size].get(name) for size in sizes]
        if len({n for n in row if n is not None}) > 1:
            grew.append(name)
        print(f"   {name:<{width}} " + " ".join(f"{n if n is not None else '-':>9}" for n in row))
    if without:
        print(f"   (the scorecard without {', '.join(without)} at every size: it times out)")
    if grew:
        print(f"   CHANGE WITH THE DATA: {', '.join(grew)}")
    else:
        print("   the same at every size")


# --- the run -----------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> None:
    counts = Counts()
    month: Period = args.month
    print(
        f"database: PostgreSQL; month {month.key}; {len(METRICS)} metrics in the registry; "
        f"timings are medians after a warm-up; queries over {args.timeout} s are cancelled"
    )
    with dataset(data.COUNCIL, rebuild=args.rebuild, drop=args.drop):
        statement_timeout(args.timeout)
        _, slow = every_metric(month, args.runs, size="council", counts=counts, show=True)
        excluded = list(slow)  # left out of the scorecards at every size, so they compare
        scorecard(month, args.runs, size="council", counts=counts, show=True, without=excluded)
        grid(args.runs, size="council", counts=counts, heading="3.", join_runs=args.runs)
        twenty_weeks(month, args.runs, heading="   and")
        pdf(month, without=slow)
        for metric_id in args.explain:
            explain(metric_id, month)
    if args.national:
        print()
        with dataset(data.NATIONAL, rebuild=args.rebuild, drop=args.drop):
            statement_timeout(args.timeout)
            runs = args.national_runs
            grid(runs, size="national", counts=counts, heading="4.", join_runs=1)
            twenty_weeks(month, runs, heading="4.")
            began = time.perf_counter()
            total, slow = every_metric(month, 1, size="national", counts=counts, show=False)
            excluded += [m for m in slow if m not in excluded]
            scorecard(month, 1, size="national", counts=counts, show=False, without=excluded)
            timed_out = f" (timed out: {', '.join(slow)})" if slow else ""
            print(
                f"\n   national, one run for the query counts: every metric {total:.0f} ms"
                f"{timed_out}; with the 12-month scorecard {_ms(began):.0f} ms in all"
            )
    print()
    with dataset(data.TENTH, rebuild=args.rebuild, drop=args.drop):
        statement_timeout(args.timeout)
        every_metric(month, 1, size="tenth", counts=counts, show=False)
        scorecard(month, 1, size="tenth", counts=counts, show=False, without=excluded)
        first = last_months(ending=MONTH, count=GRID_MONTHS)[0]
        n, _, _ = counted(lambda: open_plans_by_month(first=first, last=MONTH))
        counts.record("tenth", f"open_plans_by_month ({GRID_MONTHS} months)", n)
    counts.by_size = {
        size: counts.by_size[size]
        for size in ("tenth", "council", "national")
        if size in counts.by_size
    }
    query_table(counts, without=excluded)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per council figure")
    parser.add_argument(
        "--month",
        type=parse_period,
        default=MONTH,
        help=f"the month of the figures, e.g. 2026-02 (phase transfers fall due in February "
        f"and March); default {MONTH.key}",
    )
    parser.add_argument(
        "--national", action="store_true", help="also England's 640,000 plans (builds once)"
    )
    parser.add_argument(
        "--national-runs", type=int, default=3, help="timed runs per national figure"
    )
    parser.add_argument(
        "--explain",
        action="append",
        default=[],
        metavar="METRIC_ID",
        choices=sorted(BY_ID),
        help="print EXPLAIN ANALYZE of this metric's queries at council scale",
    )
    parser.add_argument(
        "--timeout", type=int, default=30, help="seconds before one query is cancelled"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the datasets again")
    parser.add_argument(
        "--drop", action="store_true", help="drop the datasets' databases at the end"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print(
            "skipped: the reporting benchmark needs PostgreSQL (its floors are PostgreSQL SQL); "
            "set DATABASE_URL=postgres://..."
        )
        return 0
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    began = time.perf_counter()
    run(args)
    print(f"\n(the benchmark took {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
