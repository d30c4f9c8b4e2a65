"""Where the child is educated over time: placements of rank 1 and 2 with no gap and no overlap,
and the child's current setting following the rank 1 placement in force."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cases import messages as msg
from cases.codes import SenSetting
from cases.models import Child, Establishment, Placement, Plan
from cases.services.common import Errors, add_error, fmt, lock, raise_if, today
from cases.services.plans.state import active_plan
from cases.services.steps import case_step, save_fields, save_new
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed


def _setting_name(placement: Placement) -> str:
    if placement.awaiting_placement:
        return "awaiting a placement"
    if placement.establishment is not None:
        return placement.establishment.name
    return SenSetting(placement.sen_setting).label


@transaction.atomic
def placement_create(
    *,
    actor: Actor | None,
    plan: Plan,
    starts_on: dt.date | None = None,
    establishment: Establishment | None = None,
    sen_setting: str = "",
    sen_setting_other: str = "",
    rank: int = 1,
    band: str = "",
    annual_cost: Decimal | None = None,
    cost_reason: str = "",
    awaiting_placement: bool = False,
    sen_unit: bool = False,
    resourced_provision: bool = False,
) -> Placement:
    """Record where the child is educated from `starts_on`.

    The open placement of the same rank ends the day before the new one starts, so the history
    has no overlap and no gap. A rank 1 placement in force today becomes the child's current
    setting (one starting later does on its first day: `current_settings_follow_placements`).
    """
    active_plan(plan)
    errors: Errors = {}
    if rank not in (1, 2):
        add_error(errors, "rank", msg.RANK_INVALID)
    if not awaiting_placement:
        if establishment is not None and sen_setting:
            add_error(errors, "establishment", msg.SETTING_ONE_KIND)
        elif establishment is None and not sen_setting:
            add_error(errors, "establishment", msg.SETTING_NEEDED)
        if starts_on is None:
            add_error(errors, "starts_on", msg.PLACEMENT_START_NEEDED)
    raise_if(errors)
    previous = (
        Placement.objects.select_for_update()
        .filter(plan=plan, rank=rank, ends_on__isnull=True)
        .order_by("-starts_on")
        .first()
    )
    if previous is not None and starts_on is not None and previous.starts_on is not None:
        if starts_on <= previous.starts_on:
            raise ValidationError(
                {
                    "starts_on": [
                        msg.PLACEMENT_BEFORE_PREVIOUS.format(
                            previous_start=fmt(previous.starts_on), rank=rank
                        )
                    ]
                }
            )
        save_fields(previous, ends_on=starts_on - dt.timedelta(days=1))
        record(
            actor=actor,
            action="placement.ended",
            obj=previous,
            child_id=plan.child_id,
            changes={"ends_on": previous.ends_on, "replaced": True},
        )
    elif previous is not None and previous.awaiting_placement and starts_on is not None:
        # "Awaiting placement" ends when a placement is found.
        ends_on = starts_on - dt.timedelta(days=1)
        save_fields(previous, starts_on=previous.starts_on or ends_on, ends_on=ends_on)
    placement = Placement(
        plan=plan,
        starts_on=starts_on,
        establishment=None if awaiting_placement else establishment,
        sen_setting="" if awaiting_placement else sen_setting,
        sen_setting_other="" if awaiting_placement else sen_setting_other.strip(),
        rank=rank,
        band=band.strip(),
        annual_cost=annual_cost,
        cost_reason=cost_reason.strip(),
        awaiting_placement=awaiting_placement,
        sen_unit=sen_unit,
        resourced_provision=resourced_provision,
    )
    save_new(placement)
    name = _setting_name(placement)
    case_step(
        actor=actor,
        subject=plan,
        action="placement.created",
        title="Awaiting a placement"
        if awaiting_placement
        else f"Placement at {name} from {fmt(starts_on)}"
        if starts_on
        else f"Placement at {name}",
        occurred_on=starts_on or today(),
        changes={
            "establishment": establishment,
            "sen_setting": sen_setting,
            "rank": rank,
            "starts_on": starts_on,
            "band": band,
            "annual_cost": annual_cost,
            "awaiting_placement": awaiting_placement,
        },
        obj=placement,
        detail=f"Band {band}" if band else "",
    )
    if rank == 1 and not awaiting_placement:
        _follow_placement(actor=actor, child=plan.child, on=today())
    return placement


def _placement_in_force(child_id: Any, on: dt.date) -> Placement | None:
    """The child's rank 1 placement in force on `on` (not "awaiting a placement")."""
    return (
        Placement.objects.select_related("establishment")
        .filter(plan__child_id=child_id, rank=1, awaiting_placement=False, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-starts_on")
        .first()
    )


def _follow_placement(*, actor: Actor | None, child: Child, on: dt.date) -> bool:
    """Make the child's current setting the one they are placed at on `on`: the establishment,
    or none for a type of setting without one (home education, say). True when it changed."""
    placement = _placement_in_force(child.pk, on)
    if placement is None or child.current_setting_id == placement.establishment_id:
        return False
    before = child.current_setting
    child.current_setting = placement.establishment
    child.save(update_fields=["current_setting", "updated_at"])
    record(
        actor=actor,
        action="child.updated",
        obj=child,
        child_id=child.pk,
        changes={
            "current_setting": {"from": before, "to": placement.establishment},
            "placement": placement,
        },
    )
    return True


def current_settings_follow_placements(*, on: dt.date, actor: Actor | None = None) -> int:
    """Nightly: children placed (in advance) at a setting from a day up to a week before `on`
    get it as their current setting; the week catches up a missed night. Returns how many."""
    starting = (
        Placement.objects.filter(
            rank=1,
            awaiting_placement=False,
            starts_on__lte=on,
            starts_on__gt=on - dt.timedelta(days=7),
        )
        .values_list("plan__child_id", flat=True)
        .distinct()
    )
    changed = 0
    for child in Child.objects.filter(pk__in=list(starting)).order_by("pk"):
        with transaction.atomic():
            changed += _follow_placement(actor=actor, child=child, on=on)
    return changed


def place_at_named_setting(
    *,
    actor: Actor | None,
    plan: Plan,
    named_settings: Sequence[dict[str, Any]],
    starts_on: dt.date,
    **details: Any,
) -> Placement | None:
    """Place the child at the setting section I names at rank 1 from `starts_on`, unless they
    are already placed there: the placement follows the plan. `details` are the placement's
    band and cost (`placement_create`)."""
    rank_one = next((s for s in named_settings if s.get("rank", 1) == 1), None)
    if rank_one is None:
        return None
    establishment = rank_one.get("establishment")
    code = "" if establishment is not None else rank_one.get("sen_setting", "")
    current = (
        Placement.objects.filter(plan=plan, rank=1, ends_on__isnull=True, awaiting_placement=False)
        .order_by("-starts_on")
        .first()
    )
    if (
        current is not None
        and current.establishment_id == getattr(establishment, "pk", None)
        and current.sen_setting == code
    ):
        return None
    return placement_create(
        actor=actor,
        plan=plan,
        starts_on=starts_on,
        establishment=establishment,
        sen_setting=code,
        sen_setting_other=rank_one.get("sen_setting_other", "") if code else "",
        rank=1,
        sen_unit=rank_one.get("sen_unit", False),
        resourced_provision=rank_one.get("resourced_provision", False),
        **details,
    )


@transaction.atomic
def placement_end(*, actor: Actor | None, placement: Placement, ends_on: dt.date) -> Placement:
    """The child left the setting on `ends_on`."""
    lock(placement)
    if placement.ends_on is not None:
        raise TransitionNotAllowed(msg.PLACEMENT_ALREADY_ENDED)
    if placement.starts_on is not None and ends_on < placement.starts_on:
        message = msg.PLACEMENT_ENDS_BEFORE_START.format(starts_on=fmt(placement.starts_on))
        raise ValidationError({"ends_on": [message]})
    save_fields(placement, starts_on=placement.starts_on or ends_on, ends_on=ends_on)
    case_step(
        actor=actor,
        subject=placement.plan,
        action="placement.ended",
        title=f"Placement at {_setting_name(placement)} ended",
        occurred_on=ends_on,
        changes={"ends_on": ends_on},
        obj=placement,
    )
    return placement
