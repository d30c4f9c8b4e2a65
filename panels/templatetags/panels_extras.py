"""Small display filters for panel pages and PDFs."""

from django import template

from send_cms.common.templatetags.govuk import govuk_date, money

register = template.Library()
# The shared filters, under the names the panel (and reporting) templates load from here.
register.filter("govuk_date", govuk_date)
register.filter("money", money)


@register.filter
def percent(value: float | None) -> str:
    """0.625 -> 62.5%; a dash when there is nothing to divide."""
    if value is None:
        return "\N{EN DASH}"
    return f"{value * 100:.1f}%"
