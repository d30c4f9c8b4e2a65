"""Every read of mediation and appeals: scoped to the user first, with the joins each list needs,
so a list costs the same number of queries for 1 row as for 1,000.

Caseworkers, managers and administrators see every case; panel members see the children the
casework selectors let them see (those on their panels' agendas).
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from cases.models import AssessmentRequest
from cases.rules import panel_member_child_ids
from send_cms.accounts.actor import Actor
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.audit.services import record
from send_cms.deadlines.display import DeadlineRow
from send_cms.timescales import Due
from tribunals.codes import (
    CONDITIONAL_RULES,
    OPEN_APPEAL_STATUSES,
    AppealStatus,
    AppealType,
    DecisionType,
    OrderStatus,
)
from tribunals.deadlines import (
    appeal_deadline,
    appeal_deadline_rows,
    appeals_with_steps,
    next_open_row,
)
from tribunals.models import (
    Appeal,
    AppealEvent,
    ComplianceStep,
    Direction,
    Mediation,
    MediationAction,
    Order,
    Recommendation,
)
from tribunals.selectors.cease import CeasePosition as CeasePosition
from tribunals.selectors.cease import cease_appeal_pending as cease_appeal_pending
from tribunals.selectors.cease import cease_appeals_for as cease_appeals_for
from tribunals.selectors.cease import cease_position as cease_position
from tribunals.selectors.reporting import APPEAL_TYPE_GROUPS as APPEAL_TYPE_GROUPS
from tribunals.selectors.reporting import DECIDED_BY_TRIBUNAL as DECIDED_BY_TRIBUNAL
from tribunals.selectors.reporting import OUTCOME_GROUPS as OUTCOME_GROUPS
from tribunals.selectors.reporting import AppealTypeGroup as AppealTypeGroup
from tribunals.selectors.reporting import OutcomeGroup as OutcomeGroup
from tribunals.selectors.reporting import appeal_closed_in as appeal_closed_in
from tribunals.selectors.reporting import appeal_registered_in as appeal_registered_in
from tribunals.selectors.reporting import appeal_registered_on as appeal_registered_on
from tribunals.selectors.reporting import appeal_type_group as appeal_type_group
from tribunals.selectors.reporting import compliance_overdue_q as compliance_overdue_q
from tribunals.selectors.reporting import group_of as group_of
from tribunals.selectors.reporting import mediations_held_in as mediations_held_in
from tribunals.selectors.reporting import order_is_overdue as order_is_overdue
from tribunals.selectors.reporting import orders_overdue_q as orders_overdue_q
from tribunals.selectors.reporting import outcome_group as outcome_group

#: The stage filter of the register: the open statuses, and closed appeals with orders to meet.
ORDERS_OUTSTANDING = "orders_outstanding"


# --- scope ------------------------------------------------------------------------------------
def _child_scope(user: Actor) -> Q | None:
    """Which children's records the user may read: Q() for all, None for none."""
    roles = user_roles(user)
    if roles & CASEWORK_READ:
        return Q()
    if Role.PANEL_MEMBER in roles:
        return Q(child_id__in=panel_member_child_ids(user))
    return None


def _steps() -> Any:
    """An order's or agreement action's steps, in the order they fall due."""
    return Prefetch("steps", queryset=ComplianceStep.objects.order_by("position"))


# --- appeals ----------------------------------------------------------------------------------
def appeal_list(
    *,
    user: Actor,
    status: str | None = None,
    appeal_type: str | None = None,
    child: uuid.UUID | None = None,
    open_only: bool = False,
) -> QuerySet[Appeal]:
    """Appeals the user may see, with what their deadlines and list rows read."""
    scope = _child_scope(user)
    if scope is None:
        return Appeal.objects.none()
    queryset = Appeal.objects.filter(scope)
    if status:
        queryset = queryset.filter(status=status)
    if appeal_type:
        queryset = queryset.filter(appeal_type=appeal_type)
    if child is not None:
        queryset = queryset.filter(child_id=child)
    if open_only:
        queryset = queryset.filter(status__in=OPEN_APPEAL_STATUSES)
    return (
        appeals_with_steps(queryset)
        .select_related("child__caseworker", "plan", "request", "la_representative")
        .prefetch_related("directions")
        .order_by("-received_by_la_on", "-created_at")
    )


