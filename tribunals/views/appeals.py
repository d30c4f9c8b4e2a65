"""Appeal pages: the tribunal register, the appeal page, registration and each step, orders."""

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from cases.models import Child
from cases.views.documents import attached_documents_context
from send_cms.audit.reads import audited_page, record_list_read
from send_cms.timescales import deadline_status
from tribunals import presenters, selectors, services
from tribunals.codes import AppealType, OrderKind
from tribunals.deadlines import appeal_deadline_rows, order_deadline_rows
from tribunals.forms import (
    AppealDetailsForm,
    AppealForm,
    CompliedForm,
    DirectionForm,
    FindChildForm,
    HearingForm,
    OrderForm,
    OutcomeForm,
    RecommendationForm,
    RecommendationResponseForm,
    RegisterFilterForm,
    ResponseForm,
    StepCompliedForm,
)
from tribunals.models import Appeal
from tribunals.selectors.rulings import similar_for_user
from tribunals.views.common import WRITERS, ChildRecordCreateView, StepView, TribunalsPage
from tribunals.workflow import TRANSITIONS, AppealStep, allowed_steps

PAGE_SIZE = 50

#: The step pages, in the order the appeal page offers them.
STEP_URLS = {
    AppealStep.RESPONSE: "tribunals:appeal-response",
    AppealStep.HEARING: "tribunals:appeal-hearing",
    AppealStep.DECIDE: "tribunals:appeal-outcome",
    AppealStep.DIRECTION: "tribunals:appeal-direction",
    AppealStep.ORDER: "tribunals:appeal-order",
    AppealStep.RECOMMENDATION: "tribunals:appeal-recommendation",
}


def appeal_url(appeal: Appeal) -> str:
    return reverse("tribunals:appeal-detail", args=[appeal.pk])


class AppealRegisterView(TribunalsPage, TemplateView):
    template_name = "tribunals/appeal_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = RegisterFilterForm(self.request.GET or None, stages=selectors.STAGE_CHOICES)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = selectors.register_rows(
            user=self.request.user,
            appeal_type=filters.get("appeal_type") or None,
            stage=filters.get("stage") or None,
        )
        page = audited_page(
            self.request,
            rows,
            per_page=PAGE_SIZE,
            name="tribunals:appeal-list",
            child_id=lambda row: row.appeal.child_id,
        )
        context.update(
            filter_form=form,
            page=page,
            rows=page.object_list,
            total=len(rows),
            tags=presenters.DEADLINE_TAG,
            appeal_tags=presenters.APPEAL_TAG,
        )
        return context


class AppealDetailView(TribunalsPage, TemplateView):
    template_name = "tribunals/appeal_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        appeal = selectors.appeal_get(user=user, pk=self.kwargs["pk"])
        today = timezone.localdate()
        orders = list(appeal.orders.all())
        for order in orders:
            order.appeal = appeal
        directions = [
            (d, deadline_status(due=d.due_on, met_on=d.complied_on, today=today))
            for d in appeal.directions.all()
        ]
        steps = allowed_steps(appeal.status)
        context.update(
            appeal=appeal,
            deadlines=appeal_deadline_rows(appeal, today=today),
            events=list(selectors.appeal_events(appeal)),
            orders=[
                (o, presenters.order_status(o, today), order_deadline_rows(o, today=today))
                for o in orders
            ],
            directions=directions,
            recommendations=list(appeal.recommendations.all()),
            **attached_documents_context(user, appeal, child_id=appeal.child_id),
            similar=similar_for_user(appeal, user=user, today=today),
            actions=[
                (TRANSITIONS[step].label, reverse(STEP_URLS[step], args=[appeal.pk]))
                for step in steps
                if step in STEP_URLS
            ],
            tags=presenters.DEADLINE_TAG,
            order_tags=presenters.ORDER_TAG,
            appeal_tags=presenters.APPEAL_TAG,
            outcome_tags=presenters.OUTCOME_TAG,
            cease=selectors.cease_position(appeal.plan, decided_on=appeal.decision_notice_on)
            if appeal.plan is not None and appeal.appeal_type == AppealType.CEASE
            else None,
            money=presenters.money,
        )
        return context


class AppealFindChildView(TribunalsPage, FormView[FindChildForm]):
    """Registering starts from the child: their LA reference leads to the registration form."""

    allowed_roles = WRITERS
    template_name = "tribunals/find_child.html"
    form_class = FindChildForm
    target = "tribunals:appeal-create"
    title = "Register an appeal"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def form_valid(self, form: FindChildForm) -> HttpResponse:
        child: Child = form.cleaned_data["reference"]
        return redirect(self.target, child_id=child.pk)


class AppealCreateView(ChildRecordCreateView):
    template_name = "tribunals/appeal_form.html"
    form_class = AppealForm
    success_message = "Appeal registered"

    def get_initial(self) -> dict[str, Any]:
        return {"appellant_kind": "parent"}

    def record_url(self, record: Appeal) -> str:
        return appeal_url(record)

    def perform(self, form: forms.Form) -> None:
        self.created = self.call_service(services.appeal_register, form, child=self.child())


