"""The forms a caseworker writes the plan with: one per section, rows added one at a time.

Listed sections are formsets with the GOV.UK "add another" pattern done on the server (no
JavaScript): "Add another" checks the rows so far and shows one more blank row; "Save" saves.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.forms import BaseFormSet, formset_factory

from cases.codes import SenType
from cases.plan_content.models import Adulthood, PlanContent, Section
from send_cms.common.forms import GovukCheckboxSelectMultiple, GovukDateField, GovukForm

ROW_WORD = {
    "B": "need",
    "C": "need",
    "D": "need",
    "E": "outcome",
    "F": "provision",
    "G": "provision",
    "H1": "provision",
    "H2": "provision",
    "K": "advice",
}


def _area(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea({"rows": 4}),
    )


def _text(label: str, *, help_text: str = "", max_length: int = 300) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, max_length=max_length)


class SectionAForm(GovukForm):
    views = _area(
        "Views",
        help_text="What the child or young person and their parents think, in their own words.",
    )
    interests = _area("Interests", help_text="What they enjoy, are good at and care about.")
    aspirations = _area(
        "Aspirations",
        help_text="Their hopes for the future: education, work, where they live, friends.",
    )


class SectionIForm(GovukForm):
    placement = _area(
        "Type of setting",
        help_text="A draft plan names no setting: give the type of setting. The final plan also "
        "lists the settings named when it is issued.",
    )


class SectionJForm(GovukForm):
    personal_budget_requested = forms.BooleanField(
        label="The family asked for a personal budget", required=False
    )
    personal_budget_amount = forms.DecimalField(
        label="Amount a year, in pounds",
        required=False,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": "Amount must be a number, like 1200 or 1200.50",
            "min_value": "Amount must be 0 or more",
            "max_digits": "Amount must be less than £10,000,000",
            "max_decimal_places": "Amount must be in pounds and pence, like 1200.50",
        },
        widget=forms.TextInput({"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )
    personal_budget_details = _area(
        "What it pays for and how",
        help_text="The provision it covers, and whether by direct payments or arrangements.",
    )


FIELD_FORMS: dict[str, type[GovukForm]] = {"A": SectionAForm, "I": SectionIForm, "J": SectionJForm}


class RowForm(GovukForm):
    """One row of a listed section; `word` names it in labels and messages ("need 2")."""

    word: ClassVar[str] = "item"
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    remove = forms.BooleanField(label="Remove this row", required=False)

    def __init__(self, *args: Any, links: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = int(str(self.prefix).rsplit("-", 1)[-1]) + 1 if self.prefix else 1
        self.number = number
        self.fields["remove"].label = f"Remove {self.word} {number}"
        if "description" in self.fields:
            field = self.fields["description"]
            field.error_messages["required"] = f"Enter {self.word} {number}"
        for name in ("needs", "outcomes"):
            if name in self.fields:
                field = self.fields[name]
                assert isinstance(field, forms.MultipleChoiceField)
                field.choices = list(links)

    def full_clean(self) -> None:
        super().full_clean()
        # A row being removed needs no words.
        errors = self.errors
        if self.is_bound and self.cleaned_data.get("remove") and "description" in errors:
            del errors["description"]


class NeedForm(RowForm):
    word = "need"
    need = forms.ChoiceField(
        label="Area of need",
        required=False,
        choices=[("", "Not given"), *SenType.choices],
    )
    description = _area("Need", required=True)


class OtherNeedForm(RowForm):
    word = "need"
    description = _area("Need", required=True)


class OutcomeForm(RowForm):
    word = "outcome"
    description = _area(
        "Outcome",
        required=True,
        help_text="What the child will achieve, specific enough to tell when it is met.",
    )
    achieve_by = _text(
        "By when", help_text="For example, by the end of key stage 2.", max_length=200
    )
    adulthood = forms.ChoiceField(
        label="Preparing for adulthood (from year 9)",
        required=False,
        choices=[("", "Not a preparing for adulthood outcome"), *Adulthood.choices],
    )
    needs = forms.MultipleChoiceField(
        label="Needs it addresses",
        required=False,
        widget=GovukCheckboxSelectMultiple,
    )


class ProvisionForm(RowForm):
    word = "provision"
    description = _area("What", required=True, help_text="Exactly what will be provided.")
    frequency = _text(
        "How much and how often",
        help_text="For example, 3 sessions of 30 minutes a week, in a group of no more than 4.",
    )
    duration = _text("For how long", help_text="For example, until the next annual review.")
    provider = _text("Who provides it", help_text="For example, a speech and language therapist.")
    outcomes = forms.MultipleChoiceField(
        label="Outcomes it works towards",
        required=False,
        widget=GovukCheckboxSelectMultiple,
    )


class AdviceForm(RowForm):
    word = "advice"
    advice_request = forms.ChoiceField(label="Advice requested", required=False)
    document = forms.CharField(required=False, widget=forms.HiddenInput)
    description = _text("Advice or information")
    author = _text("From", max_length=200)
    dated = GovukDateField(label="Dated", required=False)

    def __init__(self, *args: Any, advice: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["advice_request"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Other advice or information"), *advice]
        self.fields["description"].required = True
        self.fields["description"].error_messages["required"] = f"Enter advice {self.number}"


ROW_FORMS: dict[str, type[RowForm]] = {
    "B": NeedForm,
    "C": OtherNeedForm,
    "D": OtherNeedForm,
    "E": OutcomeForm,
    "F": ProvisionForm,
    "G": ProvisionForm,
    "H1": ProvisionForm,
    "H2": ProvisionForm,
    "K": AdviceForm,
}


def row_formset(section: str) -> type[BaseFormSet[Any]]:
    return formset_factory(ROW_FORMS[section], extra=0)


def kept_rows(formset: BaseFormSet[Any]) -> list[tuple[forms.Form, dict[str, Any]]]:
    """The rows to keep, in order, with their forms: removed and untouched blank rows left out."""
    kept = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("remove"):
            continue
        if not data.get("key") and not any(
            v for name, v in data.items() if name not in ("key", "remove")
        ):
            continue
        kept.append((form, {k: v for k, v in data.items() if k != "remove"}))
    return kept


def rows_of(formset: BaseFormSet[Any]) -> list[dict[str, Any]]:
    return [row for _, row in kept_rows(formset)]


def initial_rows(content: PlanContent, section: str) -> list[dict[str, Any]]:
    """The section's rows as the form starts: what the edition says now."""
    if section in ("B", "C", "D"):
        return [
            {"key": str(n.key), "need": n.need, "description": n.description}
            for n in content.needs.all()
            if n.section == section
        ]
    if section == Section.E:
        return [
            {
                "key": str(o.key),
                "description": o.description,
                "achieve_by": o.achieve_by,
                "adulthood": o.adulthood,
                "needs": [str(n.key) for n in o.needs.all()],
            }
            for o in content.outcomes.prefetch_related("needs")
        ]
    if section == Section.K:
        return [
            {
                "key": str(a.key),
                "advice_request": str(a.advice_request_id or ""),
                "document": str(a.document_id or ""),
                "description": a.description,
                "author": a.author,
                "dated": a.dated,
            }
            for a in content.advice.all()
        ]
    return [
        {
            "key": str(p.key),
            "description": p.description,
            "frequency": p.frequency,
            "duration": p.duration,
            "provider": p.provider,
            "outcomes": [str(o.key) for o in p.outcomes.all()],
        }
        for p in content.provision.prefetch_related("outcomes")
        if p.section == section
    ]
