"""Every read of the casework, scoped to the user first; reads of a child's record are audited.

Caseworkers, managers and administrators see every child. Panel members see only the children
on their panels' agendas (`cases.rules.panel_member_child_ids`). Anyone else sees nothing.
Querysets own their `select_related` / `prefetch_related`, so list pages and API lists run a
constant number of queries whatever the number of rows.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404

from cases import workflow
from cases.models import (
    OPEN_REQUEST_STATUSES,
    AdviceRequest,
    AssessmentRequest,
    Child,
    Document,
    Establishment,
    Letter,
    LetterTemplateVersion,
    Placement,
    Plan,
    PlanStatus,
    TimelineEntry,
)
from cases.rules import panel_member_child_ids
from cases.services.plans import appeal_deadline_for, cease_appeals
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.audit.services import record
from send_cms.common.search import search_words
from send_cms.deadlines.models import Deadline, NextDeadline
from send_cms.timescales import DeadlineStatus, compute, default_calendar

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
VIEWED = "child.viewed"


def _sees_everything(user: Any) -> bool:
    return bool(user_roles(user) & CASEWORK_READ)


def visible_child_ids(user: Any) -> "QuerySet[Child, uuid.UUID] | set[uuid.UUID] | None":
    """None: every child. Otherwise the ids the user may read (possibly none)."""
    if _sees_everything(user):
        return None
    if Role.PANEL_MEMBER in user_roles(user):
        return panel_member_child_ids(user)
    return set()


def _scope(queryset: QuerySet[Any], user: Any, child_field: str) -> QuerySet[Any]:
    ids = visible_child_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{child_field}__in": ids})


# --- children ------------------------------------------------------------------------------------


def child_list(*, user: Any) -> QuerySet[Child]:
    return _scope(
        Child.objects.select_related("caseworker", "current_setting").order_by(
            "last_name", "first_name", "reference"
        ),
        user,
        "pk",
    )


def child_get(*, user: Any, pk: Any, audit: bool = True) -> Child:
    """One child the user may read (404 otherwise); the read is audited."""
    child = (
        child_list(user=user)
        .prefetch_related("contacts", "allocations__caseworker", "allocations__allocated_by")
        .filter(pk=pk)
        .first()
    )
    if child is None:
        raise Http404("No child or young person with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=child, child_id=child.pk)
    return child


def child_search(*, user: Any, q: str) -> QuerySet[Child]:
    """Name, reference or UPN, for the search box and the API's `q`."""
    return child_list(user=user).filter(_search(q))


def child_matching(children: QuerySet[Child], q: str) -> QuerySet[Child]:
    """The children of an already scoped list whose name, reference or UPN match `q`."""
    return children.filter(_search(q))


def _search(q: str, prefix: str = "") -> Q:
    """Every word matches a name, the reference or the UPN (at most 10 words are used)."""
    query = Q()
    for word in search_words(q):
        query &= (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}reference__icontains": word})
            | Q(**{f"{prefix}upn__iexact": word.upper()})
        )
    return query


def allocation_history(*, child: Child) -> QuerySet[Any]:
    return child.allocations.select_related("caseworker", "allocated_by").order_by("-created_at")


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
    # Scalar subqueries, not EXISTS: one index probe per row looked at. PostgreSQL may answer
    # an EXISTS by hashing every open request and plan of the council first, so a caseworker's
    # 250 cases cost more the more children the database holds.
    children = (
        child_list(user=user)
        .annotate(
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
            next_due_on=F("next_deadline__due_on"),
            next_deadline_title=F("next_deadline__deadline__title"),
            next_deadline_status=F("next_deadline__status"),
            next_deadline_rule=F("next_deadline__rule"),
        )
        .filter(Q(open_request_id__isnull=False) | Q(active_plan_id__isnull=False))
    )
    if caseworker is not None:
        children = children.filter(caseworker=getattr(caseworker, "pk", caseworker))
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
    """Counts for the top of the caseload: all, overdue and due soon, in one query."""

    return children.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(next_deadline_status=DeadlineStatus.overdue.value)),
        due_soon=Count("pk", filter=Q(next_deadline_status=DeadlineStatus.due_soon.value)),
    )


# --- assessment requests -------------------------------------------------------------------------


def request_list(*, user: Any) -> QuerySet[AssessmentRequest]:
    return _scope(
        AssessmentRequest.objects.select_related("child", "child__caseworker", "plan").order_by(
            "-received_on", "-created_at"
        ),
        user,
        "child_id",
    )


