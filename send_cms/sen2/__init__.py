"""The SEN2 return's layout by year, as data: pure Python, no Django (import-linter enforces it).

    from send_cms.sen2 import layout_for
    layout = layout_for(2026)
    layout.order("ActivePlans")                       # the items, in this year's order
    layout.item("Requests", "RequestOutcome").codes   # the code list
    layout.item("NamedPlan", "PB").mandatory

The export (reporting.sen2) writes and the import (cases) reads through the same table.
"""

from send_cms.sen2.layout import ROOT, Code, Item, Kind, Layout, UnknownModule, Use
from send_cms.sen2.tables import LAYOUTS

#: The years whose layout was checked against that year's schema: the ones the product exports.
EXPORT_YEARS: tuple[int, ...] = tuple(
    sorted(y for y, layout in LAYOUTS.items() if layout.confirmed)
)


class UnknownYear(LookupError):
    pass


def layout_for(year: int) -> Layout:
    """The layout of the return whose census falls in January of `year`."""
    try:
        return LAYOUTS[year]
    except KeyError:
        known = ", ".join(str(y) for y in sorted(LAYOUTS))
        raise UnknownYear(f"There is no SEN2 layout for {year}: the years are {known}.") from None


__all__ = [
    "EXPORT_YEARS",
    "LAYOUTS",
    "ROOT",
    "Code",
    "Item",
    "Kind",
    "Layout",
    "UnknownModule",
    "UnknownYear",
    "Use",
    "layout_for",
]
