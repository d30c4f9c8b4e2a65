"""The council's tables (place funding, commissioned places) and what finance entered for a return
period, with its history.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from cases.codes import EstablishmentKind
from cases.models import Establishment
from reporting.high_needs.periods import ReturnPeriod
from reporting.models import (
    CommissionedPlaces,
    ConditionUpdate,
    HighNeedsFigure,
    PlaceFunding,
    PressureEntry,
    PressureKind,
    ReturnFigure,
    SafetyValveCondition,
)
from reporting.selectors.high_needs.census import COMMISSIONED_KINDS


# --- the council's tables: place funding and commissioned places --------------------------------
def place_funding_rates() -> list[PlaceFunding]:
    return list(
        PlaceFunding.objects.select_related("entered_by").order_by("kind", "-effective_from")
    )


def commissioned_places(*, academic_year: int) -> list[CommissionedPlaces]:
    return list(
        CommissionedPlaces.objects.filter(academic_year=academic_year)
        .select_related("establishment", "entered_by")
        .order_by("establishment__name")
    )


def commissionable_settings() -> QuerySet[Establishment]:
    """Settings whose places may be commissioned: open special schools and resourced provision,
    plus alternative provision (the form's choices)."""
    return Establishment.objects.filter(
        kind__in=(*COMMISSIONED_KINDS, EstablishmentKind.ALTERNATIVE_PROVISION), is_open=True
    ).order_by("name")


# --- what finance entered for a return period ---------------------------------------------------
@dataclass(frozen=True)
class ConditionLine:
    condition: SafetyValveCondition
    update: ConditionUpdate | None


@dataclass(frozen=True)
class ReturnEntries:
    """The current entries of a return period: each figure, each condition, pressures and
    mitigations. `version` changes whenever any of them does (a form's stale-edit check)."""

    period: ReturnPeriod
    figures: dict[str, HighNeedsFigure]
    conditions: tuple[ConditionLine, ...]
    pressures: tuple[PressureEntry, ...]
    mitigations: tuple[PressureEntry, ...]
    version: str = field(default="")

    def figure_rows(self) -> list[tuple[str, str, HighNeedsFigure | None]]:
        return [(item, label, self.figures.get(item)) for item, label in ReturnFigure.choices]

    @property
    def in_year_variance(self) -> Decimal | None:
        """In-year balance less the agreed profile: negative is worse than agreed."""
        return _difference(self.figures, ReturnFigure.IN_YEAR_BALANCE, ReturnFigure.IN_YEAR_PROFILE)

    @property
    def cumulative_variance(self) -> Decimal | None:
        return _difference(
            self.figures, ReturnFigure.CUMULATIVE_BALANCE, ReturnFigure.CUMULATIVE_PROFILE
        )

    @property
    def pressures_total(self) -> Decimal:
        return sum((p.amount or Decimal(0) for p in self.pressures), Decimal("0.00"))

    @property
    def mitigations_total(self) -> Decimal:
        return sum((p.amount or Decimal(0) for p in self.mitigations), Decimal("0.00"))


def _difference(figures: dict[str, HighNeedsFigure], actual: str, profile: str) -> Decimal | None:
    if actual in figures and profile in figures:
        return figures[actual].amount - figures[profile].amount
    return None


def _current(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Entries no later entry supersedes."""
    return queryset.filter(superseded_by__isnull=True)


def version_of(ids: Iterable[Any]) -> str:
    """A short fingerprint of a set of current entries: it changes when any of them is replaced."""
    text = ",".join(sorted(str(i) for i in ids))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def figures_version(*, period: ReturnPeriod) -> str:
    return version_of(
        _current(HighNeedsFigure.objects.filter(period=period.key)).values_list("pk", flat=True)
    )


def return_entries(*, period: ReturnPeriod) -> ReturnEntries:
    """The period's current figures, conditions (each with its current update or None) and
    pressures and mitigations: four queries."""
    figures = {
        f.item: f
        for f in _current(HighNeedsFigure.objects.filter(period=period.key)).select_related(
            "author"
        )
    }
    updates = {
        u.condition_id: u
        for u in _current(ConditionUpdate.objects.filter(period=period.key)).select_related(
            "author"
        )
    }
    conditions = tuple(
        ConditionLine(c, updates.get(c.pk)) for c in SafetyValveCondition.objects.order_by("number")
    )
    lines = list(
        _current(PressureEntry.objects.filter(period=period.key, withdrawn=False))
        .select_related("author")
        .order_by("kind", "-amount", "title")
    )
    return ReturnEntries(
        period=period,
        figures=figures,
        conditions=conditions,
        pressures=tuple(p for p in lines if p.kind == PressureKind.PRESSURE),
        mitigations=tuple(p for p in lines if p.kind == PressureKind.MITIGATION),
        version=version_of(f.pk for f in figures.values()),
    )


def current_condition_update(
    *, condition: SafetyValveCondition, period: ReturnPeriod
) -> ConditionUpdate | None:
    return (
        _current(ConditionUpdate.objects.filter(condition=condition, period=period.key))
        .select_related("author")
        .first()
    )


def pressure_entry(*, entry_id: Any) -> PressureEntry | None:
    """A pressure or mitigation line by the id of any of its versions: its current version."""
    entry = PressureEntry.objects.filter(pk=entry_id).first()
    while entry is not None and hasattr(entry, "superseded_by"):
        entry = entry.superseded_by
    return entry


@dataclass(frozen=True)
class HistoryRow:
    """One entry ever made for the period: what, the value, who and when, and whether a later
    entry replaced it."""

    entered_at: dt.datetime
    author: str
    what: str
    value: str
    detail: str
    current: bool


def return_history(*, period: ReturnPeriod) -> list[HistoryRow]:
    """Every entry for the period, newest first, the replaced ones too: three queries."""
    out: list[HistoryRow] = []
    labels = dict(ReturnFigure.choices)
    for f in HighNeedsFigure.objects.filter(period=period.key).select_related(
        "author", "superseded_by"
    ):
        out.append(
            HistoryRow(
                f.created_at,
                _name(f.author),
                labels[f.item],
                f"£{f.amount:,.2f}",
                f.note,
                not hasattr(f, "superseded_by"),
            )
        )
    for u in ConditionUpdate.objects.filter(period=period.key).select_related(
        "author", "condition", "superseded_by"
    ):
        out.append(
            HistoryRow(
                u.created_at,
                _name(u.author),
                f"Safety-valve condition {u.condition.number}",
                u.get_rag_display(),
                u.narrative,
                not hasattr(u, "superseded_by"),
            )
        )
    for p in PressureEntry.objects.filter(period=period.key).select_related(
        "author", "superseded_by"
    ):
        value = "" if p.amount is None else f"£{p.amount:,.2f}"
        out.append(
            HistoryRow(
                p.created_at,
                _name(p.author),
                f"{p.get_kind_display()}: {p.title}",
                "Withdrawn" if p.withdrawn else value,
                p.narrative,
                not hasattr(p, "superseded_by") and not p.withdrawn,
            )
        )
    out.sort(key=lambda row: row.entered_at, reverse=True)
    return out


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def periods_with_entries() -> list[str]:
    """Return periods anything was entered for, newest first (links to earlier returns)."""
    keys: set[str] = set()
    for model in (HighNeedsFigure, ConditionUpdate, PressureEntry):
        keys.update(model.objects.values_list("period", flat=True).distinct())
    return sorted(keys, reverse=True)
