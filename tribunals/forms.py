"""Forms check shape only; the services apply the rules and their errors land on these fields."""

from typing import Any

from django import forms

from cases.codes import EstablishmentKind
from cases.fields import ChildField, set_scope
from cases.forms.fields import set_queryset
from cases.models import AssessmentRequest, Child, Plan
from cases.selectors import child_list
from send_cms.accounts.actor import Actor
from send_cms.common.forms import (
    GovukCheckboxSelectMultiple,
    GovukDateField,
    GovukForm,
    GovukRadioSelect,
)
from send_cms.common.versioning import VersionedFormMixin
from send_cms.timescales import format_date, get_rule
from tribunals.codes import (
    AgreementMatter,
    AppealType,
    AppellantKind,
    DecisionType,
    OrderKind,
    Outcome,
    RecommendationKind,
    Representation,
    Section,
)
from tribunals.models import ComplianceStep

WANTED_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not decided yet")]


def _blank(choices: Any, label: str = "Not recorded") -> list[tuple[str, str]]:
    return [("", label), *choices]


class FindChildForm(GovukForm):
    """The child the decision was about, found by name, LA reference or UPN among the children
    the user may see (a search step without JavaScript)."""

    reference = ChildField(label="Child or young person")

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_scope(self, "reference", child_list(user=user), actor=user)


class RequestOrPlanMixin(forms.Form):
    """The assessment request or plan the decision was about, from the child's own records."""

    request = forms.ModelChoiceField(
        queryset=AssessmentRequest.objects.none(),
        required=False,
        label="Assessment request (for a refusal to assess, reassess or issue)",
        empty_label="None",
    )
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label="EHC plan (for its contents, amending or ceasing)",
        empty_label="None",
    )

    def limit_to(self, child: Child) -> None:
        set_queryset(self, "request", AssessmentRequest.objects.filter(child=child))
        set_queryset(self, "plan", Plan.objects.filter(child=child))


class AppealForm(RequestOrPlanMixin, GovukForm):
    appeal_type = forms.ChoiceField(
        choices=AppealType.choices,
        widget=GovukRadioSelect,
        label="What is the appeal about?",
        error_messages={"required": "Choose what the appeal is about"},
    )
    sections = forms.MultipleChoiceField(
        choices=Section.choices,
        widget=GovukCheckboxSelectMultiple,
        required=False,
        label="Sections of the plan appealed",
        help_text="Only for appeals about the contents of a plan or a refusal to amend it.",
    )
    decision_notice_on = GovukDateField(label="Date the decision notice was sent")
    certificate_issued_on = GovukDateField(
        label="Date the mediation certificate was issued",
        required=False,
        help_text="Leave blank if there was no certificate (for example, an appeal about "
        "section I only).",
    )
    lodged_on = GovukDateField(label="Date the tribunal received the appeal", required=False)
    received_by_la_on = GovukDateField(label="Date the council received the appeal")
    response_due_on = GovukDateField(
        label="Response date in the registration letter",
        required=False,
        help_text="Leave blank to use 30 tribunal working days from the day the council "
        "received the appeal.",
    )
    tribunal_reference = forms.CharField(required=False, max_length=40)
    appellant_name = forms.CharField(label="Appellant's name", required=False, max_length=200)
    appellant_kind = forms.ChoiceField(
        choices=AppellantKind.choices, widget=GovukRadioSelect, label="The appellant is"
    )
    setting_kind_sought = forms.ChoiceField(
        choices=_blank(EstablishmentKind.choices),
        required=False,
        label="Kind of setting the family wants",
    )
    la_representation = forms.ChoiceField(
        choices=_blank(Representation.choices), required=False, label="Council represented by"
    )
    la_representative_name = forms.CharField(
        label="Name of the council's representative", required=False, max_length=200
    )


class AppealDetailsForm(VersionedFormMixin, GovukForm):
    """The appeal's details, costs and representation, from the version the page showed."""

    tribunal_reference = forms.CharField(required=False, max_length=40)
    appellant_name = forms.CharField(label="Appellant's name", required=False, max_length=200)
    setting_kind_sought = forms.ChoiceField(
        choices=_blank(EstablishmentKind.choices),
        required=False,
        label="Kind of setting the family wants",
    )
    lodged_on = GovukDateField(label="Date the tribunal received the appeal", required=False)
    response_due_on = GovukDateField(
        label="Response date in the registration letter",
        required=False,
        help_text="A date set by the tribunal replaces the computed one.",
    )
    la_representation = forms.ChoiceField(
        choices=_blank(Representation.choices), required=False, label="Council represented by"
    )
    la_representative_name = forms.CharField(
        label="Name of the council's representative", required=False, max_length=200
    )
    legal_costs = forms.DecimalField(
        label="Legal costs (£)", min_value=0, decimal_places=2, max_digits=10
    )
    counsel_costs = forms.DecimalField(
        label="Counsel's costs (£)", min_value=0, decimal_places=2, max_digits=10
    )
    expert_costs = forms.DecimalField(
        label="Experts' costs (£)", min_value=0, decimal_places=2, max_digits=10
    )


