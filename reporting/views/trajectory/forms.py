"""Forms of the trajectory page: shape only. reporting.selectors.trajectory has the last word;
its refusals, keyed by parameter (`overflow.special`), land on the boxes of the same names."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from reporting.forms import WidthInput
from reporting.periods import Period, PeriodError, parse_period
from reporting.selectors.trajectory import (
    DEFAULT_OVERFLOW,
    PLACED_CATEGORIES,
    label,
)
from reporting.trajectory import AGE_BANDS, MAX_YEARS
from send_cms.common.forms import GovukForm

STEP_DOWNS = 3
DEFAULT_YEARS = 5
NUMBER_INVALID = "Enter {label} as a number, like 5 or -2.5"
NUMBER_RANGE = "{label} must be from {low:,} to {high:,}"
MONTH_INVALID = "Enter the first month like 2026-12"
YEARS_INVALID = f"Enter a number of years from 1 to {MAX_YEARS}"
TRAJECTORY_INVALID = "Enter the agreed plans in force as whole numbers separated by commas"
STEP_DOWN_INCOMPLETE = "Choose both categories and enter the percentage for a step-down"


# --- forms --------------------------------------------------------------------------------------
class NumberField(forms.CharField):
    """A number as typed (`5`, `-2.5`, `£14,230`), from `low` to `high`; blank is None: the
    default stands."""

    def __init__(self, *, low: float, high: float, **kwargs: Any) -> None:
        self.low, self.high = low, high
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", WidthInput(5, attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> float | None:
        text = (super().clean(value) or "").replace(",", "").replace("£", "").replace("%", "")
        text = text.strip()
        if not text:
            return None
        name = str(self.label)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(NUMBER_INVALID.format(label=name.lower())) from None
        if not number.is_finite() or not self.low <= number <= self.high:
            raise ValidationError(NUMBER_RANGE.format(label=name, low=self.low, high=self.high))
        return float(number)


class StartForm(GovukForm):
    """The first month and the number of years (GET)."""

    start = forms.CharField(
        label="First month",
        help_text="For example 2026-12. The start is the position at the end of the month before.",
        widget=WidthInput(10),
        error_messages={"required": MONTH_INVALID},
    )
    years = forms.IntegerField(
        label="Number of years",
        min_value=1,
        max_value=MAX_YEARS,
        widget=WidthInput(2, attrs={"inputmode": "numeric"}),
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), YEARS_INVALID
        ),
    )

    def clean_start(self) -> Period:
        try:
            period = parse_period(self.cleaned_data["start"])
        except PeriodError:
            raise ValidationError(MONTH_INVALID) from None
        if period.kind != "month":
            raise ValidationError(MONTH_INVALID)
        return period


#: The scenario's single numbers: (API name, label, low, high, width, hint).
NUMBERS: tuple[tuple[str, str, float, float, int, str], ...] = (
    ("request_change_pct", "Change in requests each year (%)", -100, 1000, 4, "Compounding."),
    (
        "population_growth_pct",
        "Population growth each year (%)",
        -100,
        1000,
        4,
        "Compounding, on top of the change in requests.",
    ),
    ("requests_per_month", "Requests for assessment a month", 0, 100_000, 5, ""),
    ("agree_to_assess_pct", "Agree-to-assess rate (%)", 0, 100, 4, ""),
    ("issue_pct", "Issue rate after assessment (%)", 0, 100, 4, ""),
    ("transfers_in_per_year", "Plans transferred in a year", 0, 100_000, 5, ""),
)
#: Per category: (API name, label, low, high).
PER_CATEGORY: tuple[tuple[str, str, float, float], ...] = (
    ("unit_cost", "Unit cost a year (£)", 0, 10_000_000),
    ("unit_cost_change_pct", "Unit cost change a year (%)", -100, 1000),
    ("placement_mix_shift", "Shift in share of new plans (points)", -100, 100),
    ("capacity", "Places (capacity)", 0, 10_000_000),
)
CATEGORY_CHOICES = [("", "Choose a category"), *((c, label(c)) for c in PLACED_CATEGORIES)]


def field_name(name: str, key: str) -> str:
    return f"{name}__{key}"


class ScenarioForm(GovukForm):
    """Every parameter of a scenario (GET), with the start and length carried along. A blank
    box keeps the fitted default."""

    start = forms.CharField(widget=forms.HiddenInput, required=False)
    years = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, basis: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        basis = basis or {}
        for name, text, low, high, width, hint in NUMBERS:
            reason = basis.get(name, "")
            self.fields[name] = NumberField(
                label=text,
                low=low,
                high=high,
                widget=WidthInput(width, attrs={"inputmode": "decimal"}),
                help_text=" ".join(p for p in (hint, f"Default: {reason}." if reason else "") if p),
            )
        for band in AGE_BANDS:
            reason = basis.get(f"cessation_pct.{band.key}", "")
            self.fields[field_name("cessation_pct", band.key)] = NumberField(
                label=f"Cessation rate, {band.label.lower()} (%)",
                low=0,
                high=100,
                help_text=f"Default: {reason}." if reason else "",
            )
        for category in PLACED_CATEGORIES:
            for name, text, low, high in PER_CATEGORY:
                self.fields[field_name(name, category)] = NumberField(
                    label=f"{text}: {label(category)}",
                    low=low,
                    high=high,
                    widget=WidthInput(10 if name in ("unit_cost", "capacity") else 4),
                )
            self.fields[field_name("overflow", category)] = forms.ChoiceField(
                label=f"When full, new plans go to: {label(category)}",
                choices=CATEGORY_CHOICES,
                required=False,
            )
        for n in range(1, STEP_DOWNS + 1):
            self.fields[f"step_down_from_{n}"] = forms.ChoiceField(
                label=f"Step-down {n}: from", choices=CATEGORY_CHOICES, required=False
            )
            self.fields[f"step_down_to_{n}"] = forms.ChoiceField(
                label=f"Step-down {n}: to", choices=CATEGORY_CHOICES, required=False
            )
            self.fields[f"step_down_pct_{n}"] = NumberField(
                label=f"Step-down {n}: percentage a year", low=0, high=100
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, STEP_DOWNS + 1):
            parts = [data.get(f"step_down_{p}_{n}") for p in ("from", "to", "pct")]
            if any(v not in (None, "") for v in parts) and any(v in (None, "") for v in parts):
                self.add_error(f"step_down_from_{n}", STEP_DOWN_INCOMPLETE)
        return data

    def parameters(self) -> dict[str, Any]:
        """The API's parameters for what was entered (blank boxes left out)."""
        data = self.cleaned_data
        out: dict[str, Any] = {
            name: data[name] for name, *_ in NUMBERS if data.get(name) is not None
        }
        cessation = {
            b.key: data[field_name("cessation_pct", b.key)]
            for b in AGE_BANDS
            if data.get(field_name("cessation_pct", b.key)) is not None
        }
        if cessation:
            out["cessation_pct"] = cessation
        for name, *_ in PER_CATEGORY:
            values = {
                c: data[field_name(name, c)]
                for c in PLACED_CATEGORIES
                if data.get(field_name(name, c)) is not None
            }
            # Shifts and capacities are the scenario's own: none entered is none at all.
            if values or name in ("placement_mix_shift", "capacity"):
                out[name] = values
        out["overflow"] = {
            c: data[field_name("overflow", c)]
            for c in PLACED_CATEGORIES
            if data.get(field_name("overflow", c))
        }
        out["step_down"] = [
            {
                "from": data[f"step_down_from_{n}"],
                "to": data[f"step_down_to_{n}"],
                "pct": data[f"step_down_pct_{n}"],
            }
            for n in range(1, STEP_DOWNS + 1)
            if data.get(f"step_down_from_{n}") and data.get(f"step_down_pct_{n}") is not None
        ]
        return out

    def apply(self, error: ValidationError) -> None:
        """A rule failure keyed `name` or `name.key` on its field (else at the top)."""
        for key, messages_ in error.message_dict.items():
            name = key.replace(".", "__")
            if name == "step_down":
                name = "step_down_from_1"
            if name == "placement_mix_shift":
                name = field_name("placement_mix_shift", PLACED_CATEGORIES[0])
            for message in messages_:
                self.add_error(name if name in self.fields else None, message)


