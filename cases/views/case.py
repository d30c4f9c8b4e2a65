"""The case page (one child) with its sections, and the forms about the child themselves."""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, cast

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from cases import forms as case_forms
from cases import selectors, services
from cases.models import AdviceRequest, AssessmentRequest, Child
from cases.presenters import (
    NavLink,
    age_on,
    case_tabs,
    receipt_line,
    request_tag,
)
from cases.views.base import MANAGERS, ChildFormView, caseworkers, is_manager, may_write
from cases.views.cease import window_text
from cases.workflow import STEP_LABELS, AdviceAction, advice_allowed, advice_state
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import CASEWORK_READ
from send_cms.deadlines.display import DeadlineRow, stored_row
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.selectors import deadlines_for_child
from send_cms.timescales import DeadlineStatus, ExceptionType, get_rule

#: Step -> URL name of its form, in the order the buttons appear.
STEP_URLS = {
    "decision": "cases:request-decision",
    "advice_request": "cases:request-advice",
    "issue_decision": "cases:request-issue-decision",
    "draft_plan": "cases:request-draft-plan",
    "consultation": "cases:request-consultation",
    "final_plan": "cases:request-final-plan",
    "exception": "cases:request-exception",
    "transfer_out": "cases:request-transfer-out",
    "withdraw": "cases:request-withdraw",
}
#: Steps that move the case on (the primary buttons); the rest are secondary.
MAIN_STEPS = frozenset({"decision", "issue_decision", "draft_plan", "final_plan"})
ADVICE_ACTION_URLS = {
    AdviceAction.RECEIVE: ("Record advice received", "cases:advice-receive"),
    AdviceAction.RETURN_FOR_QUALITY: ("Return for quality", "cases:advice-return"),
    AdviceAction.RE_RECEIVE: ("Record corrected advice received", "cases:advice-re-receive"),
}
OPEN_DEADLINE = frozenset(
    {DeadlineStatus.upcoming, DeadlineStatus.due_soon, DeadlineStatus.overdue}
)
LATEST_TIMELINE = 5


@dataclass(frozen=True)
class ActionLink:
    label: str
    href: str
    primary: bool = False
    warning: bool = False


@dataclass(frozen=True)
class AdviceRow:
    advice: AdviceRequest
    actions: list[ActionLink]


def step_links(request: AssessmentRequest, steps: list[str]) -> list[ActionLink]:
    """The buttons for the steps the workflow allows now, first the one that moves it on."""
    ordered = sorted(
        (step for step in STEP_URLS if step in steps), key=lambda step: step not in MAIN_STEPS
    )
    return [
        ActionLink(
            STEP_LABELS[step],
            reverse(STEP_URLS[step], args=[request.pk]),
            primary=step in MAIN_STEPS,
            warning=step == "withdraw",
        )
        for step in ordered
    ]


def advice_rows(request: AssessmentRequest, *, writable: bool) -> list[AdviceRow]:
    rows = []
    for advice in request.advice_requests.all():
        state = advice_state(advice)
        actions = [
            ActionLink(label, reverse(url, args=[request.pk, advice.pk]))
            for action, (label, url) in ADVICE_ACTION_URLS.items()
            if writable and request.is_open and advice_allowed(action, state)
        ]
        rows.append(AdviceRow(advice, actions))
    return rows


def deadline_rows(deadlines: list[Deadline]) -> list[DeadlineRow]:
    return [stored_row(d) for d in deadlines]


class CasePage(RoleRequiredMixin, TemplateView):
    """A section of the case page: the summary card, the sub-navigation and the section."""

    allowed_roles = CASEWORK_READ
    tab: ClassVar[str] = "overview"

    @cached_property
    def child(self) -> Child:
        return selectors.child_get(user=self.request.user, pk=self.kwargs["pk"])

    def section(self, child: Child) -> dict[str, Any]:
        return {}

    def tabs(self, child: Child) -> list[NavLink]:
        tabs = case_tabs(child, self.tab)
        if is_manager(self.request.user):  # the access log is for managers and administrators
            href = reverse("cases:child-access-log", args=[child.pk])
            tabs.append(NavLink("Who has seen this", href, self.tab == "access"))
        return tabs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        child = self.child
        context.update(
            child=child,
            age=age_on(child.date_of_birth, timezone.localdate()),
            tabs=self.tabs(child),
            contacts=list(child.contacts.all()),
            may_write=may_write(self.request.user),
        )
        context.update(self.section(child))
        return context


def _requests(child: Child) -> list[AssessmentRequest]:
    return list(
        child.requests.prefetch_related("advice_requests", "consultations__establishment").all()
    )


