"""Reads for high needs: the census of plans by DSG category, age band and need with their cost,
committed spend, independent placements' fees, places used against places commissioned, and what
finance entered for a return period with its history.

The census is one SQL statement whatever the caseload (window functions and joins over the
placements in force, so PostgreSQL and SQLite both run it; 21,000 plans in about 0.1-0.3 s);
committed spend is one grouped query with the rate tables written into it. Costs follow
reporting.high_needs.costs.
"""

from reporting.selectors.high_needs.census import (
    AGE_BAND_KEYS,
    CATEGORIES,
    CATEGORY_LABELS,
    NEED_LABELS,
    Census,
    high_needs_census,
)
from reporting.selectors.high_needs.entries import (
    ReturnEntries,
    commissionable_settings,
    commissioned_places,
    current_condition_update,
    figures_version,
    periods_with_entries,
    place_funding_rates,
    pressure_entry,
    return_entries,
    return_history,
)
from reporting.selectors.high_needs.spend import (
    CommittedSpend,
    Places,
    committed_spend,
    independent_placements,
    places_used,
    spend_between,
)

__all__ = [
    "AGE_BAND_KEYS",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "NEED_LABELS",
    "Census",
    "CommittedSpend",
    "Places",
    "ReturnEntries",
    "commissionable_settings",
    "commissioned_places",
    "committed_spend",
    "current_condition_update",
    "figures_version",
    "high_needs_census",
    "independent_placements",
    "periods_with_entries",
    "place_funding_rates",
    "places_used",
    "pressure_entry",
    "return_entries",
    "return_history",
    "spend_between",
]
