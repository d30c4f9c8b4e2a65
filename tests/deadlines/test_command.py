"""`manage.py recompute_deadlines`: every child in batches with a progress bar, or one child."""

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from send_cms.deadlines.messages import BAD_CHILD_ID, UNKNOWN_CHILD
from send_cms.deadlines.models import Deadline
from tests.factories import AdviceRequestFactory, AssessmentRequestFactory, ChildFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("recompute_deadlines", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_child_in_batches_with_a_progress_bar() -> None:
    first = AssessmentRequestFactory.create(assessing=True)
    AdviceRequestFactory.create(request=first)
    AssessmentRequestFactory.create()
    ChildFactory.create()  # no request yet: visited, nothing stored

    out, err = _run("--batch-size", "2")

    assert out == "Recomputed deadlines for 3 children: 7 rows written or removed.\n"
    assert "Recomputing deadlines: 100%" in err
    assert "3/3" in err
    assert Deadline.objects.count() == 7

    out, _ = _run()
    assert out == "Recomputed deadlines for 3 children: 0 rows written or removed.\n"


def test_stale_rows_of_a_child_are_removed_too() -> None:
    request = AssessmentRequestFactory.create()
    _run()
    Deadline.objects.filter(child_id=request.child_id, rule="final_plan").update(
        rule="no_longer_a_step"
    )
    Deadline.objects.create(
        child_id=uuid.uuid4(),
        subject_type="cases.assessmentrequest",
        subject_id=uuid.uuid4(),
        rule="final_plan",
        title="Final EHC plan due",
        regulation="-",
        trigger_on="2025-09-08",
        due_on="2026-01-26",
        practical_target_on="2026-01-26",
        status="upcoming",
        explanation="-",
    )

    out, _ = _run()

    # The final plan's row is written again; the stale row and the orphan are removed.
    assert out == "Recomputed deadlines for 2 children: 3 rows written or removed.\n"
    assert sorted(Deadline.objects.values_list("rule", flat=True)) == [
        "decision_not_to_issue",
        "decision_to_assess",
        "final_plan",
    ]


def test_one_child() -> None:
    mine = AssessmentRequestFactory.create()
    other = AssessmentRequestFactory.create()

    out, _ = _run("--child", str(mine.child_id), "--verbosity", "0")

    assert out == "Recomputed deadlines for 1 child: 3 rows written or removed.\n"
    assert set(Deadline.objects.values_list("child_id", flat=True)) == {mine.child_id}
    assert not Deadline.objects.filter(child_id=other.child_id).exists()


def test_a_bad_child_id_is_refused() -> None:
    with pytest.raises(CommandError) as error:
        _run("--child", "not-a-uuid")
    assert str(error.value) == BAD_CHILD_ID.format(value="not-a-uuid")

    unknown = uuid.UUID(int=7)
    with pytest.raises(CommandError) as error:
        _run("--child", str(unknown))
    assert str(error.value) == UNKNOWN_CHILD.format(value=unknown)
    assert str(error.value) == "No child has the id 00000000-0000-0000-0000-000000000007."


def test_the_exit_code_is_not_zero_for_a_bad_child_id() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "send_cms.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "recompute_deadlines", "--child", "12345"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "CommandError: '12345' is not a child id: give the child's UUID" in result.stderr