class ResponseForm(GovukForm):
    submitted_on = GovukDateField(label="Date the response was submitted")


class HearingForm(GovukForm):
    hearing_on = GovukDateField(label="Date of the hearing")


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    decided_on = GovukDateField(
        label="Date of the outcome",
        help_text="For a concession, the day the council told the tribunal.",
    )


class OrderForm(GovukForm):
    kind = forms.ChoiceField(
        choices=OrderKind.choices,
        widget=GovukRadioSelect,
        label="What did the tribunal order?",
        error_messages={"required": "Choose what the tribunal ordered"},
    )
    made_on = GovukDateField(label="Date the order was made", required=False)
    sent_on = GovukDateField(
        label="Date the order was sent",
        required=False,
        help_text="Time runs from this day (for an unopposed appeal, from the day the council "
        "told the tribunal).",
    )
    wording = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="The order's wording",
        help_text="The tribunal's own words win over the standard periods.",
    )


class StepCompliedForm(GovukForm):
    step = forms.ChoiceField(widget=GovukRadioSelect, label="Which step was met?", required=False)
    complied_on = GovukDateField(label="Date complied")

    def __init__(self, *args: Any, steps: list[ComplianceStep], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (s.rule, f"{get_rule(s.rule).title} (due {format_date(s.due_on)})")
            for s in steps
            if s.applicable and s.complied_on is None
        ]
        field = self.fields["step"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        if len(choices) == 1:
            field.initial = choices[0][0]


class DirectionForm(GovukForm):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="What the tribunal directed"
    )
    made_on = GovukDateField(label="Date of the direction", required=False)
    due_on = GovukDateField(label="Due date set by the tribunal")


class CompliedForm(GovukForm):
    complied_on = GovukDateField(label="Date complied")


class RecommendationForm(GovukForm):
    kind = forms.ChoiceField(
        choices=RecommendationKind.choices, widget=GovukRadioSelect, label="Recommendation about"
    )
    made_on = GovukDateField(label="Date of the recommendation")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class RecommendationResponseForm(GovukForm):
    responded_on = GovukDateField(label="Date of the council's response")
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RegisterFilterForm(GovukForm):
    appeal_type = forms.ChoiceField(
        choices=_blank(AppealType.choices, "All types"), required=False, label="Type"
    )
    stage = forms.ChoiceField(required=False, label="Stage")

    def __init__(self, *args: Any, stages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _blank(stages, "All stages")


class OutcomesFilterForm(GovukForm):
    since = GovukDateField(label="Decided on or after", required=False)
    until = GovukDateField(label="Decided on or before", required=False)


# --- mediation ----------------------------------------------------------------------------------
class MediationForm(RequestOrPlanMixin, GovukForm):
    decision_type = forms.ChoiceField(
        choices=DecisionType.choices,
        widget=GovukRadioSelect,
        label="What decision is the mediation about?",
        error_messages={"required": "Choose the decision"},
    )
    decision_notice_on = GovukDateField(label="Date the decision notice was sent")
    mediator = forms.CharField(label="Mediation service", required=False, max_length=200)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ContactForm(GovukForm):
    family_contacted_on = GovukDateField(label="Date the family contacted the mediation adviser")
    mediation_wanted = forms.ChoiceField(
        choices=WANTED_CHOICES,
        widget=GovukRadioSelect,
        label="Does the family want mediation?",
        error_messages={"required": "Say whether the family wants mediation"},
    )
    la_informed_on = GovukDateField(
        label="Date the council was told the family wants mediation",
        required=False,
        help_text="The council must arrange mediation within 30 days of this.",
    )

    def clean_mediation_wanted(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["mediation_wanted"])


class WantedForm(GovukForm):
    la_informed_on = GovukDateField(label="Date the council was told the family wants mediation")


class NotArrangedForm(GovukForm):
    not_arranged_on = GovukDateField(
        label="Date the council told the adviser it could not arrange mediation within 30 days"
    )


class HeldForm(GovukForm):
    held_on = GovukDateField(label="Date of the mediation")
    outcome = forms.ChoiceField(
        choices=[("agreement", "Agreement reached"), ("no_agreement", "No agreement")],
        widget=GovukRadioSelect,
        error_messages={"required": "Say whether the mediation reached an agreement"},
    )


class CertificateForm(GovukForm):
    issued_on = GovukDateField(label="Date the certificate was issued")


class AgreementActionForm(GovukForm):
    matter = forms.ChoiceField(
        choices=AgreementMatter.choices,
        widget=GovukRadioSelect,
        label="What did the council agree to do?",
        error_messages={"required": "Choose what the council agreed to do"},
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="The agreement's words"
    )
