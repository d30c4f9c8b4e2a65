"""Plans and placements, scoped to the user (reads of one audited), and a decision to cease."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from cases.models import Placement, Plan
from cases.selectors.children import VIEWED, _scope
from cases.services.plans import appeal_deadline_for, cease_appeals
from send_cms.audit.services import record
from send_cms.deadlines.models import Deadline
from send_cms.timescales import compute, default_calendar

# --- plans and placements ------------------------------------------------------------------------


def _next_review_due() -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        child_id=OuterRef("child_id"), rule="annual_review", met_on__isnull=True
    ).order_by("due_on")


def plan_list(*, user: Any) -> QuerySet[Plan]:
    """Plans with their placements and the next annual review due (from the deadline table)."""
    return _scope(
        Plan.objects.select_related("child", "request")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("establishment").order_by(
                    "rank", "-starts_on"
                ),
            )
        )
        .annotate(next_review_due=Subquery(_next_review_due().values("due_on")[:1]))
        .order_by("-issued_on", "-created_at"),
        user,
        "child_id",
    )


def plan_get(*, user: Any, pk: Any, audit: bool = True) -> Plan:
    plan = (
        plan_list(user=user)
        .prefetch_related("versions__issued_by", "named_settings__establishment")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No EHC plan with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=plan, child_id=plan.child_id)
    return plan


def placement_list(*, user: Any) -> QuerySet[Placement]:
    return _scope(
        Placement.objects.select_related("plan", "establishment").order_by(
            "plan_id", "rank", "-starts_on"
        ),
        user,
        "plan__child_id",
    )


def placement_get(*, user: Any, pk: Any, audit: bool = True) -> Placement:
    placement = placement_list(user=user).filter(pk=pk).first()
    if placement is None:
        raise Http404("No placement with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=placement, child_id=placement.plan.child_id)
    return placement


# --- ceasing a plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CeaseWindow:
    """Where a decision to cease stands: the family's dates from the decision notice, and what
    the appeal records say (read through the tribunals app's registered hook)."""

    decided_on: dt.date
    mediation_contact_by: dt.date
    appeal_deadline: dt.date
    earliest_cease_on: dt.date
    refusal: str = ""
    appeal_decided: bool = False


def plan_cease_window(*, plan: Plan) -> CeaseWindow | None:
    """The window of the decision to cease recorded on the plan; None before a decision."""
    decided_on = plan.cease_decided_on
    if decided_on is None:
        return None
    appeals = cease_appeals(plan, decided_on)
    deadline = appeal_deadline_for(decided_on, certificate=appeals.certificate_on)
    return CeaseWindow(
        decided_on=decided_on,
        mediation_contact_by=compute("mediation_contact", decided_on, default_calendar()).due,
        appeal_deadline=deadline,
        earliest_cease_on=decided_on if appeals.decided else deadline + dt.timedelta(days=1),
        refusal=appeals.refusal,
        appeal_decided=appeals.decided,
    )
