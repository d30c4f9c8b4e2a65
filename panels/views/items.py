"""Item pages: adding a case to the agenda, its papers, the decision, declarations."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.views.generic import TemplateView

from cases.models import OPEN_REQUEST_STATUSES, Child, PlanStatus
from cases.views.documents import attached_documents_context
from panels import presenters
from panels.forms import (
    NO_ACTIVE_PLAN,
    NO_OPEN_REQUEST,
    DecisionForm,
    DeclarationForm,
    ItemForm,
)
from panels.models import REQUEST_KINDS, AgendaItem, MeetingStatus
from panels.rules import (
    CLERK_ROLES,
    can_decide,
    can_declare,
    has_conflict,
    is_clerk,
    is_present,
    quorum,
    sees_every_meeting,
)
from panels.selectors import (
    agenda_suggestions,
    current_decision,
    decision_history,
    item_get,
    item_papers,
)
from panels.services import (
    CONFLICT_CANNOT_DECIDE,
    ONLY_MEMBERS_PRESENT_DECIDE,
    agenda_item_add,
    decision_record,
    declaration_add,
)
from panels.views.base import AD, CW, PM, PanelsPage
from panels.views.meetings import MeetingMixin, meeting_url
from send_cms.common.steps import ServiceFormView

# --- items --------------------------------------------------------------------------------------


class ItemCreateView(MeetingMixin, ServiceFormView):
    allowed_roles = CLERK_ROLES
    template_name = "panels/item_form.html"
    form_class = ItemForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {
            **super().get_form_kwargs(),
            "meeting": self.get_meeting(),
            "user": self.request.user,
        }
        if self.request.method == "GET":
            kwargs["initial"] = {
                "kind": self.request.GET.get("kind", ""),
                "reference": self.request.GET.get("reference", ""),
            }
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.get_meeting()
        context = super().get_context_data(**kwargs)
        closed = meeting.status == MeetingStatus.CLOSED
        context.update(
            meeting=meeting,
            closed=closed,
            suggestions=[] if closed else agenda_suggestions(meeting=meeting),
        )
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        child: Child = data["reference"]
        subject: dict[str, Any] = {}
        if data["kind"] in REQUEST_KINDS:
            request = child.requests.filter(status__in=OPEN_REQUEST_STATUSES).first()
            if request is None:
                raise ValidationError({"reference": NO_OPEN_REQUEST.format(child=child.full_name)})
            subject["request"] = request
        else:
            plan = child.plans.filter(status=PlanStatus.ACTIVE).first()
            if plan is None:
                raise ValidationError({"reference": NO_ACTIVE_PLAN.format(child=child.full_name)})
            subject["plan"] = plan
        agenda_item_add(
            actor=self.request.user,
            meeting=self.get_meeting(),
            kind=data["kind"],
            summary=data["summary"],
            proposed_establishment=data.get("proposed_establishment"),
            proposed_band=data.get("proposed_band") or "",
            proposed_starts_on=data.get("proposed_starts_on"),
            **subject,
        )
        return f"{child.full_name} added to the agenda"

    def get_success_url(self) -> str:
        return meeting_url(self.get_meeting())


class ItemMixin(PanelsPage):
    """A page about one agenda item; a form on it returns to the item."""

    kwargs: dict[str, Any]

    def get_success_url(self) -> str:
        return reverse("panels:item-detail", kwargs={"pk": self.get_item().pk})

    def get_item(self) -> AgendaItem:
        if not hasattr(self, "_item"):
            self._item = item_get(user=self.request.user, pk=self.kwargs["pk"])
        return self._item


class ItemDetailView(ItemMixin, TemplateView):
    template_name = "panels/item_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        item = self.get_item()
        papers = item_papers(user=user, item=item)
        decision = current_decision(item)
        history = [d for d in decision_history(item) if not d.is_current]
        context.update(
            item=item,
            meeting=item.meeting,
            papers=papers,
            key_dates=presenters.key_dates(papers),
            decision=decision,
            decision_tag=presenters.outcome_tag(decision.outcome) if decision else "",
            history=history,
            quorum=quorum(item.meeting, item),
            can_decide=can_decide(user, item),
            can_declare=can_declare(user, item),
            letters=decision is not None and decision.applied_at is not None,
            case_url=reverse("cases:child-detail", args=[item.child_id])
            if sees_every_meeting(user)
            else "",
            **attached_documents_context(user, item, child_id=item.child_id),
        )
        return context


class DecisionCreateView(ItemMixin, ServiceFormView):
    allowed_roles = frozenset({PM, AD})
    template_name = "panels/decision_form.html"
    form_class = DecisionForm
    success_message = "Decision recorded"

    def get_form_kwargs(self) -> dict[str, Any]:
        item = self.get_item()
        user = self.request.user
        if not is_present(user, item.meeting):
            raise PermissionDenied(ONLY_MEMBERS_PRESENT_DECIDE)
        if has_conflict(user, item):
            raise PermissionDenied(CONFLICT_CANNOT_DECIDE)
        kwargs = {**super().get_form_kwargs(), "item": item}
        current = current_decision(item)
        if current is not None and self.request.method == "GET":
            kwargs["initial"] = {
                "outcome": current.outcome,
                "reasons": current.reasons,
                "dissent": current.dissent,
                "dissenters": [u.pk for u in current.dissenters.all()],
                "establishment": current.establishment_id,
                "band": current.band_code,
                "annual_cost": current.annual_cost if current.cost_reason else None,
                "cost_reason": current.cost_reason,
                "starts_on": current.starts_on,
            }
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        item = self.get_item()
        context = super().get_context_data(**kwargs)
        context.update(
            item=item,
            meeting=item.meeting,
            decision=current_decision(item),
            quorum=quorum(item.meeting, item),
        )
        return context

    def perform(self, form: forms.Form) -> None:
        data = form.cleaned_data
        decision_record(
            actor=self.request.user,
            item=self.get_item(),
            outcome=data["outcome"],
            reasons=data["reasons"],
            dissent=data["dissent"],
            dissenters=list(data["dissenters"]),
            establishment=data.get("establishment"),
            band=data.get("band") or "",
            annual_cost=data.get("annual_cost"),
            cost_reason=data.get("cost_reason") or "",
            starts_on=data.get("starts_on"),
        )


class DeclarationCreateView(ItemMixin, ServiceFormView):
    allowed_roles = frozenset({PM, CW, AD})
    template_name = "panels/declaration_form.html"
    form_class = DeclarationForm
    success_message = "Interest declared"

    def get_form_kwargs(self) -> dict[str, Any]:
        item = self.get_item()
        user = self.request.user
        if not can_declare(user, item):
            raise PermissionDenied("Only members of this meeting or its clerk record interests.")
        return {**super().get_form_kwargs(), "item": item, "user": user, "clerk": is_clerk(user)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        item = self.get_item()
        return super().get_context_data(item=item, meeting=item.meeting, **kwargs)

    def perform(self, form: forms.Form) -> None:
        declaration_add(
            actor=self.request.user,
            item=self.get_item(),
            member=form.cleaned_data["member"],
            interest=form.cleaned_data["interest"],
        )
