"""The LA reference of a case: "<LA code>-<year>-<5 digits>", unique, generated in sequence.

The number restarts each calendar year. Two requests creating children at the same moment may
pick the same number; the unique constraint on Child.reference refuses the second and the
caller retries (see `cases.services.children`), so no reference is ever issued twice.
"""

import re

from django.conf import settings
from django.utils import timezone

from cases.models import Child

REFERENCE_DIGITS = 5


def reference_prefix(year: int | None = None) -> str:
    year = year if year is not None else timezone.localdate().year
    return f"{settings.LA_CODE}-{year}-"


def next_reference(year: int | None = None, *, skip: int = 0) -> str:
    """The next free reference of the year; `skip` steps past numbers taken by a racing insert."""
    prefix = reference_prefix(year)
    pattern = rf"^{re.escape(prefix)}[0-9]{{{REFERENCE_DIGITS}}}$"
    last = (
        Child.objects.filter(reference__regex=pattern)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) if last else 0
    return f"{prefix}{number + 1 + skip:0{REFERENCE_DIGITS}d}"
