"""Forms of the reporting pages: shape only. Periods are parsed by reporting.periods and every
rule of a target, comparator or commentary lives in reporting.services.targets, whose
field-keyed errors land on these fields because both use the same names."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from reporting.models import ComparatorArea
from reporting.periods import Period, PeriodError, PeriodKind, parse_period
from reporting.services.targets import (
    COMMENTARY_MAX,
    COMMENTARY_MONTH,
    COMMENTARY_REQUIRED,
    COMMENTARY_TOO_LONG,
)
from send_cms.common.forms import GovukForm, GovukRadioSelect

MONTH_ONLY = "Enter a month like 2025-08: the dashboard shows one month at a time."
GRID_MONTH = "Enter a month like 2025-08"
BREAKDOWN_UNKNOWN = "Select a breakdown from the list"
RANGE_BACKWARDS = "The first month must be the same as or before the last month"
RANGE_TOO_LONG = "Choose at most {years} years"
MAX_GRID_YEARS = 30


class WidthInput(forms.TextInput):
    """A text input of a GOV.UK fixed width: the class is added after the form's own classes,
    which would otherwise replace the widget's."""

    def __init__(self, width: int, attrs: dict[str, Any] | None = None) -> None:
        self.width = width
        super().__init__(attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["class"] = f"{widget_attrs.get('class', '')} govuk-input--width-{self.width}"
        widget_attrs["class"] = widget_attrs["class"].strip()
        return context


def radio_field(label: str, choices: Any, *, select: str) -> forms.ChoiceField:
    """Radios for one of `choices`; `select` is the message for none or another."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=GovukRadioSelect,
        error_messages={"required": select, "invalid_choice": select},
    )


def figure_field(label: str, *, required: str, example: str, help_text: str) -> forms.DecimalField:
    """A figure in its metric's own unit, to 2 decimal places, with the same messages everywhere."""
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=12,
        decimal_places=2,
        widget=WidthInput(5, attrs={"inputmode": "decimal"}),
        error_messages={
            "required": required,
            "invalid": f"{label} must be a number, like {example}",
            "max_decimal_places": f"{label} must have no more than 2 decimal places",
            "max_digits": f"{label} must be a smaller number",
            "max_whole_digits": f"{label} must be a smaller number",
        },
    )


class PeriodField(forms.CharField):
    """A period in the API's words (2025-08, 2025-Q3, AY2024...), cleaned to a `Period`."""

    def __init__(self, *, month_message: str = "", **kwargs: Any) -> None:
        #: Set: only a month is accepted, and this is the message for any other period.
        self.month_message = month_message
        kwargs.setdefault("widget", WidthInput(10))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            period = parse_period(text)
        except PeriodError as error:
            raise ValidationError(str(error)) from None
        if self.month_message and period.kind != PeriodKind.MONTH:
            raise ValidationError(self.month_message)
        return period


class DashboardForm(GovukForm):
    """The month the dashboard shows (GET)."""

    period = PeriodField(
        label="Month",
        required=False,
        month_message=MONTH_ONLY,
        help_text="For example 2025-08 for August 2025.",
    )


PERIOD_HINT = (
    "A month (2025-08), quarter (2025-Q3), year (2025), academic year (AY2024), "
    "financial year (FY2024) or the 12 months to a month (R12-2025-08)."
)


class PeriodForm(GovukForm):
    """Any period (GET): the cases behind a figure."""

    period = PeriodField(label="Period", required=False, help_text=PERIOD_HINT)


class MetricForm(GovukForm):
    """The period and breakdown of a metric's page (GET)."""

    period = PeriodField(label="Period", required=False, help_text=PERIOD_HINT)
    breakdown = forms.ChoiceField(
        label="Break the figure down by",
        required=False,
        widget=forms.Select(),
        error_messages={"invalid_choice": BREAKDOWN_UNKNOWN},
    )

    def __init__(self, *args: Any, breakdowns: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["breakdown"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "No breakdown"), *breakdowns]


class OpenPlansForm(GovukForm):
    """The months of the open-plans grid (GET); the view fills in the defaults."""

    first = PeriodField(
        label="From", required=False, month_message=GRID_MONTH, help_text="For example 2020-01."
    )
    last = PeriodField(
        label="To", required=False, month_message=GRID_MONTH, help_text="For example 2025-08."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first is not None and last is not None:
            if first.start > last.start:
                self.add_error("first", RANGE_BACKWARDS)
            elif last.start.year - first.start.year >= MAX_GRID_YEARS:
                self.add_error("first", RANGE_TOO_LONG.format(years=MAX_GRID_YEARS))
        return data


class TargetForm(GovukForm):
    target = figure_field(
        "Target",
        required="Enter a target",
        example="90 or 12.5",
        help_text="In the figure's own unit: for a percentage, 90 for 90%.",
    )
    floor = figure_field(
        "Floor",
        required="Enter a floor",
        example="60 or 8.5",
        help_text="Past the floor the figure is red; between the floor and the target, amber.",
    )


class ComparatorForm(GovukForm):
    area = radio_field(
        "Area",
        ComparatorArea.choices,
        select="Select England, region or statistical neighbours",
    )
    value = figure_field(
        "Value",
        required="Enter the value",
        example="46.4",
        help_text="As published: for a percentage, 46.4 for 46.4%.",
    )
    period_label = forms.CharField(
        label="Period",
        max_length=40,
        help_text="The period the published figure is for, for example 2024.",
        widget=WidthInput(10),
        error_messages={
            "required": "Enter the period the figure is for",
            "max_length": "Period must be 40 characters or fewer",
        },
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        help_text="Where the figure was published, for example DfE SEN2 2024.",
        error_messages={
            "required": "Enter where the figure was published",
            "max_length": "Source must be 300 characters or fewer",
        },
    )


class CommentaryForm(GovukForm):
    period = PeriodField(
        label="Month",
        month_message=COMMENTARY_MONTH,
        help_text="The month the commentary is about, for example 2025-08.",
        error_messages={"required": "Enter the month the commentary is about"},
    )
    # No maxlength on the textarea: the character count lets people type past the limit and
    # then tells them by how much (the Design System's advice).
    text = forms.CharField(
        label="Commentary",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": COMMENTARY_REQUIRED},
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if len(text) > COMMENTARY_MAX:
            raise ValidationError(COMMENTARY_TOO_LONG)
        return text
