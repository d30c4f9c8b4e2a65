"""The field makers the casework forms share: each with the Design System's messages."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from send_cms.common.forms import (
    GovukDateField,
    GovukRadioSelect,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)


def text_field(
    label: str, *, required: bool = True, width: str = "", **kwargs: Any
) -> forms.CharField:
    attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    return forms.CharField(
        label=label,
        required=required,
        widget=GovukTextInput(attrs),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def area_field(label: str, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=GovukTextarea({"rows": 4}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def radio_field(label: str, choices: Iterable[tuple[str, str]], **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=GovukRadioSelect,
        error_messages={"required": f"Select {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def select_field(
    label: str,
    choices: Iterable[tuple[str, str]],
    *,
    required: bool = True,
    required_message: str = "",
    **kwargs: Any,
) -> forms.ChoiceField:
    """A select that starts blank, required or not: a browser shows a select's first option as
    chosen, so without a blank one a skipped required field would be saved as that option."""
    message = required_message or f"Select {label[0].lower()}{label[1:]}"
    return forms.ChoiceField(
        label=label,
        choices=[("", ""), *choices],
        required=required,
        widget=GovukSelect,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def date_field(label: str, *, required: bool = True, **kwargs: Any) -> GovukDateField:
    return GovukDateField(label=label, required=required, **kwargs)
