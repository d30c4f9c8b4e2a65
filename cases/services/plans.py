"""EHC plans after issue: placements over time, amended versions, and ceasing."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cases.codes import PLACEMENT_ONLY_SETTINGS, CeaseReason, SenSetting
from cases.models import (
    Child,
    Establishment,
    NamedSetting,
    Placement,
    Plan,
    PlanStatus,
    PlanVersion,
)
from cases.plan_content.services import plan_content_issue_version
from cases.services import messages as msg
from cases.services.common import (
    Errors,
    actor_user,
    add_error,
    check_not_future,
    fmt,
    lock,
    raise_if,
    step_record,
    today,
    working_calendar,
)
from send_cms.audit.services import record
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import COMMENCEMENT, compute

#: Cease reasons with no appeal to wait for: the plan ends by operation of law, not by a
#: decision the family can appeal (the plan moves with the child to the new LA; a death).
CEASE_WITHOUT_APPEAL = frozenset({CeaseReason.MOVED_LA_ENGLAND, CeaseReason.DECEASED})


def _active(plan: Plan) -> Plan:
    lock(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise TransitionNotAllowed(msg.PLAN_CEASED)
    return plan


def _plan_step(
    *,
    actor: Any,
    plan: Plan,
    action: str,
    title: str,
    occurred_on: dt.date,
    changes: dict[str, Any],
    obj: Any = None,
    detail: str = "",
    from_status: str = "",
) -> None:
    step_record(
        actor=actor,
        child=plan.child,
        action=action,
        title=title,
        occurred_on=occurred_on,
        changes=changes,
        obj=obj if obj is not None else plan,
        detail=detail,
        request=plan.request,
        plan=plan,
        from_status=from_status,
        to_status=plan.status if from_status else "",
    )


def _setting_name(placement: Placement) -> str:
    if placement.awaiting_placement:
        return "awaiting a placement"
    if placement.establishment is not None:
        return placement.establishment.name
    return SenSetting(placement.sen_setting).label


@transaction.atomic
def placement_create(
    *,
    actor: Any,
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
    _active(plan)
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
        previous.ends_on = starts_on - dt.timedelta(days=1)
        previous.full_clean()
        previous.save(update_fields=["ends_on", "updated_at"])
        record(
            actor=actor,
            action="placement.ended",
            obj=previous,
            child_id=plan.child_id,
            changes={"ends_on": previous.ends_on, "replaced": True},
        )
    elif previous is not None and previous.awaiting_placement and starts_on is not None:
        # "Awaiting placement" ends when a placement is found.
        previous.ends_on = starts_on - dt.timedelta(days=1)
        previous.starts_on = previous.starts_on or previous.ends_on
        previous.full_clean()
        previous.save(update_fields=["starts_on", "ends_on", "updated_at"])
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
    placement.full_clean()
    placement.save(force_insert=True)
    name = _setting_name(placement)
    _plan_step(
        actor=actor,
        plan=plan,
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


def _follow_placement(*, actor: Any, child: Child, on: dt.date) -> bool:
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


def current_settings_follow_placements(*, on: dt.date, actor: Any = None) -> int:
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


def check_named_settings(errors: Errors, named_settings: Sequence[dict[str, Any]]) -> None:
    """Section I: one rank 1, at most one rank 2, each one kind of setting, none placement-only."""
    ranks = [s.get("rank", 1) for s in named_settings]
    if any(r not in (1, 2) for r in ranks):
        add_error(errors, "named_settings", msg.RANK_INVALID)
    elif named_settings and (ranks.count(1) != 1 or ranks.count(2) > 1):
        add_error(errors, "named_settings", msg.NAMED_SETTING_RANKS)
    for setting in named_settings:
        establishment = setting.get("establishment")
        code = setting.get("sen_setting", "")
        if establishment is not None and code:
            add_error(errors, "named_settings", msg.SETTING_ONE_KIND)
        elif establishment is None and not code:
            add_error(errors, "named_settings", msg.SETTING_NEEDED)
        elif code in PLACEMENT_ONLY_SETTINGS:
            add_error(
                errors,
                "named_settings",
                msg.SETTING_NOT_IN_PLAN.format(setting=SenSetting(code).label),
            )
        elif code == SenSetting.OTH and not setting.get("sen_setting_other", "").strip():
            add_error(errors, "named_settings", msg.SETTING_OTHER_NEEDS_DETAIL)


def check_starts_on(
    errors: Errors,
    *,
    starts_on: dt.date | None,
    issued_on: dt.date,
    named_settings: Sequence[dict[str, Any]] | None,
) -> None:
    """A start date later than the plan's issue says when the child starts at the setting named
    at rank 1; without one, the child starts there on the day the plan is issued."""
    if starts_on is None:
        return
    if not any(s.get("rank", 1) == 1 for s in named_settings or ()):
        add_error(errors, "starts_on", msg.STARTS_WITHOUT_SETTING)
    elif starts_on < issued_on:
        add_error(errors, "starts_on", msg.STARTS_BEFORE_PLAN.format(issued_on=fmt(issued_on)))


def named_settings_save(*, plan: Plan, named_settings: Sequence[dict[str, Any]]) -> None:
    """Section I as the plan (or its latest version) names it: replaces what it named before."""
    plan.named_settings.all().delete()
    for setting in named_settings:
        named = NamedSetting(
            plan=plan,
            establishment=setting.get("establishment"),
            sen_setting=setting.get("sen_setting", ""),
            sen_setting_other=setting.get("sen_setting_other", ""),
            rank=setting.get("rank", 1),
            sen_unit=setting.get("sen_unit", False),
            resourced_provision=setting.get("resourced_provision", False),
        )
        named.full_clean()
        named.save(force_insert=True)


def place_at_named_setting(
    *,
    actor: Any,
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
def placement_end(*, actor: Any, placement: Placement, ends_on: dt.date) -> Placement:
    """The child left the setting on `ends_on`."""
    lock(placement)
    if placement.ends_on is not None:
        raise TransitionNotAllowed(msg.PLACEMENT_ALREADY_ENDED)
    if placement.starts_on is not None and ends_on < placement.starts_on:
        message = msg.PLACEMENT_ENDS_BEFORE_START.format(starts_on=fmt(placement.starts_on))
        raise ValidationError({"ends_on": [message]})
    placement.ends_on = ends_on
    if placement.starts_on is None:
        placement.starts_on = ends_on
    placement.full_clean()
    placement.save(update_fields=["starts_on", "ends_on", "updated_at"])
    _plan_step(
        actor=actor,
        plan=placement.plan,
        action="placement.ended",
        title=f"Placement at {_setting_name(placement)} ended",
        occurred_on=ends_on,
        changes={"ends_on": ends_on},
        obj=placement,
    )
    return placement


@transaction.atomic
def plan_version_issue(
    *,
    actor: Any,
    plan: Plan,
    issued_on: dt.date,
    changes: str,
    kind: str = "amended",
    named_settings: Sequence[dict[str, Any]] | None = None,
    starts_on: dt.date | None = None,
) -> PlanVersion:
    """Issue a new version of the plan (an amended plan after a review); every version is kept.

    `named_settings` is section I when the amended plan changes it: the child is placed at the
    new rank 1 setting from the issue date, or from `starts_on` when they start later.
    """
    _active(plan)
    errors: Errors = {}
    if named_settings is not None:
        check_named_settings(errors, named_settings)
    check_starts_on(errors, starts_on=starts_on, issued_on=issued_on, named_settings=named_settings)
    check_not_future(errors, "issued_on", issued_on, "The date the plan was issued")
    if kind != PlanVersion.Kind.AMENDED:
        add_error(errors, "kind", msg.VERSION_KIND_INVALID)
    if not changes.strip():
        add_error(errors, "changes", msg.VERSION_NEEDS_CHANGES)
    last = plan.versions.order_by("-number").first()
    if last is not None and issued_on < last.issued_on:
        add_error(
            errors,
            "issued_on",
            msg.VERSION_BEFORE_PREVIOUS.format(number=last.number, issued_on=fmt(last.issued_on)),
        )
    raise_if(errors)
    version = PlanVersion(
        plan=plan,
        number=(last.number + 1) if last is not None else 1,
        kind=kind,
        issued_on=issued_on,
        changes=changes.strip(),
        issued_by=actor_user(actor),
    )
    version.full_clean()
    version.save(force_insert=True)
    _plan_step(
        actor=actor,
        plan=plan,
        action="plan.version_issued",
        title=f"Amended EHC plan issued (version {version.number})",
        occurred_on=issued_on,
        changes={"number": version.number, "issued_on": issued_on, "changes": version.changes},
        obj=version,
        detail=version.changes,
    )
    if named_settings is not None:
        named_settings_save(plan=plan, named_settings=named_settings)
        place_at_named_setting(
            actor=actor, plan=plan, named_settings=named_settings, starts_on=starts_on or issued_on
        )
    plan_content_issue_version(actor=actor, version=version)
    return version


@transaction.atomic
def plan_cease_propose(*, actor: Any, plan: Plan, proposed_on: dt.date, reasons: str = "") -> Plan:
    """Propose to cease the plan, telling the family why (`reasons`, for their letter); it stays
    in force until ceased (see `plan_cease`)."""
    _active(plan)
    if plan.cease_proposed_on is not None:
        raise TransitionNotAllowed(
            msg.CEASE_ALREADY_PROPOSED.format(proposed_on=fmt(plan.cease_proposed_on))
        )
    errors: Errors = {}
    check_not_future(errors, "proposed_on", proposed_on, "The date ceasing was proposed")
    if proposed_on < plan.issued_on:
        add_error(
            errors,
            "proposed_on",
            msg.CEASE_PROPOSED_BEFORE_ISSUE.format(issued_on=fmt(plan.issued_on)),
        )
    raise_if(errors)
    plan.cease_proposed_on = proposed_on
    plan.cease_proposal_reasons = reasons.strip()
    plan.full_clean()
    plan.save(update_fields=["cease_proposed_on", "cease_proposal_reasons", "updated_at"])
    _plan_step(
        actor=actor,
        plan=plan,
        action="plan.cease_proposed",
        title="Proposed to cease the EHC plan",
        occurred_on=proposed_on,
        changes={"cease_proposed_on": proposed_on, "reasons": plan.cease_proposal_reasons},
        detail=plan.cease_proposal_reasons,
    )
    return plan


def appeal_deadline_for(decided_on: dt.date, *, certificate: dt.date | None = None) -> dt.date:
    """The last day the family can appeal a decision to cease notified on `decided_on` (a
    mediation certificate issued later can move it: one month from the certificate)."""
    return compute("appeal_deadline", decided_on, working_calendar(), certificate=certificate).due


@dataclass(frozen=True)
class CeaseAppeals:
    """What the appeal records say about a decision to cease: a reason the plan must stay in
    force whatever the dates (an appeal against ceasing still open), whether an appeal against
    this decision has been decided, and a mediation certificate that moves the appeal deadline."""

    refusal: str = ""
    decided: bool = False
    certificate_on: dt.date | None = None


class PlanIssuedListener(Protocol):
    """Called in the same transaction as a final plan's issue (`register_plan_issued`)."""

    def __call__(self, *, actor: Any, plan: Plan) -> object: ...


