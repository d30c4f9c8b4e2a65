"""Every read of the casework, scoped to the user first; reads of a child's record are audited.

Caseworkers, managers and administrators see every child. Panel members see only the children
on their panels' agendas (`cases.rules.panel_member_child_ids`). Anyone else sees nothing.
Querysets own their `select_related` / `prefetch_related`, so list pages and API lists run a
constant number of queries whatever the number of rows. One module per seam: children (and
who may read them), the caseload, requests and advice, plans, and the other records.
"""

from cases.selectors.caseload import (
    OPEN_DEADLINE_STATUSES,
    STAGE_PLAN,
    STAGES,
    CaseloadKey,
    CaseloadPage,
    caseload,
    caseload_counts,
    caseload_page,
    caseload_settings,
    every_caseload_counts,
)
from cases.selectors.children import (
    VIEWED,
    _search,
    allocation_history,
    child_get,
    child_list,
    child_matching,
    child_search,
    visible_child_ids,
)
from cases.selectors.plans import (
    CeaseWindow,
    placement_get,
    placement_list,
    plan_cease_window,
    plan_get,
    plan_list,
)
from cases.selectors.records import (
    document_get,
    document_list,
    establishment_find,
    establishment_list,
    establishment_search,
    letter_get,
    letter_list,
    letter_wording_versions,
    letter_wordings_current,
    timeline_for,
)
from cases.selectors.requests import (
    advice_request_get,
    advice_request_list,
    outstanding_advice,
    request_allowed_actions,
    request_allowed_steps,
    request_deadlines,
    request_get,
    request_list,
)

__all__ = [
    "OPEN_DEADLINE_STATUSES",
    "STAGES",
    "STAGE_PLAN",
    "VIEWED",
    "CaseloadKey",
    "CaseloadPage",
    "CeaseWindow",
    "_search",
    "advice_request_get",
    "advice_request_list",
    "allocation_history",
    "caseload",
    "caseload_counts",
    "caseload_page",
    "caseload_settings",
    "child_get",
    "child_list",
    "child_matching",
    "child_search",
    "document_get",
    "document_list",
    "establishment_find",
    "establishment_list",
    "establishment_search",
    "every_caseload_counts",
    "letter_get",
    "letter_list",
    "letter_wording_versions",
    "letter_wordings_current",
    "outstanding_advice",
    "placement_get",
    "placement_list",
    "plan_cease_window",
    "plan_get",
    "plan_list",
    "request_allowed_actions",
    "request_allowed_steps",
    "request_deadlines",
    "request_get",
    "request_list",
    "timeline_for",
    "visible_child_ids",
]
