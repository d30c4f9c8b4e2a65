"""Pages of the reviews app: thin views that read through selectors and act through services."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from cases.views.documents import attached_documents_context
from reviews import forms as review_forms
from reviews import selectors, services
from reviews.models import AnnualReview
from reviews.phase import year_group, year_group_label
from reviews.presenters import deadline_rows, meeting_ics, status_tag, step_rows
from reviews.terms import UNKNOWN_TERM, Term, parse_term, term_choices, term_for
from reviews.workflow import TRANSITIONS, Step, allowed, allowed_steps, refusal
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import CASEWORK_READ, CASEWORK_WRITE, Role
from send_cms.audit.reads import record_download, record_list_read
from send_cms.common.downloads import content_disposition
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.exports import csv_response
from send_cms.common.pdf import pdf_response

MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
FIRST_YEAR, LAST_YEAR = 2015, 2100  # the transfer years the cohort page accepts
NO_MEETING_DATE = "Record the meeting date (with the invitations) before downloading an invite."


def _today() -> dt.date:
    return timezone.localdate()


class ReviewsPage(RoleRequiredMixin, TemplateView):
    allowed_roles = CASEWORK_READ
    tab: ClassVar[str] = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = self.tab
        context["is_manager"] = bool(self.request.user.roles & MANAGERS)  # type: ignore[union-attr]
        return context


# --- reviews due in a term ----------------------------------------------------------------------
def _term_and_setting(request: HttpRequest) -> tuple[Term, uuid.UUID | None, str]:
    """The chosen term (default: this term) and setting; an error text for a bad term."""
    error = ""
    term = term_for(_today())
    slug = request.GET.get("term", "")
    if slug:
        try:
            term = parse_term(slug)
        except ValueError:
            error = UNKNOWN_TERM
    setting: uuid.UUID | None = None
    raw = request.GET.get("setting", "")
    if raw:
        try:
            setting = uuid.UUID(raw)
        except ValueError:
            setting = None
    return term, setting, error


def _term_rows(
    request: HttpRequest,
) -> tuple[Term, uuid.UUID | None, str, list[selectors.SettingList]]:
    term, setting, error = _term_and_setting(request)
    groups = selectors.reviews_due_in_term(user=request.user, term=term, setting=setting)
    return term, setting, error, groups


def _children(groups: list[selectors.SettingList]) -> list[uuid.UUID]:
    return [review.plan.child_id for group in groups for review in group.reviews]


class ReviewsDueView(ReviewsPage):
    template_name = "reviews/review_list.html"
    tab = "due"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        term, setting, error, groups = _term_rows(self.request)
        children = _children(groups)
        record_list_read(
            actor=self.request.user,
            name="reviews:review-list",
            query=self.request.GET,
            rows=len(children),
            children=children,
        )
        terms = term_choices(_today())
        if term not in terms:
            terms.append(term)
        settings_list = [
            (str(s.pk), str(s)) for s in selectors.settings_with_reviews(user=self.request.user)
        ]
        form = review_forms.TermForm(
            {"term": term.slug, "setting": str(setting or "")},
            terms=terms,
            settings=settings_list,
        )
        if error:
            form.is_valid()
            form.add_error("term", error)
        query = f"term={term.slug}" + (f"&setting={setting}" if setting else "")
        context.update(
            term=term,
            groups=groups,
            count=sum(len(g.reviews) for g in groups),
            form=form,
            query=query,
            today=_today(),
        )
        return context


def _csv_row(review: AnnualReview, setting_name: str) -> list[object]:
    child = review.plan.child
    setting = child.current_setting
    return [
        setting_name,
        setting.urn if setting else "",
        child.reference,
        child.first_name,
        child.last_name,
        child.date_of_birth,
        year_group_label(year_group(child.date_of_birth, review.due_on)),
        review.due_on,
        review.meeting_date,
        review.get_status_display(),
        "yes" if review.phase_transfer else "no",
        selectors.caseworker_name(review),
    ]


CSV_HEADER = [
    "Setting",
    "URN",
    "LA reference",
    "First name",
    "Last name",
    "Date of birth",
    "School year when due",
    "Review due",
    "Meeting date",
    "Status",
    "Phase transfer",
    "Caseworker",
]


class TermCsvView(RoleRequiredMixin, View):
    allowed_roles = CASEWORK_READ

    def get(self, request: HttpRequest) -> HttpResponse:
        term, _setting, _error, groups = _term_rows(request)
        children = _children(groups)
        record_download(
            actor=request.user,
            name="reviews due in term",
            fmt="csv",
            query=request.GET,
            rows=len(children),
            children=children,
        )
        return csv_response(
            filename=f"reviews-due-{term.slug}.csv",
            headers=CSV_HEADER,
            rows=(_csv_row(review, group.name) for group in groups for review in group.reviews),
        )


class TermPdfView(RoleRequiredMixin, View):
    allowed_roles = CASEWORK_READ

    def get(self, request: HttpRequest) -> HttpResponse:
        term, _setting, _error, groups = _term_rows(request)
        children = _children(groups)
        record_download(
            actor=request.user,
            name="reviews due in term",
            fmt="pdf",
            query=request.GET,
            rows=len(children),
            children=children,
        )
        rows = [
            (
                group,
                [
                    (
                        review,
                        year_group_label(
                            year_group(review.plan.child.date_of_birth, review.due_on)
                        ),
                    )
                    for review in group.reviews
                ],
            )
            for group in groups
        ]
        return pdf_response(
            "reviews/review_term_pdf.html",
            {"term": term, "rows": rows, "today": _today()},
            f"reviews-due-{term.slug}.pdf",
        )


# --- backlog, timeliness, phase transfers -------------------------------------------------------
class BacklogView(ReviewsPage):
    template_name = "reviews/review_backlog.html"
    tab = "backlog"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        backlog = selectors.backlog(user=self.request.user, today=_today())
        record_list_read(
            actor=self.request.user,
            name="reviews:backlog",
            query=self.request.GET,
            rows=len(backlog.rows),
            children=(row.review.plan.child_id for row in backlog.rows),
        )
        context["backlog"] = backlog
        context["bands"] = [label for label, _, _ in selectors.AGE_BANDS]
        return context


class TimelinessView(ReviewsPage):
    allowed_roles = MANAGERS
    template_name = "reviews/review_timeliness.html"
    tab = "timeliness"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = _today()
        default_start = dt.date(today.year - 1, today.month, 1)
        data = self.request.GET.copy()
        if "start_year" not in data:
            for name, value in (("start", default_start), ("end", today)):
                data[f"{name}_day"] = str(value.day)
                data[f"{name}_month"] = str(value.month)
                data[f"{name}_year"] = str(value.year)
        form = review_forms.TimelinessForm(data)
        start, end = default_start, today
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        backlog = selectors.backlog(user=self.request.user, today=today)
        teams, total = selectors.timeliness_by_team(
            user=self.request.user, start=start, end=end, backlog_today=backlog
        )
        context.update(
            form=form,
            start=start,
            end=end,
            teams=teams,
            total=total,
            backlog=backlog,
            bands=[label for label, _, _ in selectors.AGE_BANDS],
        )
        return context


class PhaseTransfersView(ReviewsPage):
    template_name = "reviews/review_phase_transfers.html"
    tab = "phase"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = _today()
        default = selectors.next_september(today)
        raw = self.request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR else default
        rows = selectors.phase_transfer_cohort(user=self.request.user, year=year, today=today)
        record_list_read(
            actor=self.request.user,
            name="reviews:phase-transfers",
            query={"year": year},
            rows=len(rows),
            children=(row.plan.child_id for row in rows),
        )
        context.update(
            year=year,
            years=[default - 1, default, default + 1],
            rows=rows,
            summary=selectors.cohort_summary(rows),
            today=today,
        )
        return context


# --- one review -----------------------------------------------------------------------------
class ReviewDetailView(ReviewsPage):
    template_name = "reviews/review_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = _today()
        review = selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])
        may_write = bool(self.request.user.roles & CASEWORK_WRITE)  # type: ignore[union-attr]
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
def _invitations(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    return services.review_invitations_send(actor=actor, review=review, **data)


def _advice(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    return services.review_advice_record(actor=actor, review=review, **data)


def _meeting(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    return services.review_meeting_record(actor=actor, review=review, **data)


def _report(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    return services.review_report_receive(actor=actor, review=review, **data)


def _decision(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    return services.review_decision_issue(actor=actor, review=review, **data)


def _amendments(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    return services.review_amendments_send(actor=actor, review=review, **data)


def _final(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    return services.review_final_amended_plan_issue(actor=actor, review=review, **data)


def _phase(actor: Any, review: AnnualReview, data: dict[str, Any]) -> AnnualReview:
    mode = data["mode"]
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


Action = Callable[[Any, AnnualReview, dict[str, Any]], AnnualReview]

STEP_FORMS: dict[Step, tuple[type[forms.Form], Action, str]] = {
    Step.INVITATIONS: (review_forms.InvitationsForm, _invitations, "Invitations recorded"),
    Step.ADVICE: (review_forms.AdviceForm, _advice, "Advice recorded"),
    Step.MEETING: (review_forms.MeetingForm, _meeting, "Review meeting recorded"),
    Step.REPORT: (review_forms.ReportForm, _report, "Report recorded"),
    Step.DECISION: (review_forms.DecisionForm, _decision, "Decision recorded"),
    Step.AMENDMENTS: (review_forms.AmendmentsForm, _amendments, "Proposed amendments recorded"),
    Step.FINAL_AMENDED_PLAN: (
        review_forms.FinalAmendedPlanForm,
        _final,
        "Final amended plan recorded: a new version of the plan was issued",
    ),
    Step.PHASE_TRANSFER: (review_forms.PhaseTransferForm, _phase, "Phase transfer updated"),
}


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's field-keyed errors on the form's fields; anything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


class ReviewStepView(RoleRequiredMixin, FormView):  # type: ignore[type-arg]
    """One step of the workflow: a GOV.UK form, POST, then back to the review with a banner."""

    allowed_roles = CASEWORK_WRITE
    template_name = "reviews/review_step.html"
    step: Step = Step.MEETING

    def get_review(self) -> AnnualReview:
        if not hasattr(self, "_review"):
            self._review = selectors.review_get(user=self.request.user, pk=self.kwargs["pk"])
        return self._review

    def get_form_class(self) -> type[forms.Form]:
        return STEP_FORMS[self.step][0]

    def get_initial(self) -> dict[str, Any]:
        review = self.get_review()
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
        review = self.get_review()
        context.update(
            review=review,
            child=review.plan.child,
            title=TRANSITIONS[self.step].label,
            refused="" if allowed(self.step, review.status) else refusal(self.step, review.status),
        )
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        review = self.get_review()
        action, success = STEP_FORMS[self.step][1], STEP_FORMS[self.step][2]
        try:
            review = action(self.request.user, review, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, success)
        return redirect(reverse("reviews:review-detail", kwargs={"pk": review.pk}))
