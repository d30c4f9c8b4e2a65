"""What every SEN2 validation rule shares: the year's return, who is in it, and rules as data."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual

from cases.models import AssessmentRequest, Child, NamedSetting, Placement, Plan
from reporting.metrics.casework import january_census
from reporting.sen2.items import Census
from reporting.sen2.selectors import (
    REQUEST_STEPS,
    persons_in_return,
    plans_in_return,
    requests_in_return,
)
from reviews.models import AnnualReview
from reviews.phase import RULE_FOR_KIND
from send_cms.sen2 import LAYOUTS, Layout

ERROR = "error"
QUERY = "query"

#: Person-level SEN2 began with the 2023 collection.
FIRST_PERSON_LEVEL_YEAR = 2023
#: Deadlines the DfE has announced for returns the layout table does not hold yet (sen2.md);
#: otherwise 8 weeks after the census day is assumed.
ANNOUNCED_DEADLINE = {2027: dt.date(2027, 3, 11)}
#: Direct payments: education, social care, health, integrated.
BUDGET_CODES = ("E", "S", "H", "I")
#: N10: a query when more than this share of the plans ceased in the year give reason 9.
OTHER_CEASE_REASON_SHARE = (1, 10)
SIX_WEEKS, FOUR_WEEKS = 42, 28
NEET_AGES = (16, 25)
UN1_UNDER = 6
QUERY_AGE = 26
REVIEW_EXPECTED_AFTER_YEARS = 1
MAXIMUM_AGE_CEASE_FROM = 18
PHASE_TRANSFER_RULES = tuple(sorted(set(RULE_FOR_KIND.values())))
REVIEW_SUBJECT = AnnualReview._meta.label_lower


HEADER, PERSON, REQUEST, ASSESSMENT, PLAN, ACTIVE_PLAN = (
    "Return header",
    "Child or young person",
    "Request",
    "Assessment",
    "Plan",
    "Active plan",
)


# --- the year's return ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Sen2Year:
    """One collection: its census day and the calendar year of activity before it."""

    year: int
    census: dt.date
    start: dt.date
    end: dt.date

    @property
    def layout(self) -> Layout:
        """The year's layout, or for a year the table does not hold yet the latest before it."""
        if self.year in LAYOUTS:
            return LAYOUTS[self.year]
        earlier = [y for y in LAYOUTS if y < self.year]
        return LAYOUTS[max(earlier) if earlier else min(LAYOUTS)]

    @property
    def deadline(self) -> dt.date:
        own = LAYOUTS[self.year].deadline if self.year in LAYOUTS else None
        announced = ANNOUNCED_DEADLINE.get(self.year)
        return own or announced or self.census + dt.timedelta(weeks=8)

    @property
    def census_of_export(self) -> Census:
        """The same return in the export's terms."""
        return Census(year=self.year, on=self.census, start=self.start, end=self.end)


def sen2_year(year: int) -> Sen2Year:
    return Sen2Year(
        year=year,
        census=january_census(year),
        start=dt.date(year - 1, 1, 1),
        end=dt.date(year - 1, 12, 31),
    )


def current_year(today: dt.date) -> int:
    """The return being prepared: this year's until its deadline has passed, then next year's."""
    return today.year if today <= sen2_year(today.year).deadline else today.year + 1


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- who and what is in the return ----------------------------------------------------------------
def in_force_on(day: dt.date, prefix: str = "") -> Q:
    """The plan (at `prefix`) was issued by `day` and had not ceased by the end of it."""
    return Q(**{f"{prefix}issued_on__lte": day}) & (
        Q(**{f"{prefix}ceased_on__isnull": True}) | Q(**{f"{prefix}ceased_on__gt": day})
    )


def plan_in_return(c: Sen2Year, prefix: str = "") -> Q:
    """In force on the census day, or ceased in the year (the export's `plans_in_return`, for the
    plan at `prefix`)."""
    if not prefix:
        return plans_in_return(c.census_of_export)
    return in_force_on(c.census, prefix) | Q(**{f"{prefix}ceased_on__range": (c.start, c.end)})


def request_stepped(c: Sen2Year) -> Q:
    """A step of the request is dated in the year."""
    q = Q()
    for event in REQUEST_STEPS:
        q |= Q(**{f"{event}__range": (c.start, c.end)})
    return q


def request_in_return(c: Sen2Year) -> Q:
    """Received by the census day, and open on it, with a step in the year, or led to a plan in
    the return: the export's `requests_in_return`."""
    return requests_in_return(c.census_of_export)


