"""One annual review: its page, its meeting invite and the form of each step."""

import uuid
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import View

from cases.views.documents import attached_documents_context
from reviews import forms as review_forms
from reviews import selectors, services
from reviews.models import AnnualReview
from reviews.phase import year_group, year_group_label
from reviews.presenters import deadline_rows, meeting_ics, status_tag, step_rows
from reviews.views.lists import ReviewsPage
from reviews.workflow import TRANSITIONS, Step, allowed, allowed_steps, refusal
from send_cms.accounts.actor import Actor
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_READ, CASEWORK_WRITE
from send_cms.audit.reads import record_download
from send_cms.common.downloads import content_disposition
from send_cms.common.steps import ServiceFormView

NO_MEETING_DATE = "Record the meeting date (with the invitations) before downloading an invite."


# --- one review -----------------------------------------------------------------------------
class ReviewDetailView(ReviewsPage):
    template_name = "reviews/review_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        review = selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])
        may_write = bool(user_roles(self.request.user) & CASEWORK_WRITE)
        steps = allowed_steps(review.status) if may_write else []
        child = review.plan.child
        context.update(
            review=review,
            child=child,
            status_tag=status_tag(review.status),
            steps=step_rows(review),
            deadlines=deadline_rows(
                selectors.review_deadlines_for(review, today=today), today=today
            ),
            actions=[(step.value, TRANSITIONS[step].label) for step in steps],
            may_write=may_write,
            under_5_checks=selectors.under_5_checks(review),
            year_group=year_group_label(year_group(child.date_of_birth, today)),
            others=selectors.review_list(user=self.request.user, plan=review.plan_id),
            **attached_documents_context(self.request.user, review, child_id=child.pk),
        )
        return context


class ReviewIcsView(RoleRequiredMixin, View):
    allowed_roles = CASEWORK_READ

    def get(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        review = selectors.review_get(user=request.user, pk=pk)
        if review.meeting_date is None:
            messages.error(request, NO_MEETING_DATE)
            return redirect("reviews:review-detail", pk=review.pk)
        record_download(
            actor=request.user,
            name="annual review meeting invite",
            fmt="ics",
            child_id=review.plan.child_id,
            obj=review,
        )
        response = HttpResponse(
            meeting_ics(review, host=request.get_host().split(":")[0]),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition(
            f"annual-review-{review.plan.child.reference}.ics"
        )
        return response


# --- the step forms ---------------------------------------------------------------------------
def _phase(*, actor: Actor, review: AnnualReview, mode: str, **data: Any) -> AnnualReview:
    form = review_forms.PhaseTransferForm
    return services.review_phase_transfer_set(
        actor=actor,
        review=review,
        automatic=mode == form.COMPUTED,
        infant_school=data["infant_school"],
        phase_transfer=mode == form.MANUAL_YES,
        kind=data["kind"],
        transfer_on=data["transfer_on"],
    )


#: Each step's form, the service its clean data goes to (with the actor and the review), and
#: the success banner.
STEP_FORMS: dict[Step, tuple[type[forms.Form], Callable[..., AnnualReview], str]] = {
    Step.INVITATIONS: (
        review_forms.InvitationsForm,
        services.review_invitations_send,
        "Invitations recorded",
    ),
    Step.ADVICE: (review_forms.AdviceForm, services.review_advice_record, "Advice recorded"),
    Step.MEETING: (
        review_forms.MeetingForm,
        services.review_meeting_record,
        "Review meeting recorded",
    ),
    Step.REPORT: (review_forms.ReportForm, services.review_report_receive, "Report recorded"),
    Step.DECISION: (
        review_forms.DecisionForm,
        services.review_decision_issue,
        "Decision recorded",
    ),
    Step.AMENDMENTS: (
        review_forms.AmendmentsForm,
        services.review_amendments_send,
        "Proposed amendments recorded",
    ),
    Step.FINAL_AMENDED_PLAN: (
        review_forms.FinalAmendedPlanForm,
        services.review_final_amended_plan_issue,
        "Final amended plan recorded: a new version of the plan was issued",
    ),
    Step.PHASE_TRANSFER: (review_forms.PhaseTransferForm, _phase, "Phase transfer updated"),
}


class ReviewStepView(ServiceFormView):
    """One step of the workflow: a GOV.UK form, POST, then back to the review with a banner."""

    allowed_roles = CASEWORK_WRITE
    template_name = "reviews/review_step.html"
    step: Step = Step.MEETING

    @cached_property
    def review(self) -> AnnualReview:
        return selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_class(self) -> type[forms.Form]:
        return STEP_FORMS[self.step][0]

    def get_initial(self) -> dict[str, Any]:
        review = self.review
        if self.step is Step.FINAL_AMENDED_PLAN:
            return {"changes": review.proposed_changes}
        if self.step is Step.PHASE_TRANSFER:
            mode = review_forms.PhaseTransferForm.COMPUTED
            if review.phase_transfer_manual:
                mode = (
                    review_forms.PhaseTransferForm.MANUAL_YES
                    if review.phase_transfer
                    else review_forms.PhaseTransferForm.MANUAL_NO
                )
            return {
                "mode": mode,
                "kind": review.phase_transfer_kind,
                "transfer_on": review.phase_transfer_on,
                "infant_school": review.infant_school,
            }
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        review = self.review
        context.update(
            review=review,
            child=review.plan.child,
            title=TRANSITIONS[self.step].label,
            refused="" if allowed(self.step, review.status) else refusal(self.step, review.status),
        )
        return context

    def perform(self, form: forms.Form) -> str:
        _form, service, success = STEP_FORMS[self.step]
        self.call_service(service, form, review=self.review)
        return success

    def get_success_url(self) -> str:
        return reverse("reviews:review-detail", kwargs={"pk": self.review.pk})
