"""The nightly refresh: today's status on every open, unmet deadline, set-based and in batches."""

import datetime as dt
import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import recompute_for_children, refresh_statuses, step_status
from send_cms.deadlines.tasks import refresh_deadline_statuses
from tests.deadlines.conftest import rows_of
from tests.factories import AssessmentRequestFactory

D = dt.date
FINAL = D(2026, 1, 26)  # final_plan for a request received Mon 8 Sep 2025


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "status"),
    [
        (FINAL - dt.timedelta(days=8), "upcoming"),
        (FINAL - dt.timedelta(days=7), "due_soon"),
        (FINAL, "due_soon"),
        (FINAL + dt.timedelta(days=1), "overdue"),
    ],
    ids=["due-8", "due-7", "due", "due+1"],
)
def test_the_nightly_task_sets_todays_status(
    today: dt.date, status: str, travel: Callable[[dt.date], None]
) -> None:
    request = AssessmentRequestFactory.create(issuing=True)
    recompute_for_children([request.child_id], today=D(2025, 9, 8))
    assert rows_of(request)["final_plan"].status == "upcoming"

    travel(today)
    refresh_deadline_statuses.delay()

    assert rows_of(request)["final_plan"].status == status


@pytest.mark.django_db
def test_a_family_window_that_has_closed_becomes_met(travel: Callable[[dt.date], None]) -> None:
    request = AssessmentRequestFactory.create(draft_issued=True)
    recompute_for_children([request.child_id], today=D(2025, 12, 8))
    assert rows_of(request)["draft_representations"].status == "upcoming"

    travel(D(2025, 12, 23))
    refresh_statuses()

    assert rows_of(request)["draft_representations"].status == "met"
    assert rows_of(request)["final_plan"].status == "upcoming"


@pytest.mark.django_db
def test_met_closed_and_not_applicable_rows_are_left_alone() -> None:
    done = AssessmentRequestFactory.create(final_issued=True)  # closed case, met rows
    not_issuing = AssessmentRequestFactory.create(not_issuing=True)
    recompute_for_children([done.child_id, not_issuing.child_id], today=D(2025, 9, 8))
    before = {row.pk: row.status for row in Deadline.objects.all()}

    changed = refresh_statuses(today=D(2027, 1, 1))

    after = {row.pk: row.status for row in Deadline.objects.all()}
    assert changed == 0
    assert after == before


@pytest.mark.django_db
def test_running_twice_gives_the_same_table_and_changes_nothing_the_second_time() -> None:
    requests = [AssessmentRequestFactory.create(assessing=True) for _ in range(3)]
    recompute_for_children([r.child_id for r in requests], today=D(2025, 9, 8))

    first = refresh_statuses(today=D(2026, 1, 20), batch_size=2)
    table = {row.pk: row.status for row in Deadline.objects.all()}
    second = refresh_statuses(today=D(2026, 1, 20), batch_size=2)

    assert first == 6  # 3 x (decision not to issue overdue, final plan due soon)
    assert second == 0
    assert {row.pk: row.status for row in Deadline.objects.all()} == table


@pytest.mark.django_db
def test_the_result_is_what_a_recompute_on_that_day_gives() -> None:
    requests = [
        AssessmentRequestFactory.create(),
        AssessmentRequestFactory.create(assessing=True),
        AssessmentRequestFactory.create(draft_issued=True),
    ]
    ids = [r.child_id for r in requests]
    for today in (D(2025, 10, 14), D(2025, 12, 22), D(2025, 12, 23), D(2026, 1, 27)):
        recompute_for_children(ids, today=D(2025, 9, 8))
        refresh_statuses(today=today)
        refreshed = {row.pk: row.status for row in Deadline.objects.all()}
        recompute_for_children(ids, today=today)
        assert {row.pk: row.status for row in Deadline.objects.all()} == refreshed, today


