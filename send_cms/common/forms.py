"""GOV.UK Design System markup for Django forms: labels, hints, error messages and date inputs.

Forms subclass `GovukForm` (or `GovukModelForm`) and render with `{{ form }}`; the error summary
is `{% include "includes/_error_summary.html" %}`. Messages follow the Design System's wording.
Each error in the summary links to the element that takes focus for it (`error_target_id`): the
field's input, the first radio or checkbox of a group, the first box of a date in error.
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


#: The boxes of a date input, in the order they are shown.
DATE_PARTS = ("day", "month", "year")
#: The code of a date error that names the boxes in error (params["parts"]); any other error
#: on a date is about the whole date, so every box is outlined.
DATE_PARTS_ERROR = "date_parts"


class GovukBoundField(BoundField):
    """Adds the Design System's classes and aria-describedby links to each widget."""

    @property
    def error_target_id(self) -> str:
        """The id the error summary links to: the element that should take focus.

        A label's `for` cannot serve: Django gives none to a radio or checkbox group (whose
        legend labels it), and a date's label is its legend too.
        """
        widget = self.field.widget
        if not self.auto_id:
            return ""
        if isinstance(widget, GovukDateInput):
            return widget.part_id(self.auto_id, (self.date_parts_in_error or DATE_PARTS)[0])
        if isinstance(widget, forms.RadioSelect):  # radios and checkbox groups alike
            if not any(True for _ in widget.choices):
                return self.auto_id  # no option to focus: the group itself
            return widget.id_for_label(self.auto_id, index="0")
        return self.id_for_label or self.auto_id

    @property
    def date_parts_in_error(self) -> tuple[str, ...]:
        """The boxes of a date to outline: those its errors name, or all three."""
        if not self.errors:
            return ()
        named: set[str] = set()
        for error in self.errors.as_data():
            parts = (error.params or {}).get("parts") if error.code == DATE_PARTS_ERROR else None
            if not parts:
                return DATE_PARTS
            named.update(parts)
        return tuple(part for part in DATE_PARTS if part in named)

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
        if isinstance(widget, GovukDateInput) and self.errors:
            attrs[GovukDateInput.PARTS_IN_ERROR] = " ".join(self.date_parts_in_error)
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
    """Day, month and year boxes: the GOV.UK date input pattern, usable without JavaScript.

    Each box's id is its name's (`id_received_on_day` for `received_on_day`), as the Design
    System names them, so a label, the error summary and a test all point at the same box.
    """

    template_name = "govuk/widgets/date_input.html"
    use_fieldset = True
    #: Set by the bound field (never rendered): the boxes to outline in red.
    PARTS_IN_ERROR = "parts-in-error"

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

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        in_error = set(str(attrs.pop(self.PARTS_IN_ERROR, "")).split())
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id", "")
        for part, sub in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            if base_id:
                sub["attrs"]["id"] = self.part_id(base_id, part)
            sub["label"] = part.capitalize()
            sub["in_error"] = part in in_error
        return context

    @staticmethod
    def part_id(id_: str, part: str) -> str:
        return f"{id_}_{part}"

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return self.part_id(id_, DATE_PARTS[0]) if id_ else ""


def _date_error(message: str, parts: list[str]) -> forms.ValidationError:
    """An error about some of a date's boxes: those are outlined, and the summary links to the
    first of them."""
    escaped = message.replace("%", "%%")  # the message is %-formatted with its params
    return forms.ValidationError(escaped, code=DATE_PARTS_ERROR, params={"parts": parts})


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
        boxes = dict(zip(DATE_PARTS, (day, month, year), strict=True))
        missing = [part for part, v in boxes.items() if not v]
        if missing:
            raise _date_error(f"{label} must include a {' and '.join(missing)}", missing)
        not_numbers = [part for part, v in boxes.items() if not v.isdigit()]
        if not_numbers:
            raise _date_error(f"{label} must be a real date", not_numbers)
        if len(year) != 4:
            raise _date_error("Year must include 4 numbers", ["year"])
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
