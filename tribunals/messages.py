"""Business-rule messages of mediation and appeals, defined once: services raise them, pages and
the API show them, tests assert them."""

FUTURE = "{label} cannot be in the future"
REQUIRED = "Enter {label}"
NOT_BEFORE = "{label} must be on or after {other_label} ({other})"
NOT_AFTER = "{label} must be on or before {other_label} ({other})"

NOT_THIS_CHILD_REQUEST = "This assessment request belongs to another child."
NOT_THIS_CHILD_PLAN = "This plan belongs to another child."
NOT_THIS_CHILD_MEDIATION = "This mediation belongs to another child."
REQUEST_NEEDED = "Choose the assessment request the decision was about."
PLAN_NEEDED = "Choose the plan the decision was about."
REQUEST_OR_PLAN = "Choose either the assessment request or the plan, not both."
REQUEST_NOT_FOR_PLAN_DECISION = "This decision is about a plan: choose the plan, not a request."
PLAN_NOT_FOR_REQUEST_DECISION = (
    "This decision is about an assessment request: choose the request, not a plan."
)

# Mediation.
WANTED_UNKNOWN = "Say whether the family wants mediation before recording {what}."
NOT_WANTED = "The family does not want mediation, so {what} cannot be recorded."
CONTACT_ALREADY = "The family's contact with the mediation adviser has already been recorded."
INFORMED_ALREADY = "The date the council was told the family wants mediation is already recorded."
HELD_ALREADY = "The mediation meeting has already been recorded."
NOT_ARRANGED_ALREADY = "It is already recorded that mediation could not be arranged in 30 days."
NOT_ARRANGED_AFTER_HELD = "Mediation was held, so it cannot also be recorded as not arranged."
HELD_OUTCOME_NEEDED = "Say whether the mediation reached an agreement."
HELD_OUTCOME_INVALID = "Choose agreement or no agreement for a mediation that was held."
CERTIFICATE_ALREADY = "The mediation certificate has already been recorded."
CERTIFICATE_NOT_YET = (
    "A certificate can only be issued once the family has declined mediation, mediation has "
    "been held, or the council could not arrange it within 30 days."
)
CERTIFICATE_BEFORE_EVENT = "Date of the certificate must be on or after {event_label} ({event})"
ACTIONS_NEED_AGREEMENT = (
    "Agreement actions can only be recorded for a mediation that reached an agreement."
)

# Appeals.
SECTIONS_NEEDED = "Choose at least one section of the plan the appeal is about (B, F or I)"
SECTIONS_NOT_FOR_TYPE = (
    "Only appeals about the contents of a plan, or a refusal to amend it, name sections"
)
DUPLICATE_OPEN_APPEAL = "An open appeal of this type is already registered for this {subject}."
DECISION_BEFORE_HEARING = "Date of the decision must be on or after the hearing ({hearing})"
COSTS_NEGATIVE = "Costs cannot be less than 0"

# Orders.
ORDER_ONLY_ON_CEASE_APPEAL = (
    "Orders to cease or to continue a plan follow only an appeal against ceasing the plan."
)
ORDER_DISMISSED_ONLY_CEASE = (
    "A dismissed appeal leads to no order except ceasing the plan after an appeal against ceasing."
)
ORDER_NO_CEASE_WHEN_UPHELD = (
    "The plan cannot be ordered to cease when the appeal was upheld or conceded."
)
ORDER_DUPLICATE = "This appeal already has an order to {kind}."
STEP_UNKNOWN = "This has no step {step}. Its steps are: {steps}."
STEP_CHOOSE = "Say which step was met: {choices}."
STEP_ALREADY = "That step was already complied with on {on}."
STEP_NOT_APPLICABLE = "That step no longer applies: the council took the other route."
STEPS_ALL_DONE = "Every step has already been complied with."
STEP_EARLIER_FIRST = "Record the earlier step first: {title}."

DIRECTION_DONE = "This direction was already complied with on {on}."
RECOMMENDATION_DONE = "The response to this recommendation was already recorded on {on}."

# Ceasing a plan (read by the casework cease rule).
CEASE_APPEAL_PENDING = (
    "An appeal against ceasing this plan (received by the council on {received}) is waiting for "
    "the tribunal: the plan must stay in force until the appeal is decided."
)
CEASE_OVERTURNED = (
    "The appeal against ceasing this plan was {outcome} on {on}: the plan must be maintained. "
    "A new decision to cease must come after that date."
)
