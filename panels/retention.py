"""Panels' part of retention: a child's panel items (with declarations and decisions) in the
SEN file's anonymisation and in a subject access export."""

import uuid
from typing import Any

from panels.models import AgendaItem, Decision, Declaration
from send_cms.retention.anonymise import anonymise_text
from send_cms.retention.registry import Section, register_child_part, register_section
from send_cms.retention.subject_access import record_of


def panel_items_anonymise(child_id: uuid.UUID) -> dict[str, int]:
    """The summaries, reasons, dissents and declared interests written about the child; the
    meeting, the outcome, the band and the cost stay for the panel's figures."""
    items = AgendaItem.objects.filter(child_id=child_id)
    return {
        "panel items": anonymise_text(items),
        "panel decisions": anonymise_text(
            Decision.objects.filter(item__in=items), also=("cost_reason",)
        ),
        "declarations": anonymise_text(Declaration.objects.filter(item__in=items)),
    }


def panel_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    records = []
    items = (
        AgendaItem.objects.filter(child_id=child_id)
        .select_related("meeting__panel", "added_by", "proposed_establishment")
        .order_by("meeting__held_on", "created_at")
    )
    for item in items:
        records.append(record_of(item, title="Panel item", exclude=("child",)))
        for decision in Decision.objects.filter(item=item).select_related("recorded_by"):
            records.append(record_of(decision, title="Panel decision", exclude=("item",)))
    return records


register_child_part(panel_items_anonymise)
register_section(Section("panels", "Panel items and decisions", 50, panel_records))
