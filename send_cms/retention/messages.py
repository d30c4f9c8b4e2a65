"""What managers read on the retention pages and in the errors they may meet."""

NOTHING_SELECTED = "Select at least one record to dispose of"
NOT_DUE = "One or more of these records is no longer due for disposal: reload the list"
MANAGERS_ONLY = "Only a manager or an administrator may approve a disposal."
DISPOSED = "{count} {records} disposed of. The audit trail and the disposal log record it."
