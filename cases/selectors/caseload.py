"""The caseload: open cases, soonest deadline first, with their counts and pages."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from cases.models import (
    OPEN_REQUEST_STATUSES,
    AssessmentRequest,
    Child,
    Establishment,
    Plan,
    PlanStatus,
)
from cases.selectors.children import _search, child_list, visible_child_ids
from cases.selectors.records import establishment_list
from send_cms.deadlines.models import NextDeadline
from send_cms.timescales import DeadlineStatus

#: The caseload's "stage" filter: an open request's status, or "plan" (a plan in force and no
#: open request).
STAGE_PLAN = "plan"
STAGES = (*(s.value for s in OPEN_REQUEST_STATUSES), STAGE_PLAN)
#: Deadlines still to meet, in the order a caseworker should worry about them.
OPEN_DEADLINE_STATUSES = (
    DeadlineStatus.overdue.value,
    DeadlineStatus.due_soon.value,
    DeadlineStatus.upcoming.value,
)

# --- the caseload --------------------------------------------------------------------------------


def _open_requests() -> QuerySet[AssessmentRequest]:
    return AssessmentRequest.objects.filter(
        child=OuterRef("pk"), status__in=OPEN_REQUEST_STATUSES
    ).order_by("-received_on")


def _active_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(child=OuterRef("pk"), status=PlanStatus.ACTIVE)


def caseload(
    *,
    user: Any,
    caseworker: Any = None,
    stage: str | None = None,
    deadline_status: str | None = None,
    setting: Any = None,
    need: str | None = None,
    q: str | None = None,
) -> QuerySet[Child]:
    """Open cases (an open request, or a plan in force), soonest deadline first.

    Each child is annotated with `next_due_on`, `next_deadline_title`, `next_deadline_status`
    and `next_deadline_rule` (its next deadline to meet, as the deadlines app stores it),
    `open_request_id`, `open_request_status` and `primary_need` (of the plan in force), in one
    query. `caseworker` narrows to one caseworker's cases (a user or an id); `setting` is an
    establishment (or its id) or an establishment kind; `need` a SEN2 primary need.
    """
    open_requests = _open_requests()
    active_plans = _active_plans()
    children = child_list(user=user)
    stored: Callable[[str], Any]
    if caseworker is not None:
        # One caseworker's: their children first, then each one's stored next deadline by its
        # key, so the page reads their cases and no one else's. A join would let PostgreSQL
        # hash every stored next deadline of the council for a few hundred rows.
        children = children.filter(caseworker=getattr(caseworker, "pk", caseworker))
        nexts = NextDeadline.objects.filter(child_id=OuterRef("pk"))

        def stored(field: str) -> Any:
            return Subquery(nexts.values(field)[:1])

    else:
        # Every caseload: joined, so a page walks the stored next deadlines' index by due date.
        def stored(field: str) -> Any:
            return F(f"next_deadline__{field}")

    # Scalar subqueries, not EXISTS: one index probe per row looked at. PostgreSQL may answer
    # an EXISTS by hashing every open request and plan of the council first, so a caseworker's
    # 250 cases cost more the more children the database holds.
    children = children.annotate(
        open_request_id=Subquery(open_requests.values("pk")[:1]),
        active_plan_id=Subquery(active_plans.values("pk")[:1]),
        has_open_request=ExpressionWrapper(
            Q(open_request_id__isnull=False), output_field=BooleanField()
        ),
        has_active_plan=ExpressionWrapper(
            Q(active_plan_id__isnull=False), output_field=BooleanField()
        ),
        open_request_status=Subquery(open_requests.values("status")[:1]),
        primary_need=Subquery(active_plans.values("primary_need")[:1]),
        # The stored next deadline (the deadlines app keeps it with the recompute).
        next_due_on=stored("due_on"),
        next_deadline_title=stored("deadline__title"),
        next_deadline_status=stored("status"),
        next_deadline_rule=stored("rule"),
    ).filter(Q(open_request_id__isnull=False) | Q(active_plan_id__isnull=False))
    if stage:
        if stage == STAGE_PLAN:
            children = children.filter(active_plan_id__isnull=False, open_request_id__isnull=True)
        else:
            children = children.filter(open_request_status=stage)
    if deadline_status:
        children = children.filter(next_deadline_status=deadline_status)
    if setting:
        children = children.filter(_setting_filter(setting))
    if need:
        children = children.filter(primary_need=need)
    if q:
        children = children.filter(_search(q))
    return children.order_by(
        F("next_due_on").asc(nulls_last=True), "last_name", "first_name", "reference"
    )


@dataclass(frozen=True)
class CaseloadKey:
    """Where a page of the caseload ends (or starts): the caseload's order, the next due date
    (none last), then the name and the reference (unique), and the row's number for the caption."""

    due_on: dt.date | None
    last_name: str
    first_name: str
    reference: str
    row: int = 1

    @classmethod
    def of(cls, child: Child, row: int) -> "CaseloadKey":
        return cls(
            getattr(child, "next_due_on", None),
            child.last_name,
            child.first_name,
            child.reference,
            row,
        )


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[Child]
    first_row: int
    next: CaseloadKey | None  # the last row, when there are more after it
    previous: CaseloadKey | None  # the first row, when there are more before it


_NAME_ORDER = ("last_name", "first_name", "reference")


def _beyond_name(key: CaseloadKey, *, backwards: bool) -> Q:
    """Rows after the key's name and reference (before it, going backwards)."""
    op = "lt" if backwards else "gt"
    return (
        Q(**{f"last_name__{op}": key.last_name})
        | Q(last_name=key.last_name, **{f"first_name__{op}": key.first_name})
        | Q(
            last_name=key.last_name,
            first_name=key.first_name,
            **{f"reference__{op}": key.reference},
        )
    )