class ChildDetailView(CasePage):
    template_name = "cases/child_detail.html"

    def section(self, child: Child) -> dict[str, Any]:
        user = self.request.user
        writable = may_write(user)
        requests = _requests(child)
        current = next((r for r in requests if r.is_open), requests[0] if requests else None)
        actions: list[ActionLink] = []
        if current is not None and writable:
            actions = step_links(current, selectors.request_allowed_steps(current))
        deadlines = [d for d in deadlines_for_child(child.pk) if d.status in OPEN_DEADLINE]
        return {
            "current": current,
            "current_tag": request_tag(current.status) if current else "",
            "receipt": receipt_line(current) if current else None,
            "has_open_request": any(r.is_open for r in requests),
            "actions": actions,
            "advice_rows": advice_rows(current, writable=writable) if current else [],
            "consultations": list(current.consultations.all()) if current else [],
            "deadline_rows": deadline_rows(deadlines),
            "timeline": list(selectors.timeline_for(child=child)[:LATEST_TIMELINE]),
            "reallocate_form": (
                case_forms.ReallocateForm(caseworkers=caseworkers()) if is_manager(user) else None
            ),
        }


class ChildTimelineView(CasePage):
    template_name = "cases/child_timeline.html"
    tab = "timeline"

    def section(self, child: Child) -> dict[str, Any]:
        return {"timeline": list(selectors.timeline_for(child=child))}


class ChildDeadlinesView(CasePage):
    template_name = "cases/child_deadlines.html"
    tab = "deadlines"

    def section(self, child: Child) -> dict[str, Any]:
        return {"deadline_rows": deadline_rows(list(deadlines_for_child(child.pk)))}


@dataclass(frozen=True)
class ExceptionRow:
    exception: Any
    kind: str
    rule: str


def _exception_kind(kind: str) -> str:
    try:
        return ExceptionType(kind).label
    except ValueError:
        return kind


def _rule_title(rule: str) -> str:
    try:
        return get_rule(rule).title
    except KeyError:
        return rule


class ChildAdviceView(CasePage):
    template_name = "cases/child_advice.html"
    tab = "advice"

    def section(self, child: Child) -> dict[str, Any]:
        writable = may_write(self.request.user)
        requests = list(child.requests.prefetch_related("advice_requests", "exceptions").all())
        rows = [row for request in requests for row in advice_rows(request, writable=writable)]
        exceptions = [
            ExceptionRow(e, _exception_kind(e.kind), _rule_title(e.rule))
            for request in requests
            for e in request.exceptions.all()
        ]
        return {"advice_rows": rows, "exception_rows": exceptions}


class ChildPlanView(CasePage):
    template_name = "cases/child_plan.html"
    tab = "plan"

    def section(self, child: Child) -> dict[str, Any]:
        plans = child.plans.prefetch_related("versions", "named_settings__establishment")
        return {"plans": [(plan, window_text(plan)) for plan in plans]}


class ChildPlacementsView(CasePage):
    template_name = "cases/child_placements.html"
    tab = "placements"

    def section(self, child: Child) -> dict[str, Any]:
        placements = [
            placement
            for plan in child.plans.prefetch_related("placements__establishment")
            for placement in plan.placements.all()
        ]
        return {"placements": placements}


# --- forms about the child ---------------------------------------------------------------------
class ChildEditView(ChildFormView):
    template_name = "cases/child_form.html"
    title = "Change details"
    form_class = case_forms.ChildForm

    def get_initial(self) -> dict[str, Any]:
        child = self.case
        return {name: getattr(child, name) for name in case_forms.ChildForm.base_fields}

    def perform(self, form: forms.Form) -> str:
        edit = cast(case_forms.ChildForm, form)
        services.child_update(
            actor=self.request.user,
            child=self.case,
            expected_version=edit.expected_version(),
            **edit.service_data(),
        )
        return "Details saved"


class ContactCreateView(ChildFormView):
    template_name = "cases/contact_form.html"
    title = "Add a contact"
    form_class = case_forms.ContactForm

    def perform(self, form: forms.Form) -> str:
        contact = services.contact_add(
            actor=self.request.user, child=self.case, **form.cleaned_data
        )
        return f"{contact.name} added as a contact"


class ChildReallocateView(ChildFormView):
    """Managers and administrators move a case to another caseworker, with a reason."""

    allowed_roles = MANAGERS
    template_name = "cases/child_reallocate.html"
    title = "Reallocate the case"
    submit_label = "Reallocate"
    form_class = case_forms.ReallocateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["caseworkers"] = caseworkers()
        return kwargs

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        child = services.child_reallocate(
            actor=self.request.user,
            child=self.case,
            caseworker=data["caseworker"],
            reason=data["reason"],
        )
        return f"Case reallocated to {child.caseworker}"
