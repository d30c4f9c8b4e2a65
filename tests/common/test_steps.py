"""The one mapping of a service's refusal onto a form, and the API's body check."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.test import APIRequestFactory

from send_cms.common.api import validated
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.forms import GovukForm, GovukSelect, GovukTextarea, GovukTextInput
from send_cms.common.steps import apply_service_errors, refuse_form


class StepForm(GovukForm):
    decided_on = forms.CharField(required=False)
    reasons = forms.CharField(required=False, widget=forms.Textarea)


def bound() -> StepForm:
    form = StepForm(data={"decided_on": "1 2 2026", "reasons": "Because"})
    assert form.is_valid()
    return form


def test_field_keyed_errors_land_on_their_fields_and_the_rest_at_the_top():
    form = bound()
    apply_service_errors(
        form,
        ValidationError({"decided_on": ["Too early"], "request": ["Closed"], "__all__": ["No"]}),
    )
    assert form.errors["decided_on"] == ["Too early"]
    assert form.non_field_errors() == ["Closed", "No"]


def test_an_alias_names_the_forms_field_for_the_services():
    form = bound()
    apply_service_errors(
        form, ValidationError({"issued_on": ["Too late"]}), {"issued_on": "decided_on"}
    )
    assert form.errors["decided_on"] == ["Too late"]


def test_a_message_without_a_field_goes_to_the_top():
    form = bound()
    apply_service_errors(form, ValidationError("Not now"))
    assert form.non_field_errors() == ["Not now"]


def test_a_refused_transition_is_shown_at_the_top():
    form = bound()
    refuse_form(form, TransitionNotAllowed("The request is closed"))
    assert form.non_field_errors() == ["The request is closed"]


def test_anything_else_is_not_a_refusal():
    with pytest.raises(KeyError):
        refuse_form(bound(), KeyError("x"))


def test_plain_widgets_draw_from_the_govuk_templates():
    form = StepForm()
    assert form.fields["decided_on"].widget.template_name == GovukTextInput.template_name
    assert form.fields["reasons"].widget.template_name == GovukTextarea.template_name
    html = str(form["reasons"])
    assert 'class="govuk-textarea govuk-js-character-count"' in html


def test_a_widgets_own_width_is_kept_beside_the_govuk_class():
    class WidthForm(GovukForm):
        code = forms.CharField(widget=GovukTextInput({"class": "govuk-input--width-3"}))
        kind = forms.ChoiceField(choices=[("a", "A")], widget=GovukSelect)

    html = str(WidthForm()["code"])
    assert 'class="govuk-input govuk-input--width-3"' in html
    assert 'class="govuk-select"' in str(WidthForm()["kind"])


class Body(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField()


def test_validated_gives_the_clean_body_or_a_field_keyed_400():
    factory = APIRequestFactory()
    from rest_framework.parsers import JSONParser
    from rest_framework.request import Request

    good = Request(factory.post("/", {"on": "2026-02-01"}, format="json"), parsers=[JSONParser()])
    assert str(validated(Body, good)["on"]) == "2026-02-01"
    bad = Request(factory.post("/", {"on": "soon"}, format="json"), parsers=[JSONParser()])
    with pytest.raises(DRFValidationError) as refused:
        validated(Body, bad)
    assert "on" in refused.value.detail
