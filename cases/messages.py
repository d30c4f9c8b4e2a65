"""Business-rule messages of the casework services: the exact words tests, pages and the API use.

Placeholders are filled with dates in the house style ("16 Sep 2025", see
`send_cms.timescales.format_date`).
"""

# Dates
DATE_IN_FUTURE = "{label} cannot be in the future."

# Children
DUPLICATE_CHILD = (
    "A child with the same name and date of birth is already on the system: "
    "check the existing record, or confirm this is a different child."
)
DUPLICATE_UPN = "A child with this UPN is already on the system ({reference})."
DATE_OF_BIRTH_IN_FUTURE = "The date of birth cannot be in the future."
DATE_OF_BIRTH_TOO_EARLY = "Date of birth must be the same as or after 1 January 1900"
UPN_AND_REASON = "Enter a UPN or a reason it is unknown, not both."
UN1_ONLY_UNDER_SIX = "UN1 is only for a child under 6: choose another reason."
REFERENCE_TAKEN = "This LA reference is already used by another child."
NOT_A_CASEWORKER = "{name} is not a caseworker: choose a caseworker."
ALREADY_ALLOCATED = "The case is already allocated to {name}."
CHILD_FIELD_NOT_EDITABLE = "This cannot be changed here."
CONTACT_NEEDS_EMAIL = "Enter an email address, or choose another way to contact them."
CONTACT_NEEDS_PHONE = "Enter a phone number, or choose another way to contact them."
CONTACT_NEEDS_ADDRESS = "Enter an address, or choose another way to contact them."

# Receipt of a request
AGE_OUTSIDE_0_25 = (
    "Requests can only be made for children and young people aged 0 to 25: "
    "{name} was {age} on {received_on}."
)
BORN_AFTER_REQUEST = "The request cannot be received before the child's date of birth ({dob})."
SECOND_OPEN_REQUEST = (
    "{name} already has an open request, received on {received_on}: "
    "record its outcome before starting another."
)
SIGNED_FOR_ONLY_BY_POST = "A signed-for date applies only to a request sent by post."
SIGNED_FOR_BEFORE_POSTING = "The signed-for date cannot be before the request was posted."
OVERRIDE_NEEDS_MANAGER = "Only a manager or an administrator can override the received date."
OVERRIDE_NEEDS_REASON = "Give the reason for overriding the received date."
RECEIVED_ON_NOT_LEGAL = (
    "A request {channel_phrase} on {given} counts as received on {legal}: enter {legal}, "
    "or the time it arrived."
)

# Decisions
DECISION_BEFORE_RECEIPT = "The decision cannot be before the request was received on {received_on}."
LETTER_BEFORE_DECISION = "The decision letter cannot be sent before the decision on {decided_on}."
ISSUE_DECISION_BEFORE_DECISION = (
    "The decision whether to issue a plan cannot be before the decision to assess on {decided_on}."
)

# Advice
ADVICE_BEFORE_DECISION = "Advice cannot be requested before the decision to assess on {decided_on}."
ADVICE_ALREADY_OUTSTANDING = "{kind} was requested on {requested_on} and has not been received yet."
ADVICE_KINDS_NEEDED = "Select the advice to request"
ADVICE_RECEIVED_BEFORE_REQUESTED = (
    "The advice cannot be received before it was requested on {requested_on}."
)
ADVICE_RETURNED_BEFORE_RECEIVED = (
    "The advice cannot be returned before it was received on {received_on}."
)
ADVICE_RE_RECEIVED_BEFORE_RETURN = (
    "The corrected advice cannot be received before it was returned on {returned_on}."
)

# Exceptions
EXCEPTION_UNKNOWN_KIND = "Choose the kind of exception."
EXCEPTION_RULE_NOT_ON_REQUEST = "Choose a time limit of the assessment: {rules}."
EXCEPTION_NEEDS_ADVICE_REQUEST = "Choose the advice request the exception applies to."
EXCEPTION_ADVICE_ELSEWHERE = "This advice request belongs to another assessment request."
EXCEPTION_ENDS_BEFORE_START = "The end date cannot be before the start date."
EXCEPTION_ALREADY_RECORDED = "This exception has already been recorded."
CLOSURE_NEEDS_REOPENING = "Enter the date the setting reopened."
CLOSURE_NEEDS_ADVICE = (
    "No advice was requested from a setting during the closure window, so the closure "
    "cannot excuse the time limit."
)

# Draft and final plan
DRAFT_BEFORE_ISSUE_DECISION = (
    "The draft plan cannot be issued before the decision to issue on {issue_decided_on}."
)
CONSULTATION_BEFORE_DECISION = (
    "A setting cannot be consulted before the decision to issue on {issue_decided_on}."
)
CONSULTATION_ALREADY_REPLIED = "This setting's reply has already been recorded."
CONSULTATION_REPLY_BEFORE_SENT = (
    "The reply cannot be before the consultation was sent on {sent_on}."
)
FINAL_INSIDE_DRAFT_WINDOW = (
    "The final plan cannot be issued before {earliest}: the family have 15 days from the draft "
    "(served {served}) to comment."
)
CHILD_HAS_ACTIVE_PLAN = (
    "{name} already has an active EHC plan (issued {issued_on}): cease it, or issue an amended "
    "version of it, instead of a new plan."
)
SECONDARY_NEED_SAME = "The secondary need must differ from the primary need."
SETTING_ONE_KIND = "Choose an establishment or a type of setting, not both."
SETTING_NEEDED = "Choose an establishment or a type of setting."
SETTING_NOT_IN_PLAN = "{setting} cannot be named in a plan: it is recorded as a placement only."
SETTING_OTHER_NEEDS_DETAIL = "Describe the setting."
NAMED_SETTING_RANKS = "Name one setting at rank 1 and at most one at rank 2."
RANK_INVALID = "The rank must be 1 or 2."

