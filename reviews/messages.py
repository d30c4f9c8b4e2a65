"""The annual review services' messages: the exact words pages, the API and tests use."""

IN_FUTURE = "{label} cannot be in the future"
BEFORE_CYCLE = "{label} cannot be before the plan was issued or last reviewed on {date}"
INVITATIONS_TOO_LATE = (
    "Invitations must be sent at least 2 weeks before the meeting: for a meeting on {meeting}, "
    "by {due}"
)
MEETING_NOT_AFTER_INVITATIONS = "The meeting must be after the invitations were sent on {date}"
MEETING_TOO_SOON = (
    "Invitations were sent on {sent}: a meeting on {meeting} gives less than 2 weeks' notice "
    "(invitations were due by {due})"
)
MEETING_BEFORE_ADVICE = "The meeting cannot be before the advice was gathered on {date}"
REPORT_BEFORE_MEETING = "The report cannot be received before the meeting on {date}"
DECISION_UNKNOWN = "Select maintain, amend or cease"
DECISION_BEFORE_MEETING = "The decision cannot be before the review meeting on {date}"
AMENDMENTS_BEFORE_DECISION = "Proposed amendments cannot be sent before the decision on {date}"
FINAL_BEFORE_AMENDMENTS = (
    "The final amended plan cannot be issued before the proposed amendments were sent on {date}"
)
FINAL_IN_FAMILY_WINDOW = (
    "The final amended plan cannot be issued until the family's 15 days for comments end on {date}"
)
PLAN_NOT_ACTIVE = "Reviews are only opened for a plan in force."
PHASE_KIND_REQUIRED = "Select the kind of transfer"
PHASE_DATE_REQUIRED = "Enter the transfer date"
PHASE_DATE_NOT_IN_CYCLE = "The transfer date must be after the review cycle started on {date}"
DEFAULT_CHANGES = "Amended following the annual review decision of {date}."
BEFORE_TIME_LIMITS = "{label} must be on or after {date}, when the time limits began"
