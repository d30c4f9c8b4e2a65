"""The SEN2 return page: build the XML file for DfE, watch it build, download the files built.

Managers and administrators only. The file is built by a Celery task; its page refreshes itself
(a meta refresh, no JavaScript) and shows the percentage written until the file is ready.
"""

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.views import View

from reporting.models import Sen2Export, Sen2ExportStatus
from reporting.sen2 import services
from reporting.sen2.selectors import sen2_exports
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import Role
from send_cms.common.downloads import safe_filename
from send_cms.common.forms import GovukForm, GovukRadioSelect
from send_cms.sen2 import EXPORT_YEARS, layout_for

MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
#: Seconds between refreshes of a file's page while it builds.
REFRESH_SECONDS = 2
OFFICERS = [("Y", "Yes"), ("N", "No"), ("R", "Recruitment in progress")]


def default_year(today: Any) -> int:
    """The latest return whose census day has come, else the earliest the product exports."""
    passed = [y for y in EXPORT_YEARS if layout_for(y).reference_date <= today]
    return max(passed) if passed else min(EXPORT_YEARS)


class Sen2BuildForm(GovukForm):
    year = forms.TypedChoiceField(
        label="Census year",
        coerce=int,
        help_text="The return for the census on the third Thursday of January of this year.",
    )
    dmo = forms.ChoiceField(
        label="Does the council have a designated medical officer (DMO)?",
        choices=OFFICERS,
        widget=GovukRadioSelect,
        error_messages={"required": services.CHOOSE_OFFICER},
    )
    dco = forms.ChoiceField(
        label="Does the council have a designated clinical officer (DCO)?",
        choices=OFFICERS,
        widget=GovukRadioSelect,
        error_messages={"required": services.CHOOSE_OFFICER},
    )
    dsco = forms.ChoiceField(
        label="Does the council have a designated social care officer (DSCO)?",
        choices=OFFICERS,
        widget=GovukRadioSelect,
        error_messages={"required": services.CHOOSE_OFFICER},
    )
    build_anyway = forms.BooleanField(
        label="Build the file anyway, although the validation reports errors", required=False
    )
    reason = forms.CharField(
        label="Why the file is being built with errors",
        help_text="Recorded with the file and in the audit trail.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, errors_by_year: dict[int, int | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (year, f"{year} (census {layout_for(year).reference_date:%-d %B %Y})")
            for year in reversed(EXPORT_YEARS)
        ]
        if not any(errors_by_year.values()):  # nothing to override: no need to ask why
            del self.fields["build_anyway"]
            del self.fields["reason"]


def _data_quality_url() -> str:
    """The validation's page, when the product has one."""
    try:
        return reverse("reporting:data-quality")
    except NoReverseMatch:
        return ""


class Sen2View(RoleRequiredMixin, View):
    """The files built, and the form that builds one."""

    allowed_roles = MANAGERS

    def _errors_by_year(self) -> dict[int, int | None]:
        return {year: services.validation_error_count(year=year) for year in EXPORT_YEARS}

    def _page(
        self, request: HttpRequest, form: Sen2BuildForm, errors: dict[int, int | None], status: int
    ) -> HttpResponse:
        context = {
            "form": form,
            "exports": sen2_exports(),
            "errors_by_year": sorted(errors.items(), reverse=True),
            "validation_available": any(count is not None for count in errors.values()),
            "data_quality_url": _data_quality_url(),
        }
        return render(request, "reporting/sen2_list.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        errors = self._errors_by_year()
        dmo, dco, dsco = services.last_officers()
        initial = {
            "year": default_year(timezone.localdate()),
            "dmo": dmo,
            "dco": dco,
            "dsco": dsco,
        }
        return self._page(
            request, Sen2BuildForm(initial=initial, errors_by_year=errors), errors, 200
        )

    def post(self, request: HttpRequest) -> HttpResponseBase:
        errors = self._errors_by_year()
        form = Sen2BuildForm(request.POST, errors_by_year=errors)
        if form.is_valid():
            data = form.cleaned_data
            try:
                export = services.sen2_export_request(
                    actor=request.user,
                    year=data["year"],
                    dmo=data["dmo"],
                    dco=data["dco"],
                    dsco=data["dsco"],
                    build_anyway=data.get("build_anyway", False),
                    reason=data.get("reason", ""),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect("reporting:sen2-export", pk=export.pk)
        return self._page(request, form, errors, 400)


class Sen2ExportView(RoleRequiredMixin, View):
    """One file: its progress while it builds (the page refreshes itself), then its counts and
    the download link."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        export = get_object_or_404(Sen2Export.objects.select_related("requested_by"), pk=pk)
        building = export.status in (Sen2ExportStatus.QUEUED, Sen2ExportStatus.BUILDING)
        context = {
            "export": export,
            "building": building,
            "refresh_seconds": REFRESH_SECONDS,
            "failed_message": services.BUILD_FAILED,
        }
        return render(request, "reporting/sen2_export.html", context)


class Sen2DownloadView(RoleRequiredMixin, View):
    """The built file, as an attachment; every download is audited."""

    allowed_roles = MANAGERS

    def get(self, request: HttpRequest, pk: uuid.UUID) -> FileResponse:
        export = get_object_or_404(Sen2Export, pk=pk)
        try:
            file = services.sen2_export_download(export=export, actor=request.user)
        except ValidationError:
            raise Http404("This file has not been built.") from None
        name = f"sen2-{settings.LA_CODE}-{export.year}-{export.serial_no:03d}.xml"
        return FileResponse(
            file, as_attachment=True, filename=safe_filename(name), content_type="application/xml"
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("sen2/", Sen2View.as_view(), name="sen2"),
    path("sen2/<uuid:pk>/", Sen2ExportView.as_view(), name="sen2-export"),
    path("sen2/<uuid:pk>/download/", Sen2DownloadView.as_view(), name="sen2-download"),
]
