"""Recording a panel's decision on an item, and applying it to the case when the meeting closes.

Before the chair closes the meeting a decision may be changed: each change is a new row and the
earlier one is kept, not current. Closing applies every current decision to the case exactly once
(`applied_at`), through cases.services. After that a decision can only be superseded by a new
recorded decision with the same outcome and placement (to correct the reasons or the dissent
noted): a different outcome needs the case on a new agenda.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.codes import EstablishmentKind
from cases.models import Establishment
from panels.models import (
    REQUEST_KINDS,
    AgendaItem,
    Decision,
    FundingBand,
    ItemKind,
    ItemStatus,
    MeetingStatus,
    Outcome,
    PanelType,
)
from panels.rules import has_conflict, is_panel_member, is_present, quorum
from panels.selectors import band_on
from panels.services import casework
from send_cms.accounts.actor import Actor, account_of
from send_cms.accounts.models import User
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import fmt, locked

REASONS_REQUIRED = "Enter the reasons for the decision"
OUTCOME_REQUIRED = "Choose agree, decline or defer"
MEETING_NOT_STARTED = "The meeting has not started: the chair starts it before decisions are made"
ONLY_MEMBERS_PRESENT_DECIDE = "Only a panel member present at this meeting may record its decisions"
CONFLICT_CANNOT_DECIDE = (
    "You declared an interest in this item: another member present must record the decision"
)
INQUORATE = "The meeting is not quorate for this item, so it cannot decide: {detail}"
ESTABLISHMENT_REQUIRED = "Choose the setting the panel approves"
BAND_OR_COST_REQUIRED = "Choose a funding band, or enter an individual annual cost with a reason"
BAND_NOT_FOUND = "There is no band {code} for {kind} on {day}"
COST_REASON_REQUIRED = "Enter why an individual annual cost replaces the band's value"
COST_NOT_NEGATIVE = "The annual cost cannot be negative"
COST_ABOVE_THRESHOLD = (
    "A placement costing more than £{threshold:,.2f} a year must be decided by the {panel}"
)
DISSENTER_NOT_PRESENT = "Only members present can be noted as dissenting"
CLOSED_SAME_OUTCOME_ONLY = (
    "The meeting is closed: its decision can only be superseded with the same outcome and "
    "placement. To change them, put the case on a new agenda"
)
CASE_REFUSED = "{child}: the case could not take the panel's decision ({why})"

_PLACEMENT_FIELDS = ("establishment_id", "band_id", "band_code", "annual_cost", "starts_on")


@dataclass(frozen=True)
class PlacementTerms:
    establishment: Establishment
    band: FundingBand | None
    band_code: str
    annual_cost: Decimal
    cost_reason: str
    starts_on: dt.date


def _placement_terms(
    item: AgendaItem,
    *,
    establishment: Establishment | None,
    band: str,
    annual_cost: Decimal | None,
    cost_reason: str,
    starts_on: dt.date | None,
) -> PlacementTerms:
    """The approved setting, band and cost: the band's value for the setting's kind on the start
    date, unless an individual annual cost is given with a reason."""
    errors: dict[str, list[str]] = {}
    establishment = establishment or item.proposed_establishment
    start = starts_on or item.proposed_starts_on or item.meeting.held_on
    code = (band or "").strip()
    found: FundingBand | None = None
    if establishment is None:
        errors["establishment"] = [ESTABLISHMENT_REQUIRED]
    if annual_cost is not None and annual_cost < 0:
        errors["annual_cost"] = [COST_NOT_NEGATIVE]
    if annual_cost is not None and not cost_reason.strip():
        errors["cost_reason"] = [COST_REASON_REQUIRED]
    if annual_cost is None and not code:
        errors["band"] = [BAND_OR_COST_REQUIRED]
    if code and establishment is not None:
        found = band_on(kind=establishment.kind, code=code, day=start)
        if found is None:
            kind = EstablishmentKind(establishment.kind).label.lower()
            errors["band"] = [BAND_NOT_FOUND.format(code=code, kind=kind, day=fmt(start))]
    if errors or establishment is None:
        raise ValidationError(errors)
    if annual_cost is not None:
        cost, reason = annual_cost, cost_reason.strip()
    elif found is not None:
        cost, reason = found.annual_value, ""
    else:
        raise ValidationError({"band": [BAND_OR_COST_REQUIRED]})
    return PlacementTerms(
        establishment=establishment,
        band=found,
        band_code=code,
        annual_cost=cost,
        cost_reason=reason,
        starts_on=start,
    )


def _check_threshold(panel: PanelType, cost: Decimal) -> None:
    """A placement above another panel's cost threshold must go to that panel."""
    above = [
        p
        for p in PanelType.objects.filter(is_active=True, cost_threshold__lt=cost)
        if p.takes(ItemKind.PLACEMENT)
    ]
    if above and panel not in above:
        top = max(above, key=lambda p: p.cost_threshold or 0)
        raise ValidationError(
            {
                "annual_cost": [
                    COST_ABOVE_THRESHOLD.format(threshold=top.cost_threshold, panel=top.name)
                ]
            }
        )


