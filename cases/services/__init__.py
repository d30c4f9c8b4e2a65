"""Every write of the casework: children, the assessment request's journey, plans and placements.

Each service is keyword-only and atomic, refuses a step its state does not allow with
`TransitionNotAllowed` (409 in the API) and a rule failure with a field-keyed `ValidationError`
(400), audits with `record(...)`, writes a row on the case timeline with `timeline_record` and
queues the child's deadlines for recomputation once the transaction commits. The messages are
constants in `cases.messages`, re-exported here.
"""

from cases.messages import *  # noqa: F403 - the message constants, by design
from cases.services import requests
from cases.services.children import (
    DuplicateChild,
    age_on,
    child_create,
    child_reallocate,
    child_update,
    contact_add,
    find_possible_duplicates,
)
from cases.services.common import (
    _deadlines_changed,
    deadlines_deferred,
    step_record,
    timeline_record,
    working_calendar,
)
from cases.services.establishments import establishment_create
from cases.services.plans import (
    CEASE_WITHOUT_APPEAL,
    appeal_deadline_for,
    current_settings_follow_placements,
    placement_create,
    placement_end,
    plan_cease,
    plan_cease_propose,
    plan_version_issue,
    register_plan_issued,
)
from cases.services.requests import *  # noqa: F403 - the journey's services, by design

__all__ = [  # noqa: RUF022 - grouped by subject, like the modules
    "DuplicateChild",
    "age_on",
    "child_create",
    "child_reallocate",
    "child_update",
    "contact_add",
    "find_possible_duplicates",
    "_deadlines_changed",
    "deadlines_deferred",
    "step_record",
    "timeline_record",
    "working_calendar",
    "establishment_create",
    "CEASE_WITHOUT_APPEAL",
    "appeal_deadline_for",
    "current_settings_follow_placements",
    "placement_create",
    "placement_end",
    "plan_cease",
    "plan_cease_propose",
    "plan_version_issue",
    "register_plan_issued",
]
__all__ += requests.__all__  # the journey's services, listed once there
