"""The full recompute in chunks: planned as a run, each chunk a Celery task (eager here; the
real-worker test runs one through Redis), resumed after a stop, its progress printed."""

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from send_cms.audit.models import AuditEvent
from send_cms.deadlines import full_recompute, services
from send_cms.deadlines.full_recompute import plan_chunks, recompute_chunk, recompute_run_plan
from send_cms.deadlines.messages import NO_RUN_TO_RESUME, RUN_FINISHED_ALREADY
from send_cms.deadlines.models import ChunkStatus, ClosureDay, Deadline, RecomputeRun
from tests.factories import AssessmentRequestFactory, ChildFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("recompute_deadlines", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _stale_children(count: int) -> list[uuid.UUID]:
    """Children whose stored decision deadline is wrong, as after a change in the law."""
    ids = []
    for _ in range(count):
        request = AssessmentRequestFactory.create()
        services.recompute_for_children([request.child_id])
        ids.append(request.child_id)
    Deadline.objects.filter(rule="decision_to_assess").update(
        due_on=dt.date(2000, 1, 1), explanation="the old law"
    )
    return ids


def _stale() -> int:
    return Deadline.objects.filter(explanation="the old law").count()


def test_chunks_are_contiguous_ranges_of_ids_open_at_both_ends() -> None:
    ids = sorted(uuid.uuid4() for _ in range(5))

    chunks = plan_chunks(ids, 2)

    assert chunks == [(None, ids[1], 2), (ids[1], ids[3], 2), (ids[3], None, 1)]
    assert plan_chunks([], 2) == [(None, None, 0)]
    with pytest.raises(ValueError, match="at least 1"):
        plan_chunks(ids, 0)


def test_parallel_recomputes_every_child_in_chunks_and_prints_progress() -> None:
    _stale_children(5)
    assert _stale() == 5

    out, err = _run("--parallel", "--chunk-size", "2", "--reason", "Regulation 13 amended")

    assert _stale() == 0
    run = RecomputeRun.objects.get()
    assert (run.reason, run.children, run.chunk_size) == ("Regulation 13 amended", 5, 2)
    assert run.finished_at is not None
    assert list(run.chunks.values_list("number", "status", "children", "attempts")) == [
        (1, "done", 2, 1),
        (2, "done", 2, 1),
        (3, "done", 1, 1),
    ]
    assert f"Recompute {run.pk}: 5 children in 3 chunks of 2; 3 chunks queued." in out
    assert (
        f"Recompute {run.pk} (Regulation 13 amended): 3 of 3 chunks done, 5 of 5 children, "
        "5 rows written or removed; finished " in out
    )
    assert f"Recompute {run.pk}" in err  # the progress bar
    actions = dict(
        AuditEvent.objects.filter(
            object_id=str(run.pk), action__startswith="deadline_recompute"
        ).values_list("action", "changes")
    )
    assert actions == {
        "deadline_recompute.started": {
            "reason": "Regulation 13 amended",
            "children": 5,
            "chunks": 3,
        },
        "deadline_recompute.finished": {"children": 5, "changed": 5},
    }


def test_a_run_stopped_midway_is_resumed_from_the_chunks_not_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _stale_children(6)
    real = services.recompute_all
    calls: list[int] = []

    def worker_dies_at_the_second_chunk(**kwargs: Any) -> Any:
        calls.append(len(kwargs["child_ids"]))
        if len(calls) == 2:
            raise ConnectionError("the worker was stopped")
        return real(**kwargs)

    monkeypatch.setattr(
        "send_cms.deadlines.full_recompute.recompute_all", worker_dies_at_the_second_chunk
    )
    with pytest.raises(ConnectionError):
        _run("--parallel", "--chunk-size", "2")

    run = RecomputeRun.objects.get()
    assert run.finished_at is None
    assert list(run.chunks.values_list("status", flat=True)) == ["done", "running", "pending"]
    assert _stale() == 4
    out, _ = _run("--status")
    assert "2 of 6 children" in out
    assert "1 of 3 chunks done" in out
    assert "under way or stopped (resume with --resume)" in out

    monkeypatch.setattr("send_cms.deadlines.full_recompute.recompute_all", real)
    out, _ = _run("--resume")

    assert "2 chunks queued." in out
    assert RecomputeRun.objects.get(pk=run.pk).finished_at is not None
    assert _stale() == 0
    # The chunk done before the stop was not done again; the one stopped in flight was retried.
    assert list(run.chunks.values_list("status", "attempts")) == [
        ("done", 1),
        ("done", 2),
        ("done", 1),
    ]
    assert AuditEvent.objects.filter(action="deadline_recompute.resumed").count() == 1
    with pytest.raises(CommandError, match=RUN_FINISHED_ALREADY.format(run=run.pk)):
        _run("--resume", str(run.pk))
    with pytest.raises(CommandError, match=NO_RUN_TO_RESUME):
        _run("--resume")


def test_a_chunk_delivered_twice_is_done_once() -> None:
    _stale_children(2)
    run = recompute_run_plan(actor=None, reason="test", chunk_size=5)
    chunk = run.chunks.get()

    assert recompute_chunk(chunk.pk) == 2
    assert recompute_chunk(chunk.pk) == 0

    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts, chunk.changed) == (ChunkStatus.DONE, 1, 2)