def appeal_get(*, user: Actor, pk: uuid.UUID) -> Appeal:
    """One appeal (404 if not visible); reading it is reading the child's record: audited."""
    appeal = appeal_list(user=user).filter(pk=pk).first()
    if appeal is None:
        raise Http404("No appeal found.")
    record(actor=user, action="child.viewed", obj=appeal, child_id=appeal.child_id)
    return appeal


def appeal_events(appeal: Appeal) -> QuerySet[AppealEvent]:
    """Newest first: by the date each step happened, then, on one day, the later entry first."""
    return appeal.events.order_by("-occurred_on", "-id")


@dataclass(frozen=True)
class RegisterRow:
    """One line of the tribunal register."""

    appeal: Appeal
    next_due: dt.date | None
    next_title: str
    next_status: str
    stage: str
    stage_label: str
    deadlines: list[DeadlineRow]


def _open_directions(appeal: Appeal) -> list[Direction]:
    return [d for d in appeal.directions.all() if d.complied_on is None]


def register_rows(
    *,
    user: Actor,
    appeal_type: str | None = None,
    stage: str | None = None,
    today: dt.date | None = None,
) -> list[RegisterRow]:
    """Open appeals, and decided ones whose orders are not yet met, by next deadline."""
    today = today or timezone.localdate()
    pending = ComplianceStep.objects.filter(
        order__appeal=OuterRef("pk"), applicable=True, complied_on__isnull=True
    )
    queryset = appeal_list(user=user, appeal_type=appeal_type).filter(
        Q(status__in=OPEN_APPEAL_STATUSES) | Q(Exists(pending))
    )
    rows = []
    for appeal in queryset:
        row_stage = appeal.status if appeal.is_open else ORDERS_OUTSTANDING
        if stage and stage != row_stage:
            continue
        deadlines = appeal_deadline_rows(appeal, today=today)
        candidates: list[tuple[dt.date, str, str]] = []
        nxt = next_open_row(deadlines)
        if nxt is not None and nxt.due is not None:
            candidates.append((nxt.due, nxt.title, nxt.status.value))
        for direction in _open_directions(appeal):
            status = "overdue" if direction.due_on < today else "upcoming"
            candidates.append((direction.due_on, "Tribunal direction due", status))
        first = min(candidates, default=None)
        rows.append(
            RegisterRow(
                appeal=appeal,
                next_due=first[0] if first else None,
                next_title=first[1] if first else "",
                next_status=first[2] if first else "",
                stage=row_stage,
                stage_label=stage_label(row_stage),
                deadlines=deadlines,
            )
        )
    rows.sort(key=lambda r: (r.next_due is None, r.next_due or dt.date.max, str(r.appeal.pk)))
    return rows


def stage_label(stage: str) -> str:
    if stage == ORDERS_OUTSTANDING:
        return "Orders to comply with"
    return str(AppealStatus(stage).label)


STAGE_CHOICES = [
    *((s.value, s.label) for s in OPEN_APPEAL_STATUSES),
    (ORDERS_OUTSTANDING, "Orders to comply with"),
]


