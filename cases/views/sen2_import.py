"""The administrators' SEN2 import page: upload a return of 2023 to 2026, see what it did.

A thin view: the form checks that a file was chosen, `cases.sen2_import.sen2_import` does the
rest (matching, merging, the audit trail) and its report is shown on the same page.
"""

from django import forms
from django.http import HttpResponse
from django.views.generic import FormView

from cases.sen2_import import RECORDS, MalformedFile, sen2_import
from send_cms.accounts.permissions import RoleRequiredMixin
from send_cms.accounts.roles import Role
from send_cms.common.forms import GovukForm

CHOOSE_FILE = "Select a SEN2 file"
NOT_SEN2 = "The selected file cannot be imported: {reason}"


class Sen2ImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a SEN2 file",
        help_text="The XML file of a SEN2 return, of the 2023 to 2026 layouts",
        error_messages={"required": CHOOSE_FILE, "empty": "The selected file is empty"},
    )
    dry_run = forms.BooleanField(
        label="Check the file without importing anything",
        required=False,
    )


class Sen2ImportView(RoleRequiredMixin, FormView[Sen2ImportForm]):
    """GET: the form. POST: import (or check) the file and show the report."""

    allowed_roles = frozenset({Role.ADMIN})
    template_name = "cases/sen2_import.html"
    form_class = Sen2ImportForm

    def form_valid(self, form: Sen2ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            report = sen2_import(
                actor=self.request.user,
                source=upload,
                file_name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except MalformedFile as error:
            form.add_error("file", NOT_SEN2.format(reason=error))
            return self.form_invalid(form)
        tallies = [(name, report.tallies[name]) for name in RECORDS]
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), report=report, tallies=tallies)
        )