_plan_issued_listeners: list[PlanIssuedListener] = []


def register_plan_issued(listener: PlanIssuedListener) -> None:
    """Let an app act in the same transaction as a final plan's issue (the reviews app opens the
    plan's first annual review, so the case shows it at once); called once in its
    AppConfig.ready: that app imports casework, so casework cannot import it."""
    if listener not in _plan_issued_listeners:
        _plan_issued_listeners.append(listener)


def plan_issued(*, actor: Any, plan: Plan) -> None:
    """Tell every registered app that `plan` was issued (inside the issuing transaction)."""
    for listener in _plan_issued_listeners:
        listener(actor=actor, plan=plan)


CeaseAppealsSource = Callable[[Plan, dt.date], CeaseAppeals]
_cease_appeal_sources: list[CeaseAppealsSource] = []


def register_cease_appeals(source: CeaseAppealsSource) -> None:
    """Let the app that records mediation and appeals answer for `plan_cease` (called once in its
    AppConfig.ready): that app imports casework, so casework cannot import it."""
    if source not in _cease_appeal_sources:
        _cease_appeal_sources.append(source)


def cease_appeals(plan: Plan, decided_on: dt.date) -> CeaseAppeals:
    """Every registered source's answer about the decision to cease notified on `decided_on`."""
    answers = [source(plan, decided_on) for source in _cease_appeal_sources]
    certificates = [a.certificate_on for a in answers if a.certificate_on is not None]
    return CeaseAppeals(
        refusal=next((a.refusal for a in answers if a.refusal), ""),
        decided=any(a.decided for a in answers),
        certificate_on=max(certificates, default=None),
    )


