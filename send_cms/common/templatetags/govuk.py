"""Display filters every app's pages share: one way to show a date and a sum of money."""

from decimal import Decimal
from typing import Any

from django import template

from send_cms.timescales import format_date

register = template.Library()


@register.filter
def govuk_date(value: Any) -> str:
    """8 Sep 2025, whatever the locale (`send_cms.timescales.format_date`); blank for none."""
    if not value:
        return ""
    return format_date(value)


@register.filter
def money(value: Any) -> str:
    """£1,600.00; blank for no value."""
    if value is None or value == "":
        return ""
    return f"£{Decimal(value):,.2f}"