def request_get(*, user: Any, pk: Any, audit: bool = True) -> AssessmentRequest:
    """One request the user may read, with its advice, exceptions and consultations (audited)."""
    request = (
        request_list(user=user)
        .select_related("preferred_setting", "child__current_setting")
        .prefetch_related(
            Prefetch(
                "advice_requests", queryset=AdviceRequest.objects.order_by("requested_on", "kind")
            ),
            "exceptions__applied_by",
            "exceptions__approved_by",
            "exceptions__advice_request",
            "consultations__establishment",
        )
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No assessment request with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=request, child_id=request.child_id)
    return request


def request_allowed_actions(request: AssessmentRequest) -> list[str]:
    """The actions the request's status allows (`cases.workflow.Action` values)."""
    return workflow.allowed_actions(request.status)


def request_allowed_steps(request: AssessmentRequest) -> list[str]:
    """The case page's buttons for the request (`cases.workflow.STEPS` keys)."""
    return workflow.allowed_steps(request.status)


def request_deadlines(request: AssessmentRequest) -> list[Deadline]:
    """The stored deadlines of the request and of its advice requests, by due date."""
    subject_ids = [request.pk, *(a.pk for a in request.advice_requests.all())]
    return list(
        Deadline.objects.filter(child_id=request.child_id, subject_id__in=subject_ids).order_by(
            "due_on", "rule"
        )
    )


def advice_request_list(*, user: Any) -> QuerySet[AdviceRequest]:
    return _scope(
        AdviceRequest.objects.select_related("request", "request__child").order_by(
            "requested_on", "kind"
        ),
        user,
        "request__child_id",
    )


def advice_request_get(*, user: Any, pk: Any, audit: bool = True) -> AdviceRequest:
    advice = advice_request_list(user=user).filter(pk=pk).first()
    if advice is None:
        raise Http404("No advice request with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=advice, child_id=advice.request.child_id)
    return advice


def outstanding_advice(*, user: Any, caseworker: Any = None) -> QuerySet[AdviceRequest]:
    """Advice still awaited from the adviser (never received, or returned and not re-sent),
    on open requests, oldest request first: the advice tracker."""
    advice = advice_request_list(user=user).filter(
        Q(received_on__isnull=True)
        | Q(returned_for_quality_on__isnull=False, re_received_on__isnull=True),
        request__status__in=OPEN_REQUEST_STATUSES,
    )
    if caseworker is not None:
        advice = advice.filter(request__child__caseworker=getattr(caseworker, "pk", caseworker))
    return advice.select_related("request__child__caseworker").order_by("requested_on", "kind")


# --- plans and placements ------------------------------------------------------------------------


def _next_review_due() -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        child_id=OuterRef("child_id"), rule="annual_review", met_on__isnull=True
    ).order_by("due_on")


def plan_list(*, user: Any) -> QuerySet[Plan]:
    """Plans with their placements and the next annual review due (from the deadline table)."""
    return _scope(
        Plan.objects.select_related("child", "request")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("establishment").order_by(
                    "rank", "-starts_on"
                ),
            )
        )
        .annotate(next_review_due=Subquery(_next_review_due().values("due_on")[:1]))
        .order_by("-issued_on", "-created_at"),
        user,
        "child_id",
    )


def plan_get(*, user: Any, pk: Any, audit: bool = True) -> Plan:
    plan = (
        plan_list(user=user)
        .prefetch_related("versions__issued_by", "named_settings__establishment")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No EHC plan with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=plan, child_id=plan.child_id)
    return plan


def placement_list(*, user: Any) -> QuerySet[Placement]:
    return _scope(
        Placement.objects.select_related("plan", "establishment").order_by(
            "plan_id", "rank", "-starts_on"
        ),
        user,
        "plan__child_id",
    )


