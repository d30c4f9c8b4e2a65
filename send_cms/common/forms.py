"""GOV.UK Design System markup for Django forms: labels, hints, error messages and date inputs.

Forms subclass `GovukForm` (or `GovukModelForm`) and render with `{{ form }}`; the error summary
is `{% include "includes/_error_summary.html" %}`. Messages follow the Design System's wording.
"""

import datetime as dt
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_CLASS_FOR_WIDGET: dict[type[forms.Widget], str] = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukBoundField(BoundField):
    """Adds the Design System's classes and aria-describedby links to each widget."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = "govuk-input"
        for kind, name in _CLASS_FOR_WIDGET.items():
            if isinstance(widget, kind):
                css = name
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | GovukDateInput):
            css = ""
        if css and self.errors:
            css += f" {css}--error"
        if css:
            attrs["class"] = f"{css} {attrs.get('class', '')}".strip()
        described = []
        if self.help_text:
            described.append(f"{self.auto_id}-hint")
        if self.errors:
            described.append(f"{self.auto_id}-error")
        if described and not getattr(widget, "use_fieldset", False):
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class GovukForm(forms.Form):
    bound_field_class = GovukBoundField


class GovukModelForm(forms.ModelForm):  # type: ignore[type-arg]
    bound_field_class = GovukBoundField


class GovukRadioSelect(forms.RadioSelect):
    template_name = "govuk/widgets/radios.html"


class GovukCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    template_name = "govuk/widgets/checkboxes.html"


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes: the GOV.UK date input pattern, usable without JavaScript."""

    template_name = "govuk/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        part = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            widgets={
                "day": forms.TextInput({**part, "class": "govuk-input--width-2"}),
                "month": forms.TextInput({**part, "class": "govuk-input--width-2"}),
                "year": forms.TextInput({**part, "class": "govuk-input--width-4"}),
            },
            attrs=attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""


class GovukDateField(forms.Field):
    """A date from three boxes, with the Design System's error messages."""

    widget = GovukDateInput

    def __init__(self, *, allow_future: bool = True, **kwargs: Any) -> None:
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        label = str(self.label or "The date")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            value = GovukDateInput().decompress(value) if value else [None, None, None]
        day, month, year = (str(v).strip() if v not in (None, "") else "" for v in value)
        if not (day or month or year):
            return None
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{label} must be a real date")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date") from None

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            raise forms.ValidationError(f"Enter {str(self.label or 'the date').lower()}")
        if value and not self.allow_future:
            from django.utils import timezone

            if value > timezone.localdate():
                raise forms.ValidationError(f"{self.label} must be today or in the past")
