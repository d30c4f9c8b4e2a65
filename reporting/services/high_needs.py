"""What finance enters for high needs: place funding rates, commissioned places, and each return
period's figures, safety-valve conditions, pressures and mitigations.

Entries for a return period are never changed: a new entry supersedes the current one, which is
kept for the history. Entering the same values again is a no-op, and an entry made from a page
that is out of date (someone else entered a newer version meanwhile) is refused, so nobody
overwrites what they have not seen. Every write is audited.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.codes import EstablishmentKind
from cases.models import Establishment
from reporting.high_needs.periods import ReturnPeriod, parse_return_period
from reporting.models import (
    CommissionedPlaces,
    ConditionRag,
    ConditionUpdate,
    HighNeedsFigure,
    PlaceFunding,
    PressureEntry,
    PressureKind,
    ReturnFigure,
    SafetyValveCondition,
)
from reporting.selectors.high_needs import figures_version
from send_cms.audit.services import record

CHANGED_MEANWHILE = (
    "Someone else entered a newer version while you were editing. Check their entry and enter "
    "yours again if it is still needed."
)
AMOUNT_TOO_BIG = "Enter an amount less than £1,000,000,000,000"
PLACES_NEGATIVE = "Places must be 0 or more"
VALUE_NEGATIVE = "Place funding must be £0 or more"
KIND_UNKNOWN = "Select the type of setting"
SETTING_CLOSED = "Select an open setting"
CONDITION_NUMBER_TAKEN = "There is already a condition {number}"
CONDITION_TITLE_REQUIRED = "Enter the condition"
NARRATIVE_REQUIRED = "Enter the progress narrative"
RAG_REQUIRED = "Select a RAG rating"
TITLE_REQUIRED = "Enter a title"
KIND_REQUIRED = "Select pressure or mitigation"
ALREADY_WITHDRAWN = "This line has already been withdrawn"
YEAR_RANGE = "Enter an academic year from 2000 to 2100"
MAX_AMOUNT = Decimal("1000000000000")


def _pennies(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


# --- the council's tables -----------------------------------------------------------------------
def _rejoin(kind: str) -> None:
    """Each rate of a kind ends the day before the next one starts; the last has no end."""
    rates = list(
        PlaceFunding.objects.select_for_update().filter(kind=kind).order_by("effective_from")
    )
    for rate, following in zip(rates, [*rates[1:], None], strict=True):
        end = None if following is None else following.effective_from - dt.timedelta(days=1)
        if rate.effective_to != end:
            rate.effective_to = end
            rate.save(update_fields=["effective_to", "updated_at"])


@transaction.atomic
def place_funding_set(
    *,
    actor: Any,
    kind: str,
    annual_value: Decimal,
    effective_from: dt.date,
    note: str = "",
) -> PlaceFunding:
    """The place funding a year for `kind` from `effective_from`: a new rate, or a correction of
    the rate starting that day. Earlier and later rates are re-joined so the periods never
    overlap or leave a gap."""
    if kind not in EstablishmentKind.values:
        raise ValidationError({"kind": [KIND_UNKNOWN]})
    if annual_value < 0:
        raise ValidationError({"annual_value": [VALUE_NEGATIVE]})
    if annual_value >= MAX_AMOUNT:
        raise ValidationError({"annual_value": [AMOUNT_TOO_BIG]})
    rate = (
        PlaceFunding.objects.select_for_update()
        .filter(kind=kind, effective_from=effective_from)
        .first()
    )
    before = None if rate is None else {"annual_value": rate.annual_value, "note": rate.note}
    if rate is None:
        rate = PlaceFunding(kind=kind, effective_from=effective_from)
    rate.annual_value, rate.note, rate.entered_by = _pennies(annual_value), note.strip(), actor
    rate.full_clean(validate_constraints=False)
    rate.save()
    _rejoin(kind)
    rate.refresh_from_db()
    record(
        actor=actor,
        action="high_needs.place_funding.set",
        obj=rate,
        changes={
            "kind": kind,
            "effective_from": effective_from,
            "annual_value": rate.annual_value,
            "note": rate.note,
            "before": before,
        },
    )
    return rate


@transaction.atomic
def commissioned_places_set(
    *, actor: Any, establishment: Establishment, academic_year: int, places: int
) -> CommissionedPlaces:
    """The places commissioned at a setting for an academic year (a correction replaces them)."""
    if places < 0:
        raise ValidationError({"places": [PLACES_NEGATIVE]})
    if not 2000 <= academic_year <= 2100:
        raise ValidationError({"academic_year": [YEAR_RANGE]})
    row = (
        CommissionedPlaces.objects.select_for_update()
        .filter(establishment=establishment, academic_year=academic_year)
        .first()
    )
    before = None if row is None else row.places
    if row is None:
        row = CommissionedPlaces(establishment=establishment, academic_year=academic_year)
    row.places, row.entered_by = places, actor
    row.full_clean()
    row.save()
    record(
        actor=actor,
        action="high_needs.commissioned_places.set",
        obj=row,
        changes={
            "establishment": establishment,
            "academic_year": academic_year,
            "places": places,
            "before": before,
        },
    )
    return row


# --- a return period's entries --------------------------------------------------------------------
def _supersede(new: Any, current: Any) -> Any:
    """Save `new` as the successor of `current` (None for a first entry); a concurrent entry
    that got there first makes this one a refusal, never a second current version."""
    new.supersedes = current
    new.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            new.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(CHANGED_MEANWHILE) from None
    return new


def _lock_current(queryset: Any) -> Any:
    return queryset.select_for_update(of=("self",)).filter(superseded_by__isnull=True).first()


@dataclass(frozen=True)
class FigureInput:
    amount: Decimal | None
    note: str = ""


@transaction.atomic
def high_needs_figures_enter(
    *,
    actor: Any,
    period: ReturnPeriod,
    figures: dict[str, FigureInput],
    seen_version: str | None = None,
) -> list[HighNeedsFigure]:
    """Enter a return period's figures: each one whose amount differs from the current entry
    becomes a new version, with its note; a blank amount leaves the figure as it is.
    `seen_version` is the period's `figures_version` when the form was shown: refused if it has
    moved since."""
    unknown = set(figures) - set(ReturnFigure.values)
    if unknown:
        raise ValueError(f"Not a high-needs figure: {', '.join(sorted(unknown))}")
    errors = {
        item: [AMOUNT_TOO_BIG]
        for item, given in figures.items()
        if given.amount is not None and abs(given.amount) >= MAX_AMOUNT
    }
    if errors:
        raise ValidationError(errors)
    if seen_version is not None and seen_version != figures_version(period=period):
        raise ValidationError(CHANGED_MEANWHILE)
    made = []
    for item in ReturnFigure.values:
        given = figures.get(item)
        if given is None or given.amount is None:
            continue
        amount, note = _pennies(given.amount), given.note.strip()
        current = _lock_current(HighNeedsFigure.objects.filter(period=period.key, item=item))
        if current is not None and current.amount == amount:
            continue
        entry = _supersede(
            HighNeedsFigure(period=period.key, item=item, amount=amount, note=note, author=actor),
            current,
        )
        record(
            actor=actor,
            action="high_needs.figure.enter",
            obj=entry,
            changes={
                "period": period.key,
                "item": item,
                "amount": amount,
                "note": note,
                "supersedes": current,
                "before": None if current is None else current.amount,
            },
        )
        made.append(entry)
    return made


@transaction.atomic
def safety_valve_condition_add(*, actor: Any, number: int, title: str) -> SafetyValveCondition:
    """A condition of the safety-valve agreement, by its number in the agreement."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": [CONDITION_TITLE_REQUIRED]})
    if SafetyValveCondition.objects.filter(number=number).exists():
        raise ValidationError({"number": [CONDITION_NUMBER_TAKEN.format(number=number)]})
    condition = SafetyValveCondition(number=number, title=title, created_by=actor)
    condition.full_clean()
    condition.save()
    record(
        actor=actor,
        action="high_needs.condition.add",
        obj=condition,
        changes={"number": number, "title": title},
    )
    return condition


