"""The rows one person becomes, and the rule that merges a file's values into a record."""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from cases.models import AssessmentRequest, Child, NamedSetting, Placement, Plan, PlanVersion
from cases.sen2_import import hooks
from cases.sen2_import.reader import Node
from cases.sen2_import.records import PersonData
from cases.sen2_import.report import RECORDS, Tally

BATCH_SIZE = 500
INSERT_BATCH = 1000
#: Tables in the order their rows can be inserted (each refers only to those before it).
INSERT_ORDER: tuple[type[models.Model], ...] = (
    Child,
    AssessmentRequest,
    Plan,
    PlanVersion,
    NamedSetting,
    Placement,
)
PLACEHOLDER_NAME = "Setting not on the register: {reference} (named in a SEN2 file)"
VERSION_CHANGES = "Issued on this date, as an imported SEN2 file says."
TIMELINE_EVENT = "sen2.imported"
TIMELINE_TITLE = "Records imported from a SEN2 {year} file"
AUDIT_CREATED = "child.sen2_imported"
AUDIT_UPDATED = "child.sen2_updated"
Key = tuple[str, str, Any]


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


def _history(obj: models.Model) -> dict[str, Any] | None:
    history = getattr(obj, "sen2_history", None)
    return dict(history) if isinstance(history, dict) else None


def merge(
    obj: models.Model,
    wanted: dict[str, Any],
    inferred: set[str],
    flags: dict[str, int] | None = None,
) -> set[str]:
    """Fill in what `obj` lacks from the file, and replace dates an earlier import inferred with
    the ones the file gives; never overwrite a value the record holds. Returns what changed."""
    history = _history(obj)
    held = set(history.get("inferred", ())) if history is not None else set()
    changed: set[str] = set()
    for name, value in wanted.items():
        if _empty(value):
            continue
        current = getattr(obj, name)
        real = name not in inferred
        if current == value:
            if real:
                held.discard(name)
            continue
        if _empty(current) or (real and name in held):
            setattr(obj, name, value)
            changed.add(name)
            if real:
                held.discard(name)
            else:
                held.add(name)
    if history is not None:
        updated = history_value(history.get("flags", {}) | (flags or {}), held)
        if updated != history:
            obj.sen2_history = updated  # type: ignore[attr-defined]
            changed.add("sen2_history")
    return changed


def history_value(flags: dict[str, int], inferred: Iterable[str]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    if flags:
        value["flags"] = dict(sorted(flags.items()))
    if inferred:
        value["inferred"] = sorted(inferred)
    return value


@dataclass
class PersonWrite:
    """One person's rows: what to insert, what to update, and what each counts as."""

    data: PersonData
    child: Child
    child_created: bool = False
    creates: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )
    updates: dict[type[models.Model], dict[Any, tuple[models.Model, set[str]]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    tallies: dict[str, Tally] = field(default_factory=lambda: {n: Tally() for n in RECORDS})
    reviews: list[hooks.ImportedReview] = field(default_factory=list)
    placeholders: set[tuple[str, str]] = field(default_factory=set)
    lines: dict[int, int] = field(default_factory=dict)  # id(row): the line it came from

    def create(self, obj: models.Model, line: int, record: str) -> None:
        self.creates[type(obj)].append(obj)
        self.lines[id(obj)] = line
        if record:
            self.tallies[record].created += 1

    def update(self, obj: models.Model, fields: set[str], line: int, record: str) -> None:
        if not fields:
            if record:
                self.tallies[record].matched += 1
            return
        _, held = self.updates[type(obj)].setdefault(obj.pk, (obj, set()))
        held.update(fields)
        self.lines.setdefault(id(obj), line)
        if record:
            self.tallies[record].updated += 1

    @property
    def changed(self) -> bool:
        return any(self.creates.values()) or any(self.updates.values())

    def rows(self) -> Iterator[models.Model]:
        for objs in self.creates.values():
            yield from objs
        for group in self.updates.values():
            for obj, _ in group.values():
                yield obj


@dataclass
class Existing:
    """What is already recorded about one batch's children, grouped for matching."""

    requests: dict[Any, list[AssessmentRequest]] = field(default_factory=lambda: defaultdict(list))
    plans: dict[Any, list[Plan]] = field(default_factory=lambda: defaultdict(list))
    plan_by_request: dict[Any, Plan] = field(default_factory=dict)
    versions: dict[Any, list[PlanVersion]] = field(default_factory=lambda: defaultdict(list))
    named: dict[Any, list[NamedSetting]] = field(default_factory=lambda: defaultdict(list))
    placements: dict[Any, list[Placement]] = field(default_factory=lambda: defaultdict(list))


def constraint_name(error: Exception) -> str:
    diag = getattr(error.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    found = re.search(r"CHECK constraint failed: (\w+)", str(error))
    return found.group(1) if found else ""


def person_label(node: Node) -> str:
    return ", ".join(str(node.get(t)) for t in ("Surname", "Forename") if node.get(t))