def _same_terms(decision: Decision, new: Decision) -> bool:
    return decision.outcome == new.outcome and all(
        getattr(decision, f) == getattr(new, f) for f in _PLACEMENT_FIELDS
    )


@transaction.atomic
def decision_record(
    *,
    actor: Actor,
    item: AgendaItem,
    outcome: str,
    reasons: str,
    dissent: str = "",
    dissenters: Iterable[User] = (),
    establishment: Establishment | None = None,
    band: str = "",
    annual_cost: Decimal | None = None,
    cost_reason: str = "",
    starts_on: dt.date | None = None,
) -> tuple[Decision, bool]:
    """Record the panel's decision on an item; returns (decision, created).

    The same decision posted again (a retried request) is returned unchanged, created False.
    """
    item = locked(item, "meeting__panel", "request", "plan", "proposed_establishment")
    meeting = item.meeting
    if meeting.status == MeetingStatus.PLANNED:
        raise TransitionNotAllowed(MEETING_NOT_STARTED)
    if not (is_panel_member(actor) and is_present(actor, meeting)):
        raise PermissionDenied(ONLY_MEMBERS_PRESENT_DECIDE)
    if has_conflict(actor, item):
        raise PermissionDenied(CONFLICT_CANNOT_DECIDE)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [OUTCOME_REQUIRED]})
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [REASONS_REQUIRED]})
    check = quorum(meeting, item)
    if not check.is_quorate:
        raise TransitionNotAllowed(INQUORATE.format(detail=check.describe()))
    dissenting = list(dict.fromkeys(dissenters))
    if any(not is_present(u, meeting) for u in dissenting):
        raise ValidationError({"dissenters": [DISSENTER_NOT_PRESENT]})

    new = Decision(
        item=item,
        outcome=outcome,
        reasons=reasons,
        dissent=(dissent or "").strip(),
        recorded_by=account_of(actor),
    )
    if item.kind == ItemKind.PLACEMENT and outcome == Outcome.AGREE:
        terms = _placement_terms(
            item,
            establishment=establishment,
            band=band,
            annual_cost=annual_cost,
            cost_reason=cost_reason,
            starts_on=starts_on,
        )
        _check_threshold(meeting.panel, terms.annual_cost)
        new.establishment = terms.establishment
        new.band = terms.band
        new.band_code = terms.band_code
        new.annual_cost = terms.annual_cost
        new.cost_reason = terms.cost_reason
        new.starts_on = terms.starts_on

    current = item.decisions.filter(is_current=True).first()
    if current is not None and _same_terms(current, new):
        same_people = {u.pk for u in dissenting} == set(
            current.dissenters.values_list("pk", flat=True)
        )
        if (
            current.reasons == new.reasons
            and current.dissent == new.dissent
            and current.cost_reason == new.cost_reason
            and same_people
        ):
            return current, False  # a retried request: nothing new to record
    closed = meeting.status == MeetingStatus.CLOSED
    if closed and (current is None or not _same_terms(current, new)):
        raise TransitionNotAllowed(CLOSED_SAME_OUTCOME_ONLY)

    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
        new.supersedes = current
    if closed and current is not None:
        # The case already holds this outcome: the new record replaces the letter, not the case.
        new.applied_at = timezone.now()
        new.letter_dated_on = timezone.localdate()
        new.placement = current.placement
    new.full_clean()
    new.save()
    new.dissenters.set(dissenting)
    item.status = ItemStatus.DEFERRED if outcome == Outcome.DEFER else ItemStatus.DECIDED
    item.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action="panel_decision.superseded" if current is not None else "panel_decision.recorded",
        obj=new,
        child_id=item.child_id,
        changes={
            "item": item.pk,
            "outcome": outcome,
            "reasons": reasons,
            "dissent": new.dissent,
            "dissenters": [u.pk for u in dissenting],
            "establishment": new.establishment,
            "band": new.band_code,
            "annual_cost": new.annual_cost,
            "cost_reason": new.cost_reason,
            "starts_on": new.starts_on,
            "supersedes": current.pk if current is not None else None,
        },
    )
    if closed and current is not None:
        casework.timeline(
            actor=actor,
            child=item.child,
            event="panel.decision_amended",
            title=f"Panel decision record amended: {decision_title(item, new)}",
            detail=timeline_detail(new),
            occurred_on=timezone.localdate(),
            request=item.request,
            plan=item.plan,
        )
    return new, True


