"""The safety-valve and DSG management plan pack: the board's PDF and the DSG template's workbook
for any day (`/reporting/high-needs/2025-09-30.pdf` and `.xlsx`, rendered on demand), and the
packs built for a return period in a Celery task, each kept with who asked and when.

Managers and administrators build; caseworkers may read the list and download; panel members
are refused. The pack is the council's document, the same for every reader. Every download is
audited.
"""

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone

from reporting.high_needs import services
from reporting.high_needs.forms import ReturnPeriodField
from reporting.high_needs.pack import long_date
from reporting.high_needs.periods import return_period_of
from reporting.models import HighNeedsPack
from reporting.periods import FIRST_YEAR, LAST_YEAR
from reporting.views.common import ReportingPage, is_manager
from reporting.views.high_needs import high_needs_tabs
from send_cms.common.downloads import content_disposition, safe_filename
from send_cms.common.forms import GovukForm
from send_cms.common.steps import apply_service_errors

#: Seconds between refreshes of a pack's page while it builds.
REFRESH_SECONDS = 2
ENTER_PERIOD = "Enter the return period, like FY2025-Q2"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_or_404(text: str) -> dt.date:
    """A `YYYY-MM-DD` day in the years the product reports on, else 404."""
    if not _DAY.fullmatch(text):
        raise Http404("Give the day as YYYY-MM-DD.")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise Http404("There is no such day.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Http404("There is no such day.")
    return day


class PackDownloadView(ReportingPage):
    """The pack for a day, rendered now: the PDF or the workbook (audited)."""

    def get(self, request: HttpRequest, on: str, fmt: str) -> HttpResponse:
        day = day_or_404(on)
        document = services.high_needs_pack_render(on=day, fmt=fmt, actor=request.user)
        response = HttpResponse(document.content, content_type=document.content_type)
        response["Content-Disposition"] = content_disposition(document.filename)
        return response


class PackForm(GovukForm):
    period = ReturnPeriodField(
        label="Return period", error_messages={"required": ENTER_PERIOD}, required=True
    )


class PackListView(ReportingPage):
    """The packs built, newest first, and (managers and administrators) the form that builds
    one for a return period."""

    def get(self, request: HttpRequest) -> HttpResponse:
        period = return_period_of(timezone.localdate())
        return self._page(request, PackForm(initial={"period": period.key}))

    def post(self, request: HttpRequest) -> HttpResponseBase:
        if not is_manager(request):
            raise PermissionDenied("You need the manager or administrator role to do this.")
        form = PackForm(request.POST)
        if form.is_valid():
            try:
                pack = services.high_needs_pack_request(
                    actor=request.user, period=form.cleaned_data["period"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("reporting:high-needs-pack", pk=pack.pk)
        return self._page(request, form, status=400)

    def _page(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        context = {
            "tabs": high_needs_tabs(),
            "form": form,
            "packs": HighNeedsPack.objects.select_related("requested_by").order_by("-created_at"),
            "manager": is_manager(request),
            "today": today,
            "today_label": long_date(today),
        }
        return render(request, "reporting/high_needs_pack_list.html", context, status=status)


class PackView(ReportingPage):
    """One built pack: its progress while it builds (the page refreshes itself, no
    JavaScript), then its figures and both downloads."""

    def get(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        pack = get_object_or_404(HighNeedsPack.objects.select_related("requested_by"), pk=pk)
        context: dict[str, Any] = {
            "tabs": high_needs_tabs(),
            "pack": pack,
            "on": long_date(pack.on),
            "building": pack.status in services.IN_PROGRESS,
            "refresh_seconds": REFRESH_SECONDS,
            "failed_message": services.BUILD_FAILED,
        }
        return render(request, "reporting/high_needs_pack.html", context)


class PackFileView(ReportingPage):
    """A built pack's PDF or workbook, as an attachment; every download is audited."""

    def get(self, request: HttpRequest, pk: uuid.UUID, fmt: str) -> FileResponse:
        pack = get_object_or_404(HighNeedsPack, pk=pk)
        try:
            file = services.high_needs_pack_download(pack=pack, fmt=fmt, actor=request.user)
        except ValidationError:
            raise Http404(services.NOT_BUILT) from None
        name = f"high-needs-{settings.LA_CODE}-{pack.on.isoformat()}-{pack.period}.{fmt}"
        return FileResponse(
            file,
            as_attachment=True,
            filename=safe_filename(name),
            content_type=services.CONTENT_TYPES[fmt],
        )


urlpatterns: list[URLPattern | URLResolver] = [
    *(
        path(
            f"high-needs/<str:on>.{fmt}",
            PackDownloadView.as_view(),
            {"fmt": fmt},
            name=f"high-needs-{fmt}",
        )
        for fmt in services.FORMATS
    ),
    path("high-needs/packs/", PackListView.as_view(), name="high-needs-packs"),
    path("high-needs/packs/<uuid:pk>/", PackView.as_view(), name="high-needs-pack"),
    *(
        path(
            f"high-needs/packs/<uuid:pk>.{fmt}",
            PackFileView.as_view(),
            {"fmt": fmt},
            name=f"high-needs-pack-{fmt}",
        )
        for fmt in services.FORMATS
    ),
]
