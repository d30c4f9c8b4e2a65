"""The retention schedule: how long each kind of record is kept, and what happens after.

One table, as data. The periods are the defaults most English councils use (the IRMS
Information Management Toolkit for Schools and its toolkit for local authorities); the council's
own periods replace them by setting (`RETENTION_YEARS`, e.g. "sen_file=35,tribunal_file=10"),
read once here. A setting rather than a page: the people who approve disposals cannot shorten
the periods they dispose by, and a change is reviewed like any other configuration change.
"""

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class Action(StrEnum):
    ANONYMISE = "anonymise"
    DELETE = "delete"
    KEEP = "keep"


ACTION_LABELS = {
    Action.ANONYMISE: "Anonymise",
    Action.DELETE: "Delete",
    Action.KEEP: "Keep (never disposed of here)",
}


@dataclass(frozen=True)
class Rule:
    """One line of the schedule: a kind of record, kept `years` from `starts`, then `action`."""

    id: str
    title: str
    covers: str
    starts: str
    years: int
    action: Action
    source: str


SEN_FILE = "sen_file"
TRIBUNAL_FILE = "tribunal_file"
AUDIT_TRAIL = "audit_trail"

DEFAULT_SCHEDULE: tuple[Rule, ...] = (
    Rule(
        id=SEN_FILE,
        title="A child's SEN file",
        covers=(
            "The child or young person and their contacts, assessment requests and advice, EHC "
            "plans and every version, named settings and placements, annual reviews, panel "
            "items and decisions, the case timeline, uploaded documents"
        ),
        starts="Date of birth",
        years=31,
        action=Action.ANONYMISE,
        source=(
            "IRMS Information Management Toolkit for Schools and for Local Authorities: SEN "
            "files, EHC plans and reviews, date of birth + 31 years (an EHC plan can run to 25, "
            "then 6 years under the Limitation Act 1980)"
        ),
    ),
    Rule(
        id=TRIBUNAL_FILE,
        title="A tribunal appeal or mediation",
        covers=(
            "An appeal to the First-tier Tribunal (SEND) with its events, directions, orders, "
            "compliance steps and recommendations; a mediation with its actions"
        ),
        starts="The appeal's decision or withdrawal; the mediation's certificate or meeting",
        years=6,
        action=Action.ANONYMISE,
        source=(
            "Limitation Act 1980 (6 years from the end of the proceedings), as the IRMS toolkit "
            "for local authorities applies it to litigation and appeals files"
        ),
    ),
    Rule(
        id=AUDIT_TRAIL,
        title="The audit trail",
        covers="Who read, changed, exported or disposed of each record, and when",
        starts="The event",
        years=6,
        action=Action.KEEP,
        source=(
            "NHS Data Security and Protection Toolkit and the council's information governance "
            "policy: the trail is append-only (the database refuses changes, deletes and "
            "TRUNCATE), so this job never lists it; a council that removes old events does so "
            "as the database's owner, outside the application"
        ),
    ),
)

NO_SUCH_RULE = "RETENTION_YEARS names {rule!r}, which is not in the retention schedule ({known})."
BAD_YEARS = "RETENTION_YEARS gives {rule!r} {years!r} years: give a whole number from 1 to 100."


def schedule() -> tuple[Rule, ...]:
    """The schedule in force: the defaults with the council's periods (RETENTION_YEARS)."""
    overrides: dict[str, str] = dict(getattr(settings, "RETENTION_YEARS", {}) or {})
    known = {rule.id for rule in DEFAULT_SCHEDULE}
    for rule_id in overrides:
        if rule_id not in known:
            raise ImproperlyConfigured(
                NO_SUCH_RULE.format(rule=rule_id, known=", ".join(sorted(known)))
            )
    rules = []
    for rule in DEFAULT_SCHEDULE:
        if rule.id in overrides:
            raw = str(overrides[rule.id]).strip()
            if not raw.isdigit() or not 1 <= int(raw) <= 100:
                raise ImproperlyConfigured(BAD_YEARS.format(rule=rule.id, years=raw))
            rule = replace(rule, years=int(raw))
        rules.append(rule)
    return tuple(rules)


def rule(rule_id: str) -> Rule:
    """One rule of the schedule in force (KeyError if there is none)."""
    for found in schedule():
        if found.id == rule_id:
            return found
    raise KeyError(rule_id)


def add_years(start: dt.date, years: int) -> dt.date:
    """`start` plus whole years. Someone born on 29 February has that birthday on 1 March in a
    common year: the day before, they have not reached the age yet, so nothing is disposed of
    a day early."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return dt.date(start.year + years, 3, 1)


def latest_start(today: dt.date, years: int) -> dt.date:
    """The latest start date whose period has ended by `today`: a record is due when its start
    is on or before this day, exactly when `add_years(start, years) <= today`."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # today is 29 February and that year was common
        return dt.date(today.year - years, 2, 28)
