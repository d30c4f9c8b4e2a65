"""The reviews app's lists: reviews due in a term (and their downloads), the backlog,
timeliness and phase transfers. Thin views that read through selectors."""

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView, View

from reviews import forms as review_forms
from reviews import selectors
from reviews.models import AnnualReview
from reviews.phase import year_group, year_group_label
from reviews.terms import UNKNOWN_TERM, Term, parse_term, term_choices, term_for
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.audit.reads import record_download, record_list_read
from send_cms.common.exports import csv_response
from send_cms.common.pdf import pdf_response

MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
FIRST_YEAR, LAST_YEAR = 2015, 2100  # the transfer years the cohort page accepts


def _today() -> dt.date:
    return timezone.localdate()


class ReviewsPage(RoleRequiredMixin, TemplateView):
    allowed_roles = CASEWORK_READ
    tab: ClassVar[str] = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tab"] = self.tab
        context["is_manager"] = bool(user_roles(self.request.user) & MANAGERS)
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


def _term_download(request: HttpRequest, fmt: str) -> tuple[Term, list[selectors.SettingList]]:
    """The chosen term's reviews for a download, recorded as one."""
    term, _setting, _error, groups = _term_rows(request)
    children = _children(groups)
    record_download(
        actor=request.user,
        name="reviews due in term",
        fmt=fmt,
        query=request.GET,
        rows=len(children),
        children=children,
    )
    return term, groups


class TermCsvView(RoleRequiredMixin, View):
    allowed_roles = CASEWORK_READ

    def get(self, request: HttpRequest) -> HttpResponse:
        term, groups = _term_download(request, "csv")
        return csv_response(
            filename=f"reviews-due-{term.slug}.csv",
            headers=CSV_HEADER,
            rows=(_csv_row(review, group.name) for group in groups for review in group.reviews),
        )


class TermPdfView(RoleRequiredMixin, View):
    allowed_roles = CASEWORK_READ

    def get(self, request: HttpRequest) -> HttpResponse:
        term, groups = _term_download(request, "pdf")
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
