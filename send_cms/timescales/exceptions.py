"""The exceptions in the Regulations that excuse a missed time limit (timescales.md section 2).

An exception never moves a due date: the duty becomes "as soon as practicable". The case
records it and timeliness is reported with and without it. This module says which exception
can excuse which rule, and holds the tests the Regulations set for closures and absences, so
the model layer can refuse an exception that the law does not allow.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from send_cms.timescales.rules import (
    LA_STATUTORY_RULES,
    ORDER_RULES,
    format_date,
    get_rule,
)


class ExceptionType(StrEnum):
    """The circumstances the Regulations accept for missing a time limit."""

    school_closure = "school_closure"
    early_years_closure = "early_years_closure"
    personal_circumstances = "personal_circumstances"
    absence_from_area = "absence_from_area"
    missed_appointment = "missed_appointment"
    late_representations = "late_representations"

    @property
    def label(self) -> str:
        """The caseworker's words for this exception."""
        return LABELS[self]


LABELS: Mapping[ExceptionType, str] = MappingProxyType(
    {
        ExceptionType.school_closure: "School or college closure",
        ExceptionType.early_years_closure: "Early years provider closure",
        ExceptionType.personal_circumstances: "Exceptional personal circumstances",
        ExceptionType.absence_from_area: "Absence from the area",
        ExceptionType.missed_appointment: "Missed appointment",
        ExceptionType.late_representations: "Late representations on the plan",
    }
)

#: Which rules each exception can excuse. A missed appointment excuses only the adviser's
#: 6 weeks (regulation 8), never the council's own 6, 16 or 20 weeks.
APPLIES_TO: Mapping[ExceptionType, frozenset[str]] = MappingProxyType(
    {
        ExceptionType.school_closure: LA_STATUTORY_RULES,
        ExceptionType.early_years_closure: LA_STATUTORY_RULES,
        ExceptionType.personal_circumstances: LA_STATUTORY_RULES | ORDER_RULES,
        ExceptionType.absence_from_area: LA_STATUTORY_RULES | ORDER_RULES,
        ExceptionType.missed_appointment: frozenset({"advice"}),
        ExceptionType.late_representations: ORDER_RULES,
    }
)

#: A closure must last at least this long (4 continuous weeks) to count.
MINIMUM_CLOSURE_DAYS = 28
#: The window starts and ends this long before the closure starts and the reopening.
CLOSURE_WINDOW_LEAD = timedelta(weeks=1)
#: Absence from the area: 4 weeks, or 2 weeks for a tribunal order.
MINIMUM_ABSENCE_DAYS = 28
MINIMUM_ABSENCE_DAYS_ORDERS = 14

# Business-rule messages; tests and the API assert these exact words.
EXCEPTION_NOT_APPLICABLE = "{label} cannot excuse the time limit: {rule_title}."
CLOSURE_DATES_INVALID = "The reopening date must be after the first day of the closure."
CLOSURE_TOO_SHORT = (
    "A closure of {days} days is shorter than 4 continuous weeks, so it cannot excuse a time limit."
)
ADVICE_OUTSIDE_CLOSURE_WINDOW = (
    "Advice was requested on {requested_on}, outside the closure window "
    "{window_start} to {window_end}."
)
ABSENCE_DATES_INVALID = "The return date must be after the date the family left the area."
ABSENCE_TOO_SHORT = (
    "An absence of {days} days is shorter than the {minimum} days needed to excuse "
    "the time limit: {rule_title}."
)


class ExceptionNotApplicable(ValueError):
    """The law does not let this exception excuse this rule (or its test is not met)."""


def _kind(kind: ExceptionType | str) -> ExceptionType:
    return kind if isinstance(kind, ExceptionType) else ExceptionType(kind)


def exception_applies(kind: ExceptionType | str, rule_id: str) -> bool:
    """Whether `kind` can ever excuse `rule_id`; an unknown rule id raises `UnknownRule`."""
    get_rule(rule_id)
    return rule_id in APPLIES_TO[_kind(kind)]


def rules_excused_by(kind: ExceptionType | str) -> frozenset[str]:
    """Every rule id the exception can excuse."""
    return APPLIES_TO[_kind(kind)]


def exceptions_for(rule_id: str) -> tuple[ExceptionType, ...]:
    """The exceptions a caseworker may choose for a rule, in the enum's order (for a form)."""
    get_rule(rule_id)
    return tuple(kind for kind in ExceptionType if rule_id in APPLIES_TO[kind])


def refusal_message(kind: ExceptionType | str, rule_id: str) -> str:
    """The message shown when an exception is recorded against a rule it cannot excuse."""
    return EXCEPTION_NOT_APPLICABLE.format(
        label=_kind(kind).label, rule_title=get_rule(rule_id).title
    )


def ensure_exception_applies(kind: ExceptionType | str, rule_id: str) -> None:
    """Raise `ExceptionNotApplicable` with the house message unless `kind` can excuse the rule."""
    if not exception_applies(kind, rule_id):
        raise ExceptionNotApplicable(refusal_message(kind, rule_id))


def closure_window(closed_from: date, reopens_on: date) -> tuple[date, date] | None:
    """The days on which requesting advice from a closed setting can excuse a time limit.

    The closure must last at least 4 continuous weeks (from `closed_from` up to the day before
    `reopens_on`); the window begins one week before the closure and ends one week before the
    reopening, both inclusive: closed 23 Jul 2025, reopens 3 Sep 2025 -> 16 Jul-27 Aug 2025.
    None when the closure is shorter than 4 weeks.
    """
    if reopens_on <= closed_from:
        raise ValueError(CLOSURE_DATES_INVALID)
    if (reopens_on - closed_from).days < MINIMUM_CLOSURE_DAYS:
        return None
    return closed_from - CLOSURE_WINDOW_LEAD, reopens_on - CLOSURE_WINDOW_LEAD


def advice_requested_in_closure_window(
    requested_on: date, closed_from: date, reopens_on: date
) -> bool:
    """The closure test: was advice requested inside the window of a long enough closure?"""
    window = closure_window(closed_from, reopens_on)
    return window is not None and window[0] <= requested_on <= window[1]


def closure_refusal(requested_on: date, closed_from: date, reopens_on: date) -> str | None:
    """Why a closure exception fails its test, in the house words; None when it passes."""
    window = closure_window(closed_from, reopens_on)
    if window is None:
        return CLOSURE_TOO_SHORT.format(days=(reopens_on - closed_from).days)
    if not window[0] <= requested_on <= window[1]:
        return ADVICE_OUTSIDE_CLOSURE_WINDOW.format(
            requested_on=format_date(requested_on),
            window_start=format_date(window[0]),
            window_end=format_date(window[1]),
        )
    return None


def minimum_absence_days(rule_id: str) -> int:
    """Days away from the area that can excuse a rule: 28, or 14 for a tribunal order."""
    get_rule(rule_id)
    return MINIMUM_ABSENCE_DAYS_ORDERS if rule_id in ORDER_RULES else MINIMUM_ABSENCE_DAYS


def absence_refusal(rule_id: str, left_on: date, returned_on: date) -> str | None:
    """Why an absence from the area fails its test; None when it is long enough.

    The family is away from `left_on` up to the day before `returned_on`, so the days away are
    `returned_on - left_on`, counted like a closure.
    """
    if returned_on <= left_on:
        raise ValueError(ABSENCE_DATES_INVALID)
    days = (returned_on - left_on).days
    minimum = minimum_absence_days(rule_id)
    if days < minimum:
        return ABSENCE_TOO_SHORT.format(
            days=days, minimum=minimum, rule_title=get_rule(rule_id).title
        )
    return None
