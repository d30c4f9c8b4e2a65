"""What the plan's writers are told: the exact words tests, pages and the API use."""

NOTHING_TO_WRITE = (
    "There is no plan to write for {name}: a plan is written once the council has decided to "
    "issue one, or to amend the plan in force."
)
CONTENT_ISSUED = (
    "This {stage} was issued on {issued_on} and cannot change: start the next version to make "
    "changes."
)
SECTION_UNKNOWN = "There is no section {section} in an EHC plan."
DESCRIPTION_NEEDED = "Enter the {what}"
NEED_AREA_B_ONLY = "Only section B needs have an area of need."
UNKNOWN_LINK = "Choose {what} from this plan."
ADVICE_NOT_THIS_CASE = "Choose advice requested for this child."
DOCUMENT_NOT_THIS_CHILD = "Choose a document on this child's record."
ADVICE_LISTED_TWICE = "Each piece of advice is listed once."
BUDGET_NEGATIVE = "The personal budget must be 0 or more"
BUDGET_WITHOUT_REQUEST = "Say that a personal budget was asked for before giving its amount."

# The quality check (Code of Practice 9.61-9.69): the checklist's items.
CHECK_A = "Section A gives the views, interests and aspirations in the family's words"
CHECK_A_MISSING = "Section A has no {what}."
CHECK_B = "Section B describes the special educational needs"
CHECK_B_MISSING = "Section B lists no need."
CHECK_NEEDS_OUTCOMES = "Every need has an outcome"
CHECK_NEED_WITHOUT_OUTCOME = "{ref} has no outcome in section E: {text}"
CHECK_OUTCOMES_PROVISION = "Every outcome has provision"
CHECK_OUTCOME_WITHOUT_PROVISION = "{ref} has no provision in section F, G or H: {text}"
CHECK_F_SPECIFIC = "Section F provision is specified and quantified"
CHECK_F_MISSING = "{ref} does not say {what}."
CHECK_F_VAGUE = '{ref} says "{words}": say exactly what, how much and how often.'
CHECK_F_NONE = "Section F lists no provision."
CHECK_ADULTHOOD = "Preparing for adulthood outcomes (from year 9)"
CHECK_ADULTHOOD_MISSING = (
    "{name} is in year {year}: section E has no outcome about preparing for adulthood."
)
CHECK_K = "Section K lists every advice and information received"
CHECK_K_MISSING = "Section K does not list the {advice} received on {received_on}."
CHECK_K_DOCUMENT_MISSING = "Section K does not list {title}, on the child's record."
