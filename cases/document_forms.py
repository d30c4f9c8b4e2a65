"""The forms of a child's documents and letters: shape only; the services decide.

Kept apart from `cases.forms` (the request steps' forms) so each stays readable.
"""

from typing import Any

from django import forms
from django.db.models import Model

from cases.codes import AdviceKind
from cases.documents import ACCEPT_ATTRIBUTE, ACCEPTED_NAMES, max_bytes, size_text
from cases.forms.fields import area_field, date_field, radio_field, select_field, text_field
from cases.models import AdviceRequest, DocumentKind, LetterKind, PlanVersion
from send_cms.common.forms import GovukForm
from send_cms.timescales import format_date

FILE_REQUIRED = "Select a file"
LETTER_NOT_OFFERED = "Select a letter: a letter can be made once its decision is recorded"


def advice_label(advice: AdviceRequest) -> str:
    """ "Educational psychology advice from the EP service, requested 14 Oct 2025"."""
    label = AdviceKind(advice.kind).advice
    if advice.provider:
        label += f" from {advice.provider}"
    return f"{label}, requested {format_date(advice.requested_on)}"


class DocumentUploadForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": FILE_REQUIRED, "empty": "The selected file is empty"},
        allow_empty_file=True,  # the service refuses it, with the Design System's words
    )
    kind = radio_field("What is it?", DocumentKind.choices)
    title = text_field(
        "Title",
        required=False,
        max_length=200,
        help_text="For example, 'Educational psychologist's advice'. Leave blank to use the "
        "file's name",
    )
    received_on = date_field("Date received", required=False)
    advice_request = select_field("Advice request it answers", [], required=False)
    advice_received = forms.BooleanField(
        label="Record the advice as received on the date received",
        required=False,
    )
    plan_version = select_field("Plan version it belongs to", [], required=False)
    attached_to = select_field(
        "Review, panel or appeal it is for",
        [],
        required=False,
        help_text="Optional: the annual review, panel agenda item or appeal the document is for",
    )

    def __init__(
        self,
        *args: Any,
        advice: list[AdviceRequest],
        versions: list[PlanVersion],
        records: list[tuple[str, str, Model]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        file_field = self.fields["file"]
        file_field.help_text = (
            f"{ACCEPTED_NAMES[0].upper()}{ACCEPTED_NAMES[1:]}, "
            f"smaller than {size_text(max_bytes())}"
        )
        self._advice = {str(a.pk): a for a in advice}
        self._versions = {str(v.pk): v for v in versions}
        if advice:
            field = self.fields["advice_request"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", ""), *((k, advice_label(a)) for k, a in self._advice.items())]
        else:
            del self.fields["advice_request"]
            del self.fields["advice_received"]
        if versions:
            field = self.fields["plan_version"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                ("", ""),
                *(
                    (k, f"Plan issued {format_date(v.plan.issued_on)}: {v}")
                    for k, v in self._versions.items()
                ),
            ]
        else:
            del self.fields["plan_version"]
        self._records = {key: record for key, _, record in records}
        if records:
            field = self.fields["attached_to"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", ""), *((key, label) for key, label, _ in records)]
        else:
            del self.fields["attached_to"]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "file": data["file"],
            "kind": data["kind"],
            "title": data["title"],
            "received_on": data["received_on"],
            "advice_request": self._advice.get(data.get("advice_request") or ""),
            "advice_received": bool(data.get("advice_received")),
            "plan_version": self._versions.get(data.get("plan_version") or ""),
            "attached_to": self._records.get(data.get("attached_to") or ""),
        }


class LetterCreateForm(GovukForm):
    kind = radio_field("Letter", LetterKind.choices)
    notes = area_field(
        "Anything to add for this family",
        required=False,
        max_length=2000,
        help_text="Printed in the letter after the council's standard wording (optional)",
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kinds
        field.error_messages["invalid_choice"] = LETTER_NOT_OFFERED


class LetterWordingForm(GovukForm):
    subject = text_field("Heading", max_length=200)
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea({"rows": 24}),
        error_messages={"required": "Enter the wording"},
        help_text="HTML paragraphs and headings; the case's facts in double braces, for example "
        "{{ appeal_deadline }}",
    )
