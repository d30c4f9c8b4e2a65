"""The timescale calculator's form: shape only; the calculation is `calculator.calculate`."""

from typing import Any

from django import forms

from send_cms.common.forms import GovukDateField, GovukForm
from send_cms.deadlines.calculator import PARAMETERS, START_LABEL, rules
from send_cms.deadlines.messages import CHOOSE_RULE


class Select(forms.Select):
    """The built-in select's markup, from this app (the project renders forms with its own
    templates only)."""

    template_name = "deadlines/widgets/select.html"


def _rule_choices() -> list[tuple[str, str]]:
    return [("", "Choose a time limit"), *((rule.id, rule.title) for rule in rules())]


class TimescaleCalculatorForm(GovukForm):
    rule = forms.ChoiceField(
        label="Time limit",
        choices=_rule_choices,
        widget=Select,
        error_messages={"required": CHOOSE_RULE, "invalid_choice": CHOOSE_RULE},
    )
    start = GovukDateField(
        label=START_LABEL,
        help_text="The date of the trigger, for example the day the request was received. "
        "For example, 8 9 2025",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for info in PARAMETERS.values():
            self.fields[info.name] = GovukDateField(
                label=info.label,
                required=False,
                help_text=f"Only for: {info.used_by}. Leave it empty if there is none.",
            )

    def parameter_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PARAMETERS}