# --- mediation --------------------------------------------------------------------------------
def mediation_list(
    *,
    user: Actor,
    decision_type: str | None = None,
    child: uuid.UUID | None = None,
    open_only: bool = False,
) -> QuerySet[Mediation]:
    scope = _child_scope(user)
    if scope is None:
        return Mediation.objects.none()
    queryset = Mediation.objects.filter(scope)
    if decision_type:
        queryset = queryset.filter(decision_type=decision_type)
    if child is not None:
        queryset = queryset.filter(child_id=child)
    if open_only:
        queryset = queryset.filter(certificate_issued_on__isnull=True)
    return (
        queryset.select_related("child__caseworker", "request", "plan")
        .prefetch_related(
            Prefetch("actions", queryset=MediationAction.objects.prefetch_related(_steps()))
        )
        .order_by("-decision_notice_on", "-created_at")
    )


def mediation_get(*, user: Actor, pk: uuid.UUID) -> Mediation:
    mediation = mediation_list(user=user).filter(pk=pk).first()
    if mediation is None:
        raise Http404("No mediation found.")
    record(actor=user, action="child.viewed", obj=mediation, child_id=mediation.child_id)
    return mediation


def mediation_appeal_deadline(mediation: Mediation) -> Due:
    """When the family must appeal by, counting the certificate if it is later."""
    return appeal_deadline(mediation.decision_notice_on, mediation.certificate_issued_on)


# --- orders -----------------------------------------------------------------------------------
def _with_status(queryset: QuerySet[Order], today: dt.date) -> QuerySet[Order]:
    """Annotate `order_status` and `next_due_on` from the steps, in the same query; overdue is
    reporting.md's `orders_overdue` (`order_is_overdue`) at the end of today."""
    pending = ComplianceStep.objects.filter(
        order=OuterRef("pk"), applicable=True, complied_on__isnull=True
    )
    live = pending.exclude(rule__in=CONDITIONAL_RULES, due_on__lt=today)
    return queryset.annotate(
        order_status=Case(
            When(order_is_overdue(on=today), then=Value(OrderStatus.OVERDUE.value)),
            When(Exists(pending), then=Value(OrderStatus.OPEN.value)),
            default=Value(OrderStatus.COMPLIED.value),
            output_field=CharField(),
        ),
        next_due_on=Subquery(live.order_by("due_on").values("due_on")[:1]),
    )


def order_list(
    *,
    user: Actor,
    appeal: uuid.UUID | None = None,
    status: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Order]:
    """Orders the user may see, each with its status (open, overdue, complied) and steps."""
    scope = _child_scope(user)
    if scope is None:
        return Order.objects.none()
    today = today or timezone.localdate()
    queryset = Order.objects.filter(appeal__in=Appeal.objects.filter(scope).values("pk"))
    if appeal is not None:
        queryset = queryset.filter(appeal_id=appeal)
    queryset = _with_status(queryset, today)
    if status:
        queryset = queryset.filter(Q(order_status=status))
    return (
        queryset.select_related("appeal__child__caseworker")
        .prefetch_related(_steps())
        .order_by("next_due_on", "runs_from", "created_at")
    )


def order_get(*, user: Actor, pk: uuid.UUID) -> Order:
    order = order_list(user=user).filter(pk=pk).first()
    if order is None:
        raise Http404("No order found.")
    record(actor=user, action="child.viewed", obj=order, child_id=order.appeal.child_id)
    return order


def overdue_orders(*, user: Actor, today: dt.date | None = None) -> QuerySet[Order]:
    """Orders with a step overdue at the end of today (`order_is_overdue`), by next due date."""
    return order_list(user=user, status=OrderStatus.OVERDUE, today=today)


