"""The published monthly scorecards: the list, any month's PDF and "Publish now".

Managers and administrators publish; caseworkers may read the list and download. A scorecard is
the council's document, so every reader gets the same PDF for a month (the published one, byte
for byte, once it exists).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.views import View

from reporting.periods import Period, PeriodError, PeriodKind, month_period, parse_period
from reporting.services import scorecards as service
from send_cms.accounts.permissions import RoleRequiredMixin, user_roles
from send_cms.accounts.roles import Role
from send_cms.common.downloads import content_disposition
from send_cms.common.forms import GovukForm

READERS = frozenset({Role.CASEWORKER, Role.MANAGER, Role.ADMIN})
PUBLISHERS = frozenset({Role.MANAGER, Role.ADMIN})
ENTER_MONTH = "Enter the month and year of the scorecard"
REAL_MONTH = "Scorecard month must be a real month"
YEAR_DIGITS = "Year must include 4 numbers"
CHOOSE_MONTH = "Select the month to publish"
ALREADY_PUBLISHED = "The scorecard for {month} has already been published"


def parse_month(text: str) -> Period:
    """A `YYYY-MM` key as a month; PeriodError for anything else (quarters, years, 2025-13)."""
    period = parse_period(text)
    if period.kind != PeriodKind.MONTH or period.key != text:
        raise PeriodError(f"{text} is not a month.")
    return period


class MonthForm(GovukForm):
    """The month picker: the GOV.UK date input with month and year boxes only."""

    month = forms.CharField(required=False, max_length=2)
    year = forms.CharField(required=False, max_length=4)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, year = (str(data.get(k) or "").strip() for k in ("month", "year"))
        if not month and not year:
            raise ValidationError({"month": ENTER_MONTH})
        if not month or not year:
            missing = "month" if not month else "year"
            raise ValidationError({"month": f"Scorecard month must include a {missing}"})
        if not (month.isdigit() and year.isdigit()) or not 1 <= int(month) <= 12:
            raise ValidationError({"month": REAL_MONTH})
        if len(year) != 4:
            raise ValidationError({"month": YEAR_DIGITS})
        try:
            period = month_period(int(year), int(month))
        except PeriodError as error:
            raise ValidationError({"month": str(error)}) from None
        if not service.month_is_over(period=period, today=timezone.localdate()):
            raise ValidationError(
                {"month": service.MONTH_NOT_OVER.format(month=period.label).rstrip(".")}
            )
        data["period"] = period
        return data


class PublishForm(GovukForm):
    """The month to publish: the select offers the recent months not yet published; any month
    that has ended is accepted (publishing one already published changes nothing)."""

    period = forms.CharField(
        label="Month to publish", error_messages={"required": CHOOSE_MONTH}, widget=forms.Select
    )

    def __init__(self, *args: Any, months: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Select a month"), *((m.key, m.label) for m in months)]
        self.fields["period"].widget.choices = choices

    def clean_period(self) -> Period:
        try:
            period = parse_month(self.cleaned_data["period"])
        except PeriodError:
            raise ValidationError(CHOOSE_MONTH) from None
        if not service.month_is_over(period=period, today=timezone.localdate()):
            raise ValidationError(service.MONTH_NOT_OVER.format(month=period.label))
        return period


class ScorecardsPage(RoleRequiredMixin, View):
    allowed_roles = READERS

    def page(
        self,
        request: HttpRequest,
        *,
        month_form: MonthForm | None = None,
        publish_form: PublishForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        can_publish = bool(user_roles(request.user) & PUBLISHERS)
        months = service.unpublished_months(today=timezone.localdate()) if can_publish else []
        context = {
            "scorecards": [
                (card, parse_period(card.period).label) for card in service.published_scorecards()
            ],
            "month_form": month_form or MonthForm(),
            "can_publish": can_publish,
            "publish_form": publish_form or PublishForm(months=months),
            "unpublished": months,
        }
        return render(request, "reporting/scorecard_list.html", context, status=status)


class ScorecardListView(ScorecardsPage):
    """Published scorecards, the month picker (GET: on to that month's PDF) and, for managers,
    "Publish now"."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if "month" not in request.GET and "year" not in request.GET:
            return self.page(request)
        form = MonthForm(request.GET)
        if not form.is_valid():
            return self.page(request, month_form=form)
        period: Period = form.cleaned_data["period"]
        return redirect("reporting:scorecard-pdf", period=period.key)


class ScorecardPublishView(ScorecardsPage):
    allowed_roles = PUBLISHERS
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponseBase:
        months = service.unpublished_months(today=timezone.localdate())
        form = PublishForm(request.POST, months=months)
        if not form.is_valid():
            return self.page(request, publish_form=form, status=400)
        period: Period = form.cleaned_data["period"]
        started = timezone.now()
        scorecard = service.scorecard_publish(period=period, actor=request.user)
        if scorecard.published_at < started:
            messages.success(request, ALREADY_PUBLISHED.format(month=period.label))
        else:
            messages.success(request, f"Scorecard for {period.label} published")
        return redirect("reporting:scorecard-list")


class ScorecardPdfView(RoleRequiredMixin, View):
    """One month's PDF: the stored file once published, else a draft rendered now."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, period: str) -> HttpResponse:
        try:
            month = parse_month(period)
        except PeriodError:
            raise Http404("No such month") from None
        if not service.month_is_over(period=month, today=timezone.localdate()):
            return render(
                request,
                "reporting/scorecard_unavailable.html",
                {
                    "period": month,
                    "message": service.MONTH_NOT_OVER.format(month=month.label),
                    "list_url": reverse("reporting:scorecard-list"),
                },
                status=404,
            )
        document = service.scorecard_download(period=month, actor=request.user)
        response = HttpResponse(document.content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(document.filename)
        return response


urlpatterns: list[URLPattern | URLResolver] = [
    path("scorecards/", ScorecardListView.as_view(), name="scorecard-list"),
    path("scorecards/publish/", ScorecardPublishView.as_view(), name="scorecard-publish"),
    path("scorecards/<str:period>.pdf", ScorecardPdfView.as_view(), name="scorecard-pdf"),
]
