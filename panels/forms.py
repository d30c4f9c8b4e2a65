"""Forms check shape only; the services apply the rules and their errors land on these fields."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cases.fields import ChildField, EstablishmentField, set_scope
from cases.models import Establishment
from cases.selectors import child_list
from panels.models import AgendaItem, ItemKind, MeetingMember, Outcome, PanelMeeting, PanelType
from panels.selectors import band_list
from send_cms.accounts.actor import Actor, signed_in
from send_cms.accounts.models import User
from send_cms.common.forms import (
    GovukCheckboxSelectMultiple,
    GovukDateField,
    GovukForm,
    GovukRadioSelect,
)

NO_OPEN_REQUEST = "{child} has no open assessment request"
NO_ACTIVE_PLAN = "{child} has no active EHC plan"


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "panel_membership", None)
        role = f" ({profile.get_professional_role_display()})" if profile else ""
        return f"{obj.get_full_name() or obj.username}{role}"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "panel_membership", None)
        role = f" ({profile.get_professional_role_display()})" if profile else ""
        return f"{obj.get_full_name() or obj.username}{role}"


def panel_users() -> QuerySet[User]:
    return (
        User.objects.filter(panel_membership__is_active=True, is_active=True)
        .select_related("panel_membership")
        .order_by("first_name", "last_name")
    )


class MeetingForm(GovukForm):
    panel = forms.ModelChoiceField(
        queryset=PanelType.objects.filter(is_active=True),
        widget=GovukRadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the panel"},
    )
    held_on = GovukDateField(label="Meeting date")
    chair = UserChoiceField(queryset=panel_users(), error_messages={"required": "Choose the chair"})
    members = UserMultipleChoiceField(
        queryset=panel_users(),
        widget=GovukCheckboxSelectMultiple,
        help_text="The chair is always a member. Only members of the chosen panel can be invited.",
        error_messages={"required": "Choose the members of the meeting"},
    )
    location = forms.CharField(required=False, max_length=200)


class AttendanceForm(GovukForm):
    present = UserMultipleChoiceField(
        queryset=User.objects.none(),
        widget=GovukCheckboxSelectMultiple,
        label="Members present",
        help_text="Quorum is judged on the members present.",
        error_messages={"required": "Choose the members present"},
    )

    def __init__(self, *args: Any, meeting: PanelMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = panel_users().filter(panel_membership__panel_types=meeting.panel)
        invited = User.objects.filter(panel_meetings__meeting=meeting)
        field = cast("forms.ModelMultipleChoiceField[User]", self.fields["present"])
        field.queryset = (users | invited.select_related("panel_membership")).distinct()
        if not self.is_bound:
            self.initial["present"] = [
                m.user_id for m in MeetingMember.objects.filter(meeting=meeting, present=True)
            ]


class ItemForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is the panel asked to decide?",
        widget=GovukRadioSelect,
        error_messages={"required": "Choose what the panel is asked to decide"},
    )
    reference = ChildField(label="Child or young person")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="What the panel needs to know: the request, the evidence, the recommendation.",
    )
    proposed_establishment = EstablishmentField(
        queryset=Establishment.objects.filter(is_open=True),
        required=False,
        label="Proposed setting (placement items)",
    )
    proposed_band = forms.CharField(
        required=False, max_length=20, label="Proposed funding band (placement items)"
    )
    proposed_starts_on = GovukDateField(
        required=False, label="Proposed start date (placement items)"
    )

    def __init__(self, *args: Any, meeting: PanelMeeting, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_scope(self, "reference", child_list(user=user), actor=user)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [(k, ItemKind(k).label) for k in ItemKind.values if meeting.panel.takes(k)]


def band_choices() -> list[tuple[str, str]]:
    """Band codes in force today, labelled with the kind of setting and the value."""
    choices = [("", "No band: an individual cost")]
    seen = set()
    for band in band_list(on=timezone.localdate()):
        if band.code in seen:
            continue
        seen.add(band.code)
        label = f"{band.code}: {band.name}, {band.get_kind_display()} (£{band.annual_value:,.2f})"
        choices.append((band.code, label))
    return choices


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=GovukRadioSelect,
        label="Decision",
        error_messages={"required": "Choose agree, decline or defer"},
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Families and settings are told these reasons.",
    )
    dissent = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Dissent (optional)",
        help_text="Who disagreed and why.",
    )
    dissenters = UserMultipleChoiceField(
        queryset=User.objects.none(),
        widget=GovukCheckboxSelectMultiple,
        required=False,
        label="Members dissenting (optional)",
    )
    establishment = EstablishmentField(
        queryset=Establishment.objects.filter(is_open=True),
        required=False,
        label="Approved setting",
    )
    band = forms.ChoiceField(choices=band_choices, required=False, label="Funding band")
    annual_cost = forms.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        label="Individual annual cost (optional)",
        help_text="Leave blank to use the band's value for the setting on the start date.",
    )
    cost_reason = forms.CharField(
        required=False, max_length=300, label="Reason for an individual cost"
    )
    starts_on = GovukDateField(required=False, label="Placement start date")

    PLACEMENT_FIELDS = ("establishment", "band", "annual_cost", "cost_reason", "starts_on")

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dissenters = cast("forms.ModelMultipleChoiceField[User]", self.fields["dissenters"])
        dissenters.queryset = User.objects.filter(
            panel_meetings__meeting=item.meeting, panel_meetings__present=True
        ).select_related("panel_membership")
        if item.kind != ItemKind.PLACEMENT:
            for name in self.PLACEMENT_FIELDS:
                del self.fields[name]
        elif not self.is_bound:
            self.initial.setdefault("establishment", item.proposed_establishment_id)
            self.initial.setdefault("band", item.proposed_band)
            self.initial.setdefault("starts_on", item.proposed_starts_on)


class DeclarationForm(GovukForm):
    member = UserChoiceField(queryset=User.objects.none(), label="Member declaring")
    interest = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Interest declared",
        help_text="For example: the child attends the member's school.",
    )

    def __init__(
        self, *args: Any, item: AgendaItem, user: Actor, clerk: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        member = cast("forms.ModelChoiceField[User]", self.fields["member"])
        invited = User.objects.filter(panel_meetings__meeting=item.meeting).select_related(
            "panel_membership"
        )
        if not clerk:
            me = signed_in(user)
            invited, member.initial = invited.filter(pk=me.pk), me.pk
        member.queryset = invited


class PeriodForm(GovukForm):
    """Filters for decisions and the consistency view (GET)."""

    date_from = GovukDateField(required=False, label="From")
    date_to = GovukDateField(required=False, label="To")
    panel = forms.ModelChoiceField(
        queryset=PanelType.objects.all(), required=False, empty_label="All panels"
    )


class DecisionFilterForm(PeriodForm):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *ItemKind.choices], required=False, label="Kind"
    )
    outcome = forms.ChoiceField(
        choices=[("", "All outcomes"), *Outcome.choices], required=False, label="Outcome"
    )
