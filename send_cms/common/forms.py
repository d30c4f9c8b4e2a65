"""GOV.UK Design System markup for Django forms: labels, hints, error messages and date inputs.

Forms subclass `GovukForm` (or `GovukModelForm`) and render with `{{ form }}`; the error summary
is `{% include "includes/_error_summary.html" %}`. Messages follow the Design System's wording.
Each error in the summary links to the element that takes focus for it (`error_target_id`): the
field's input, the first radio or checkbox of a group, the first box of a date in error. Every
box of free text has a length (`FREE_TEXT_MAX_LENGTH` unless the form says less), shown with the
GOV.UK character count, and too long a text is refused with "[Label] must be N characters or
less".
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name

from send_cms.common.models import FREE_TEXT_MAX_LENGTH

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

    @property
    def character_count(self) -> int | None:
        """The limit a box of free text shows with the GOV.UK character count, if it is one."""
        if isinstance(self.field.widget, forms.Textarea):
            return getattr(self.field, "max_length", None)
        return None

    @property
    def character_count_hint(self) -> str:
        """What the count says before anything is typed (and without JavaScript)."""
        return f"You can enter up to {self.character_count or 0:,} characters"

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.character_count:
            # The count says how far over a text is; a maxlength would cut a pasted one silently.
            attrs.pop("maxlength", None)
            attrs["class"] = f"govuk-js-character-count {attrs.get('class', '')}".strip()
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
        if self.character_count:
            described.append(f"{self.auto_id}-info")
        if described and not getattr(widget, "use_fieldset", False):
            attrs["aria-describedby"] = " ".join(described)
        return attrs


def limit_text(fields: dict[str, forms.Field]) -> None:
    """Give every box of free text a length, and every text field with a length the Design
    System's message for too long a text."""
    for name, field in fields.items():
        if not isinstance(field, forms.CharField):
            continue
        if isinstance(field.widget, forms.Textarea) and field.max_length is None:
            field.max_length = FREE_TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(FREE_TEXT_MAX_LENGTH))
        if field.max_length is not None and "max_length" not in field.error_messages:
            label = str(field.label or pretty_name(name))
            field.error_messages["max_length"] = (
                f"{label} must be {field.max_length:,} characters or less"
            )


class _KeepClasses(forms.Widget):
    """Keeps a widget's own classes (a width) beside the GOV.UK class the bound field adds,
    instead of letting the field's replace them."""

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        own, added = base_attrs.get("class", ""), (extra_attrs or {}).get("class", "")
        if own and added and own not in added:
            attrs["class"] = f"{added} {own}"
        return attrs


# The plain widgets, drawn from the one set of templates under templates/govuk/widgets/.
class GovukTextInput(_KeepClasses, forms.TextInput):
    template_name = "govuk/widgets/input.html"


class GovukEmailInput(_KeepClasses, forms.EmailInput):
    template_name = "govuk/widgets/input.html"


class GovukTextarea(_KeepClasses, forms.Textarea):
    template_name = "govuk/widgets/textarea.html"


class GovukSelect(_KeepClasses, forms.Select):
    template_name = "govuk/widgets/select.html"


class GovukCheckboxInput(_KeepClasses, forms.CheckboxInput):
    template_name = "govuk/widgets/input.html"


#: Django's own widgets a form declares, drawn from the same templates as ours.
_GOVUK_TEMPLATES: dict[type[forms.Widget], str] = {
    forms.TextInput: GovukTextInput.template_name,
    forms.NumberInput: GovukTextInput.template_name,
    forms.EmailInput: GovukEmailInput.template_name,
    forms.Textarea: GovukTextarea.template_name,
    forms.Select: GovukSelect.template_name,
    forms.CheckboxInput: GovukCheckboxInput.template_name,
}


def govuk_fields(fields: dict[str, forms.Field]) -> None:
    """What every GOV.UK form does to its fields: lengths on free text (`limit_text`), and
    Django's plain widgets drawn from templates/govuk/widgets/."""
    limit_text(fields)
    for field in fields.values():
        template = _GOVUK_TEMPLATES.get(type(field.widget))
        if template is not None:
            field.widget.template_name = template


class GovukForm(forms.Form):
    bound_field_class = GovukBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self.fields)


class GovukModelForm(forms.ModelForm[Any]):
    bound_field_class = GovukBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_fields(self.fields)


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