def request_reported(c: Sen2Year) -> Q:
    """In the return and not historical: its final plan (if any) came in the year or later."""
    return request_in_return(c) & (
        Q(final_issued_on__isnull=True) | Q(final_issued_on__gte=c.start)
    )


def placement_open_on(day: dt.date) -> Q:
    """A placement at a setting (not awaiting one) the child attended on `day`."""
    return Q(awaiting_placement=False, starts_on__lte=day) & (
        Q(ends_on__isnull=True) | Q(ends_on__gt=day)
    )


def age_at_least(years: int, *, born: str, on: str) -> Q:
    """Aged `years` or more on the date at `on`, born on the date at `born` (both columns).

    Dates as YYYYMMDD numbers: their difference reaches years * 10000 on the birthday."""

    def number(path: str) -> Any:
        return ExtractYear(path) * 10000 + ExtractMonth(path) * 100 + ExtractDay(path)

    return Q(GreaterThanOrEqual(number(on) - number(born), years * 10000))


def return_children(c: Sen2Year) -> QuerySet[Child]:
    """The export's `persons_in_return`."""
    return persons_in_return(c.census_of_export).order_by()


def reported_requests(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return AssessmentRequest.objects.filter(request_reported(c))


def return_plans(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(plan_in_return(c))


def active_plans(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(in_force_on(c.census))


def return_named_settings(c: Sen2Year) -> QuerySet[NamedSetting]:
    return NamedSetting.objects.filter(plan_in_return(c, "plan__"))


def open_placements(c: Sen2Year) -> QuerySet[Placement]:
    """Placements of plans in force on the census day, open on it."""
    return Placement.objects.filter(in_force_on(c.census, "plan__") & placement_open_on(c.census))


def reported_placements(c: Sen2Year) -> QuerySet[Placement]:
    """Placements of plans in force on the census day, open at some time in the year up to it."""
    return Placement.objects.filter(
        in_force_on(c.census, "plan__")
        & Q(awaiting_placement=False, starts_on__lte=c.census)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=c.start))
    )


# --- rules as data --------------------------------------------------------------------------------
class Fix(StrEnum):
    """The page where a caseworker fixes a record."""

    CHILD_EDIT = "child-edit"
    CASE = "case"
    PLAN = "plan"
    PLACEMENTS = "placements"
    REVIEW = "review"
    SETTINGS = "settings"


@dataclass(frozen=True)
class Check:
    """The records of one table that fail a rule, and how a failing row is shown."""

    model: type[models.Model]
    failing: Callable[[Sen2Year], QuerySet[Any]]
    fix: Fix
    #: Path from the record to its child ("" for the child itself).
    child: str
    #: "Request received {date}": the record as a caseworker knows it; `date` is the column.
    record: str
    date: str | None = None
    #: Said instead of the rule's message when one rule checks two things.
    message: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    section: str
    message: str
    concerns: str
    checks: tuple[Check, ...] = ()
    #: Header rules check the council's settings, not records: their problems, as sentences.
    header: Callable[[Sen2Year], list[str]] | None = None
    #: The database constraint that already refuses a failing row, when there is one.
    guaranteed_by: str = ""
    #: The DfE's rule number, once known.
    dfe_rule: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def child_check(failing: Callable[[Sen2Year], QuerySet[Any]], fix: Fix = Fix.CHILD_EDIT) -> Check:
    return Check(Child, failing, fix, child="", record="Child's details")


def request_check(
    failing: Callable[[Sen2Year], QuerySet[Any]], record: str = "Request received {date}"
) -> Check:
    return Check(
        AssessmentRequest, failing, Fix.CASE, child="child", record=record, date="received_on"
    )


def plan_check(failing: Callable[[Sen2Year], QuerySet[Any]], message: str = "") -> Check:
    return Check(
        Plan,
        failing,
        Fix.PLAN,
        child="child",
        record="Plan issued {date}",
        date="issued_on",
        message=message,
    )


def named_check(failing: Callable[[Sen2Year], QuerySet[Any]]) -> Check:
    return Check(
        NamedSetting,
        failing,
        Fix.PLAN,
        child="plan__child",
        record="Setting named in the plan issued {date}",
        date="plan__issued_on",
    )


def placement_check(failing: Callable[[Sen2Year], QuerySet[Any]], message: str = "") -> Check:
    return Check(
        Placement,
        failing,
        Fix.PLACEMENTS,
        child="plan__child",
        record="Placement from {date}",
        date="starts_on",
        message=message,
    )


def review_check(failing: Callable[[Sen2Year], QuerySet[Any]]) -> Check:
    return Check(
        AnnualReview,
        failing,
        Fix.REVIEW,
        child="plan__child",
        record="Annual review meeting {date}",
        date="meeting_on",
    )