@transaction.atomic
def condition_update_enter(
    *,
    actor: Any,
    condition: SafetyValveCondition,
    period: ReturnPeriod,
    rag: str,
    narrative: str,
    evidence: str = "",
    replaces: Any = None,
) -> ConditionUpdate:
    """A condition's RAG, narrative and evidence for the period. `replaces` is the id of the
    update the form showed (None when it showed none): refused if another has come since. The
    same words again return the current update unchanged."""
    errors: dict[str, list[str]] = {}
    if rag not in ConditionRag.values:
        errors["rag"] = [RAG_REQUIRED]
    if not narrative.strip():
        errors["narrative"] = [NARRATIVE_REQUIRED]
    if errors:
        raise ValidationError(errors)
    current: ConditionUpdate | None = _lock_current(
        ConditionUpdate.objects.filter(condition=condition, period=period.key)
    )
    if (current.pk if current else None) != replaces:
        raise ValidationError(CHANGED_MEANWHILE)
    narrative, evidence = narrative.strip(), evidence.strip()
    if current is not None and (current.rag, current.narrative, current.evidence) == (
        rag,
        narrative,
        evidence,
    ):
        return current
    update: ConditionUpdate = _supersede(
        ConditionUpdate(
            condition=condition,
            period=period.key,
            rag=rag,
            narrative=narrative,
            evidence=evidence,
            author=actor,
        ),
        current,
    )
    record(
        actor=actor,
        action="high_needs.condition.update",
        obj=update,
        changes={
            "condition": condition.number,
            "period": period.key,
            "rag": rag,
            "narrative": narrative,
            "evidence": evidence,
            "supersedes": current,
            "before": None if current is None else current.rag,
        },
    )
    return update


