"""Retention of records and subject access: how long each kind of record is kept, the list of
records due for disposal that a manager approves, and the export of everything held about a
child."""
