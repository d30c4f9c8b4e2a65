"""A child's details, contacts and caseworker."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from cases.codes import (
    ContactPreference,
    Ethnicity,
    Sex,
    UpnUnknown,
)
from cases.fields import EstablishmentField
from cases.forms.fields import (
    area_field,
    date_field,
    radio_field,
    select_field,
    set_queryset,
    text_field,
)
from cases.validators import normalise_postcode, normalise_upn, postcode_error, upn_error
from send_cms.accounts.models import User
from send_cms.common.forms import (
    GovukCheckboxInput,
    GovukEmailInput,
    GovukForm,
    GovukSelect,
)
from send_cms.common.versioning import VersionedFormMixin

CHOOSE_CASEWORKER = "Select a caseworker"


class ChildFieldsMixin(forms.Form):
    """A child's identity; the postcode and the UPN are checked here, beside the other fields,
    as well as by the services."""

    first_name = text_field("First name", max_length=100, width="20")
    last_name = text_field("Last name", max_length=100, width="20")
    date_of_birth = date_field(
        "Date of birth", allow_future=False, help_text="For example, 27 3 2015"
    )
    sex = radio_field("Sex", Sex.choices)
    postcode = text_field("Postcode", required=False, max_length=10, width="10")
    upn = text_field(
        "UPN",
        required=False,
        max_length=13,
        width="20",
        help_text="Unique pupil number, if known: 13 characters starting with a letter",
    )

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data.get("postcode", ""))
        problem = postcode_error(value)
        if problem:
            raise ValidationError(problem)
        return normalise_postcode(value)

    def clean_upn(self) -> str:
        value = normalise_upn(str(self.cleaned_data.get("upn", "")))
        problem = upn_error(value) if value else None
        if problem:
            raise ValidationError(problem)
        return value


class ChildForm(VersionedFormMixin, ChildFieldsMixin, GovukForm):
    """Editing a child's details (the full set of fields), from the version the page showed."""

    ethnicity = select_field("Ethnicity", Ethnicity.choices)
    uln = text_field(
        "ULN", required=False, max_length=10, width="10", help_text="Unique learner number"
    )
    upn_unknown = select_field("Reason the UPN is unknown", UpnUnknown.choices, required=False)
    current_setting = EstablishmentField(label="Current setting", required=False)

    field_order = [
        "first_name",
        "last_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "upn",
        "upn_unknown",
        "uln",
        "postcode",
        "current_setting",
    ]


class ContactForm(GovukForm):
    name = text_field("Full name", max_length=200, width="20")
    relationship = text_field(
        "Relationship to the child", max_length=60, width="20", help_text="For example, mother"
    )
    parental_responsibility = forms.BooleanField(
        label="Has parental responsibility", required=False, initial=True, widget=GovukCheckboxInput
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        widget=GovukEmailInput,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    phone = text_field("Phone number", required=False, max_length=30, width="20")
    address = area_field("Address")
    preferred_contact = radio_field("Preferred way to be contacted", ContactPreference.choices)


class ReallocateForm(GovukForm):
    caseworker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="New caseworker",
        widget=GovukSelect,
        error_messages={"required": CHOOSE_CASEWORKER, "invalid_choice": CHOOSE_CASEWORKER},
    )
    reason = area_field("Reason for the change", max_length=300)

    def __init__(self, *args: Any, caseworkers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "caseworker", caseworkers)