class _AppealStep(StepView):
    def get_object(self) -> Appeal:
        return selectors.appeal_get(user=self.request.user, pk=self.kwargs["pk"])

    def back_url(self) -> str:
        return appeal_url(self.object)


class AppealResponseView(_AppealStep):
    form_class = ResponseForm
    title = "Record the council's response"
    submit_label = "Record the response"
    success_message = "Response recorded"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.appeal_submit_response, form, appeal=self.object)


class AppealHearingView(_AppealStep):
    form_class = HearingForm
    title = "Record the hearing date"
    submit_label = "Record the hearing date"
    success_message = "Hearing date recorded"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.appeal_list_hearing, form, appeal=self.object)


class AppealOutcomeView(_AppealStep):
    form_class = OutcomeForm
    title = "Record the outcome"
    submit_label = "Record the outcome"
    success_message = "Outcome recorded"
    hint = (
        "Conceding before the response is due makes the appeal unopposed: the order periods "
        "then run from the day the council told the tribunal."
    )

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.appeal_record_outcome, form, appeal=self.object)


class AppealOrderView(_AppealStep):
    form_class = OrderForm
    title = "Record an order"
    submit_label = "Record the order"
    success_message = "Order recorded"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.appeal_order_add, form, appeal=self.object)


class AppealDirectionView(_AppealStep):
    form_class = DirectionForm
    title = "Add a tribunal direction"
    submit_label = "Add the direction"
    success_message = "Direction added"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.appeal_direction_add, form, appeal=self.object)


class AppealRecommendationView(_AppealStep):
    form_class = RecommendationForm
    title = "Record a health or social care recommendation"
    submit_label = "Record the recommendation"
    success_message = "Recommendation recorded"

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.recommendation_add, form, appeal=self.object)


class AppealDetailsView(_AppealStep):
    form_class = AppealDetailsForm
    title = "Change the appeal's details, costs and representation"
    submit_label = "Save the details"
    success_message = "Appeal details saved"

    def get_initial(self) -> dict[str, Any]:
        appeal = self.object
        return {name: getattr(appeal, name) for name in AppealDetailsForm.base_fields}

    def perform(self, form: forms.Form) -> None:
        data = form.cleaned_data
        fields = {name: value for name, value in data.items() if name != "version"}
        services.appeal_update_details(
            actor=self.request.user,
            appeal=self.object,
            expected_version=data.get("version"),
            **fields,
        )


class DirectionCompliedView(StepView):
    form_class = CompliedForm
    title = "Record a direction complied with"
    submit_label = "Record it"
    success_message = "Direction complied with"

    def get_object(self) -> Any:
        return selectors.direction_get(user=self.request.user, pk=self.kwargs["pk"])

    def back_url(self) -> str:
        return appeal_url(self.object.appeal)

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.direction_complied, form, direction=self.object)


class RecommendationResponseView(StepView):
    form_class = RecommendationResponseForm
    title = "Record the council's response to a recommendation"
    submit_label = "Record the response"
    success_message = "Response to the recommendation recorded"

    def get_object(self) -> Any:
        return selectors.recommendation_get(user=self.request.user, pk=self.kwargs["pk"])

    def back_url(self) -> str:
        return appeal_url(self.object.appeal)

    def perform(self, form: forms.Form) -> None:
        self.call_service(services.recommendation_respond, form, recommendation=self.object)


class OrderCompliedView(StepView):
    form_class = StepCompliedForm
    template_name = "tribunals/order_complied.html"
    title = "Record an order complied with"
    submit_label = "Record it"
    success_message = "Order step complied with"

    def get_object(self) -> Any:
        return selectors.order_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["steps"] = list(self.object.steps.all())
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["order"] = self.object
        context["deadlines"] = order_deadline_rows(self.object)
        context["tags"] = presenters.DEADLINE_TAG
        return context

    def back_url(self) -> str:
        return appeal_url(self.object.appeal)

    def perform(self, form: forms.Form) -> None:
        data = form.cleaned_data
        services.order_complied(
            actor=self.request.user,
            order=self.object,
            complied_on=data["complied_on"],
            step=data.get("step") or None,
        )


class OrderOverdueView(TribunalsPage, TemplateView):
    template_name = "tribunals/order_overdue.html"
    nav_name = "tribunals:order-overdue"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        orders = list(selectors.overdue_orders(user=self.request.user, today=today))
        record_list_read(
            actor=self.request.user,
            name="tribunals:order-overdue",
            query=self.request.GET,
            rows=len(orders),
            children=(order.appeal.child_id for order in orders),
        )
        context["rows"] = [(o, order_deadline_rows(o, today=today)) for o in orders]
        context["tags"] = presenters.DEADLINE_TAG
        context["kinds"] = OrderKind
        return context
