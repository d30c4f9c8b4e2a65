"""The steps of an assessment request: one short form per step, each field a service argument."""

from typing import Any

from django import forms

from cases.codes import (
    PLACEMENT_ONLY_SETTINGS,
    AdviceKind,
    SenSetting,
    SenType,
)
from cases.fields import EstablishmentField
from cases.forms.fields import area_field, date_field, radio_field, select_field, text_field
from cases.messages import ADVICE_KINDS_NEEDED
from cases.models import (
    AdviceRequest,
    AssessmentDecision,
    DraftConsultation,
    IssueDecision,
)
from cases.services import REQUEST_RULES
from send_cms.common.forms import (
    GovukCheckboxSelectMultiple,
    GovukForm,
    GovukSelect,
)
from send_cms.timescales import ExceptionType, get_rule

SETTING_AND_TYPE = "Name a setting, or choose a type of setting, not both"


class DecideForm(GovukForm):
    decision = radio_field("Decision", AssessmentDecision.choices)
    decided_on = date_field("Date of the decision")
    reasons = area_field("Reasons")
    letter_sent_on = date_field("Date the decision letter was sent", required=False)


#: Who usually gives each kind of advice: the hint under its adviser box.
ADVISER_EXAMPLES = {
    AdviceKind.EDUCATIONAL: "For example, the headteacher or SENCO of the child's setting",
    AdviceKind.PSYCHOLOGICAL: "For example, the educational psychology service",
    AdviceKind.HEALTH: "For example, the designated clinical officer",
    AdviceKind.SOCIAL_CARE: "For example, the children with disabilities team",
    AdviceKind.PARENT: "For example, the child's mother, or the young person",
    AdviceKind.PREPARING_FOR_ADULTHOOD: "For example, the careers adviser or transition team",
    AdviceKind.OTHER: "For example, the sensory support service",
}


class AdviceRequestForm(GovukForm):
    """Several kinds of advice requested on one day, each with its adviser (regulation 6(1)).

    Without JavaScript every adviser box shows under its kind; with it, a box shows once its
    kind is ticked (GOV.UK conditional reveal).
    """

    template_name = "cases/forms/advice_request.html"

    requested_on = date_field("Date requested")
    kinds = forms.MultipleChoiceField(
        label="Advice to request",
        choices=AdviceKind.choices,
        widget=GovukCheckboxSelectMultiple,
        help_text="Select all that apply. Preparing for adulthood advice is needed from year 9.",
        error_messages={"required": ADVICE_KINDS_NEEDED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in AdviceKind:
            self.fields[f"provider_{kind.value}"] = text_field(
                "Adviser or service",
                required=False,
                max_length=200,
                width="20",
                help_text=ADVISER_EXAMPLES[kind],
            )

    def kind_rows(self) -> list[tuple[Any, Any]]:
        """Each kind's checkbox with its adviser box, for the template."""
        boxes = list(self["kinds"])
        return [(box, self[f"provider_{box.data['value']}"]) for box in boxes]

    def advisers(self) -> list[tuple[str, str]]:
        """The (kind, adviser) pairs ticked, in the list's order."""
        data = self.cleaned_data
        return [(kind, data.get(f"provider_{kind}", "")) for kind in data["kinds"]]


class AdviceReceiveForm(GovukForm):
    received_on = date_field("Date received")


class AdviceReturnForm(GovukForm):
    returned_on = date_field("Date returned for quality")


class ExceptionForm(GovukForm):
    kind = radio_field("Exception", [(k.value, k.label) for k in ExceptionType])
    rule = radio_field(
        "Time limit it excuses",
        [(rule, get_rule(rule).title) for rule in REQUEST_RULES],
    )
    advice_request = forms.ModelChoiceField(
        queryset=AdviceRequest.objects.none(),
        required=False,
        label="Advice request it concerns",
        help_text="For closures and missed appointments: the advice that was affected",
        empty_label="",
        widget=GovukSelect,
    )
    starts_on = date_field("Start date", help_text="For a closure: the first day of the closure")
    ends_on = date_field(
        "End date", required=False, help_text="For a closure: the day the setting reopens"
    )
    reason = area_field("Reason")
    family_told_on = date_field("Date the family was told", required=False)

    def __init__(self, *args: Any, advice: list[AdviceRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if advice:
            field = self.fields["advice_request"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = AdviceRequest.objects.filter(pk__in=[a.pk for a in advice])
            field.choices = [("", ""), *((str(a.pk), str(a)) for a in advice)]
        else:
            del self.fields["advice_request"]


class IssueDecisionForm(GovukForm):
    decision = radio_field("Decision", IssueDecision.choices)
    decided_on = date_field("Date of the decision")
    reasons = area_field("Reasons")


class DraftPlanForm(GovukForm):
    issued_on = date_field("Date the draft plan was issued")
    preferred_setting = EstablishmentField(
        label="Setting the family prefers",
        required=False,
        help_text="If the family named one: some of its name, or its URN or UKPRN",
    )


class ConsultationForm(GovukForm):
    establishment = EstablishmentField(label="Setting consulted")
    sent_on = date_field("Date the consultation was sent")


class ConsultationReplyForm(GovukForm):
    reply = radio_field("Reply", DraftConsultation.Reply.choices)
    replied_on = date_field("Date of the reply")


NAMED_SETTING_TYPES = [(s.value, s.label) for s in SenSetting if s not in PLACEMENT_ONLY_SETTINGS]


class FinalPlanForm(GovukForm):
    issued_on = date_field("Date the final plan was issued")
    primary_need = select_field(
        "Primary need", SenType.choices, required_message="Choose the primary need"
    )
    secondary_need = select_field("Secondary need", SenType.choices, required=False)
    establishment = EstablishmentField(label="Setting named in section I", required=False)
    sen_setting = select_field(
        "Or, a type of setting without a URN", NAMED_SETTING_TYPES, required=False
    )
    starts_on = date_field(
        "Date the child starts at the setting",
        required=False,
        help_text="Leave blank if the child starts there on the day the plan is issued. The "
        "child is placed at the setting named in section I and it becomes their current setting.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("establishment") and data.get("sen_setting"):
            self.add_error("sen_setting", SETTING_AND_TYPE)
        return data

    def named_settings(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if data.get("establishment"):
            return [{"establishment": data["establishment"], "rank": 1}]
        if data.get("sen_setting"):
            return [{"sen_setting": data["sen_setting"], "rank": 1}]
        return []


class TransferOutForm(GovukForm):
    transferred_on = date_field("Date of the transfer")
    new_la_code = text_field(
        "New LA code", max_length=3, width="3", help_text="The DfE's three-digit code for the LA"
    )


class WithdrawForm(GovukForm):
    withdrawn_on = date_field("Date withdrawn")
    reason = area_field("Reason", required=True, max_length=300)
