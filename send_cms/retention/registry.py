"""How the domain apps tell retention about their records, without retention importing them.

Each app keeps a `retention.py` (found at start-up, as `admin.py` is) that registers:

- a *finder* per rule of the schedule it holds records for: given the rule in force and today,
  the records whose period has ended (`Due`);
- a *disposer* per kind of record a finder lists: anonymises or deletes one record, and what
  hangs off it, inside the approval's transaction;
- its *part of a child's SEN file*: what anonymising the whole file does to that app's records;
- its *sections* of a subject access export, and any *files* held about the child;
- (casework only) how to find the child an export is about (`register_subject`).

    # tribunals/retention.py
    register_finder(TRIBUNAL_FILE, appeals_due)
    register_disposer("tribunals.appeal", appeal_anonymise)
    register_child_part(child_tribunal_records_anonymise)
    register_section(Section("appeals", "Appeals to the tribunal", 70, appeal_records))
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from send_cms.retention.schedule import Rule


@dataclass(frozen=True)
class Due:
    """A record whose retention period ended on `due_on`. `reference` is what the disposal log
    keeps once it is gone: the record's reference (e.g. the LA reference), never a name."""

    obj: models.Model
    child_id: uuid.UUID | None
    due_on: dt.date
    reference: str


@dataclass(frozen=True)
class Section:
    """One part of a subject access export: `records(child_id)` gives its records, in order."""

    key: str
    title: str
    order: int
    records: Callable[[uuid.UUID], list[dict[str, Any]]]


@dataclass(frozen=True)
class Subject:
    """The child an export is about, as its headings and file names name them."""

    id: uuid.UUID
    reference: str
    name: str


@dataclass(frozen=True)
class HeldFile:
    """A file held about the child (an uploaded document): its name in the export and its bytes."""

    name: str
    read: Callable[[], bytes]


Finder = Callable[[Rule, dt.date], Iterable[Due]]
Disposer = Callable[[models.Model], dict[str, int]]
ChildPart = Callable[[uuid.UUID], dict[str, int]]
FileProvider = Callable[[uuid.UUID], Iterable[HeldFile]]
SubjectLookup = Callable[[uuid.UUID], Subject | None]

_finders: dict[str, list[Finder]] = {}
_disposers: dict[str, Disposer] = {}
_child_parts: list[ChildPart] = []
_sections: dict[str, Section] = {}
_file_providers: list[FileProvider] = []
_subject_lookup: list[SubjectLookup] = []


def register_finder(rule_id: str, finder: Finder) -> None:
    finders = _finders.setdefault(rule_id, [])
    if finder not in finders:
        finders.append(finder)


def register_disposer(object_type: str, disposer: Disposer) -> None:
    """`object_type` is the model's `app_label.modelname` (its `_meta.label_lower`)."""
    _disposers[object_type] = disposer


def register_child_part(part: ChildPart) -> None:
    if part not in _child_parts:
        _child_parts.append(part)


def register_section(section: Section) -> None:
    _sections[section.key] = section


def register_files(provider: FileProvider) -> None:
    if provider not in _file_providers:
        _file_providers.append(provider)


def register_subject(lookup: SubjectLookup) -> None:
    """The app that owns children says how to find one (only one app does)."""
    _subject_lookup[:] = [lookup]


def subject(child_id: uuid.UUID) -> Subject | None:
    return _subject_lookup[0](child_id) if _subject_lookup else None


def finders(rule_id: str) -> tuple[Finder, ...]:
    return tuple(_finders.get(rule_id, ()))


def disposer(object_type: str) -> Disposer:
    return _disposers[object_type]


def child_parts() -> tuple[ChildPart, ...]:
    return tuple(_child_parts)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def file_providers() -> tuple[FileProvider, ...]:
    return tuple(_file_providers)
