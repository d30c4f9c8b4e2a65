"""Every read of the panels app, scoped to the user: panel members see only their own meetings
and the cases on those agendas; caseworkers, managers and administrators see every meeting."""

from panels.selectors.agenda import SUGGESTION_HORIZON_DAYS, Suggestion, agenda_suggestions
from panels.selectors.consistency import Consistency, CostRow, OutcomeRow, consistency
from panels.selectors.papers import CasePapers, item_papers, papers_for
from panels.selectors.records import (
    band_list,
    band_on,
    band_overlapping,
    current_decision,
    decision_get,
    decision_history,
    decision_list,
    item_get,
    item_list,
    item_open_for,
    meeting_get,
    meeting_list,
    meeting_next_for,
    panel_list,
)

__all__ = [
    "SUGGESTION_HORIZON_DAYS",
    "CasePapers",
    "Consistency",
    "CostRow",
    "OutcomeRow",
    "Suggestion",
    "agenda_suggestions",
    "band_list",
    "band_on",
    "band_overlapping",
    "consistency",
    "current_decision",
    "decision_get",
    "decision_history",
    "decision_list",
    "item_get",
    "item_list",
    "item_open_for",
    "item_papers",
    "meeting_get",
    "meeting_list",
    "meeting_next_for",
    "panel_list",
    "papers_for",
]