# --- SEN2 -------------------------------------------------------------------------------------
SEN2_FLAGS = (
    "RequestMediation",
    "RequestTribunal",
    "AssessmentMediation",
    "AssessmentTribunal",
    "OtherMediation",
    "OtherTribunal",
)
_MEDIATION_FLAG = {
    DecisionType.REFUSAL_TO_ASSESS: "RequestMediation",
    DecisionType.REFUSAL_TO_ISSUE: "AssessmentMediation",
    DecisionType.PLAN_CONTENTS: "OtherMediation",
    DecisionType.CEASE: "OtherMediation",
    DecisionType.OTHER: "OtherMediation",
}
_TRIBUNAL_FLAG = {
    AppealType.REFUSAL_TO_ASSESS: "RequestTribunal",
    AppealType.REFUSAL_TO_REASSESS: "RequestTribunal",
    AppealType.REFUSAL_TO_ISSUE: "AssessmentTribunal",
    AppealType.CONTENTS: "OtherTribunal",
    AppealType.REFUSAL_TO_AMEND: "OtherTribunal",
    AppealType.CEASE: "OtherTribunal",
}


def sen2_flags_for_requests(request_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """SEN2's mediation and tribunal flags for many requests in three queries.

    Derived, never typed: a mediation flag is 1 when a mediation meeting about that decision was
    held (SEN2: "mediation meeting has occurred, irrespective of outcome"); a tribunal flag is 1
    when an appeal about it was registered, whatever its outcome. Refusals to assess (and to
    reassess) set Request*, refusals to issue set Assessment*, and everything about the plan
    that came from the request (contents, amending, ceasing, other) sets Other*. A flag an
    imported SEN2 file set (`AssessmentRequest.sen2_history`) is history no record here holds:
    it stays set.
    """
    ids = list(request_ids)
    flags = {pk: dict.fromkeys(SEN2_FLAGS, 0) for pk in ids}
    plan_to_request = {}
    for pk, plan_id, history in AssessmentRequest.objects.filter(pk__in=ids).values_list(
        "pk", "plan", "sen2_history"
    ):
        if plan_id is not None:
            plan_to_request[plan_id] = pk
        for tag, value in (history.get("flags") or {}).items():
            if tag in flags[pk] and value:
                flags[pk][tag] = 1
    linked = Q(request_id__in=ids) | Q(plan_id__in=list(plan_to_request))
    for request_id, plan_id, decision_type in Mediation.objects.filter(
        linked, held_on__isnull=False
    ).values_list("request_id", "plan_id", "decision_type"):
        owner = request_id or plan_to_request.get(plan_id)
        if owner in flags:
            flags[owner][_MEDIATION_FLAG[DecisionType(decision_type)]] = 1
    for request_id, plan_id, appeal_type in Appeal.objects.filter(linked).values_list(
        "request_id", "plan_id", "appeal_type"
    ):
        owner = request_id or plan_to_request.get(plan_id)
        if owner in flags:
            flags[owner][_TRIBUNAL_FLAG[AppealType(appeal_type)]] = 1
    return flags


def sen2_flags(request: AssessmentRequest) -> dict[str, int]:
    """The six flags for one request, e.g. {"RequestMediation": 0, "RequestTribunal": 1, ...}."""
    return sen2_flags_for_requests([request.pk])[request.pk]


# --- the smaller records, through their appeal's or mediation's scope ---------------------
def direction_get(*, user: Actor, pk: uuid.UUID) -> Direction:
    direction = (
        Direction.objects.filter(pk=pk, appeal__in=appeal_list(user=user).values("pk"))
        .select_related("appeal__child")
        .first()
    )
    if direction is None:
        raise Http404("No direction found.")
    return direction


def recommendation_get(*, user: Actor, pk: uuid.UUID) -> Recommendation:
    recommendation = (
        Recommendation.objects.filter(pk=pk, appeal__in=appeal_list(user=user).values("pk"))
        .select_related("appeal__child")
        .first()
    )
    if recommendation is None:
        raise Http404("No recommendation found.")
    return recommendation


def mediation_action_get(*, user: Actor, pk: uuid.UUID) -> MediationAction:
    action = (
        MediationAction.objects.filter(pk=pk, mediation__in=mediation_list(user=user).values("pk"))
        .select_related("mediation__child")
        .prefetch_related(_steps())
        .first()
    )
    if action is None:
        raise Http404("No agreement action found.")
    return action
