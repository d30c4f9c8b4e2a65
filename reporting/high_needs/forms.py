"""Forms of the high-needs pages: shape only. reporting.services.high_needs has the last word
and its field-keyed refusals land on these fields, which share their names."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cases.codes import EstablishmentKind
from reporting.forms import WidthInput, radio_field
from reporting.high_needs.periods import (
    RETURN_PERIOD_HELP,
    ReturnPeriod,
    ReturnPeriodError,
    parse_return_period,
)
from reporting.models import ConditionRag, PressureKind, ReturnFigure
from send_cms.common.forms import GovukDateField, GovukForm

MONEY_INVALID = "{label} must be an amount in pounds, like 1250000 or -3600000.50"
MONEY_PENCE = "{label} must have no more than 2 decimal places"
NARRATIVE_MAX = 4000
EVIDENCE_MAX = 2000
NOTE_MAX = 2000
TOO_LONG = "{label} must be {max:,} characters or fewer"


class MoneyField(forms.CharField):
    """Pounds as typed: `£1,250,000`, `-3600000.50`; blank is None (no change)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", WidthInput(10, attrs={"inputmode": "decimal"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = (super().clean(value) or "").replace(",", "").replace("£", "").replace(" ", "")
        if not text:
            if self.required:
                raise ValidationError(f"Enter {str(self.label).lower()}")
            return None
        label = str(self.label)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(MONEY_INVALID.format(label=label)) from None
        if not amount.is_finite():
            raise ValidationError(MONEY_INVALID.format(label=label))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(MONEY_PENCE.format(label=label))
        return amount


def _text(label: str, *, maximum: int, required: bool, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter the {label.lower()}"},
        validators=[_max_length(label, maximum)],
    )


def _max_length(label: str, maximum: int) -> Any:
    def check(value: str) -> None:
        if len(value.strip()) > maximum:
            raise ValidationError(TOO_LONG.format(label=label, max=maximum))

    return check


class CensusForm(GovukForm):
    """The census date (GET)."""

    on = GovukDateField(label="Census date", required=False, help_text="For example, 1 10 2025")


class ReturnPeriodField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", WidthInput(10))
        kwargs.setdefault("help_text", "For example FY2025-Q2 for July to September 2025.")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> ReturnPeriod | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_return_period(text)
        except ReturnPeriodError:
            raise ValidationError(RETURN_PERIOD_HELP) from None


class ReturnPeriodForm(GovukForm):
    """The return period (GET)."""

    period = ReturnPeriodField(label="Return period", required=False)


class FiguresForm(GovukForm):
    """Every figure of the return period at once; a blank one is left as it is."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for item, label in ReturnFigure.choices:
            fields[item] = MoneyField(label=f"{label} (£)")
        fields["note"] = _text("Note", maximum=NOTE_MAX, required=False, rows=3)
        fields["note"].help_text = (
            "Optional. Where the figures come from or why they changed; kept with each figure "
            "you change."
        )
        self.fields.update(fields)


class ConditionForm(GovukForm):
    """A safety-valve condition's RAG, narrative and evidence for the period."""

    replaces = forms.CharField(widget=forms.HiddenInput, required=False)
    rag = radio_field("RAG rating", ConditionRag.choices, select="Select a RAG rating")
    narrative = _text("Progress narrative", maximum=NARRATIVE_MAX, required=True, rows=8)
    evidence = _text("Evidence", maximum=EVIDENCE_MAX, required=False, rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["narrative"].error_messages["required"] = "Enter the progress narrative"
        self.fields[
            "evidence"
        ].help_text = (
            "Optional. What shows the progress: a report, a decision, figures, and where they are."
        )


class ConditionAddForm(GovukForm):
    number = forms.IntegerField(
        label="Condition number",
        min_value=1,
        max_value=99,
        widget=WidthInput(2, attrs={"inputmode": "numeric"}),
        help_text="Its number in the safety-valve agreement.",
        error_messages={
            "required": "Enter the condition number",
            "invalid": "Condition number must be a whole number, like 3",
            "min_value": "Condition number must be 1 or more",
            "max_value": "Condition number must be 99 or less",
        },
    )
    title = _text("Condition", maximum=1000, required=True, rows=3)


class PressureForm(GovukForm):
    """A pressure or mitigation line."""

    replaces = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = radio_field(
        "Pressure or mitigation", PressureKind.choices, select="Select pressure or mitigation"
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    amount = MoneyField(
        label="In-year effect (£)",
        help_text="Optional. The pressure's cost, or the mitigation's saving, this year.",
    )
    narrative = _text("Narrative", maximum=NARRATIVE_MAX, required=False, rows=6)


class PlaceFundingForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of setting",
        choices=[("", "Select a type of setting"), *EstablishmentKind.choices],
        widget=forms.Select,
        error_messages={
            "required": "Select the type of setting",
            "invalid_choice": "Select the type of setting",
        },
    )
    annual_value = MoneyField(
        label="Place funding a year (£)",
        required=True,
        help_text="Elements 1 and 2: for example 10000 for a special school place, 6000 for "
        "the first £6,000 a mainstream school meets.",
    )
    effective_from = GovukDateField(
        label="Effective from",
        required=True,
        help_text="The first day the rate applies, for example 1 4 2025.",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        error_messages={"max_length": "Note must be 300 characters or fewer"},
    )


class CommissionedPlacesForm(GovukForm):
    establishment = forms.ChoiceField(
        label="Setting",
        widget=forms.Select,
        error_messages={"required": "Select the setting", "invalid_choice": "Select the setting"},
    )
    academic_year = forms.IntegerField(
        label="Academic year starting in",
        min_value=2000,
        max_value=2100,
        widget=WidthInput(4, attrs={"inputmode": "numeric"}),
        help_text="For example 2025 for September 2025 to August 2026.",
        error_messages={
            "required": "Enter the year the academic year starts in",
            "invalid": "Academic year must be a year, like 2025",
            "min_value": "Enter an academic year from 2000 to 2100",
            "max_value": "Enter an academic year from 2000 to 2100",
        },
    )
    places = forms.IntegerField(
        label="Places commissioned",
        min_value=0,
        widget=WidthInput(4, attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number, like 120",
            "min_value": "Places must be 0 or more",
        },
    )

    def __init__(self, *args: Any, settings: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["establishment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Select a setting"), *settings]
