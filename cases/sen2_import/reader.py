"""Read a SEN2 file one person at a time: the header first, then each Person as a tree of values.

Streaming (lxml's iterparse), so memory stays flat however many persons the file holds: each
Person element is read, turned into a `Node` and cleared. Every value is read through the
year's layout (`Item.from_text`), by tag name rather than position. The layouts of 2023 and 2024
are inferred, not checked against a schema, so their files are read leniently: an item or a
code of a later year is accepted too.

A file that cannot be read as a SEN2 return (not XML, no header, a year without a layout) raises
`MalformedFile`; a person whose items cannot be read carries its problems, each with its line.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from lxml import etree

from cases.sen2_import import messages as msg
from send_cms.sen2 import LAYOUTS, Item, Layout, Use, layout_for


class MalformedFile(ValueError):
    """The file cannot be read as a SEN2 return: nothing is imported."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Node:
    """One module of the file: its values by tag, its modules by tag, and where each was."""

    tag: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    modules: dict[str, list["Node"]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def get(self, tag: str) -> Any:
        return self.values.get(tag)

    def all(self, module: str) -> list["Node"]:
        return self.modules.get(module, [])

    def first(self, module: str) -> "Node | None":
        found = self.modules.get(module)
        return found[0] if found else None

    def line_of(self, tag: str) -> int:
        return self.lines.get(tag, self.line)


@dataclass(frozen=True)
class Header:
    year: int
    reference_date: dt.date | None
    lea: str
    layout: Layout


@dataclass
class ParsedPerson:
    line: int
    node: Node
    problems: list[Problem]


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) and tag.startswith("{") else tag


@cache
def _definitions(year: int, module: str, tag: str) -> tuple[Item, ...]:
    """The item's definitions to try, this year's first. A confirmed year has only its own; an
    inferred one (2023, 2024) may also hold what a later year's layout defines."""
    layout = layout_for(year)
    found = [layout.item(module, tag)] if layout.has(module, tag) else []
    if not layout.confirmed:
        for other in sorted(LAYOUTS, reverse=True):
            if other != year and LAYOUTS[other].has(module, tag):
                found.append(LAYOUTS[other].item(module, tag))
    return tuple(found)


@cache
def _required(year: int, module: str) -> tuple[str, ...]:
    return tuple(i.tag for i in layout_for(year).children(module) if i.use is Use.REQUIRED)


def _value(definitions: tuple[Item, ...], text: str) -> Any:
    """The value the first definition accepts; this year's reason when none does."""
    first_error: ValueError | None = None
    for item in definitions:
        try:
            return item.from_text(text)
        except ValueError as error:
            first_error = first_error or error
    assert first_error is not None
    raise first_error


def read_module(element: Any, module: str, year: int, problems: list[Problem]) -> Node:
    """The element as a Node of `module`, every problem noted with its line."""
    node = Node(tag=module, line=element.sourceline or 0)
    counts: dict[str, int] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        tag = _local(child.tag)
        line = child.sourceline or node.line
        definitions = _definitions(year, module, tag)
        if not definitions:
            problems.append(
                Problem(line, msg.UNKNOWN_ITEM.format(tag=tag, module=module, year=year))
            )
            continue
        item = definitions[0]
        counts[tag] = counts.get(tag, 0) + 1
        if item.max_occurs is not None and counts[tag] > item.max_occurs:
            times = "time" if item.max_occurs == 1 else "times"
            problems.append(
                Problem(
                    line,
                    msg.TOO_MANY.format(module=module, tag=tag, count=item.max_occurs, times=times),
                )
            )
            continue
        if item.is_module:
            node.modules.setdefault(tag, []).append(read_module(child, tag, year, problems))
            continue
        if len(child):
            problems.append(Problem(line, msg.HOLDS_ELEMENTS.format(tag=tag)))
            continue
        text = (child.text or "").strip()
        if not text:
            continue  # an empty optional item is an absent one; a required one is reported below
        try:
            node.values[tag] = _value(definitions, text)
        except ValueError as error:
            problems.append(Problem(line, str(error).rstrip(".")))
            continue
        node.lines[tag] = line
    for tag in _required(year, module):
        if tag not in node.values and tag not in node.modules and counts.get(tag, 0) == 0:
            problems.append(Problem(node.line, msg.MISSING.format(module=module, tag=tag)))
    return node


def _text_at(element: Any, *path: str) -> str:
    """The text of the first element at `path` below `element`, or ""."""
    for tag in path:
        element = next((c for c in element if _local(c.tag) == tag), None)
        if element is None:
            return ""
    return (element.text or "").strip()


def _header(element: Any) -> Header:
    """The header, read with the layout of the year it names."""
    collection = _text_at(element, "CollectionDetails", "Collection")
    if collection and collection != "SEN2":
        raise MalformedFile(msg.NOT_SEN2_COLLECTION.format(collection=collection))
    year_text = _text_at(element, "CollectionDetails", "Year")
    if not (year_text.isdigit() and int(year_text) in LAYOUTS):
        years = f"{min(LAYOUTS)} to {max(LAYOUTS)}"
        raise MalformedFile(msg.UNKNOWN_YEAR.format(years=years, year=year_text or "no year"))
    year = int(year_text)
    problems: list[Problem] = []
    node = read_module(element, "Header", year, problems)
    if problems:
        raise MalformedFile(msg.BAD_HEADER.format(problems="; ".join(map(str, problems))))
    details = node.first("CollectionDetails")
    source = node.first("Source")
    return Header(
        year=year,
        reference_date=details.get("ReferenceDate") if details else None,
        lea=str(source.get("LEA") or "") if source else "",
        layout=layout_for(year),
    )


class Sen2Reader:
    """`reader.header` (read on first use), then `for person in reader.persons(): ...`."""

    def __init__(self, source: str | Path | IO[bytes]) -> None:
        self._events = etree.iterparse(
            source if not isinstance(source, Path) else str(source),
            events=("end",),
            tag=("Header", "Person", "{*}Header", "{*}Person"),
            resolve_entities=False,
            no_network=True,
            remove_comments=True,
            remove_pis=True,
        )
        self._header: Header | None = None
        self._pending: Any = None  # a Person read while looking for the header

    def _next(self) -> Any:
        try:
            _, element = next(self._events)
        except StopIteration:
            return None
        except etree.XMLSyntaxError as error:
            raise MalformedFile(msg.NOT_XML.format(error=error)) from None
        root = element.getroottree().getroot()
        if _local(root.tag) != "Message":
            raise MalformedFile(msg.NOT_SEN2.format(tag=_local(root.tag)))
        return element

    @property
    def header(self) -> Header:
        if self._header is None:
            element = self._next()
            if element is None or _local(element.tag) != "Header":
                if element is None:
                    self._check_root_after_end()
                raise MalformedFile(msg.NO_HEADER)
            self._header = _header(element)
            element.clear()
        return self._header

    def _check_root_after_end(self) -> None:
        root = getattr(self._events, "root", None)
        if root is not None and _local(root.tag) != "Message":
            raise MalformedFile(msg.NOT_SEN2.format(tag=_local(root.tag)))

    def persons(self) -> Iterator[ParsedPerson]:
        """Each Person, in file order; the element is cleared once read."""
        year = self.header.year
        while (element := self._next()) is not None:
            if _local(element.tag) != "Person":
                element.clear()  # a second header among the persons says nothing more
                continue
            problems: list[Problem] = []
            node = read_module(element, "Person", year, problems)
            yield ParsedPerson(line=node.line, node=node, problems=problems)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
