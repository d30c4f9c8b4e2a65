"""Messages of the cross-cutting services: the exact words pages, the API and tests use."""

# Concurrent edits (send_cms.common.versioning)
STALE_FORM = (
    "{name} changed these details at {when}, after you opened this page. Your changes have not "
    "been saved. Check their values below against yours, then save again to keep yours."
)
STALE_API = (
    "This record was changed by {name} at {when}, after you read it: it is now version "
    "{version}. Read it again, apply your change to what it now holds, and send it with "
    "If-Match: {etag}."
)
STALE_ADMIN = (
    "{name} changed this record at {when}, after you opened this page. Your changes have not "
    "been saved. {differences} Save again to keep yours."
)
STALE_ADMIN_DIFFERENCE = "{label}: {theirs} (you entered {yours})."
SOMEONE_ELSE = "Someone else"
NOT_ENTERED = "Not entered"
