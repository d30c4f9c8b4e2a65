"""Template filters for the one deadline table (`deadlines/_table.html`) and status badges."""

from collections.abc import Iterable
from typing import Any

from django import template

from send_cms.deadlines import display
from send_cms.deadlines.models import Deadline

register = template.Library()


@register.filter
def deadline_tag(status: Any) -> str:
    """The GOV.UK tag class of a deadline status."""
    return display.status_tag(str(status) if status else "")


@register.filter
def deadline_label(status: Any) -> str:
    """The words on a deadline badge ("Due soon")."""
    return display.status_label(str(status) if status else "")


@register.filter
def deadline_rows(deadlines: Iterable[Deadline | display.DeadlineRow]) -> list[display.DeadlineRow]:
    """Stored deadlines as the table's rows (rows already built pass through)."""
    return [d if isinstance(d, display.DeadlineRow) else display.stored_row(d) for d in deadlines]
