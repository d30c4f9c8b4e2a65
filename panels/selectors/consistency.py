"""The managers' consistency view of panel decisions."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce

from cases.codes import EstablishmentKind, SenType
from panels.models import (
    AgendaItem,
    Decision,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    PanelType,
)

#: The agenda builder suggests statutory decisions due within this many days of the meeting.


# --- consistency ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    total: int
    agreed: int
    declined: int
    deferred: int

    @property
    def agree_rate(self) -> float | None:
        """Agreed as a share of decisions made (deferrals are not decisions)."""
        decided = self.agreed + self.declined
        return self.agreed / decided if decided else None


@dataclass(frozen=True)
class CostRow:
    label: str
    placements: int
    average_band_value: Any
    average_cost: Any
    individual_costs: int


@dataclass
class Consistency:
    date_from: dt.date
    date_to: dt.date
    by_panel: list[OutcomeRow]
    by_kind: list[OutcomeRow]
    by_need: list[OutcomeRow]
    by_setting_kind: list[OutcomeRow]
    costs: list[CostRow]
    deferred_repeatedly: list[AgendaItem]


def _outcome_rows(
    decisions: QuerySet[Decision], key: str, labels: dict[str, str] | None = None
) -> list[OutcomeRow]:
    rows = (
        decisions.values(key)
        .annotate(
            total=Count("pk"),
            agreed=Count("pk", filter=Q(outcome="agree")),
            declined=Count("pk", filter=Q(outcome="decline")),
            deferred=Count("pk", filter=Q(outcome="defer")),
        )
        .order_by(key)
    )
    result = []
    for row in rows:
        value = row[key] or ""
        label = (labels or {}).get(value, value) or "Not recorded"
        result.append(
            OutcomeRow(label, row["total"], row["agreed"], row["declined"], row["deferred"])
        )
    return result


def consistency(
    *, date_from: dt.date, date_to: dt.date, panel: PanelType | None = None
) -> Consistency:
    """Decisions by panel, kind, outcome, primary need and setting kind over a period, with agree
    rates, average band value and cost of approved placements, and items deferred repeatedly."""
    decisions = Decision.objects.filter(
        is_current=True,
        item__meeting__status=MeetingStatus.CLOSED,
        item__meeting__held_on__gte=date_from,
        item__meeting__held_on__lte=date_to,
    )
    if panel is not None:
        decisions = decisions.filter(item__meeting__panel=panel)
    decisions = decisions.annotate(
        need=Coalesce("item__plan__primary_need", "item__request__plan__primary_need"),
        setting_kind=Coalesce(
            "establishment__kind",
            "item__proposed_establishment__kind",
            "item__child__current_setting__kind",
        ),
    )
    placements = decisions.filter(item__kind=ItemKind.PLACEMENT)
    need_labels = {str(k): str(v) for k, v in SenType.choices}
    need_labels[""] = "Not yet known (no plan)"
    kind_labels = {str(k): str(v) for k, v in EstablishmentKind.choices}
    cost_rows = (
        placements.filter(outcome="agree")
        .values("setting_kind")
        .annotate(
            n=Count("pk"),
            band=Avg("band__annual_value"),
            cost=Avg("annual_cost"),
            individual=Count("pk", filter=~Q(cost_reason="")),
        )
        .order_by("setting_kind")
    )
    repeated = (
        AgendaItem.objects.filter(
            status=ItemStatus.DEFERRED,
            deferral_count__gte=1,
            meeting__held_on__gte=date_from,
            meeting__held_on__lte=date_to,
        )
        .select_related("child", "meeting__panel")
        .order_by("-deferral_count", "meeting__held_on")
    )
    if panel is not None:
        repeated = repeated.filter(meeting__panel=panel)
    return Consistency(
        date_from=date_from,
        date_to=date_to,
        by_panel=_outcome_rows(decisions, "item__meeting__panel__name"),
        by_kind=_outcome_rows(
            decisions, "item__kind", {str(k): str(v) for k, v in ItemKind.choices}
        ),
        by_need=_outcome_rows(decisions, "need", need_labels),
        by_setting_kind=_outcome_rows(decisions, "setting_kind", kind_labels),
        costs=[
            CostRow(
                kind_labels.get(row["setting_kind"] or "", "Not recorded"),
                row["n"],
                row["band"],
                row["cost"],
                row["individual"],
            )
            for row in cost_rows
        ],
        deferred_repeatedly=list(repeated),
    )