def as_text(value: float) -> str:
    """A default for a box: 74.2, 14230, 0 (no trailing zeros, never 1e+06)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def initial_of(parameters: Mapping[str, Any]) -> dict[str, str]:
    """Form boxes for stored or fitted parameters (the API's names)."""
    out: dict[str, str] = {}
    for name, *_ in NUMBERS:
        if parameters.get(name) is not None:
            out[name] = as_text(parameters[name])
    for band in AGE_BANDS:
        value = (parameters.get("cessation_pct") or {}).get(band.key)
        if value is not None:
            out[field_name("cessation_pct", band.key)] = as_text(value)
    for name, *_ in PER_CATEGORY:
        for category, value in (parameters.get(name) or {}).items():
            out[field_name(name, category)] = as_text(value)
    for category in PLACED_CATEGORIES:
        out.setdefault(field_name("placement_mix_shift", category), "0")
        onward = (parameters.get("overflow") or {}).get(category) or DEFAULT_OVERFLOW.get(
            category, ""
        )
        out[field_name("overflow", category)] = onward
    for n, step in enumerate(parameters.get("step_down") or [], start=1):
        if n > STEP_DOWNS:
            break
        out[f"step_down_from_{n}"] = step["from"]
        out[f"step_down_to_{n}"] = step["to"]
        out[f"step_down_pct_{n}"] = as_text(step["pct"])
    return out


def calculator_query(*, start: str, years: int, parameters: Mapping[str, Any]) -> str:
    """The calculator's address for a scenario (`?start=...&years=...&...`)."""
    query = QueryDict(mutable=True)
    query.update({"start": start, "years": str(years), **initial_of(parameters)})
    return "?" + query.urlencode()


class SaveForm(GovukForm):
    """A name for the scenario run above, and the trajectory the council agreed."""

    query = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={"required": "Enter a name for the scenario"},
        help_text="For example, Scenario 4: more local specialist places.",
    )
    agreed_trajectory = forms.CharField(
        label="Agreed trajectory (optional)",
        required=False,
        help_text="Plans in force agreed for the end of each year, separated by commas, for "
        "example 21500, 22100, 22600. Actuals are tracked against it month by month.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )

    def clean_agreed_trajectory(self) -> list[int]:
        text = self.cleaned_data["agreed_trajectory"].replace(";", ",")
        parts = [p.strip().replace(" ", "") for p in text.split(",") if p.strip()]
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise ValidationError(TRAJECTORY_INVALID) from None