@transaction.atomic
def plan_cease(
    *,
    actor: Any,
    plan: Plan,
    decided_on: dt.date,
    ceased_on: dt.date,
    reason: int,
    appeal_decided: bool = False,
) -> Plan:
    """Cease the plan (SEN2 CeaseDate and CeaseReason).

    A plan the family can appeal against ceasing stays in force until the appeal deadline
    (`appeal_deadline` from the decision notice, or from a later mediation certificate) has
    passed, unless an appeal has been decided (`appeal_decided=True`, or a decided appeal on
    record), and always while an appeal against ceasing is open (see `cease_appeals`). Open
    placements end on the day the plan ceased.
    """
    _active(plan)
    errors: Errors = {}
    if reason not in CeaseReason.values:
        add_error(errors, "reason", msg.CEASE_REASON_INVALID)
    check_not_future(errors, "decided_on", decided_on, "The date of the decision")
    check_not_future(errors, "ceased_on", ceased_on, "The date the plan ceased")
    if decided_on < plan.issued_on:
        message = msg.CEASE_DECIDED_BEFORE_ISSUE.format(issued_on=fmt(plan.issued_on))
        add_error(errors, "decided_on", message)
    elif plan.cease_proposed_on is not None and decided_on < plan.cease_proposed_on:
        add_error(
            errors,
            "decided_on",
            msg.CEASE_DECIDED_BEFORE_PROPOSAL.format(proposed_on=fmt(plan.cease_proposed_on)),
        )
    if ceased_on < decided_on:
        message = msg.CEASED_BEFORE_DECISION.format(decided_on=fmt(decided_on))
        add_error(errors, "ceased_on", message)
    elif reason not in CEASE_WITHOUT_APPEAL and "decided_on" not in errors:
        # The appeal deadline is counted only from a date the decision could have had.
        if decided_on < COMMENCEMENT:
            add_error(
                errors,
                "decided_on",
                msg.DATE_BEFORE_TIME_LIMIT.format(
                    label="The date of the decision", commenced=fmt(COMMENCEMENT)
                ),
            )
            raise_if(errors)
        appeals = cease_appeals(plan, decided_on)
        deadline = appeal_deadline_for(decided_on, certificate=appeals.certificate_on)
        if appeals.refusal:
            add_error(errors, "ceased_on", appeals.refusal)
        elif not (appeal_decided or appeals.decided) and ceased_on <= deadline:
            add_error(
                errors,
                "ceased_on",
                msg.CEASE_BEFORE_APPEAL_DEADLINE.format(
                    deadline=fmt(deadline), earliest=fmt(deadline + dt.timedelta(days=1))
                ),
            )
    raise_if(errors)
    before = plan.status
    plan.status = PlanStatus.CEASED
    plan.cease_decided_on = decided_on
    plan.ceased_on = ceased_on
    plan.cease_reason = reason
    plan.full_clean()
    plan.save(
        update_fields=["status", "cease_decided_on", "ceased_on", "cease_reason", "updated_at"]
    )
    for placement in Placement.objects.filter(plan=plan, ends_on__isnull=True):
        placement.starts_on = placement.starts_on or ceased_on
        placement.ends_on = max(ceased_on, placement.starts_on)
        placement.full_clean()
        placement.save(update_fields=["starts_on", "ends_on", "updated_at"])
    _plan_step(
        actor=actor,
        plan=plan,
        action="plan.ceased",
        title="EHC plan ceased",
        occurred_on=ceased_on,
        changes={
            "cease_decided_on": decided_on,
            "ceased_on": ceased_on,
            "cease_reason": reason,
            "appeal_decided": appeal_decided,
        },
        detail=CeaseReason(reason).label,
        from_status=before,
    )
    return plan
