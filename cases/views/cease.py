"""Ceasing a plan in the browser: propose it (the family is told), record the decision notice
(the family's appeal window runs from it) and end the plan once the window has passed. The
family's letters are made like every other letter (cases.views.documents); the rules are the
services' (cases.services.plans and ceasing)."""

from functools import cached_property
from typing import Any

from django import forms
from django.urls import reverse

from cases import forms as case_forms
from cases import selectors, services
from cases.models import Child, Plan
from cases.services.ceasing import plan_cease_after_decision, plan_cease_decide
from cases.views.base import CaseFormView
from send_cms.timescales import format_date


def window_text(plan: Plan) -> str:
    """Where the decision to cease stands, in a sentence for the pages."""
    window = selectors.plan_cease_window(plan=plan)
    if window is None:
        return ""
    if window.refusal:
        return window.refusal
    if window.appeal_decided:
        return (
            f"Decision notified on {format_date(window.decided_on)}. An appeal against it has "
            "been decided, so the plan can cease now."
        )
    return (
        f"Decision notified on {format_date(window.decided_on)}. The family can contact a "
        f"mediation adviser by {format_date(window.mediation_contact_by)} and appeal until "
        f"{format_date(window.appeal_deadline)}: the plan can cease from "
        f"{format_date(window.earliest_cease_on)}."
    )


class PlanStepView(CaseFormView):
    """A step on one plan, found through the (audited) plan selector; back to the Plan tab."""

    @cached_property
    def plan(self) -> Plan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def child(self) -> Child:
        return self.plan.child

    def get_success_url(self) -> str:
        return reverse("cases:child-plan", args=[self.plan.child_id])

    def summary(self) -> str:
        return f"EHC plan issued on {format_date(self.plan.issued_on)}."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["request_summary"] = self.summary()
        return context


class CeaseProposeView(PlanStepView):
    title = "Propose to cease the plan"
    submit_label = "Propose to cease the plan"
    form_class = case_forms.CeaseProposeForm

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.plan_cease_propose, form, plan=self.plan)
        return "Proposal to cease recorded: make the family's letter under Documents and letters"


class CeaseDecideView(PlanStepView):
    title = "Record the decision to cease the plan"
    submit_label = "Record the decision"
    form_class = case_forms.CeaseDecideForm

    def summary(self) -> str:
        proposed = self.plan.cease_proposed_on
        if proposed is None:
            return super().summary()
        return f"Ceasing the plan was proposed on {format_date(proposed)}."

    def perform(self, form: forms.Form) -> str:
        plan = self.call_service(plan_cease_decide, form, plan=self.plan)
        window = selectors.plan_cease_window(plan=plan)
        assert window is not None
        return (
            "Decision to cease recorded: the family can appeal until "
            f"{format_date(window.appeal_deadline)}"
        )


class CeaseView(PlanStepView):
    title = "Record that the plan has ceased"
    submit_label = "Cease the plan"
    form_class = case_forms.CeaseForm

    def summary(self) -> str:
        return window_text(self.plan) or (
            "No decision to cease has been recorded: only a plan that ends by law (the child "
            "moved to another council in England, or died) can cease without one."
        )

    def perform(self, form: forms.Form) -> str:
        self.call_service(plan_cease_after_decision, form, plan=self.plan)
        return f"EHC plan ceased on {format_date(form.cleaned_data['ceased_on'])}"
