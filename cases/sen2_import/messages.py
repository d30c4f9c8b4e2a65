"""What the SEN2 import says: about the file (it cannot be read at all) and about a person (left
out, with the reason). Tests assert these."""

# --- the file: nothing is imported ---------------------------------------------------------------
NOT_XML = "The file is not well-formed XML: {error}"
NOT_SEN2 = "The file is not a SEN2 return: its root element is <{tag}>, not <Message>"
NO_HEADER = "The file is not a SEN2 return: it has no <Header> before its persons"
BAD_HEADER = "The file's <Header> cannot be read: {problems}"
NOT_SEN2_COLLECTION = "The file is a {collection} return, not SEN2"
UNKNOWN_YEAR = "SEN2 files of {years} can be imported, not {year}"
OTHER_LA = "The file is LA {lea}'s return, not this council's (LA {ours})"

# --- a person: left out, the rest imported -------------------------------------------------------
UNKNOWN_ITEM = "<{tag}> is not an item of {module} in SEN2 {year}"
TOO_MANY = "{module} holds <{tag}> more than {count} {times}"
MISSING = "{module} has no <{tag}>"
HOLDS_ELEMENTS = "<{tag}> holds elements: it should hold a value"
TOO_LONG = "<{tag}> is longer than the {length} characters the record holds"
ACTIVE_WITHOUT_PLAN = (
    "ActivePlans needs a NamedPlan in the same Requests: there is no plan to attach its "
    "placements and needs to"
)
HISTORICAL_WITHOUT_PLAN = (
    "RequestOutcome H needs an Assessment with a NamedPlan: a historical request is kept with "
    "its plan"
)
NEED_RANK_TWICE = "ActivePlans has two SENneed of rank {rank}: a plan has one primary need"
SETTING_AMBIGUOUS = "{module} has more than one of URN, UKPRN and SENsetting"
DUPLICATE_UPN = "The UPN {upn} is also the person's at line {line}: a UPN belongs to one person"
DUPLICATE_PERSON = (
    "The person at line {line} has the same name and date of birth and neither has a UPN: which "
    "record is which cannot be told"
)
SAME_CHILD = "This person and the person at line {line} match the same child ({reference})"
AMBIGUOUS_MATCH = (
    "{count} children already recorded have this name and date of birth ({references}): give "
    "the person's UPN, or merge the records first"
)
PLAN_NOT_MATCHED = (
    "The person's plan (StartDate {start}) is not one already recorded, and the child has a "
    "plan in force from {issued}: a child has one plan in force at a time"
)
BROKEN_RULE = "The record breaks the database rule {rule}"

#: Why the database refused a record, by constraint name: what a person at the keyboard can fix
#: in the file (or in the record it matched).
CONSTRAINT_REASONS = {
    # cases
    "child_upn_unique": "Another child already recorded has this UPN",
    "child_upn_or_reason_not_both": "A child has a UPN or a reason it is unknown, not both",
    "cases_child_reference_key": "The child's LA reference was taken while importing: try again",
    "request_one_open_per_child": (
        "The child would have two requests open at once (not decided, withdrawn or ended in a "
        "plan): a child has one open request at a time"
    ),
    "request_decision_not_before_receipt": (
        "RequestOutcomeDate is before the request's ReceivedDate"
    ),
    "request_decision_with_its_date": (
        "A decision to assess or not (RequestOutcome Y or N) needs its RequestOutcomeDate"
    ),
    "request_issue_decision_with_its_date": (
        "A decision not to issue a plan (AssessmentOutcome N) needs its AssessmentOutcomeDate"
    ),
    "request_issue_decision_needs_assessment": (
        "An assessment outcome needs a decision to assess first (RequestOutcome Y), and this "
        "request was not assessed"
    ),
    "request_issue_decision_after_decision": (
        "AssessmentOutcomeDate is before the decision to assess (RequestOutcomeDate)"
    ),
    "request_draft_after_issue_decision": (
        "The draft plan would be before the decision to issue it"
    ),
    "request_final_after_draft_window": (
        "The final plan (AssessmentOutcomeDate) is less than 15 days after the decision to "
        "assess, or the request was received: the family has 15 days to comment on a draft plan"
    ),
    "request_withdrawal_not_before_receipt": "The withdrawal is before the request was received",
    "plan_one_active_per_child": (
        "The child would have two plans in force at once (neither ceased): a child has one EHC "
        "plan in force at a time"
    ),
    "plan_secondary_need_differs": "The secondary need (SENtypeRank 2) is the primary need again",
    "plan_ceased_with_date_and_reason": "A ceased plan needs both its CeaseDate and CeaseReason",
    "plan_ceased_after_issue": "The plan's CeaseDate is before the plan was issued",
    "plan_version_number_unique": "Two versions of the plan have the same number",
    "named_setting_rank_unique": "NamedPlan names two settings (PlanDetail) of the same rank",
    "named_setting_one_kind_of_setting": (
        "A PlanDetail needs exactly one of URN, UKPRN or SENsetting"
    ),
    "placement_ends_after_start": "A placement's LeavingDate is before its EntryDate",
    "placement_one_kind_of_setting": (
        "A PlacementDetail needs exactly one of URN, UKPRN or SENsetting"
    ),
    "placement_has_start_unless_awaiting": "A PlacementDetail needs its EntryDate",
    # reviews (the annual review the file reports, written by the reviews app's hook)
    "review_decision_after_meeting": (
        "The review decision (LastReview) needs a ReviewMeeting on or before it"
    ),
    "review_status_matches_decision": "ReviewOutcome and LastReview go together",
    "review_amendments_after_amend_decision": (
        "ReviewDraft needs ReviewOutcome A (amend) and a date on or after LastReview"
    ),
    "review_meeting_in_cycle": (
        "The ReviewMeeting is before the review cycle the council has recorded for this plan"
    ),
    "review_one_open_per_plan": "The plan would have two annual reviews in progress at once",
}
