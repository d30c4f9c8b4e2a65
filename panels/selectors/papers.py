"""The case papers a panel member reads for an item, and the meeting's papers pack."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from cases.models import (
    AdviceRequest,
    AssessmentRequest,
    Child,
    Placement,
    Plan,
)
from cases.selectors import VIEWED, child_get
from panels.models import (
    AgendaItem,
)
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record
from send_cms.deadlines.models import Deadline

#: The agenda builder suggests statutory decisions due within this many days of the meeting.


# --- case papers ----------------------------------------------------------------------------


@dataclass
class CasePapers:
    """What a panel member reads about one item's case."""

    child: Child
    request: AssessmentRequest | None
    plan: Plan | None
    advice: list[AdviceRequest] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)


def _deadlines_by_child(child_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Deadline]]:
    found: dict[uuid.UUID, list[Deadline]] = {}
    for deadline in Deadline.objects.filter(child_id__in=list(child_ids)).order_by("due_on"):
        found.setdefault(deadline.child_id, []).append(deadline)
    return found


def item_papers(*, user: Actor, item: AgendaItem) -> CasePapers:
    """The case papers for one item. The child is read through the cases selector, so its
    visibility rule applies and the read is audited like every read of a child's record."""
    child_get(user=user, pk=item.child_id)
    return papers_for(user=user, items=[item], audit=False)[item.pk]


def papers_for(
    *, user: Actor, items: list[AgendaItem], audit: bool = True
) -> dict[uuid.UUID, CasePapers]:
    """Papers for several items in a fixed number of queries (the meeting's papers pack)."""
    request_ids = [i.request_id for i in items if i.request_id]
    plan_ids = [i.plan_id for i in items if i.plan_id]
    requests = {
        r.pk: r
        for r in AssessmentRequest.objects.filter(pk__in=request_ids).prefetch_related(
            "advice_requests"
        )
    }
    plans = {
        p.pk: p
        for p in Plan.objects.filter(pk__in=plan_ids).prefetch_related(
            Prefetch("placements", queryset=Placement.objects.select_related("establishment"))
        )
    }
    deadlines = _deadlines_by_child(i.child_id for i in items)
    papers = {}
    for item in items:
        request = requests.get(item.request_id) if item.request_id else None
        plan = plans.get(item.plan_id) if item.plan_id else None
        papers[item.pk] = CasePapers(
            child=item.child,
            request=request,
            plan=plan,
            advice=list(request.advice_requests.all()) if request else [],
            placements=list(plan.placements.all()) if plan else [],
            deadlines=[d for d in deadlines.get(item.child_id, []) if d.case_open],
        )
    if audit:
        for child in {i.child_id: i.child for i in items}.values():
            record(
                actor=user,
                action=VIEWED,
                obj=child,
                child_id=child.pk,
                changes={"via": "panel papers pack"},
            )
    return papers
