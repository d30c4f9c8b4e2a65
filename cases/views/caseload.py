"""My caseload and the advice tracker: the caseworker's two lists, each a constant few queries."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.views.generic import TemplateView

from cases import selectors
from cases.codes import ADVICE_WITHOUT_TIME_LIMIT, AdviceKind
from cases.forms import STAGE_CHOICES, AdviceFilterForm, CaseloadFilterForm
from cases.models import AdviceRequest, Child, RequestStatus
from cases.presenters import (
    Pagination,
    caseload_key,
    deadline_label,
    deadline_tag,
    keyset_pagination,
    pagination,
    selected_filters,
)
from cases.selectors import STAGE_PLAN
from cases.views.base import caseworkers, is_manager, may_write
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import CASEWORK_READ
from send_cms.audit.reads import audited_page, record_list_read
from send_cms.timescales import compute, deadline_status

CASES_PER_PAGE = 25
ADVICE_PER_PAGE = 50


def _query(data: Mapping[str, Any], names: list[str]) -> dict[str, str]:
    """The chosen filters, as they go back into links (pagination, removing one filter)."""
    return {name: str(data[name]) for name in names if data.get(name)}


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else 1


#: The same words in the Stage column as in the Stage filter.
STAGE_LABELS = dict(STAGE_CHOICES)


@dataclass(frozen=True)
class CaseRow:
    child: Child
    stage: str
    next_title: str
    next_due_on: Any
    status_label: str
    status_tag: str


def case_row(child: Child) -> CaseRow:
    status = getattr(child, "next_deadline_status", None)
    stage = getattr(child, "open_request_status", None) or ""
    if not stage and getattr(child, "has_active_plan", False):
        stage = STAGE_PLAN
    return CaseRow(
        child=child,
        stage=STAGE_LABELS.get(stage, "") or (RequestStatus(stage).label if stage else ""),
        next_title=getattr(child, "next_deadline_title", None) or "",
        next_due_on=getattr(child, "next_due_on", None),
        status_label=deadline_label(status),
        status_tag=deadline_tag(status),
    )


class CaseloadView(RoleRequiredMixin, TemplateView):
    """The open cases sorted by the next deadline; a manager picks whose caseload to see."""

    allowed_roles = CASEWORK_READ
    template_name = "cases/child_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        manager = is_manager(user)
        # A caseworker sees their own cases; a manager everyone's, or the caseworker chosen.
        chosen = self.request.GET.get("caseworker", "") if manager else ""
        caseworker: Any = user if not manager else (chosen if chosen.isdigit() else None)
        mine = selectors.caseload(user=user, caseworker=caseworker)
        settings = selectors.caseload_settings(
            user=user, caseload=mine if caseworker is not None else None
        )
        form = CaseloadFilterForm(
            self.request.GET or None,
            caseworkers=caseworkers() if manager else None,
            settings=settings,
        )
        filters: dict[str, Any] = {}
        query: dict[str, str] = {}
        if form.is_bound and form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            # Only this user's filters: a caseworker has no caseworker filter to carry along.
            query = _query(self.request.GET, [name for name in FILTERS if name in form.fields])
        filters["caseworker"] = user if not manager else filters.get("caseworker")
        # One caseworker's cases, not filtered, are the caseload counted: built once.
        unfiltered = _unfiltered(filters, caseworker)
        cases = mine if unfiltered else selectors.caseload(user=user, **filters)
        counts = (
            selectors.every_caseload_counts(user=user)
            if caseworker is None
            else selectors.caseload_counts(mine)
        )
        if manager and filters["caseworker"] is None and not query:
            # Every caseload, unfiltered: pages by key, as the counts above already give the
            # total; an offset would read every row before the page.
            children, pages = self._every_caseload_page(cases, total=counts["total"])
        else:
            page = audited_page(
                self.request,
                cases,
                per_page=CASES_PER_PAGE,
                name="cases:caseload",
                child_id=attrgetter("pk"),
                count=counts["total"] if unfiltered else None,  # not counted twice
            )
            children, pages = list(page.object_list), pagination(page, query)
        context.update(
            heading="Caseloads" if manager else "My caseload",
            form=form,
            counts=counts,
            rows=[case_row(child) for child in children],
            pages=pages,
            filter_tags=selected_filters(query, _labels(form, query)),
            show_caseworker=manager and filters["caseworker"] is None,
            may_write=may_write(user),
        )
        return context

    def _every_caseload_page(self, cases: Any, *, total: int) -> tuple[list[Child], Pagination]:
        """The page after (or before) the key in the link followed; its read recorded."""
        after = caseload_key(self.request.GET.get("after"))
        before = None if after else caseload_key(self.request.GET.get("before"))
        page = selectors.caseload_page(cases, after=after, before=before, size=CASES_PER_PAGE)
        record_list_read(
            actor=self.request.user,
            name="cases:caseload",
            query=self.request.GET,
            rows=total,
            children=(child.pk for child in page.rows),
        )
        return page.rows, keyset_pagination(page, total=total)


FILTERS = ["caseworker", "q", "stage", "deadline_status", "setting", "need"]


def _unfiltered(filters: Mapping[str, Any], caseworker: Any) -> bool:
    """Whether the cases listed are the counted caseload: one caseworker's, no other filter."""
    chosen = filters.get("caseworker")
    return (
        caseworker is not None
        and chosen is not None
        and str(getattr(chosen, "pk", chosen)) == str(getattr(caseworker, "pk", caseworker))
        and not any(value for name, value in filters.items() if name != "caseworker")
    )


