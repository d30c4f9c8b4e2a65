"""Small display filters for panel pages and PDFs."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def money(value: Any) -> str:
    """£1,600.00; blank for no value."""
    if value is None or value == "":
        return ""
    return f"£{Decimal(value):,.2f}"


@register.filter
def percent(value: float | None) -> str:
    """0.625 -> 62.5%; a dash when there is nothing to divide."""
    if value is None:
        return "\N{EN DASH}"
    return f"{value * 100:.1f}%"


@register.filter
def govuk_date(value: Any) -> str:
    """8 Sep 2025, whatever the locale."""
    if not value:
        return ""
    return f"{value.day} {value:%b %Y}"