def _todays_statuses(today: dt.date) -> dict[int, str]:
    """What `step_status` says each unmet row's status is on `today`."""
    return {
        row.pk: step_status(rule=row.rule, due=row.due_on, met_on=None, today=today).value
        for row in Deadline.objects.filter(met_on__isnull=True)
    }


def _bulk_rows(n: int, due: dt.date) -> None:
    Deadline.objects.bulk_create(
        Deadline(
            child_id=uuid.uuid4(),
            subject_type="cases.assessmentrequest",
            subject_id=uuid.uuid4(),
            rule="final_plan",
            title="Final EHC plan due",
            regulation="SEND Regulations 2014, regulation 13(2)",
            trigger_on=due - dt.timedelta(weeks=20),
            due_on=due + dt.timedelta(days=i % 30),
            practical_target_on=due,
            status="upcoming",
            explanation="20 weeks from the request.",
        )
        for i in range(n)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [40, 43])
def test_the_queries_per_batch_are_constant(rows: int) -> None:
    _bulk_rows(rows, D(2026, 3, 1))
    expected = _todays_statuses(D(2026, 3, 10))
    batches: list[int] = []
    with CaptureQueriesContext(connection) as captured:
        changed = refresh_statuses(today=D(2026, 3, 10), batch_size=10, progress=batches.append)
    # First, one query finds the family windows that close (or reopen) today. Per batch: one
    # query reads the batch's ids, one UPDATE sets today's status, one more carries it to the
    # children's stored next deadlines; a last, empty read ends a run whose rows fill the last
    # batch exactly. (The test's own transaction adds a savepoint per batch; a real run has
    # none.)
    queries = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    updates = [sql for sql in queries if sql.startswith('UPDATE "deadlines_deadline"')]
    next_updates = [sql for sql in queries if sql.startswith('UPDATE "deadlines_nextdeadline"')]
    assert changed == sum(status != "upcoming" for status in expected.values())
    assert _todays_statuses(D(2026, 3, 10)) == expected
    assert batches == [10] * (rows // 10) + ([rows % 10] if rows % 10 else [])
    assert len(updates) == len(next_updates) == len(batches)
    assert len(queries) == 1 + 3 * len(batches) + (rows % 10 == 0)
    if connection.vendor == "postgresql":
        assert all("FOR UPDATE SKIP LOCKED" in sql for sql in updates)


@pytest.mark.django_db
def test_the_batches_follow_the_open_rows_not_the_gaps_between_their_ids() -> None:
    _bulk_rows(1000, D(2026, 3, 1))
    ids = sorted(Deadline.objects.values_list("id", flat=True))
    # Years of history: most rows met or on closed cases, a few open ones spread among them.
    open_ids = ids[::100]
    Deadline.objects.exclude(id__in=open_ids).update(met_on=D(2026, 2, 1), status="met")
    batches: list[int] = []

    changed = refresh_statuses(today=D(2026, 3, 10), batch_size=4, progress=batches.append)

    # Ten open rows spread over 901 ids: three batches, not one for every 4 ids of the range.
    assert batches == [4, 4, 2]
    statuses = dict(Deadline.objects.filter(id__in=open_ids).values_list("id", "status"))
    assert statuses == _todays_statuses(D(2026, 3, 10))
    assert changed == sum(status != "upcoming" for status in statuses.values()) == 7


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_agree() -> None:
    _bulk_rows(600, D(2026, 3, 1))
    today = D(2026, 3, 12)
    counts: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(refresh_statuses(today=today, batch_size=50))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    rows = list(Deadline.objects.all())
    expected = {
        row.pk: step_status(rule=row.rule, due=row.due_on, met_on=None, today=today).value
        for row in rows
    }
    assert {row.pk: row.status for row in rows} == expected
    # Every change was made once, by one run or the other: a row the other run holds is
    # skipped, and a row it has just changed no longer matches when it is read again.
    assert sum(counts) == sum(status != "upcoming" for status in expected.values())
    assert refresh_statuses(today=today) == 0
