"""Display filters for the tribunal pages and the chronology PDF."""

from decimal import Decimal
from typing import Any

from django import template

from tribunals import presenters

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """£1,600.00; blank for no value."""
    if value is None or value == "":
        return ""
    return presenters.money(Decimal(value))


@register.filter
def pct(value: float) -> str:
    """0.727 -> 73%"""
    return presenters.percent(value)


@register.filter
def deadline_tag(status: Any) -> str:
    return presenters.deadline_tag(str(status))


@register.filter
def order_tag(status: Any) -> str:
    return presenters.ORDER_TAG.get(str(status), "govuk-tag--grey")


@register.filter
def outcome_tag(outcome: Any) -> str:
    return presenters.OUTCOME_TAG.get(str(outcome), "govuk-tag--grey")


@register.filter
def appeal_tag(status: Any) -> str:
    return presenters.APPEAL_TAG.get(str(status), "govuk-tag--grey")


@register.filter
def status_label(status: Any) -> str:
    """The words on a deadline badge ("Due soon")."""
    return presenters.status_label(str(status))


@register.filter
def count(row: Any, outcome: str) -> int:
    """An outcomes row's count for one outcome."""
    return int(row.count(outcome))
