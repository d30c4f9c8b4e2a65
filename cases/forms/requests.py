"""A new request for an assessment, for a child on the system or one added in the same form."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.codes import (
    Channel,
    RequestSource,
)
from cases.forms.children import ChildFieldsMixin
from cases.forms.fields import (
    date_field,
    radio_field,
    text_field,
)
from send_cms.common.forms import (
    GovukCheckboxInput,
    GovukForm,
    GovukTextInput,
)
from send_cms.common.search import SearchField
from send_cms.timescales import format_time

ENTER_TIME = "Enter the time the request was received"
TIME_INVALID = "Enter the time as, for example, 9:30am or 14:30"
RECEIVED_TIME_HINT = (
    "For example, 9:30am or 14:30. After {cut_off} on a working day counts from the next "
    "working day."
)


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(value: str) -> dt.time | None:
    """'9:30am', '2pm', '14:30', '14.30' -> a time; None when it is not a time of day."""
    match = _TIME.match(value or "")
    if not match:
        return None
    hour, minute, suffix = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match[2] is None:
        return None  # "14" alone is ambiguous: ask for minutes or am/pm
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class RequestFieldsMixin(forms.Form):
    received_date = date_field(
        "Date received",
        help_text="For example, 8 9 2025. For a request sent by post, the date it was posted: it "
        "counts as received the next day, or on the day it was signed for.",
    )
    received_time = forms.CharField(
        label="Time received",
        max_length=10,
        widget=GovukTextInput({"class": "govuk-input--width-5"}),
        error_messages={"required": ENTER_TIME},
    )
    channel = radio_field("How it arrived", Channel.choices)
    signed_for_on = date_field(
        "Date signed for",
        required=False,
        help_text="Post only: the day it was signed for, if it was (on or after the day it was "
        "posted)",
    )
    source = radio_field("Who made the request", RequestSource.choices)
    requester_name = text_field("Requester's name", required=False, max_length=200, width="20")
    relevant_youth_accommodation = forms.BooleanField(
        label="The child or young person is in relevant youth accommodation",
        required=False,
        widget=GovukCheckboxInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_time"].help_text = RECEIVED_TIME_HINT.format(
            cut_off=format_time(settings.REQUEST_CUT_OFF)
        )

    def clean_received_time(self) -> dt.time:
        value = parse_time(self.cleaned_data.get("received_time", ""))
        if value is None:
            raise ValidationError(TIME_INVALID)
        return value

    def received_at(self) -> dt.datetime:
        """The date and time as an aware datetime in the council's time zone."""
        naive = dt.datetime.combine(
            self.cleaned_data["received_date"], self.cleaned_data["received_time"]
        )
        return timezone.make_aware(naive)

    def request_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "received_at": self.received_at(),
            "channel": data["channel"],
            "source": data["source"],
            "requester_name": data["requester_name"],
            "relevant_youth_accommodation": data["relevant_youth_accommodation"],
            "signed_for_on": data["signed_for_on"],
        }


REQUEST_ALIASES = {"received_at": "received_date", "received_on": "received_date"}
CHILD_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "postcode", "upn")


class RequestForChildForm(RequestFieldsMixin, GovukForm):
    """A request for a child already on the system (chosen on the page)."""


class RequestWithNewChildForm(ChildFieldsMixin, RequestFieldsMixin, GovukForm):
    """A request and a new child in one go; the duplicate check may ask for confirmation."""

    confirm_not_duplicate = forms.BooleanField(
        label="This is a different child", required=False, widget=GovukCheckboxInput
    )

    def child_kwargs(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in CHILD_FIELDS}
        data["upn"] = data["upn"].upper()
        data["confirm_not_duplicate"] = self.cleaned_data["confirm_not_duplicate"]
        return data


class ChildSearchForm(GovukForm):
    find = SearchField(label="Search by name, reference or UPN", widget=GovukTextInput)
