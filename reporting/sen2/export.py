"""Write a SEN2 return as XML, streaming: one person is built, written and forgotten at a time.

The year's layout decides every element's order and which values its file may hold, so the
same nodes give a 2025 or a 2026 file. Memory stays flat however large the council: lxml's
incremental writer (`etree.xmlfile`) and the selectors' batches of children.
"""

import datetime as dt
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from lxml import etree

from reporting.sen2.items import Node
from reporting.sen2.selectors import CHUNK_SIZE, return_contents
from send_cms.sen2 import EXPORT_YEARS, Kind, Layout, layout_for

SOFTWARE_CODE = "send-cms"
NOT_EXPORTED = "The product exports SEN2 for {years}, not {year}."
#: DMO, DCO and DSCO: Y yes, N no, R recruitment in progress.
OFFICER_CODES = ("Y", "N", "R")

Progress = Callable[[int, int], None]
ToText = Callable[[object], str | None]


class YearNotExported(ValueError):
    pass


@dataclass(frozen=True)
class HeaderDetails:
    """What the header says beyond the census: the submission's serial number and whether the
    council has designated medical, clinical and social care officers."""

    serial_no: int
    dmo: str
    dco: str
    dsco: str
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class Counts:
    persons: int
    requests: int
    plans: int


def release() -> str:
    try:
        return version("send-cms")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0"


def exportable_layout(year: int) -> Layout:
    """The layout of a year the product exports (checked against that year's schema)."""
    if year not in EXPORT_YEARS:
        years = ", ".join(str(y) for y in EXPORT_YEARS)
        raise YearNotExported(NOT_EXPORTED.format(years=years, year=year))
    return layout_for(year)


def header_node(layout: Layout, details: HeaderDetails) -> Node:
    created = timezone.localtime(details.created_at or timezone.now())
    source = {
        "SourceLevel": "L",
        "LEA": settings.LA_CODE,
        "SoftwareCode": SOFTWARE_CODE,
        "Release": release(),
        "SerialNo": f"{details.serial_no % 1000:03d}",
        "DateTime": created,
        "DMO": details.dmo,
        "DCO": details.dco,
        "DSCO": details.dsco,
    }
    collection = {
        "Collection": "SEN2",
        "Year": layout.year,
        "ReferenceDate": layout.reference_date,
    }
    return {"CollectionDetails": [collection], "Source": [source]}


def element(layout: Layout, module: str, node: Node) -> etree._Element:
    """One module as an element: the layout's items in its order, values it cannot hold left
    out, repeats cut at the layout's maximum."""
    built = etree.Element(module)
    _fill(layout, module, node, built)
    return built


def _fill(layout: Layout, module: str, node: Node, parent: etree._Element) -> None:
    sub_element = etree.SubElement
    for tag, is_module, max_occurs, to_text in _items(layout.year, module):
        value: Any = node.get(tag)
        if value is None:
            continue
        if is_module:
            for child in value[:max_occurs]:
                _fill(layout, tag, child, sub_element(parent, tag))
            continue
        text = to_text(value)
        if text is not None:
            sub_element(parent, tag).text = text


@cache
def _items(year: int, module: str) -> tuple[tuple[str, bool, int | None, ToText], ...]:
    """The module's items as the writer walks them, once per year and module (a large file
    visits each module tens of thousands of times)."""
    return tuple(
        (item.tag, item.kind is Kind.MODULE, item.max_occurs, item.to_text)
        for item in layout_for(year).children(module)
    )


def write_return(
    out: IO[bytes],
    *,
    year: int,
    header: HeaderDetails,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> Counts:
    """Write the return for `year` to `out`; `progress(done, total)` after each chunk."""
    layout = exportable_layout(year)
    contents = return_contents(year=year, chunk_size=chunk_size)
    persons = requests = plans = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write("\n")
            xf.write(element(layout, "Header", header_node(layout, header)), pretty_print=True)
            with ExitStack() as persons_element:
                for batch in contents.batches:
                    if not persons:  # no Persons at all rather than an empty one (1..n)
                        persons_element.enter_context(xf.element("Persons"))
                        xf.write("\n")
                    for node in batch:
                        xf.write(element(layout, "Person", node), pretty_print=True)
                        persons += 1
                        requests += len(node["Requests"])
                        plans += sum(
                            len(a.get("NamedPlan", ()))
                            for r in node["Requests"]
                            for a in r.get("Assessment", ())
                        )
                    xf.flush()
                    if progress is not None:
                        progress(persons, max(contents.persons, persons))
    return Counts(persons=persons, requests=requests, plans=plans)
