"""A real Celery worker, a real Redis: a changed date is recomputed by the worker, not in-process.

The worker is `celery -A send_cms worker`, a subprocess on the test database (its name comes from
this test's own connection, whose rows are committed: `transactional_db`). It listens on a queue
of its own, so two test runs sharing one Redis never take each other's messages. Redis down is a
failure, not a skip, in CI (REQUIRE_POSTGRES=1 says "the real services"); on a laptop without
PostgreSQL or Redis it is skipped with the reason, so the rest of the suite still runs there.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection, transaction

from cases.models import AssessmentDecision, AssessmentRequest, RequestStatus
from send_cms.celery import app
from send_cms.deadlines.full_recompute import queue_chunks, recompute_run_plan
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import queue_recompute, recompute_for_children
from tests.factories import AssessmentRequestFactory

pytestmark = pytest.mark.celery_worker

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAIT_SECONDS = 30
TASK = "send_cms.deadlines.tasks.recompute_child_deadlines"
CHUNK_TASK = "send_cms.deadlines.tasks.recompute_deadline_chunk"


def _missing_service(reason: str) -> None:
    """Fail in CI, which runs against the real services; skip, with the reason, elsewhere."""
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _require_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        _missing_service(
            f"Redis is not reachable at {REDIS_URL} ({error}). This test needs a real broker: "
            "start Redis or set TEST_REDIS_URL."
        )


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        _missing_service("The real-worker test needs PostgreSQL: the worker cannot share SQLite.")
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _wait_for(condition: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"Waited {WAIT_SECONDS}s for {what}. Worker log:\n{log.read_text()}")


@contextmanager
def running_worker(tmp_path: Path) -> Iterator[Path]:
    """A worker on its own queue, and the producer switched from in-process to that queue."""
    queue = f"deadlines-test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "send_cms.settings.test",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": _test_database_url(),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                *("-m", "celery", "-A", "send_cms", "worker", "--pool", "solo"),
                *("--queues", queue, "--hostname", f"{queue}@%h", "--loglevel", "INFO"),
                *("--without-heartbeat", "--without-gossip", "--without-mingle"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    saved = {
        key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    try:

        def ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"The worker stopped (exit {process.returncode}):\n{log.read_text()}")
            return " ready." in log.read_text()

        _wait_for(ready, "the worker to start", log)
        app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
        app.close()
        app.__dict__.pop("amqp", None)  # queues and routes are cached from the old settings
        yield log
    finally:
        app.conf.update(saved)
        app.close()
        app.__dict__.pop("amqp", None)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_a_real_worker_recomputes_a_deadline_after_a_date_changes(
    transactional_db: None, tmp_path: Path
) -> None:
    _require_redis()
    with running_worker(tmp_path) as log:
        _change_a_date_and_see_the_worker_recompute(log)


def _change_a_date_and_see_the_worker_recompute(log: Path) -> None:
    request = AssessmentRequestFactory.create()
    recompute_for_children([request.child_id])
    row = Deadline.objects.get(subject_id=request.pk, rule="decision_to_assess")
    assert row.met_on is None

    # What a service does: change the date, queue the recompute once the change is committed.
    with transaction.atomic():
        AssessmentRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.ASSESSING,
            decision=AssessmentDecision.ASSESS,
            decided_on="2025-10-13",
            decision_letter_sent_on="2025-10-13",
        )
        transaction.on_commit(lambda: queue_recompute(request.child_id))

    def recomputed() -> bool:
        return Deadline.objects.filter(pk=row.pk, status="met", met_on="2025-10-13").exists()

    _wait_for(recomputed, "the worker to recompute the deadline", log)
    # The worker did it (eager is off here): its log has the task received and succeeded.
    _wait_for(lambda: " succeeded in " in log.read_text(), "the worker's log line", log)
    assert f"Task {TASK}[" in log.read_text()
    assert Deadline.objects.get(subject_id=request.pk, rule="final_plan").status != "not_applicable"


def test_a_real_worker_runs_a_full_recompute_chunk_by_chunk(
    transactional_db: None, tmp_path: Path
) -> None:
    _require_redis()
    requests = AssessmentRequestFactory.create_batch(5)
    recompute_for_children([request.child_id for request in requests])
    Deadline.objects.filter(rule="decision_to_assess").update(explanation="the old law")
    with running_worker(tmp_path) as log:
        run = recompute_run_plan(actor=None, reason="Regulation 5 amended", chunk_size=2)
        assert queue_chunks(run) == 3

        def finished() -> bool:
            run.refresh_from_db()
            return run.finished_at is not None

        _wait_for(finished, "the worker to finish every chunk", log)
    assert list(run.chunks.values_list("status", flat=True)) == ["done", "done", "done"]
    assert not Deadline.objects.filter(explanation="the old law").exists()
    succeeded = [
        line
        for line in log.read_text().splitlines()
        if f"Task {CHUNK_TASK}[" in line and " succeeded in " in line
    ]
    assert len(succeeded) == 3