def placement_get(*, user: Any, pk: Any, audit: bool = True) -> Placement:
    placement = placement_list(user=user).filter(pk=pk).first()
    if placement is None:
        raise Http404("No placement with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=placement, child_id=placement.plan.child_id)
    return placement


# --- establishments and the timeline -------------------------------------------------------------


def establishment_list(*, user: Any) -> QuerySet[Establishment]:
    """The register of settings is not personal data: every role may read it."""
    return Establishment.objects.order_by("name", "urn")


def establishment_search(
    *, q: str, among: QuerySet[Establishment] | None = None
) -> QuerySet[Establishment]:
    """Settings whose name, URN, UKPRN or postcode hold every word of `q` (at most 10 words),
    open ones first, then by name: how a person finds a setting they know by name."""
    words = search_words(q)
    if not words:
        return Establishment.objects.none()
    query = Q()
    for word in words:
        query &= Q(name__icontains=word) | Q(postcode__icontains=word) | Q(urn=word) | Q(ukprn=word)
    settings = among if among is not None else Establishment.objects.all()
    return settings.filter(query).order_by("-is_open", "name", "urn")


def establishment_find(*, reference: str) -> Establishment | None:
    """An establishment by URN (6 digits) or UKPRN (8 digits)."""
    reference = reference.strip()
    if not reference.isdigit():
        return None
    return Establishment.objects.filter(Q(urn=reference) | Q(ukprn=reference)).first()


def timeline_for(*, child: Child) -> QuerySet[TimelineEntry]:
    """The case's timeline, newest first: by the date each step happened (a step recorded late
    is placed on its own date), then, on one day, the later entry first."""
    return (
        TimelineEntry.objects.filter(child=child)
        .select_related("recorded_by", "request")
        .order_by("-occurred_on", "-id")
    )


# --- ceasing a plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CeaseWindow:
    """Where a decision to cease stands: the family's dates from the decision notice, and what
    the appeal records say (read through the tribunals app's registered hook)."""

    decided_on: dt.date
    mediation_contact_by: dt.date
    appeal_deadline: dt.date
    earliest_cease_on: dt.date
    refusal: str = ""
    appeal_decided: bool = False


def plan_cease_window(*, plan: Plan) -> CeaseWindow | None:
    """The window of the decision to cease recorded on the plan; None before a decision."""
    decided_on = plan.cease_decided_on
    if decided_on is None:
        return None
    appeals = cease_appeals(plan, decided_on)
    deadline = appeal_deadline_for(decided_on, certificate=appeals.certificate_on)
    return CeaseWindow(
        decided_on=decided_on,
        mediation_contact_by=compute("mediation_contact", decided_on, default_calendar()).due,
        appeal_deadline=deadline,
        earliest_cease_on=decided_on if appeals.decided else deadline + dt.timedelta(days=1),
        refusal=appeals.refusal,
        appeal_decided=appeals.decided,
    )


# --- documents -----------------------------------------------------------------------------------


def document_list(
    *, user: Any, child: Child | None = None, attached_to: Any = None
) -> QuerySet[Document]:
    """The documents the user may see (on children they may read), newest first; of one child,
    or attached to one record of another app (a review, a panel item, an appeal)."""
    documents = _scope(
        Document.objects.select_related(
            "child", "uploaded_by", "advice_request", "plan_version", "attached_type"
        ),
        user,
        "child_id",
    )
    if child is not None:
        documents = documents.filter(child=child)
    if attached_to is not None:
        documents = documents.filter(
            attached_type=ContentType.objects.get_for_model(attached_to),
            attached_id=attached_to.pk,
        )
    return documents.order_by("-created_at", "-id")


def document_get(*, user: Any, pk: Any) -> Document:
    """One document the user may see (404 otherwise: a document of a child they may not read
    is as absent as one that does not exist). The caller records the download."""
    document = document_list(user=user).filter(pk=pk).first()
    if document is None:
        raise Http404("No document with this id.")
    return document


def letter_list(*, user: Any, child: Child | None = None) -> QuerySet[Letter]:
    """Letters made for families, newest first: for those who read casework (panel members see
    the papers of their panels, not the council's letters to the family)."""
    if not _sees_everything(user):
        return Letter.objects.none()
    letters = Letter.objects.select_related(
        "child", "created_by", "template_version__template", "request", "plan"
    )
    if child is not None:
        letters = letters.filter(child=child)
    return letters.order_by("-created_at", "-id")


def letter_get(*, user: Any, pk: Any) -> Letter:
    """One letter the user may read (404 otherwise). The caller records the download."""
    letter = letter_list(user=user).filter(pk=pk).first()
    if letter is None:
        raise Http404("No letter with this id.")
    return letter


def letter_wordings_current() -> dict[str, LetterTemplateVersion]:
    """The wording in use for each kind of letter that has been saved (kinds never saved use
    the built-in wording)."""
    current: dict[str, LetterTemplateVersion] = {}
    for version in LetterTemplateVersion.objects.select_related("template").order_by(
        "template__kind", "-number"
    ):
        current.setdefault(version.template.kind, version)
    return current


def letter_wording_versions(*, kind: str) -> QuerySet[LetterTemplateVersion]:
    """Every version of one kind's wording, newest first."""
    return (
        LetterTemplateVersion.objects.filter(template__kind=kind)
        .select_related("created_by", "template")
        .order_by("-number")
    )
