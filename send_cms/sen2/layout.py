"""The shape of a SEN2 file: modules, their items in order, code lists and what is mandatory.

Pure Python (no Django), so the export (reporting) and the import (cases) read one description
of each year's layout. A year's layout maps each *module* (an element holding other elements:
Message, Header, Person, Requests...) to its items in the order the year's schema requires;
module tags are unique in SEN2, so `layout.item("PlanDetail", "URN")` names an item exactly.

Values cross the file boundary through `Item.to_text` (writing: None when this year's file
cannot hold the value) and `Item.from_text` (reading: ValueError with the reason).
"""

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

ROOT = "Message"
#: Characters XML 1.0 cannot hold (control characters other than tab, newline, return).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Kind(StrEnum):
    MODULE = "module"  # holds other items
    TEXT = "text"  # free text, or text matching `pattern`
    CODE = "code"  # one of `codes`
    FLAG = "flag"  # 1 or 0, read as a bool
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # YYYY-MM-DDTHH:MM:SS
    YEAR = "year"  # YYYY


class Use(StrEnum):
    """How DfE asks for an item in a year (the schema itself makes almost everything optional)."""

    REQUIRED = "required"  # in every instance of its module
    APPLICABLE = "applicable"  # mandatory where it applies (the validator's rules say when)
    VOLUNTARY = "voluntary"  # may be left out this year


@dataclass(frozen=True)
class Code:
    value: str
    meaning: str


@dataclass(frozen=True)
class Item:
    """One element of a module. `guide` is the item number in DfE's guide for LAs ("2.1")."""

    tag: str
    kind: Kind
    use: Use = Use.APPLICABLE
    max_occurs: int | None = 1  # None: any number
    codes: tuple[Code, ...] = ()
    pattern: str = ""  # the whole value must match, as an XSD pattern does
    guide: str = ""
    _code_values: frozenset[str] = field(init=False, repr=False, compare=False)
    _regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_code_values", frozenset(c.value for c in self.codes))
        object.__setattr__(self, "_regex", re.compile(self.pattern) if self.pattern else None)

    @property
    def mandatory(self) -> bool:
        """DfE requires it (always, or wherever it applies) rather than inviting it."""
        return self.use is not Use.VOLUNTARY

    @property
    def is_module(self) -> bool:
        return self.kind is Kind.MODULE

    @property
    def code_values(self) -> frozenset[str]:
        return self._code_values

    def meaning(self, value: str) -> str:
        """The code's meaning in this year ("" for an unknown code)."""
        return next((c.meaning for c in self.codes if c.value == value), "")

    def accepts(self, text: str) -> bool:
        """Whether this year's file may hold `text` here (code list, pattern, date shape)."""
        try:
            self.from_text(text)
        except ValueError:
            return False
        return True

    def to_text(self, value: object) -> str | None:
        """The value as the file writes it, or None when this year's file cannot hold it (an
        unknown code, a malformed URN): leaving it out keeps the file valid against the schema,
        and the validator reports the record that lacks it. Called for every value of a large
        file, so the common kinds are checked without a round trip through `from_text`."""
        if value is None or value == "":
            return None
        kind = self.kind
        if kind is Kind.FLAG:
            return "1" if value in (True, 1, "1") else "0" if value in (False, 0, "0") else None
        if kind is Kind.DATE and isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            return day.isoformat()
        if kind is Kind.DATETIME and isinstance(value, dt.datetime):
            return value.replace(microsecond=0, tzinfo=None).isoformat()
        text = str(value)
        if self._code_values:
            return text if text in self._code_values else None
        if self._regex is not None:
            return text if self._regex.fullmatch(text) else None
        if kind is Kind.TEXT:
            return _NOT_XML.sub("", text).strip() or None
        return text if self.accepts(text) else None

    def from_text(self, text: str) -> object:
        """The Python value of the file's text: date, datetime, int (YEAR), bool (FLAG) or str.

        Raises ValueError saying why when this year's layout does not allow the text.
        """
        text = text.strip()
        if self.kind is Kind.MODULE:
            raise ValueError(f"{self.tag} is a module, not a value.")
        if not text:
            raise ValueError(f"{self.tag} is empty.")
        if self.kind is Kind.DATE:
            return _parse(dt.date.fromisoformat, text, self.tag, "a date (YYYY-MM-DD)")
        if self.kind is Kind.DATETIME:
            return _parse(dt.datetime.fromisoformat, text, self.tag, "a date and time")
        if self.kind is Kind.YEAR:
            if not re.fullmatch(r"\d{4}", text):
                raise ValueError(f"{self.tag} must be a year (YYYY), not {text!r}.")
            return int(text)
        if self.codes and text not in self._code_values:
            allowed = ", ".join(c.value for c in self.codes)
            raise ValueError(f"{self.tag} must be one of {allowed}, not {text!r}.")
        if self._regex is not None and not self._regex.fullmatch(text):
            raise ValueError(f"{self.tag} {text!r} is not in the expected form.")
        if self.kind is Kind.FLAG:
            return text == "1"
        return text


def _parse(parse: object, text: str, tag: str, what: str) -> object:
    try:
        return parse(text)  # type: ignore[operator]
    except ValueError:
        raise ValueError(f"{tag} must be {what}, not {text!r}.") from None


class UnknownModule(KeyError):
    pass


@dataclass(frozen=True)
class Layout:
    """One year's return. `confirmed` is True when the layout was checked against a schema of
    that year; False when it is inferred (see `notes`), so a reader should be lenient."""

    year: int
    reference_date: dt.date  # the census day: the third Thursday of January
    deadline: dt.date | None
    modules: Mapping[str, tuple[Item, ...]]
    confirmed: bool = True
    notes: str = ""

    @property
    def activity_start(self) -> dt.date:
        """1 January of the calendar year the return's activity covers (the year before)."""
        return dt.date(self.year - 1, 1, 1)

    def children(self, module: str) -> tuple[Item, ...]:
        """The module's items in this year's order."""
        try:
            return self.modules[module]
        except KeyError:
            raise UnknownModule(f"SEN2 {self.year} has no module {module}.") from None

    def order(self, module: str) -> tuple[str, ...]:
        return tuple(item.tag for item in self.children(module))

    def item(self, module: str, tag: str) -> Item:
        for item in self.children(module):
            if item.tag == tag:
                return item
        raise KeyError(f"SEN2 {self.year} has no {tag} in {module}.")

    def has(self, module: str, tag: str) -> bool:
        return module in self.modules and any(i.tag == tag for i in self.modules[module])

    def walk(self, module: str = ROOT, path: str = "") -> Iterator[tuple[str, Item]]:
        """Every item as ("Message/Persons/Person/Surname", item), depth first, in file order."""
        here = f"{path}/{module}" if path else module
        for item in self.children(module):
            yield f"{here}/{item.tag}", item
            if item.is_module:
                yield from self.walk(item.tag, here)