def _choice_label(choices: Any, value: str) -> str:
    for key, text in choices:
        if isinstance(text, list | tuple):
            found = _choice_label(text, value)
            if found:
                return found
        elif str(key) == value:
            return str(text)
    return ""


def _labels(form: CaseloadFilterForm, query: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(name, heading, chosen value's label) for each filter in use."""
    labels = []
    for name, value in query.items():
        field = form.fields[name]
        label = _choice_label(getattr(field, "choices", ()), value) or value
        labels.append((name, str(field.label), label))
    return labels


@dataclass(frozen=True)
class AdviceRow:
    advice: AdviceRequest
    child: Child
    due_on: Any
    status_label: str
    status_tag: str
    returned: bool


@dataclass(frozen=True)
class KindCount:
    label: str
    outstanding: int
    overdue: int


class AdviceTrackerView(RoleRequiredMixin, TemplateView):
    """Every advice request still awaited, overdue first: EP and health delays at a glance.

    Caseworkers see their own cases; managers and administrators every case. The due date is
    the adviser's 6 weeks (regulation 8) from the timescales engine.
    """

    allowed_roles = CASEWORK_READ
    template_name = "cases/advice_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        everyone = is_manager(user)
        today = timezone.localdate()
        form = AdviceFilterForm(self.request.GET or None)
        kind = form.cleaned_data["kind"] if form.is_bound and form.is_valid() else ""
        outstanding = selectors.outstanding_advice(user=user, caseworker=None if everyone else user)
        # Requested before this day, the adviser's time has run out (the same rule for every row).
        period = compute("advice", today).due - today
        overdue_before = today - period
        by_kind = {
            row["kind"]: row
            for row in outstanding.order_by()
            .values("kind")
            .annotate(
                outstanding=Count("pk"),
                overdue=Count(
                    "pk",
                    filter=Q(requested_on__lt=overdue_before)
                    & ~Q(kind__in=ADVICE_WITHOUT_TIME_LIMIT),
                ),
            )
        }
        if kind:
            outstanding = outstanding.filter(kind=kind)
        page = audited_page(
            self.request,
            outstanding,
            per_page=ADVICE_PER_PAGE,
            name="cases:advice-tracker",
            child_id=attrgetter("request.child_id"),
        )
        context.update(
            form=form,
            rows=[advice_row(advice, today) for advice in page.object_list],
            pages=pagination(page, {"kind": kind} if kind else {}),
            all_cases=everyone,
            kind_counts=[
                KindCount(
                    label,
                    by_kind.get(value, {}).get("outstanding", 0),
                    by_kind.get(value, {}).get("overdue", 0),
                )
                for value, label in AdviceKind.choices
            ],
        )
        return context


#: The status of the family's own advice, which has no time limit.
NO_TIME_LIMIT = "No time limit"


def advice_row(advice: AdviceRequest, today: dt.date) -> AdviceRow:
    if advice.kind in ADVICE_WITHOUT_TIME_LIMIT:
        return AdviceRow(
            advice=advice,
            child=advice.request.child,
            due_on=None,
            status_label=NO_TIME_LIMIT,
            status_tag="govuk-tag--grey",
            returned=advice.returned_for_quality_on is not None,
        )
    due = compute("advice", advice.requested_on).due
    status = deadline_status(due=due, met_on=None, today=today)
    return AdviceRow(
        advice=advice,
        child=advice.request.child,
        due_on=due,
        status_label=status.label,
        status_tag=deadline_tag(status),
        returned=advice.returned_for_quality_on is not None,
    )