@transaction.atomic
def pressure_enter(
    *,
    actor: Any,
    period: ReturnPeriod,
    kind: str,
    title: str,
    amount: Decimal | None,
    narrative: str = "",
    replaces: PressureEntry | None = None,
    withdrawn: bool = False,
) -> PressureEntry:
    """A pressure or mitigation line for the period, new or as a new version of `replaces`
    (the version the form showed; refused if it is no longer the current one). Withdrawing a
    line is a last version marked withdrawn: it leaves the period's totals but stays in the
    history."""
    errors: dict[str, list[str]] = {}
    if kind not in PressureKind.values:
        errors["kind"] = [KIND_REQUIRED]
    if not title.strip():
        errors["title"] = [TITLE_REQUIRED]
    if amount is not None and abs(amount) >= MAX_AMOUNT:
        errors["amount"] = [AMOUNT_TOO_BIG]
    if errors:
        raise ValidationError(errors)
    current: PressureEntry | None = None
    if replaces is not None:
        current = _lock_current(PressureEntry.objects.filter(pk=replaces.pk))
        if current is None:
            raise ValidationError(CHANGED_MEANWHILE)
        if current.withdrawn:
            raise ValidationError(ALREADY_WITHDRAWN)
        period = parse_return_period(current.period)
    amount = None if amount is None else _pennies(amount)
    values = (kind, title.strip(), amount, narrative.strip(), withdrawn)
    if current is not None and values == (
        current.kind,
        current.title,
        current.amount,
        current.narrative,
        current.withdrawn,
    ):
        return current
    entry: PressureEntry = _supersede(
        PressureEntry(
            period=period.key,
            kind=kind,
            title=values[1],
            amount=amount,
            narrative=values[3],
            withdrawn=withdrawn,
            author=actor,
        ),
        current,
    )
    record(
        actor=actor,
        action="high_needs.pressure.withdraw" if withdrawn else "high_needs.pressure.enter",
        obj=entry,
        changes={
            "period": period.key,
            "kind": kind,
            "title": entry.title,
            "amount": amount,
            "narrative": entry.narrative,
            "supersedes": current,
        },
    )
    return entry