_TITLES = {
    (ItemKind.DECISION_TO_ASSESS, Outcome.AGREE): "Panel agreed to assess",
    (ItemKind.DECISION_TO_ASSESS, Outcome.DECLINE): "Panel decided not to assess",
    (ItemKind.DECISION_TO_ASSESS, Outcome.DEFER): "Panel deferred the decision to assess",
    (ItemKind.ISSUE_DECISION, Outcome.AGREE): "Panel agreed to issue an EHC plan",
    (ItemKind.ISSUE_DECISION, Outcome.DECLINE): "Panel decided not to issue an EHC plan",
    (ItemKind.ISSUE_DECISION, Outcome.DEFER): "Panel deferred the decision to issue a plan",
    (ItemKind.PLACEMENT, Outcome.AGREE): "Panel approved the placement",
    (ItemKind.PLACEMENT, Outcome.DECLINE): "Panel declined the proposed placement",
    (ItemKind.PLACEMENT, Outcome.DEFER): "Panel deferred the placement decision",
    (ItemKind.CEASE, Outcome.AGREE): "Panel agreed to cease the EHC plan",
    (ItemKind.CEASE, Outcome.DECLINE): "Panel decided to keep maintaining the EHC plan",
    (ItemKind.CEASE, Outcome.DEFER): "Panel deferred the decision to cease the plan",
}


def decision_title(item: AgendaItem, decision: Decision) -> str:
    title = _TITLES[(ItemKind(item.kind), Outcome(decision.outcome))]
    if item.kind == ItemKind.PLACEMENT and decision.outcome == Outcome.AGREE:
        band = f", band {decision.band_code}" if decision.band_code else ""
        title += f" at {decision.establishment}{band}, £{decision.annual_cost:,.2f} a year"
    return title


def timeline_detail(decision: Decision) -> str:
    meeting = decision.item.meeting
    lines = [
        f"Reasons: {decision.reasons}",
        f"Decided by the {meeting.panel.name} on {fmt(meeting.held_on)}.",
    ]
    if decision.cost_reason:
        lines.insert(1, f"Individual cost: {decision.cost_reason}")
    if decision.dissent:
        lines.append(f"Dissent noted: {decision.dissent}")
    return "\n".join(lines)


def apply_decision(*, actor: Actor, decision: Decision) -> Decision:
    """Carry a current decision into the case, once. Called when the meeting closes."""
    decision = locked(
        decision,
        "item__meeting__panel",
        "item__child",
        "item__request",
        "item__plan",
        "establishment",
    )
    if decision.applied_at is not None or not decision.is_current:
        return decision
    item = decision.item
    held_on = item.meeting.held_on
    try:
        _apply_to_case(actor, item, decision, held_on)
    except (ValidationError, TransitionNotAllowed) as exc:
        why = exc.message if isinstance(exc, TransitionNotAllowed) else "; ".join(exc.messages)
        raise TransitionNotAllowed(CASE_REFUSED.format(child=item.child, why=why)) from exc
    decision.applied_at = timezone.now()
    decision.letter_dated_on = timezone.localdate()
    decision.save(update_fields=["applied_at", "letter_dated_on", "placement", "updated_at"])
    casework.timeline(
        actor=actor,
        child=item.child,
        event="panel.decision",
        title=decision_title(item, decision),
        detail=timeline_detail(decision),
        occurred_on=held_on,
        request=item.request,
        plan=item.plan,
    )
    record(
        actor=actor,
        action="panel_decision.applied",
        obj=decision,
        child_id=item.child_id,
        changes={"outcome": decision.outcome, "placement": decision.placement},
    )
    return decision


def _apply_to_case(actor: Actor, item: AgendaItem, decision: Decision, held_on: dt.date) -> None:
    """Each effect is skipped when the case already shows it, so it can never happen twice."""
    agree = decision.outcome == Outcome.AGREE
    if decision.outcome == Outcome.DEFER:
        return
    if item.kind in REQUEST_KINDS and item.request is not None:
        casework.request_decide(
            actor=actor,
            request=item.request,
            issue=item.kind == ItemKind.ISSUE_DECISION,
            agree=agree,
            decided_on=held_on,
            reasons=decision.reasons,
        )
    elif item.kind == ItemKind.PLACEMENT and agree and item.plan is not None:
        establishment, cost = decision.establishment, decision.annual_cost
        if decision.placement_id is None and establishment is not None and cost is not None:
            decision.placement = casework.create_placement(
                actor=actor,
                plan=item.plan,
                starts_on=decision.starts_on or held_on,
                establishment=establishment,
                band=decision.band_code,
                annual_cost=cost,
                cost_reason=decision.cost_reason,
            )
    elif (
        item.kind == ItemKind.CEASE
        and agree
        and item.plan is not None
        and item.plan.cease_proposed_on is None
    ):
        casework.propose_cease(actor=actor, plan=item.plan, proposed_on=held_on)
