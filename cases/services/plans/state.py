"""The one rule every write to a plan shares: it must still be in force."""

from cases import messages as msg
from cases.models import Plan, PlanStatus
from cases.services.common import lock
from send_cms.common.exceptions import TransitionNotAllowed


def active_plan(plan: Plan) -> Plan:
    """Lock the plan and reload it, or refuse (409) once it has ceased."""
    lock(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise TransitionNotAllowed(msg.PLAN_CEASED)
    return plan
