"""Demo casework: two years of a council's requests, plans and ceases, and today's caseload at
every stage, made through the services.

Runs first in settings.DEMO_SEEDERS; the panels, reviews and tribunals seeders work on what it
makes (requests awaiting a decision, assessments with all advice in, plans, refusals). Each
child follows one journey (`data.JOURNEYS`: awaiting the decision to assess, assessing,
drafting, draft issued; a plan issued in the last two years, a plan issued before them and in
force since, a plan ceased in them; not assessed, no plan, withdrawn, transferred out). The
open ones have dates relative to today, so some cases are on time, some due soon and some late;
the closed ones are spread over the last two years, slower in the weak months 16-24 months ago
and quicker since (`stories.strain`), so every monthly trend on the managers' dashboard has a
history; some late steps carry a recorded exception. About 15 requests arrive a month with the
default 500 children.

Deterministic and idempotent: child n draws from its own random stream (from `rng` and n) and is
known by the number at the end of its LA reference (`<LA>-<year>-<n>`), so a second run skips
every child already there and a larger `--children` adds only the new ones. Deadlines are stored
once at the end (`deadlines_deferred`, then a batched recompute), not once per step, and the
checks Django makes by querying the database are left to the database (`checks`).
"""

import random
import re
import time
from collections import Counter
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.demo.checks import checks_left_to_the_database
from cases.demo.children import Caseload
from cases.demo.journeys import Journey
from cases.demo.stories import draw, journeys_for
from cases.models import AssessmentRequest, Child, RequestStatus
from cases.workflow import status_phrase
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import recompute_all
from send_cms.timescales import DeadlineStatus

__all__ = ["demo_numbers", "seed"]


def demo_numbers() -> set[int]:
    """The numbers n of the demo children already made (references `<LA>-<year>-<n>`)."""
    pattern = re.compile(rf"^{re.escape(str(settings.LA_CODE))}-\d{{4}}-(\d{{5}})$")
    references = Child.objects.filter(reference__startswith=f"{settings.LA_CODE}-")
    return {
        int(match.group(1))
        for reference in references.values_list("reference", flat=True)
        if (match := pattern.match(reference))
    }


def seed(*, rng: random.Random, users: dict[str, Any], children: int, stdout: TextIO) -> str:
    started = time.monotonic()
    base = rng.getrandbits(64)
    done = demo_numbers()
    dealt = journeys_for(children)
    if children and all(n in done for n in range(1, children + 1)):
        return f"cases: the {children} demo children are already there"
    nth: Counter[str] = Counter()
    with (
        transaction.atomic(),
        checks_left_to_the_database(),
        services.deadlines_deferred() as changed,
    ):
        caseload = Caseload(users=users, today=timezone.localdate())
        for n, journey in enumerate(dealt, start=1):
            story_number = nth[journey]
            nth[journey] += 1
            if n in done:
                continue
            child_rng = random.Random(f"{base}:{n}")  # noqa: S311 - demo data, not security
            story = draw(n, journey, story_number, child_rng)
            Journey(caseload, story, child_rng, caseload.child(story, child_rng)).run()
        recompute_all(child_ids=sorted(changed, key=str))
    return _summary(caseload, time.monotonic() - started)


def _summary(caseload: Caseload, seconds: float) -> str:
    counts = caseload.counts
    statuses = Counter(AssessmentRequest.objects.values_list("status", flat=True))
    overdue = Deadline.objects.filter(case_open=True, status=DeadlineStatus.overdue.value).count()
    by_status = ", ".join(f"{statuses[s]} {status_phrase(s)}" for s in RequestStatus)
    return (
        f"cases: {counts['children']} children in {seconds:.1f}s; requests: {by_status}; "
        f"{counts['plans issued']} plans issued ({counts['plans ceased']} since ceased), "
        f"{counts['exceptions']} exceptions, {overdue} overdue deadlines"
    )
