"""Messages of the deadlines app, as constants: the pages, the API and the tests share them."""

# --- the calculator (page and API) --------------------------------------------------------------
UNKNOWN_RULE = "No timescale rule has the id '{rule}'."
CHOOSE_RULE = "Select a time limit"
START_REQUIRED = "Enter the start date as YYYY-MM-DD, for example 2025-09-08."
DATE_MALFORMED = "Enter the date as YYYY-MM-DD, for example 2025-09-08."
DATE_IMPOSSIBLE = "{value} is not a real date."
DATE_TOO_EARLY = "{label} must be on or after {earliest}, when this time limit began"
DATE_TOO_LATE = "{label} must be on or before {latest}"
PARAMETER_NOT_USED = "{label} is only used by: {uses}. Leave it empty for this time limit"

# --- the recompute command -----------------------------------------------------------------------
BAD_CHILD_ID = (
    "'{value}' is not a child id: give the child's UUID, e.g. 3f2b6c1e-8d4a-4b1e-9c2d-5e6f7a8b9c0d."
)
UNKNOWN_CHILD = "No child has the id {value}."
RECOMPUTED = "Recomputed deadlines for {children} {noun}: {changed} rows written or removed."
RUN_QUEUED = (
    "Recompute {run}: {children} children in {chunks} chunks of {chunk_size}; "
    "{queued} chunks queued."
)
RUN_PROGRESS = (
    "Recompute {run} ({reason}): {chunks_done} of {chunks} chunks done, {children_done} of "
    "{children} children, {changed} rows written or removed; {state}."
)
RUN_NOT_FOUND = "No full recompute has the number {value}."
NO_RUN_TO_RESUME = "No full recompute is unfinished: nothing to resume."
RUN_FINISHED_ALREADY = "Recompute {run} finished already: nothing to resume."
ONE_MODE = "Give only one of --child, --parallel, --resume and --status."

# --- the digest ----------------------------------------------------------------------------------
DIGEST_SUBJECT = "Your statutory deadlines: {overdue} overdue, {due_soon} due within 7 days"
