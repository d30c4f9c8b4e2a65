"""Audit rows in words, for the people who review them ("who has seen this child")."""

from typing import Any

from send_cms.audit.models import AuditEvent
from send_cms.audit.reads import CHILDREN, DOWNLOADED, LIST_VIEWED

VIEWED = "child.viewed"
#: Reads that name children without an id of their own on the row, by action.
READS = {
    "report.cases.view": "Listed in the cases behind a figure",
    "report.cases.download": "Downloaded the cases behind a figure",
    "high_needs.placements.view": "Listed in the independent placements and their fees",
}


def _object_words(object_type: str) -> str:
    """'cases.assessmentrequest' -> 'assessmentrequest' is unreadable; the label's model part,
    with the words the glossary uses where they differ."""
    model = object_type.rpartition(".")[2]
    return {
        "child": "the case",
        "assessmentrequest": "an assessment request",
        "advicerequest": "an advice request",
        "plan": "the EHC plan",
        "placement": "a placement",
        "annualreview": "an annual review",
        "appeal": "an appeal",
        "mediation": "a mediation",
        "order": "a tribunal order",
        "decision": "a panel decision",
        "paneldecision": "a panel decision",
        "panelmeeting": "a panel meeting",
    }.get(model, model or "the record")


def _query_words(query: Any) -> str:
    if not isinstance(query, dict):
        return ""
    shown = {k: v for k, v in query.items() if k != "page" and v not in ("", [])}
    if not shown:
        return ""
    return " (" + ", ".join(f"{k}: {v}" for k, v in sorted(shown.items())) + ")"


def describe(event: AuditEvent) -> str:
    """What the person did, in a sentence a reviewer can read."""
    changes = event.changes if isinstance(event.changes, dict) else {}
    if event.action == VIEWED:
        via = changes.get("via") or changes.get("view")
        return f"Opened {_object_words(event.object_type)}" + (f" ({via})" if via else "")
    if event.action == LIST_VIEWED:
        return f"Listed in {changes.get('list', 'a list')}" + _query_words(changes.get("query"))
    if event.action == DOWNLOADED:
        fmt = str(changes.get("format", "")).upper()
        return f"Downloaded {changes.get('download', 'a file')}" + (f" ({fmt})" if fmt else "")
    if event.action in READS:
        return READS[event.action]
    if CHILDREN in changes and event.child_id is None:
        return f"Named in {event.action}"
    words = event.action.replace("_", " ").replace(".", ": ", 1)
    return words[:1].upper() + words[1:]