# Withdrawal and transfer
WITHDRAWAL_BEFORE_RECEIPT = (
    "The request cannot be withdrawn before it was received on {received_on}."
)
WITHDRAWAL_NEEDS_REASON = "Give the reason the request was withdrawn."
TRANSFER_BEFORE_RECEIPT = "The transfer cannot be before the request was received on {received_on}."
LA_CODE_FORMAT = "Enter the new LA's three-digit code."
LA_CODE_OURS = "Enter the code of another LA: {code} is this council's code."

# Plans and placements
PLAN_CEASED = "The plan has ceased: nothing more can be recorded on it."
PLACEMENT_START_NEEDED = "Enter the date the placement starts."
PLACEMENT_BEFORE_PREVIOUS = (
    "The placement cannot start on or before {previous_start}, when the current placement "
    "at rank {rank} started."
)
PLACEMENT_ALREADY_ENDED = "This placement has already ended."
PLACEMENT_ENDS_BEFORE_START = "The placement cannot end before it started on {starts_on}."
STARTS_BEFORE_PLAN = (
    "The child cannot start at the setting before the plan was issued on {issued_on}."
)
STARTS_WITHOUT_SETTING = "Name the setting in section I, or leave the start date blank."
COST_NEEDS_REASON = "Give the reason for an individual fee instead of the band's value."
VERSION_BEFORE_PREVIOUS = (
    "This version cannot be issued before version {number}, issued on {issued_on}."
)
VERSION_NEEDS_CHANGES = "Say what changed in this version."
VERSION_KIND_INVALID = "Issue an amended plan: the final plan is version 1."
CEASE_ALREADY_PROPOSED = "Ceasing the plan was already proposed on {proposed_on}."
CEASE_PROPOSED_BEFORE_ISSUE = (
    "Ceasing cannot be proposed before the plan was issued on {issued_on}."
)
CEASE_DECIDED_BEFORE_ISSUE = (
    "The decision to cease cannot be before the plan was issued on {issued_on}."
)
CEASE_DECIDED_BEFORE_PROPOSAL = (
    "The decision to cease cannot be before ceasing was proposed on {proposed_on}."
)
CEASED_BEFORE_DECISION = "The plan cannot cease before the decision to cease on {decided_on}."
CEASE_BEFORE_APPEAL_DEADLINE = (
    "The plan must stay in force until the family's appeal deadline ({deadline}) has passed: "
    "it can cease from {earliest}, or earlier only once an appeal has been decided."
)
CEASE_REASON_INVALID = "Choose a reason from the SEN2 list (1 to 9)."
CEASE_NOT_PROPOSED = (
    "Propose to cease the plan first: the family must be told the council is considering it "
    "before it decides."
)
CEASE_ALREADY_DECIDED = "The decision to cease the plan was already recorded on {decided_on}."
CEASE_NEEDS_DECISION = (
    "Record the decision to cease first: the plan stays in force until the family's appeal "
    "deadline from the decision notice has passed."
)
CEASE_NEEDS_REASONS = "Enter the reasons for the decision, for the family's letter"
CEASE_NOTICE_BEFORE_COMMENCEMENT = (
    "The date of the decision notice must be on or after {commenced}, when the law began."
)
DATE_BEFORE_TIME_LIMIT = "{label} must be on or after {commenced}, when the time limit began."

# Establishments
URN_OR_UKPRN_TAKEN = "An establishment with this {field} is already on the system."

# Documents (the GOV.UK file upload pattern's words)
DOCUMENT_EMPTY = "The selected file is empty"
DOCUMENT_TOO_BIG = "The selected file must be smaller than {limit}"
DOCUMENT_WRONG_TYPE = (
    "The selected file must be a PDF, a Word document (DOCX) or a PNG or JPEG image"
)
DOCUMENT_NOT_WHAT_IT_SAYS = (
    "The selected file is not a real {kind}: its name says it is one but its content is not. "
    "Upload the document itself, as a PDF, a Word document (DOCX) or a PNG or JPEG image"
)
DOCUMENT_NAME_DISAGREES = (
    "The selected file is a {kind} but its name does not say so: rename it to end in {ending}"
)
DOCUMENT_OTHER_CHILD = "This belongs to another child: choose one of this child's records."
DOCUMENT_CANNOT_ATTACH = "Documents cannot be attached to this kind of record."
DOCUMENT_RECEIVED_NEEDS_ADVICE = "Choose the advice request this report answers."
DOCUMENT_RECEIVED_NEEDS_ADVICE_KIND = "Only an advice report records advice as received."
DOCUMENT_RECEIVED_NEEDS_DATE = "Enter the date the advice was received."
