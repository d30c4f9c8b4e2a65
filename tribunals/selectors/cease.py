"""Ceasing a plan while the family can still challenge the decision.

timescales.md: a plan proposed to cease must be maintained until the appeal deadline has passed
(the `appeal_deadline` rule, from the decision notice or a later mediation certificate) or an
appeal is decided. The casework cease rule (`cases.services.plans.plan_cease`) asks this module
through the source registered in apps.py, because casework cannot import this app. What this
app's records say about the decision to cease notified on a given day:

- an appeal against ceasing the plan is open: the plan cannot cease, whatever the dates;
- an appeal against ceasing was upheld or conceded on or after that day: the decision was
  overturned and the plan must be maintained (a new decision to cease would come later);
- the tribunal dismissed an appeal against that decision: the deadline no longer holds it;
- an appeal withdrawn or struck out decides nothing: the deadline still applies;
- a mediation certificate about ceasing issued on or after that day moves the deadline.
"""

import datetime as dt
from dataclasses import dataclass

from cases.models import Plan
from cases.services.plans import CeaseAppeals
from send_cms.timescales import Due, format_date
from tribunals import messages as msg
from tribunals.codes import OPEN_APPEAL_STATUSES, AppealType, DecisionType, Outcome
from tribunals.deadlines import appeal_deadline
from tribunals.models import Appeal, Mediation

#: Outcomes that overturn a decision to cease: the plan is maintained.
OVERTURNED = {
    Outcome.UPHELD: "upheld by the tribunal",
    Outcome.UPHELD_IN_PART: "upheld in part by the tribunal",
    Outcome.CONCEDED: "conceded by the council",
}


def cease_appeal_pending(plan: Plan) -> bool:
    """True while an appeal against ceasing this plan is registered and not yet decided."""
    return Appeal.objects.filter(
        plan=plan, appeal_type=AppealType.CEASE, status__in=OPEN_APPEAL_STATUSES
    ).exists()


def _cease_appeals(plan: Plan) -> list[Appeal]:
    return list(
        Appeal.objects.filter(plan=plan, appeal_type=AppealType.CEASE).order_by(
            "-received_by_la_on", "-created_at"
        )
    )


def cease_certificate_on(plan: Plan, decided_on: dt.date) -> dt.date | None:
    """The latest mediation certificate about ceasing the plan issued since the decision."""
    return (
        Mediation.objects.filter(
            plan=plan,
            decision_type=DecisionType.CEASE,
            certificate_issued_on__gte=decided_on,
        )
        .order_by("-certificate_issued_on")
        .values_list("certificate_issued_on", flat=True)
        .first()
    )


def cease_appeals_for(plan: Plan, decided_on: dt.date) -> CeaseAppeals:
    """The answer `plan_cease` reads for the decision to cease notified on `decided_on`."""
    appeals = _cease_appeals(plan)
    pending = next((a for a in appeals if a.is_open), None)
    if pending is not None:
        return CeaseAppeals(
            refusal=msg.CEASE_APPEAL_PENDING.format(received=format_date(pending.received_by_la_on))
        )
    overturned = next(
        (
            a
            for a in appeals
            if a.outcome in OVERTURNED and a.decided_on is not None and a.decided_on >= decided_on
        ),
        None,
    )
    if overturned is not None:
        assert overturned.decided_on is not None
        return CeaseAppeals(
            refusal=msg.CEASE_OVERTURNED.format(
                outcome=OVERTURNED[Outcome(overturned.outcome)],
                on=format_date(overturned.decided_on),
            )
        )
    dismissed = any(
        a.outcome == Outcome.DISMISSED and a.received_by_la_on >= decided_on for a in appeals
    )
    return CeaseAppeals(decided=dismissed, certificate_on=cease_certificate_on(plan, decided_on))


@dataclass(frozen=True)
class CeasePosition:
    """What stands between a decision to cease a plan and its ending, for the appeal page:
    `rule` is what the casework cease rule will be told (None without a decision notice)."""

    appeal_deadline: Due | None
    open_appeal: Appeal | None
    decided_appeal: Appeal | None
    rule: CeaseAppeals | None = None

    @property
    def pending(self) -> bool:
        return self.open_appeal is not None

    @property
    def earliest_cease_on(self) -> dt.date | None:
        """The first day the plan may cease when only the deadline holds it."""
        if self.appeal_deadline is None:
            return None
        return self.appeal_deadline.due + dt.timedelta(days=1)


def cease_position(plan: Plan, *, decided_on: dt.date | None = None) -> CeasePosition:
    """Any appeal against ceasing, and the family's appeal deadline for the decision notified on
    `decided_on` (else the plan's recorded decision to cease). A proposal to cease is not a
    decision notice: with neither date there is no deadline yet."""
    appeals = _cease_appeals(plan)
    open_appeal = next((a for a in appeals if a.is_open), None)
    decided = next((a for a in appeals if not a.is_open), None)
    notice = decided_on or plan.cease_decided_on
    if notice is None:
        return CeasePosition(None, open_appeal, decided)
    rule = cease_appeals_for(plan, notice)
    deadline = appeal_deadline(notice, rule.certificate_on)
    return CeasePosition(deadline, open_appeal, decided, rule)
