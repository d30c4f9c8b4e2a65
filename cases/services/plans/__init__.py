"""EHC plans after issue: placements over time, section I, amended versions, and ceasing.

Split along those seams: `placements`, `named_settings`, `versions` (with the hook for a final
plan's issue), `cease` (the rules; `cases.services.ceasing` adds the page's steps), and `state`
(the plan must be in force).
"""

from cases.services.plans.cease import (
    CEASE_WITHOUT_APPEAL,
    CeaseAppeals,
    CeaseAppealsSource,
    appeal_deadline_for,
    cease_appeals,
    plan_cease,
    plan_cease_propose,
    register_cease_appeals,
)
from cases.services.plans.named_settings import (
    check_named_settings,
    check_starts_on,
    named_settings_save,
)
from cases.services.plans.placements import (
    current_settings_follow_placements,
    place_at_named_setting,
    placement_create,
    placement_end,
)
from cases.services.plans.state import active_plan
from cases.services.plans.versions import (
    PlanIssuedListener,
    plan_issued,
    plan_version_issue,
    register_plan_issued,
)

__all__ = [
    "CEASE_WITHOUT_APPEAL",
    "CeaseAppeals",
    "CeaseAppealsSource",
    "PlanIssuedListener",
    "active_plan",
    "appeal_deadline_for",
    "cease_appeals",
    "check_named_settings",
    "check_starts_on",
    "current_settings_follow_placements",
    "named_settings_save",
    "place_at_named_setting",
    "placement_create",
    "placement_end",
    "plan_cease",
    "plan_cease_propose",
    "plan_issued",
    "plan_version_issue",
    "register_cease_appeals",
    "register_plan_issued",
]
