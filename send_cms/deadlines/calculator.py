"""The timescale calculator behind the page and the API: one rule, one start date, a due date.

`calculate` checks what the engine cannot know about a person's input (a date before the law
began, a parameter the rule does not use) and answers with field-keyed `ValidationError`s, so
the form and the API report the same words against the same field.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from send_cms.deadlines.calendar import council_calendar
from send_cms.deadlines.messages import DATE_TOO_EARLY, DATE_TOO_LATE, PARAMETER_NOT_USED
from send_cms.timescales import (
    RULE_IDS,
    RULES,
    Due,
    Parameter,
    Rule,
    compute,
    format_date,
    get_rule,
)

#: Dates after this are refused: no statutory period reaches that far, and date arithmetic
#: near the year 9999 overflows.
LATEST_DATE = dt.date(2199, 12, 31)
START_LABEL = "Start date"


@dataclass(frozen=True)
class ParameterInfo:
    """A parameter of one or more rules, as the calculator offers it."""

    name: str
    label: str
    rule_ids: tuple[str, ...]

    @property
    def used_by(self) -> str:
        return "; ".join(RULES[rule_id].title for rule_id in self.rule_ids)


def _parameters() -> dict[str, ParameterInfo]:
    found: dict[str, tuple[Parameter, list[str]]] = {}
    for rule_id in RULE_IDS:
        for parameter in RULES[rule_id].parameters:
            found.setdefault(parameter.name, (parameter, []))[1].append(rule_id)
    return {
        name: ParameterInfo(name=name, label=parameter.label, rule_ids=tuple(rule_ids))
        for name, (parameter, rule_ids) in found.items()
    }


#: Every optional date any rule takes besides `start` (today only the mediation certificate).
PARAMETERS: Mapping[str, ParameterInfo] = _parameters()


def rules() -> list[Rule]:
    """The rules, in the order of the statutory table."""
    return [RULES[rule_id] for rule_id in RULE_IDS]


def _check_range(
    errors: dict[str, list[str]], name: str, label: str, value: dt.date, rule: Rule
) -> None:
    earliest = rule.periods[0].effective_from
    if value < earliest:
        errors.setdefault(name, []).append(
            DATE_TOO_EARLY.format(label=label, earliest=format_date(earliest))
        )
    elif value > LATEST_DATE:
        errors.setdefault(name, []).append(
            DATE_TOO_LATE.format(label=label, latest=format_date(LATEST_DATE))
        )


def calculate(*, rule_id: str, start: dt.date, params: Mapping[str, dt.date | None]) -> Due:
    """The due date of `rule_id` for a trigger on `start`; `UnknownRule` for an unknown id."""
    rule = get_rule(rule_id)
    accepted = {parameter.name for parameter in rule.parameters}
    errors: dict[str, list[str]] = {}
    _check_range(errors, "start", START_LABEL, start, rule)
    given: dict[str, dt.date] = {}
    for name, value in params.items():
        if value is None:
            continue
        info = PARAMETERS.get(name)
        label = info.label if info is not None else name
        if name not in accepted:
            used_by = info.used_by if info is not None else "no time limit"
            errors.setdefault(name, []).append(PARAMETER_NOT_USED.format(label=label, uses=used_by))
            continue
        _check_range(errors, name, label, value, rule)
        given[name] = value
    if errors:
        raise ValidationError(errors)
    return compute(rule_id, start, council_calendar(), **given)
