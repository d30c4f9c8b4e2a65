"""The one small interface through which apps put their steps on the deadline table.

An app registers a *provider* (in its AppConfig.ready): given some children's ids, it yields a
`Step` for every statutory step it knows about on those children. The deadlines app turns each
step into a stored `Deadline` through the timescales engine, so no app computes a due date itself.

    # cases/deadlines.py
    def assessment_steps(child_ids):
        for request in AssessmentRequest.objects.filter(child_id__in=child_ids):
            yield Step(child_id=request.child_id, subject=request, rule="decision_to_assess",
                       start=request.received_on, met_on=request.decided_on, owner_id=...)

    # cases/apps.py, in ready():  registry.register(assessment_steps)

The app that owns the children also registers where their ids come from
(`register_children`), so "recompute every case" needs no knowledge of the casework tables.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.db import models


@dataclass(frozen=True)
class Step:
    """One statutory step on one child's case.

    `start` None means the trigger has not happened yet: no deadline is stored. `applicable`
    False keeps the row with status not_applicable (e.g. a decision-not-to-issue deadline once
    the LA decided to issue). `due_override` is a date set by someone with authority (a
    tribunal's letter) that replaces the computed one. `excused` says a permitted exception
    applies: it never moves the due date, only how timeliness is reported. `title` names the
    subject where the rule's own title does not (several advice requests on one case all run
    under `advice`): every list of deadlines reads the stored title, so it is set here, once.
    """

    child_id: uuid.UUID
    subject: models.Model
    rule: str
    start: dt.date | None
    met_on: dt.date | None = None
    params: dict[str, dt.date] = field(default_factory=dict)
    applicable: bool = True
    owner_id: int | None = None
    due_override: dt.date | None = None
    excused: bool = False
    # Open steps are rechecked nightly; a closed case's deadlines keep their final status.
    case_open: bool = True
    # Empty: the rule's title ("Advice due"); else this step's ("Health advice due (CCG)").
    title: str = ""


@dataclass(frozen=True)
class SubjectSteps:
    """What one subject's steps share (its child, owner and whether its case is open), so a
    provider names only each step's rule and dates: `steps.step("final_plan", received, met)`."""

    child_id: uuid.UUID
    subject: models.Model
    owner_id: int | None
    case_open: bool = True

    def step(
        self,
        rule: str,
        start: dt.date | None,
        met_on: dt.date | None = None,
        *,
        applicable: bool = True,
        excused: bool = False,
        params: dict[str, dt.date] | None = None,
        due_override: dt.date | None = None,
        title: str = "",
    ) -> Step:
        return Step(
            child_id=self.child_id,
            subject=self.subject,
            rule=rule,
            start=start,
            met_on=met_on,
            params=params or {},
            applicable=applicable,
            owner_id=self.owner_id,
            due_override=due_override,
            excused=excused,
            case_open=self.case_open,
            title=title,
        )


Provider = Callable[[Sequence[uuid.UUID]], Iterable[Step]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider once (safe if an AppConfig.ready runs twice)."""
    if provider not in _providers:
        _providers.append(provider)


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def steps_for(child_ids: Sequence[uuid.UUID]) -> list[Step]:
    """Every registered app's steps for these children."""
    found: list[Step] = []
    for provider in _providers:
        found.extend(provider(child_ids))
    return found


class ChildSource(Protocol):
    """Child ids after `after` up to and including `upto` (either end None: open), in any order."""

    def __call__(
        self, *, after: uuid.UUID | None = None, upto: uuid.UUID | None = None
    ) -> Iterable[uuid.UUID]: ...


_child_sources: list[ChildSource] = []


def register_children(source: ChildSource) -> None:
    """Add a source of child ids for a full recompute, once (like `register`)."""
    if source not in _child_sources:
        _child_sources.append(source)


def child_sources() -> tuple[ChildSource, ...]:
    return tuple(_child_sources)


def registered_child_ids(
    *, after: uuid.UUID | None = None, upto: uuid.UUID | None = None
) -> set[uuid.UUID]:
    """Every child id the registered sources know about (in a keyset range, for a chunk)."""
    found: set[uuid.UUID] = set()
    for source in _child_sources:
        found.update(source(after=after, upto=upto))
    return found
