"""Ceasing a plan: the proposal, the decision notice and the end."""

from cases.codes import (
    CeaseReason,
)
from cases.forms.fields import area_field, date_field, radio_field
from send_cms.common.forms import (
    GovukForm,
)


class CeaseProposeForm(GovukForm):
    proposed_on = date_field(
        "Date the family was told",
        help_text="The date of the letter saying the council is considering ceasing the plan",
    )
    reasons = area_field(
        "Why the council is considering ceasing the plan",
        required=True,
        max_length=2000,
        help_text="The family's letter gives these reasons and asks for their views",
    )


class CeaseDecideForm(GovukForm):
    decided_on = date_field(
        "Date of the decision notice",
        help_text="The family's time to appeal runs from the day the notice is sent",
    )
    reasons = area_field(
        "Reasons for the decision",
        required=True,
        max_length=2000,
        help_text="The decision letter gives these reasons with the family's right to appeal",
    )


class CeaseForm(GovukForm):
    ceased_on = date_field(
        "Date the plan ceased",
        help_text="Not before the family's appeal deadline has passed, unless an appeal was "
        "decided",
    )
    reason = radio_field(
        "Why the plan ceased",
        [(str(value), label) for value, label in CeaseReason.choices],
        help_text="The SEN2 cease reason",
    )

    def clean_reason(self) -> int:
        return int(self.cleaned_data["reason"])
