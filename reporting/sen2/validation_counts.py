"""The nightly record of SEN2 validation: each rule's council-wide count, kept per day, so the
data-quality page can show the trend."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, Sum

from reporting.models import Sen2ValidationCount
from reporting.sen2.validation import count_totals, counts_by_rule
from reporting.sen2.validation_rules import current_year
from reporting.sen2.validation_rules.base import ERROR, QUERY


@dataclass(frozen=True)
class NightCount:
    """The council's errors and queries as the nightly task counted them."""

    day: dt.date
    errors: int
    queries: int


@transaction.atomic
def validation_counts_record(*, day: dt.date, year: int | None = None) -> int:
    """Store each rule's council-wide count for `day` (the return being prepared by default).

    One row per day, year and rule: a second run the same day overwrites the first, never adds.
    Returns the errors counted."""
    year = current_year(day) if year is None else year
    counts = counts_by_rule(year=year)
    Sen2ValidationCount.objects.bulk_create(
        [
            Sen2ValidationCount(
                counted_on=day,
                year=year,
                rule_id=rc.rule.id,
                severity=rc.rule.severity,
                failures=rc.count,
            )
            for rc in counts
        ],
        update_conflicts=True,
        unique_fields=["counted_on", "year", "rule_id"],
        update_fields=["severity", "failures"],
    )
    return count_totals(counts)[0]


def count_history(*, year: int, nights: int = 7) -> list[NightCount]:
    """The last `nights` nightly totals for a year's return, oldest first: the trend."""
    rows = (
        Sen2ValidationCount.objects.filter(year=year)
        .values("counted_on")
        .annotate(
            errors=Sum("failures", filter=Q(severity=ERROR)),
            queries=Sum("failures", filter=Q(severity=QUERY)),
        )
        .order_by("-counted_on")[:nights]
    )
    return [
        NightCount(row["counted_on"], row["errors"] or 0, row["queries"] or 0)
        for row in reversed(list(rows))
    ]
