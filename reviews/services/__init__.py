"""Every write to annual reviews: one service per step of the workflow table.

Each service is keyword-only and atomic, locks the review, refuses a step the status does not
allow (`TransitionNotAllowed`, a 409 in the API), refuses impossible dates field by field
(`ValidationError`, a 400), saves after `full_clean()`, and records the step through the
casework's `step_record` (the audit trail, a row on the case timeline, the child's deadlines
queued for recomputation once the transaction commits). Every statutory date comes from the
timescales engine. The messages are constants in `reviews.messages`, re-exported here.
"""

from reviews.messages import *  # noqa: F403 - the message constants, by design
from reviews.services.opening import annual_review_open_first, ensure_reviews_for_new_plans
from reviews.services.phase_transfer import review_phase_transfer_set
from reviews.services.steps import (
    review_advice_record,
    review_amendments_send,
    review_decision_issue,
    review_final_amended_plan_issue,
    review_invitations_send,
    review_meeting_record,
    review_report_receive,
)

__all__ = [
    "annual_review_open_first",
    "ensure_reviews_for_new_plans",
    "review_advice_record",
    "review_amendments_send",
    "review_decision_issue",
    "review_final_amended_plan_issue",
    "review_invitations_send",
    "review_meeting_record",
    "review_phase_transfer_set",
    "review_report_receive",
]
