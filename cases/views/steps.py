"""The steps of an assessment request: one short form per step, each calling one service."""

from functools import cached_property
from typing import Any, ClassVar

from django import forms
from django.shortcuts import get_object_or_404

from cases import forms as case_forms
from cases import selectors, services
from cases.codes import AdviceKind
from cases.models import AdviceRequest, AssessmentRequest, Child, DraftConsultation
from cases.views.base import CaseFormView
from send_cms.timescales import format_date


class RequestStepView(CaseFormView):
    """A step on one assessment request, found through the (audited) request selector."""

    step: ClassVar[str] = ""

    @cached_property
    def assessment(self) -> AssessmentRequest:
        return selectors.request_get(user=self.request.user, pk=self.kwargs["pk"])

    def child(self) -> Child:
        return self.assessment.child

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        request = self.assessment
        context["request_summary"] = (
            f"Request received on {format_date(request.received_on)}: "
            f"{request.get_status_display().lower()}."
        )
        return context


class DecisionView(RequestStepView):
    step = "decision"
    title = "Record the decision to assess"
    form_class = case_forms.DecideForm

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.assessment_request_decide, form, request=self.assessment)
        if form.cleaned_data["decision"] == "assess":
            return "Decision to assess recorded"
        return "Decision not to assess recorded"


class AdviceRequestView(RequestStepView):
    step = "advice_request"
    title = "Request advice"
    form_class = case_forms.AdviceRequestForm

    def perform(self, form: forms.Form) -> str:
        assert isinstance(form, case_forms.AdviceRequestForm)
        created = services.advice_requests_create(
            actor=self.request.user,
            request=self.assessment,
            requested_on=form.cleaned_data["requested_on"],
            advisers=form.advisers(),
        )
        names = [AdviceKind(advice.kind).advice for advice in created]
        if len(names) == 1:
            return f"{names[0]} requested"
        return f"{len(names)} kinds of advice requested: {', '.join(names)}"


class ExceptionView(RequestStepView):
    step = "exception"
    title = "Record an exception to a time limit"
    form_class = case_forms.ExceptionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["advice"] = list(self.assessment.advice_requests.all())
        return kwargs

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.timescale_exception_add, form, request=self.assessment)
        return "Exception recorded"


class IssueDecisionView(RequestStepView):
    step = "issue_decision"
    title = "Record the decision to issue a plan"
    form_class = case_forms.IssueDecisionForm
    error_aliases: ClassVar[dict[str, str]] = {"issue_decided_on": "decided_on"}

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.assessment_request_decide_issue, form, request=self.assessment)
        if form.cleaned_data["decision"] == "issue":
            return "Decision to issue a plan recorded"
        return "Decision not to issue a plan recorded"


class DraftPlanView(RequestStepView):
    step = "draft_plan"
    title = "Issue the draft plan"
    form_class = case_forms.DraftPlanForm
    error_aliases: ClassVar[dict[str, str]] = {"draft_issued_on": "issued_on"}

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.draft_plan_issue, form, request=self.assessment)
        return "Draft plan issued"


class ConsultationView(RequestStepView):
    step = "consultation"
    title = "Consult a setting"
    form_class = case_forms.ConsultationForm

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.consultation_add, form, request=self.assessment)
        return f"Consultation with {form.cleaned_data['establishment'].name} recorded"


class FinalPlanView(RequestStepView):
    step = "final_plan"
    title = "Issue the final plan"
    form_class = case_forms.FinalPlanForm
    error_aliases: ClassVar[dict[str, str]] = {
        "final_issued_on": "issued_on",
        "named_settings": "establishment",
    }

    def perform(self, form: forms.Form) -> str:
        assert isinstance(form, case_forms.FinalPlanForm)
        data = form.cleaned_data
        services.final_plan_issue(
            actor=self.request.user,
            request=self.assessment,
            issued_on=data["issued_on"],
            primary_need=data["primary_need"],
            secondary_need=data["secondary_need"],
            named_settings=form.named_settings(),
            starts_on=data["starts_on"],
        )
        return "Final plan issued"


class WithdrawView(RequestStepView):
    step = "withdraw"
    title = "Withdraw the request"
    submit_label = "Withdraw the request"
    form_class = case_forms.WithdrawForm

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.assessment_request_withdraw, form, request=self.assessment)
        return "Request withdrawn"


class TransferOutView(RequestStepView):
    step = "transfer_out"
    title = "Transfer to another LA"
    form_class = case_forms.TransferOutForm

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.assessment_request_transfer_out, form, request=self.assessment)
        return "Transfer to another LA recorded"


#: The request's steps as the case page shows them: step -> its form view.
STEP_VIEWS: dict[str, type[RequestStepView]] = {
    view.step: view
    for view in (
        DecisionView,
        AdviceRequestView,
        ExceptionView,
        IssueDecisionView,
        DraftPlanView,
        ConsultationView,
        FinalPlanView,
        WithdrawView,
        TransferOutView,
    )
}


# --- steps on one advice request or one consultation -------------------------------------------
class AdviceStepView(RequestStepView):
    @cached_property
    def advice(self) -> AdviceRequest:
        return get_object_or_404(self.assessment.advice_requests, pk=self.kwargs["advice_pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["request_summary"] = (
            f"{AdviceKind(self.advice.kind).advice} requested on "
            f"{format_date(self.advice.requested_on)}"
            + (f" from {self.advice.provider}." if self.advice.provider else ".")
        )
        return context


class AdviceReceiveView(AdviceStepView):
    title = "Record advice received"
    form_class = case_forms.AdviceReceiveForm

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.advice_request_receive, form, advice=self.advice)
        return f"{AdviceKind(self.advice.kind).advice} received"


class AdviceReturnView(AdviceStepView):
    title = "Return advice for quality"
    form_class = case_forms.AdviceReturnForm

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.advice_request_return_for_quality, form, advice=self.advice)
        return f"{AdviceKind(self.advice.kind).advice} returned for quality"


class AdviceReReceiveView(AdviceStepView):
    title = "Record corrected advice received"
    form_class = case_forms.AdviceReceiveForm
    error_aliases: ClassVar[dict[str, str]] = {"re_received_on": "received_on"}

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.advice_request_re_receive, form, advice=self.advice)
        return f"Corrected {AdviceKind(self.advice.kind).advice.lower()} received"


class ConsultationReplyView(RequestStepView):
    title = "Record a setting's reply"
    form_class = case_forms.ConsultationReplyForm

    @cached_property
    def consultation(self) -> DraftConsultation:
        return get_object_or_404(
            self.assessment.consultations.select_related("establishment"),
            pk=self.kwargs["consultation_pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["request_summary"] = (
            f"{self.consultation.establishment.name} was consulted on "
            f"{format_date(self.consultation.sent_on)}."
        )
        return context

    def perform(self, form: forms.Form) -> str:
        self.call_service(services.consultation_reply, form, consultation=self.consultation)
        return f"Reply from {self.consultation.establishment.name} recorded"
