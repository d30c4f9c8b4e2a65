"""Forms of the casework pages. They check shape only; the services decide what is allowed.

Field names match the service's keyword arguments where they can, so a service's
`ValidationError({"decided_on": [...]})` lands on the right field (`apply_errors`).
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from cases.codes import (
    PLACEMENT_ONLY_SETTINGS,
    AdviceKind,
    CeaseReason,
    Channel,
    ContactPreference,
    EstablishmentKind,
    Ethnicity,
    RequestSource,
    SenSetting,
    SenType,
    Sex,
    UpnUnknown,
)
from cases.fields import EstablishmentField
from cases.models import (
    AdviceRequest,
    AssessmentDecision,
    DraftConsultation,
    Establishment,
    IssueDecision,
    RequestStatus,
)
from cases.selectors import STAGE_PLAN
from cases.services import REQUEST_RULES
from cases.services.messages import ADVICE_KINDS_NEEDED
from cases.validators import normalise_postcode, normalise_upn, postcode_error, upn_error
from send_cms.accounts.models import User
from send_cms.common.forms import (
    GovukCheckboxSelectMultiple,
    GovukDateField,
    GovukForm,
    GovukRadioSelect,
)
from send_cms.common.search import SearchField
from send_cms.common.versioning import VersionedFormMixin
from send_cms.timescales import ExceptionType, format_time, get_rule
from send_cms.timescales.status import DeadlineStatus

# Form-level messages (shape only; business rules live in cases/services.py).
ENTER_TIME = "Enter the time the request was received"
TIME_INVALID = "Enter the time as, for example, 9:30am or 14:30"
SETTING_AND_TYPE = "Name a setting, or choose a type of setting, not both"
CHOOSE_CASEWORKER = "Select a caseworker"
RECEIVED_TIME_HINT = (
    "For example, 9:30am or 14:30. After {cut_off} on a working day counts from the next "
    "working day."
)


# Widgets drawn from this app's own templates (cases/widgets/), so no Django form template is
# needed by the GOV.UK renderer. Their own classes (a width) are kept beside the GOV.UK class the
# bound field adds, instead of being replaced by it.
class _KeepClasses(forms.Widget):
    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        own, added = base_attrs.get("class", ""), (extra_attrs or {}).get("class", "")
        if own and added and own not in added:
            attrs["class"] = f"{added} {own}"
        return attrs


class TextInput(_KeepClasses, forms.TextInput):
    template_name = "cases/widgets/input.html"


class EmailInput(_KeepClasses, forms.EmailInput):
    template_name = "cases/widgets/input.html"


class Textarea(_KeepClasses, forms.Textarea):
    template_name = "cases/widgets/textarea.html"


class Select(_KeepClasses, forms.Select):
    template_name = "cases/widgets/select.html"


class CheckboxInput(_KeepClasses, forms.CheckboxInput):
    template_name = "cases/widgets/input.html"


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


def apply_errors(
    form: forms.Form, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: keyed messages on their field (or its alias),
    anything else at the top of the error summary."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = aliases.get(key, key)
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _text(label: str, *, required: bool = True, width: str = "", **kwargs: Any) -> forms.CharField:
    attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    return forms.CharField(
        label=label,
        required=required,
        widget=TextInput(attrs),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def _area(label: str, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=Textarea({"rows": 4}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def _radios(label: str, choices: Iterable[tuple[str, str]], **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=GovukRadioSelect,
        error_messages={"required": f"Select {label[0].lower()}{label[1:]}"},
        **kwargs,
    )


def _select(
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
        widget=Select,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _date(label: str, *, required: bool = True, **kwargs: Any) -> GovukDateField:
    return GovukDateField(label=label, required=required, **kwargs)


# --- caseload and advice tracker filters (GET forms) --------------------------------------------
STAGE_CHOICES = [
    (RequestStatus.RECEIVED.value, "Awaiting decision to assess"),
    (RequestStatus.ASSESSING.value, "Assessing"),
    (RequestStatus.ISSUING.value, "Drafting the plan"),
    (RequestStatus.DRAFT_ISSUED.value, "Draft plan issued"),
    (STAGE_PLAN, "Plan in force"),
]
DEADLINE_STATUS_CHOICES = [
    (DeadlineStatus.overdue.value, DeadlineStatus.overdue.label),
    (DeadlineStatus.due_soon.value, DeadlineStatus.due_soon.label),
    (DeadlineStatus.upcoming.value, DeadlineStatus.upcoming.label),
]


class CaseloadFilterForm(GovukForm):
    """The MOJ filter panel of My caseload; managers and admins also choose whose caseload.

    A setting is a type of setting (an establishment kind) or one of the settings the caseload's
    children attend.
    """

    caseworker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Caseworker",
        empty_label="All",
        widget=Select,
    )
    q = SearchField(label="Name, reference or UPN", widget=TextInput)
    stage = _select("Stage", STAGE_CHOICES, required=False)
    deadline_status = _select("Next deadline", DEADLINE_STATUS_CHOICES, required=False)
    setting = forms.ChoiceField(label="Setting", required=False, widget=Select)
    need = _select("Primary need", SenType.choices, required=False)

    def __init__(
        self,
        *args: Any,
        caseworkers: QuerySet[User] | None = None,
        settings: Iterable[Establishment] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            _set_queryset(self, "caseworker", caseworkers)
        setting = self.fields["setting"]
        assert isinstance(setting, forms.ChoiceField)
        setting.choices = [
            ("", ""),
            ("Type of setting", list(EstablishmentKind.choices)),
            ("Setting", [(str(s.pk), s.name) for s in settings]),
        ]


class AdviceFilterForm(GovukForm):
    kind = _select("Kind of advice", AdviceKind.choices, required=False)


# --- the child ---------------------------------------------------------------------------------
class ChildFieldsMixin(forms.Form):
    """A child's identity; the postcode and the UPN are checked here, beside the other fields,
    as well as by the services."""

    first_name = _text("First name", max_length=100, width="20")
    last_name = _text("Last name", max_length=100, width="20")
    date_of_birth = _date("Date of birth", allow_future=False, help_text="For example, 27 3 2015")
    sex = _radios("Sex", Sex.choices)
    postcode = _text("Postcode", required=False, max_length=10, width="10")
    upn = _text(
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

    ethnicity = _select("Ethnicity", Ethnicity.choices)
    uln = _text("ULN", required=False, max_length=10, width="10", help_text="Unique learner number")
    upn_unknown = _select("Reason the UPN is unknown", UpnUnknown.choices, required=False)
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
    name = _text("Full name", max_length=200, width="20")
    relationship = _text(
        "Relationship to the child", max_length=60, width="20", help_text="For example, mother"
    )
    parental_responsibility = forms.BooleanField(
        label="Has parental responsibility", required=False, initial=True, widget=CheckboxInput
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        widget=EmailInput,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    phone = _text("Phone number", required=False, max_length=30, width="20")
    address = _area("Address")
    preferred_contact = _radios("Preferred way to be contacted", ContactPreference.choices)


class ReallocateForm(GovukForm):
    caseworker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="New caseworker",
        widget=Select,
        error_messages={"required": CHOOSE_CASEWORKER, "invalid_choice": CHOOSE_CASEWORKER},
    )
    reason = _area("Reason for the change", max_length=300)

    def __init__(self, *args: Any, caseworkers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "caseworker", caseworkers)


# --- a new request, for a child on the system or one added in the same form ---------------------
class RequestFieldsMixin(forms.Form):
    received_date = _date(
        "Date received",
        help_text="For example, 8 9 2025. For a request sent by post, the date it was posted: it "
        "counts as received the next day, or on the day it was signed for.",
    )
    received_time = forms.CharField(
        label="Time received",
        max_length=10,
        widget=TextInput({"class": "govuk-input--width-5"}),
        error_messages={"required": ENTER_TIME},
    )
    channel = _radios("How it arrived", Channel.choices)
    signed_for_on = _date(
        "Date signed for",
        required=False,
        help_text="Post only: the day it was signed for, if it was (on or after the day it was "
        "posted)",
    )
    source = _radios("Who made the request", RequestSource.choices)
    requester_name = _text("Requester's name", required=False, max_length=200, width="20")
    relevant_youth_accommodation = forms.BooleanField(
        label="The child or young person is in relevant youth accommodation",
        required=False,
        widget=CheckboxInput,
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
        label="This is a different child", required=False, widget=CheckboxInput
    )

    def child_kwargs(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in CHILD_FIELDS}
        data["upn"] = data["upn"].upper()
        data["confirm_not_duplicate"] = self.cleaned_data["confirm_not_duplicate"]
        return data


class ChildSearchForm(GovukForm):
    find = SearchField(label="Search by name, reference or UPN", widget=TextInput)


# --- the steps of an assessment -----------------------------------------------------------------
class DecideForm(GovukForm):
    decision = _radios("Decision", AssessmentDecision.choices)
    decided_on = _date("Date of the decision")
    reasons = _area("Reasons")
    letter_sent_on = _date("Date the decision letter was sent", required=False)


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

    requested_on = _date("Date requested")
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
            self.fields[f"provider_{kind.value}"] = _text(
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
    received_on = _date("Date received")


class AdviceReturnForm(GovukForm):
    returned_on = _date("Date returned for quality")


class ExceptionForm(GovukForm):
    kind = _radios("Exception", [(k.value, k.label) for k in ExceptionType])
    rule = _radios(
        "Time limit it excuses",
        [(rule, get_rule(rule).title) for rule in REQUEST_RULES],
    )
    advice_request = forms.ModelChoiceField(
        queryset=AdviceRequest.objects.none(),
        required=False,
        label="Advice request it concerns",
        help_text="For closures and missed appointments: the advice that was affected",
        empty_label="",
        widget=Select,
    )
    starts_on = _date("Start date", help_text="For a closure: the first day of the closure")
    ends_on = _date(
        "End date", required=False, help_text="For a closure: the day the setting reopens"
    )
    reason = _area("Reason")
    family_told_on = _date("Date the family was told", required=False)

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
    decision = _radios("Decision", IssueDecision.choices)
    decided_on = _date("Date of the decision")
    reasons = _area("Reasons")


class DraftPlanForm(GovukForm):
    issued_on = _date("Date the draft plan was issued")
    preferred_setting = EstablishmentField(
        label="Setting the family prefers",
        required=False,
        help_text="If the family named one: some of its name, or its URN or UKPRN",
    )


class ConsultationForm(GovukForm):
    establishment = EstablishmentField(label="Setting consulted")
    sent_on = _date("Date the consultation was sent")


class ConsultationReplyForm(GovukForm):
    reply = _radios("Reply", DraftConsultation.Reply.choices)
    replied_on = _date("Date of the reply")


NAMED_SETTING_TYPES = [(s.value, s.label) for s in SenSetting if s not in PLACEMENT_ONLY_SETTINGS]


class FinalPlanForm(GovukForm):
    issued_on = _date("Date the final plan was issued")
    primary_need = _select(
        "Primary need", SenType.choices, required_message="Choose the primary need"
    )
    secondary_need = _select("Secondary need", SenType.choices, required=False)
    establishment = EstablishmentField(label="Setting named in section I", required=False)
    sen_setting = _select(
        "Or, a type of setting without a URN", NAMED_SETTING_TYPES, required=False
    )
    starts_on = _date(
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
    transferred_on = _date("Date of the transfer")
    new_la_code = _text(
        "New LA code", max_length=3, width="3", help_text="The DfE's three-digit code for the LA"
    )


class WithdrawForm(GovukForm):
    withdrawn_on = _date("Date withdrawn")
    reason = _area("Reason", required=True, max_length=300)


class AccessPeriodForm(GovukForm):
    """The period of the report of reads outside caseloads."""

    DEFAULT_DAYS = 28
    days = forms.ChoiceField(
        label="Reads in the last",
        choices=[("7", "7 days"), ("28", "28 days"), ("90", "90 days"), ("365", "year")],
        error_messages={"invalid_choice": "Select a period from the list"},
    )


# --- ceasing a plan ------------------------------------------------------------------------------
class CeaseProposeForm(GovukForm):
    proposed_on = _date(
        "Date the family was told",
        help_text="The date of the letter saying the council is considering ceasing the plan",
    )
    reasons = _area(
        "Why the council is considering ceasing the plan",
        required=True,
        max_length=2000,
        help_text="The family's letter gives these reasons and asks for their views",
    )


class CeaseDecideForm(GovukForm):
    decided_on = _date(
        "Date of the decision notice",
        help_text="The family's time to appeal runs from the day the notice is sent",
    )
    reasons = _area(
        "Reasons for the decision",
        required=True,
        max_length=2000,
        help_text="The decision letter gives these reasons with the family's right to appeal",
    )


class CeaseForm(GovukForm):
    ceased_on = _date(
        "Date the plan ceased",
        help_text="Not before the family's appeal deadline has passed, unless an appeal was "
        "decided",
    )
    reason = _radios(
        "Why the plan ceased",
        [(str(value), label) for value, label in CeaseReason.choices],
        help_text="The SEN2 cease reason",
    )

    def clean_reason(self) -> int:
        return int(self.cleaned_data["reason"])
