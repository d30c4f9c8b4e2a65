"""The assessment request's journey: one service per step of `cases.workflow.REQUEST_WORKFLOW`.

Split along the journey: `receipt`, `decisions` (to assess, to issue, or an early end),
`advice`, `timescale_exceptions`, and `plan` (the draft, consultations and the final plan);
`journey` holds what every step shares.
"""

from cases.services.requests.advice import (
    advice_request_create,
    advice_request_re_receive,
    advice_request_receive,
    advice_request_return_for_quality,
    advice_requests_create,
)
from cases.services.requests.decisions import (
    assessment_request_decide,
    assessment_request_decide_issue,
    assessment_request_transfer_out,
    assessment_request_withdraw,
)
from cases.services.requests.plan import (
    consultation_add,
    consultation_reply,
    draft_plan_issue,
    earliest_final_on,
    final_plan_issue,
    final_plan_issue_and_place,
)
from cases.services.requests.receipt import (
    assessment_request_create,
    assessment_request_create_on,
    derive_received_on,
    received_at_for_date,
)
from cases.services.requests.timescale_exceptions import (
    REQUEST_RULES,
    default_exception_rule,
    timescale_exception_add,
)

__all__ = [
    "REQUEST_RULES",
    "advice_request_create",
    "advice_request_re_receive",
    "advice_request_receive",
    "advice_request_return_for_quality",
    "advice_requests_create",
    "assessment_request_create",
    "assessment_request_create_on",
    "assessment_request_decide",
    "assessment_request_decide_issue",
    "assessment_request_transfer_out",
    "assessment_request_withdraw",
    "consultation_add",
    "consultation_reply",
    "default_exception_rule",
    "derive_received_on",
    "draft_plan_issue",
    "earliest_final_on",
    "final_plan_issue",
    "final_plan_issue_and_place",
    "received_at_for_date",
    "timescale_exception_add",
]
