"""Forms for the review pages: shape only. The rules live in the services, whose field-keyed
errors land on these fields because both use the same names."""

from typing import Any

from django import forms

from cases.fields import EstablishmentField
from reviews.models import Decision
from reviews.phase import TransferKind
from reviews.terms import Term
from send_cms.common.forms import (
    GovukCheckboxInput,
    GovukDateField,
    GovukForm,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
)


def _text(label: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=GovukTextarea(attrs={"rows": 4}),
    )


class InvitationsForm(GovukForm):
    meeting_planned_on = GovukDateField(
        label="Date of the review meeting",
        help_text="The date the meeting will be held, for example 29 1 2026.",
    )
    sent_on = GovukDateField(
        label="Date invitations were sent",
        help_text="At least 2 weeks before the meeting.",
    )


class AdviceForm(GovukForm):
    gathered_on = GovukDateField(label="Date advice was gathered")
    note = _text("Advice gathered", "Who gave advice or information for the review.")


class MeetingForm(GovukForm):
    held_on = GovukDateField(label="Date of the meeting")
    attendees = _text("Who attended")
    child_views = _text("The child's or young person's views")
    family_views = _text("The family's views")


class ReportForm(GovukForm):
    received_on = GovukDateField(label="Date the report was received")


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select maintain, amend or cease"},
    )
    issued_on = GovukDateField(
        label="Date of the decision letter",
        help_text="The letter concludes the review; the next review is due 12 months from it.",
    )


class AmendmentsForm(GovukForm):
    issued_on = GovukDateField(label="Date the proposed amendments were sent")
    changes = _text("What the amendments change", "For example: section I names the new school.")


class FinalAmendedPlanForm(GovukForm):
    issued_on = GovukDateField(label="Date the final amended plan was issued")
    changes = _text("What changed in the plan", "Recorded on the new version of the plan.")
    establishment = EstablishmentField(
        label="Setting section I now names, if it changed",
        required=False,
        help_text="The child is placed there and it becomes their current setting.",
    )
    starts_on = GovukDateField(
        label="Date the child starts at that setting",
        required=False,
        help_text="Leave blank if the child starts there on the day the plan is issued.",
    )


class PhaseTransferForm(GovukForm):
    COMPUTED, MANUAL_YES, MANUAL_NO = "computed", "manual_yes", "manual_no"
    mode = forms.ChoiceField(
        label="Phase transfer",
        choices=[
            (COMPUTED, "Work it out from the date of birth and school year"),
            (MANUAL_YES, "This review has a phase transfer (set by hand)"),
            (MANUAL_NO, "No phase transfer on this review (set by hand)"),
        ],
        widget=GovukRadioSelect,
        error_messages={"required": "Select how the phase transfer is set"},
    )
    kind = forms.ChoiceField(
        label="Kind of transfer",
        choices=TransferKind.choices,
        widget=GovukRadioSelect,
        required=False,
        help_text="Only when set by hand.",
    )
    transfer_on = GovukDateField(
        label="Transfer date", required=False, help_text="Only when set by hand."
    )
    infant_school = forms.BooleanField(
        label="The child is at an infant school (transfers to a junior school in year 3)",
        required=False,
        widget=GovukCheckboxInput,
    )


class TermForm(GovukForm):
    term = forms.ChoiceField(label="Term", widget=GovukSelect)
    setting = forms.ChoiceField(label="Setting", required=False, widget=GovukSelect)

    def __init__(
        self, *args: Any, terms: list[Term], settings: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        term, setting = self.fields["term"], self.fields["setting"]
        assert isinstance(term, forms.ChoiceField)
        assert isinstance(setting, forms.ChoiceField)
        term.choices = [(t.slug, t.name) for t in terms]
        setting.choices = [("", "All settings"), *settings]


class TimelinessForm(GovukForm):
    start = GovukDateField(label="From")
    end = GovukDateField(label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start")
        return data