def caseload_page(
    children: QuerySet[Child],
    *,
    after: CaseloadKey | None = None,
    before: CaseloadKey | None = None,
    size: int,
) -> CaseloadPage:
    """A page of `caseload(...)` by its keys (keyset pagination): no count and no offset, so
    a page of a council's every caseload costs the same as a caseworker's, at any size.

    Two queries, each walking an index in the caseload's order: the cases with a next deadline
    (by the stored next deadlines' due dates), then those without one (by name).
    """
    backwards = before is not None
    key = before if backwards else after
    direction = "-" if backwards else ""
    # On the stored row's due date: `next_deadline__isnull` would test the child's own id.
    dated = children.filter(next_deadline__due_on__isnull=False).order_by(
        *(direction + name for name in ("next_due_on", *_NAME_ORDER))
    )
    # NOT EXISTS, not the join's empty row: PostgreSQL then walks the children by name and
    # stops at the page, where it took the join's empty rows for a few and read them all.
    undated = children.filter(
        ~Exists(NextDeadline.objects.filter(child_id=OuterRef("pk")))
    ).order_by(*(direction + name for name in _NAME_ORDER))
    if key is not None and key.due_on is not None:
        op = "lt" if backwards else "gt"
        dated = dated.filter(**{f"next_due_on__{op}e": key.due_on}).filter(
            Q(**{f"next_due_on__{op}": key.due_on})
            | Q(next_due_on=key.due_on) & _beyond_name(key, backwards=backwards)
        )
        if backwards:
            undated = undated.none()
    elif key is not None:
        undated = undated.filter(_beyond_name(key, backwards=backwards))
        if not backwards:
            dated = dated.none()
    parts = (undated, dated) if backwards else (dated, undated)
    rows: list[Child] = []
    for part in parts:
        rows += list(part[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        first = max(1, key.row - len(rows)) if key else 1
        return CaseloadPage(
            rows=rows,
            first_row=first,
            next=CaseloadKey.of(rows[-1], first + len(rows)) if rows else None,
            previous=CaseloadKey.of(rows[0], first) if more and rows else None,
        )
    first = key.row if key else 1
    return CaseloadPage(
        rows=rows,
        first_row=first,
        next=CaseloadKey.of(rows[-1], first + len(rows)) if more else None,
        previous=CaseloadKey.of(rows[0], first) if key is not None and rows else None,
    )


def _setting_filter(setting: Any) -> Q:
    if isinstance(setting, Establishment):
        return Q(current_setting=setting)
    try:
        return Q(current_setting_id=uuid.UUID(str(setting)))
    except ValueError:
        return Q(current_setting__kind=str(setting))


def caseload_settings(*, user: Any, caseload: QuerySet[Child] | None) -> QuerySet[Establishment]:
    """The settings the caseload's filter offers. One caseworker's caseload (`caseload`): the
    settings of its cases, found from its children (a few hundred rows, however many children
    the council has). Every caseload (None): each setting asks whether any child the user may
    see is there (one index probe or a few), where listing every child's would read them all."""
    settings = establishment_list(user=user)
    if caseload is not None:
        return settings.filter(pk__in=caseload.order_by().values("current_setting_id"))
    at_setting = child_list(user=user).order_by().filter(current_setting_id=OuterRef("pk"))
    return settings.filter(Exists(at_setting))


def every_caseload_counts(*, user: Any) -> dict[str, int]:
    """`caseload_counts` of every caseload the user may see, for a council's tens of thousands
    of cases, without reading every child: the open cases are the open requests plus the plans
    in force of children without one (a child has at most one of each), and only the stored
    next deadlines that are overdue or due soon are checked for an open case. Three queries on
    narrow indexes, about three times faster than one pass over the children."""
    if visible_child_ids(user) is not None:  # not everyone's: the same counts, the long way
        children = child_list(user=user).filter(Exists(_open_requests()) | Exists(_active_plans()))
        return children.order_by().aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(next_deadline__status=DeadlineStatus.overdue.value)),
            due_soon=Count("pk", filter=Q(next_deadline__status=DeadlineStatus.due_soon.value)),
        )
    open_requests = AssessmentRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
    with_open_request = open_requests.filter(child_id=OuterRef("child_id"))
    plans_alone = Plan.objects.filter(status=PlanStatus.ACTIVE).exclude(Exists(with_open_request))
    overdue, due_soon = DeadlineStatus.overdue.value, DeadlineStatus.due_soon.value
    pressing = (
        NextDeadline.objects.filter(status__in=(overdue, due_soon))
        .filter(
            Exists(with_open_request)
            | Exists(Plan.objects.filter(status=PlanStatus.ACTIVE, child_id=OuterRef("child_id")))
        )
        .aggregate(
            overdue=Count("pk", filter=Q(status=overdue)),
            due_soon=Count("pk", filter=Q(status=due_soon)),
        )
    )
    return {"total": open_requests.count() + plans_alone.count(), **pressing}


def caseload_counts(children: QuerySet[Child]) -> dict[str, int]:
    """Counts for the top of the caseload: all, overdue and due soon, in one query, grouped by
    the next deadline's status (so each case's is read once, however it is annotated)."""
    status: str = "next_deadline_status"  # an annotation of `caseload`, not a field
    by_status: dict[str | None, int] = dict(
        children.order_by().values(status).annotate(cases=Count("pk")).values_list(status, "cases")
    )
    return {
        "total": sum(by_status.values()),
        "overdue": by_status.get(DeadlineStatus.overdue.value, 0),
        "due_soon": by_status.get(DeadlineStatus.due_soon.value, 0),
    }