def test_a_child_added_after_planning_is_recomputed_by_the_chunk_its_id_falls_in() -> None:
    _stale_children(3)
    run = recompute_run_plan(actor=None, reason="test", chunk_size=1)
    late = AssessmentRequestFactory.create()
    Deadline.objects.filter(child_id=late.child_id).delete()

    full_recompute.queue_chunks(run)

    assert Deadline.objects.filter(child_id=late.child_id, rule="decision_to_assess").exists()
    assert _stale() == 0


def test_the_chunks_cover_children_known_only_by_their_stored_rows() -> None:
    """A child's rows whose record has gone (the recompute removes them) are in a chunk too."""
    _stale_children(2)
    orphan = uuid.uuid4()
    row = Deadline.objects.first()
    assert row is not None
    Deadline.objects.filter(pk=row.pk).update(child_id=orphan, subject_id=uuid.uuid4())

    _run("--parallel", "--chunk-size", "1")

    assert not Deadline.objects.filter(child_id=orphan).exists()
    assert RecomputeRun.objects.get().children == 3


def test_a_closure_day_change_recomputes_through_a_run(
    admin_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _stale_children(2)

    with django_capture_on_commit_callbacks(execute=True):
        services.closure_day_save(
            actor=admin_user,
            closure=ClosureDay(date=dt.date(2026, 12, 29), reason="Office closed over Christmas"),
        )

    run = RecomputeRun.objects.get()
    assert run.reason == "A council closure day changed"
    assert run.finished_at is not None
    assert _stale() == 0


def test_status_of_a_run_that_does_not_exist_is_an_error() -> None:
    with pytest.raises(CommandError, match="No full recompute has the number 99"):
        _run("--status", "99")
    with pytest.raises(CommandError, match="Give only one of"):
        _run("--parallel", "--child", str(ChildFactory.create().pk))


def test_administrators_see_each_run_and_its_chunks_read_only(admin_client_: Any) -> None:
    _stale_children(3)
    _run("--parallel", "--chunk-size", "2", "--reason", "Regulation 13 amended")
    run = RecomputeRun.objects.get()

    listing = admin_client_.get("/admin/deadlines/recomputerun/")
    page = admin_client_.get(f"/admin/deadlines/recomputerun/{run.pk}/change/")

    assert listing.status_code == 200
    assert "Regulation 13 amended" in listing.content.decode()
    assert page.status_code == 200
    assert page.content.decode().count('class="field-status"') == 2
    assert admin_client_.get("/admin/deadlines/recomputerun/add/").status_code == 403
