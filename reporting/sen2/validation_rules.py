"""The SEN2 validation rules as data, each with a set-based check of the records that fail it.

Rule ids are ours (the domain notes' "Validation" list; the DfE's own numbers are not published
to us, so `dfe_rule` waits for them). Each check is a queryset of the failing records, computed in
the database from the casework tables as they are now, so the data-quality page always shows the
latest change. The return a year's checks look at:

- plans in force on the census day, and plans ceased in the calendar year before it;
- requests received by the census day that were open on it, had a step (received, decided,
  decided whether to issue, final plan, withdrawn, transferred out) in that calendar year, or led
  to a plan in the return. A request whose final plan came before the year is historical (H):
  exempt from the rules the return waives for H;
- every child with one of those; and the placements of plans in force on the census day that
  were open at some time from the start of the year to the census day.

The plans, requests and children are the export's own definitions (reporting.sen2.selectors), and
the code lists and which items are mandatory come from the year's layout (send_cms.sen2), so what
passes here is what the file holds. The settings, placements and reviews of those plans are read
through `in_force_on` and `plan_in_return` with a path, which say the same as the export's.

Several rules are also database constraints of the casework tables (`guaranteed_by`): their
checks stay, so a row written around the constraints (a restore, an import) is still caught.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Mod,
    StrIndex,
    Substr,
    Upper,
)
from django.db.models.lookups import GreaterThanOrEqual

from cases.codes import (
    PLACEMENT_ONLY_SETTINGS,
    CeaseReason,
    RequestSource,
    SenSetting,
    SenType,
    Sex,
    UpnUnknown,
)
from cases.models import (
    AddDays,
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    Child,
    IssueDecision,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
    RequestStatus,
)
from cases.validators import CHECK_LETTERS
from reporting.metrics.casework import january_census
from reporting.sen2.items import Census
from reporting.sen2.selectors import (
    REQUEST_STEPS,
    persons_in_return,
    plans_in_return,
    requests_in_return,
)
from reviews.models import AnnualReview, Decision
from reviews.phase import RULE_FOR_KIND
from send_cms.deadlines.models import Deadline
from send_cms.sen2 import LAYOUTS, Layout
from tribunals.codes import UPHELD_OUTCOMES, AppealType, DecisionType, MediationOutcome, Outcome
from tribunals.models import Appeal, Mediation

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


def _children(c: Sen2Year) -> QuerySet[Child]:
    """The export's `persons_in_return`."""
    return persons_in_return(c.census_of_export).order_by()


def _reported_requests(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return AssessmentRequest.objects.filter(request_reported(c))


def _plans(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(plan_in_return(c))


def _active_plans(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(in_force_on(c.census))


def _named_settings(c: Sen2Year) -> QuerySet[NamedSetting]:
    return NamedSetting.objects.filter(plan_in_return(c, "plan__"))


def _open_placements(c: Sen2Year) -> QuerySet[Placement]:
    """Placements of plans in force on the census day, open on it."""
    return Placement.objects.filter(in_force_on(c.census, "plan__") & placement_open_on(c.census))


def _reported_placements(c: Sen2Year) -> QuerySet[Placement]:
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


def _child_check(failing: Callable[[Sen2Year], QuerySet[Any]], fix: Fix = Fix.CHILD_EDIT) -> Check:
    return Check(Child, failing, fix, child="", record="Child's details")


def _request_check(
    failing: Callable[[Sen2Year], QuerySet[Any]], record: str = "Request received {date}"
) -> Check:
    return Check(
        AssessmentRequest, failing, Fix.CASE, child="child", record=record, date="received_on"
    )


def _plan_check(failing: Callable[[Sen2Year], QuerySet[Any]], message: str = "") -> Check:
    return Check(
        Plan,
        failing,
        Fix.PLAN,
        child="child",
        record="Plan issued {date}",
        date="issued_on",
        message=message,
    )


def _named_check(failing: Callable[[Sen2Year], QuerySet[Any]]) -> Check:
    return Check(
        NamedSetting,
        failing,
        Fix.PLAN,
        child="plan__child",
        record="Setting named in the plan issued {date}",
        date="plan__issued_on",
    )


def _placement_check(failing: Callable[[Sen2Year], QuerySet[Any]], message: str = "") -> Check:
    return Check(
        Placement,
        failing,
        Fix.PLACEMENTS,
        child="plan__child",
        record="Placement from {date}",
        date="starts_on",
        message=message,
    )


def _review_check(failing: Callable[[Sen2Year], QuerySet[Any]]) -> Check:
    return Check(
        AnnualReview,
        failing,
        Fix.REVIEW,
        child="plan__child",
        record="Annual review meeting {date}",
        date="meeting_on",
    )


# --- header ---------------------------------------------------------------------------------------
def _h01(c: Sen2Year) -> list[str]:
    """The year is a person-level collection, and its census day (the third Thursday of
    January) is the layout table's reference date."""
    if c.year < FIRST_PERSON_LEVEL_YEAR:
        return [f"SEN2 is collected person by person from {FIRST_PERSON_LEVEL_YEAR}."]
    layout = LAYOUTS.get(c.year)
    if layout is not None and layout.reference_date != c.census:
        return [
            f"The census date {c.census:%-d %B %Y} differs from the {c.year} layout's reference "
            f"date {layout.reference_date:%-d %B %Y}."
        ]
    return []


def _h02(c: Sen2Year) -> list[str]:
    """The LEA is the council's code. DMO, DCO and DSCO are answered on the export form, for
    each file, so they are checked there rather than all year."""
    code = str(getattr(settings, "LA_CODE", ""))
    if len(code) == 3 and code.isdigit():
        return []
    return [f"The council's LA code '{code}' is not a 3-digit DfE LA code (setting LA_CODE)."]


# --- person ---------------------------------------------------------------------------------------
def _p01(c: Sen2Year) -> QuerySet[Child]:
    return _children(c).filter(
        Q(first_name="") | Q(last_name="") | Q(ethnicity="") | ~Q(sex__in=Sex.values)
    )


def _p02(c: Sen2Year) -> QuerySet[Child]:
    return _children(c).filter(date_of_birth__gt=c.census)


def _p02q(c: Sen2Year) -> QuerySet[Child]:
    return _children(c).filter(date_of_birth__lte=years_before(c.census, QUERY_AGE))


def _p03(c: Sen2Year) -> QuerySet[Child]:
    none = Q(upn="", uln="", upn_unknown="")
    unknown_code = ~Q(upn_unknown="") & ~Q(upn_unknown__in=UpnUnknown.values)
    un1_too_old = Q(
        upn="",
        uln="",
        upn_unknown=UpnUnknown.UN1,
        date_of_birth__lte=years_before(c.census, UN1_UNDER),
    )
    return _children(c).filter(none | unknown_code | un1_too_old)


def _digit(field: Any, position: int) -> Any:
    """The digit at `position` (1-based) of `field`; -1 when it is not a digit."""
    return StrIndex(Value("0123456789"), Substr(field, position, 1)) - 1


def _upn_check_letter(upn: Any) -> Any:
    """The check letter of the UPN's characters 2 to 13, computed in SQL (cases.validators)."""
    last = StrIndex(Value("0123456789" + CHECK_LETTERS), Substr(upn, 13, 1)) - 1
    last_value = Case(When(GreaterThanOrEqual(last, 10), then=last - 10), default=last)
    total = sum((_digit(upn, i) * i for i in range(2, 13)), start=last_value * 13)
    return Substr(Value(CHECK_LETTERS), Mod(total, 23) + 1, 1)


def _p04(c: Sen2Year) -> QuerySet[Child]:
    """The export writes the UPN in capitals, so a UPN typed in small letters is checked as
    capitals."""
    upn_shape = rf"^[{CHECK_LETTERS}][0-9]{{11}}[0-9{CHECK_LETTERS}]$"
    uln_total = sum(_digit("uln", i) * (11 - i) for i in range(1, 10))
    bad_upn = ~Q(upn="") & (~Q(dq_upn__regex=upn_shape) | ~Q(dq_upn_check=F("dq_upn_first")))
    bad_uln = ~Q(uln="") & (
        ~Q(uln__regex=r"^[1-9][0-9]{9}$") | Q(dq_uln_rest=0) | ~Q(dq_uln_check=F("dq_uln_last"))
    )
    return (
        _children(c)
        .alias(dq_upn=Upper("upn"))
        .alias(
            dq_upn_check=_upn_check_letter(F("dq_upn")),
            dq_upn_first=Substr("dq_upn", 1, 1),
            dq_uln_rest=Mod(uln_total, 11),
            dq_uln_last=_digit("uln", 10),
        )
        .alias(dq_uln_check=10 - F("dq_uln_rest"))
        .filter(bad_upn | bad_uln)
    )


def _p05(c: Sen2Year) -> QuerySet[Child]:
    same = Child.objects.alias(dq_upn=Upper("upn")).filter(
        dq_upn=Upper(OuterRef("upn")), upn__gt=""
    )
    return _children(c).filter(~Q(upn="") & Q(Exists(same.exclude(pk=OuterRef("pk")))))


def _p06(c: Sen2Year) -> QuerySet[Child]:
    requests = AssessmentRequest.objects.filter(child=OuterRef("pk")).filter(request_in_return(c))
    transferred_in = (
        Plan.objects.filter(child=OuterRef("pk"))
        .filter(plan_in_return(c))
        .exclude(transferred_in_from_la="")
    )
    return _children(c).filter(~Q(Exists(requests)) & ~Q(Exists(transferred_in)))


# --- request --------------------------------------------------------------------------------------
ASSESSED_STATUSES = (
    RequestStatus.ASSESSING,
    RequestStatus.NOT_ISSUING,
    RequestStatus.ISSUING,
    RequestStatus.DRAFT_ISSUED,
    RequestStatus.FINAL_ISSUED,
)


def _r01(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(
        Q(status=RequestStatus.NOT_ASSESSING) & ~Q(decision=AssessmentDecision.NOT_ASSESS)
        | Q(status__in=ASSESSED_STATUSES) & ~Q(decision=AssessmentDecision.ASSESS)
        | Q(status=RequestStatus.RECEIVED) & ~Q(decision="")
        | Q(status=RequestStatus.WITHDRAWN, withdrawn_on__isnull=True)
        | Q(status=RequestStatus.TRANSFERRED_OUT, transferred_out_on__isnull=True)
        | ~Q(status__in=RequestStatus.values)
    )


def _r02(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    """Left out of the return: a step in the year, but received after the census day."""
    return AssessmentRequest.objects.filter(request_stepped(c), received_on__gt=c.census)


def _r03(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(
        Q(decision="", decided_on__isnull=False)
        | ~Q(decision="") & Q(decided_on__isnull=True)
        | Q(decided_on__lt=F("received_on"))
    )


def _r04(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    """The request source, where the year's return requires it (from 2026; voluntary in 2025).
    RYA is a yes-or-no column, never missing."""
    layout = c.layout
    required = layout.has("Requests", "RequestSource") and (
        layout.item("Requests", "RequestSource").mandatory
    )
    if not required:
        return AssessmentRequest.objects.none()
    return _reported_requests(c).exclude(source__in=RequestSource.values)


def _challenged(request_kinds: tuple[str, ...], appeal_kinds: tuple[str, ...]) -> Q:
    """A mediation or appeal about one of the request's decisions is recorded."""
    mediations = Mediation.objects.filter(request=OuterRef("pk"), decision_type__in=request_kinds)
    appeals = Appeal.objects.filter(request=OuterRef("pk"), appeal_type__in=appeal_kinds)
    return Q(Exists(mediations)) | Q(Exists(appeals))


#: (mediation decision types, appeal types) about each decision.
REFUSED_TO_ASSESS = (
    (DecisionType.REFUSAL_TO_ASSESS,),
    (AppealType.REFUSAL_TO_ASSESS, AppealType.REFUSAL_TO_REASSESS),
)
REFUSED_TO_ISSUE = ((DecisionType.REFUSAL_TO_ISSUE,), (AppealType.REFUSAL_TO_ISSUE,))


def _r05(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(Q(decision="") & _challenged(*REFUSED_TO_ASSESS))


def _overturned() -> Q:
    """The refusal to assess was overturned: an appeal upheld or conceded, or mediation agreed."""
    appeals = Appeal.objects.filter(
        request=OuterRef("pk"),
        appeal_type__in=REFUSED_TO_ASSESS[1],
        outcome__in=[*UPHELD_OUTCOMES, Outcome.CONCEDED],
    )
    mediations = Mediation.objects.filter(
        request=OuterRef("pk"),
        decision_type__in=REFUSED_TO_ASSESS[0],
        outcome=MediationOutcome.AGREEMENT,
    )
    return Q(Exists(appeals)) | Q(Exists(mediations))


def _plan_without_assessment(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(
        Q(plan__isnull=False) & ~Q(decision=AssessmentDecision.ASSESS)
    )


def _r06(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _plan_without_assessment(c).filter(~_overturned())


def _r06q(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _plan_without_assessment(c).filter(_overturned())


def _r07(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(
        Q(transferred_out_on__isnull=False)
        & (~Q(issue_decision="") | Q(final_issued_on__isnull=False) | Q(plan__isnull=False))
    )


def _r08(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(
        decided_on__range=(c.start, c.census), decided_on__gt=AddDays(F("received_on"), SIX_WEEKS)
    )


# --- assessment -----------------------------------------------------------------------------------
def _a01(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    advice = AdviceRequest.objects.filter(request=OuterRef("pk"))
    return _reported_requests(c).filter(
        ~Q(decision=AssessmentDecision.ASSESS)
        & (
            ~Q(issue_decision="")
            | Q(draft_issued_on__isnull=False)
            | Q(final_issued_on__isnull=False)
            | Q(Exists(advice))
        )
    )


def _a02(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(
        Q(issue_decision="", issue_decided_on__isnull=False)
        | ~Q(issue_decision="") & Q(issue_decided_on__isnull=True)
        | Q(issue_decided_on__lt=F("decided_on"))
        | Q(final_issued_on__lt=F("issue_decided_on"))
    )


def _a03(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(
        issued_on__range=(c.start, c.end), request__isnull=True, transferred_in_from_la=""
    )


def _a04(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    issued_without_plan = Q(final_issued_on__lte=c.census, plan__isnull=True)
    plan_without_issue = Q(plan__isnull=False, decision=AssessmentDecision.ASSESS) & ~Q(
        issue_decision=IssueDecision.ISSUE
    )
    return _reported_requests(c).filter(issued_without_plan | plan_without_issue)


def _a05(c: Sen2Year) -> QuerySet[Plan]:
    return _plans(c).filter(
        ~Q(transferred_in_from_la="")
        & Q(request__isnull=False, request__final_issued_on__gte=c.start)
    )


def _a06(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _reported_requests(c).filter(Q(issue_decision="") & _challenged(*REFUSED_TO_ISSUE))


# --- plan -----------------------------------------------------------------------------------------
def _n01(c: Sen2Year) -> QuerySet[Plan]:
    return _plans(c).filter(issued_on__isnull=True)


def start_date(c: Sen2Year) -> Any:
    """NamedPlan StartDate: the latest version issued by the census day, else the first issue."""
    latest = (
        PlanVersion.objects.filter(plan=OuterRef("pk"), issued_on__lte=c.census)
        .order_by("-issued_on")
        .values("issued_on")[:1]
    )
    return Coalesce(Subquery(latest), F("issued_on"))


def _n01q(c: Sen2Year) -> QuerySet[Plan]:
    return (
        _plans(c)
        .filter(request__final_issued_on__range=(c.start, c.end))
        .alias(dq_start=start_date(c))
        .exclude(dq_start=F("request__final_issued_on"))
    )


def _n02(c: Sen2Year) -> QuerySet[Plan]:
    rank_1 = NamedSetting.objects.filter(plan=OuterRef("pk"), rank=1)
    other_rank = NamedSetting.objects.filter(plan=OuterRef("pk")).exclude(rank__in=(1, 2))
    return _plans(c).filter(~Q(Exists(rank_1)) | Q(Exists(other_rank)))


def _no_setting() -> Q:
    """Neither an establishment nor a SEN setting code (an establishment without a URN or UKPRN
    is reported as EYP or OTH with its name: reporting.sen2.items)."""
    return Q(establishment__isnull=True, sen_setting="") | Q(establishment__isnull=False) & ~Q(
        sen_setting=""
    )


def _n03_named(c: Sen2Year) -> QuerySet[NamedSetting]:
    return _named_settings(c).filter(_no_setting())


def _n03_placed(c: Sen2Year) -> QuerySet[Placement]:
    return _reported_placements(c).filter(_no_setting())


def _n04(c: Sen2Year) -> QuerySet[NamedSetting]:
    return _named_settings(c).filter(sen_setting__in=sorted(PLACEMENT_ONLY_SETTINGS))


DESCRIBED_SETTINGS = (SenSetting.OTH, SenSetting.NIEO)


def _described_wrongly() -> Q:
    return Q(sen_setting__in=DESCRIBED_SETTINGS, sen_setting_other="") | (
        ~Q(sen_setting__in=DESCRIBED_SETTINGS) & ~Q(sen_setting_other="")
    )


def _n05_named(c: Sen2Year) -> QuerySet[NamedSetting]:
    return _named_settings(c).filter(_described_wrongly())


def _n05_placed(c: Sen2Year) -> QuerySet[Placement]:
    return _reported_placements(c).filter(_described_wrongly())


def _flags_wrongly() -> Q:
    flagged = Q(sen_unit=True) | Q(resourced_provision=True)
    no_urn = Q(establishment__isnull=True) | Q(establishment__urn="")
    return flagged & no_urn | Q(sen_unit=True, resourced_provision=True)


def _n06_named(c: Sen2Year) -> QuerySet[NamedSetting]:
    return _named_settings(c).filter(_flags_wrongly())


def _n06_placed(c: Sen2Year) -> QuerySet[Placement]:
    return _reported_placements(c).filter(_flags_wrongly())


def _n07(c: Sen2Year) -> QuerySet[Plan]:
    """OA and DP are reported only with a personal budget; DP is one code, a budget across more
    than one of E, S and H being I (integrated)."""
    arrangements = ~Q(organised_arrangements="") | ~Q(direct_payments="")
    no_code = ~Q(direct_payments="") & ~Q(direct_payments__iregex=f"[{''.join(BUDGET_CODES)}]")
    return _plans(c).filter(arrangements & Q(personal_budget=False) | no_code)


def _n08(c: Sen2Year) -> QuerySet[Plan]:
    return _plans(c).filter(
        Q(ceased_on__isnull=True, cease_reason__isnull=False)
        | Q(ceased_on__isnull=False, cease_reason__isnull=True)
        | Q(ceased_on__lt=F("issued_on"))
        | Q(ceased_on__lt=F("cease_decided_on"))
        | Q(cease_decided_on__lt=F("cease_proposed_on"))
    )


def _ceased_in_year(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(ceased_on__range=(c.start, c.end))


def _n09(c: Sen2Year) -> QuerySet[Plan]:
    other_in_force = Plan.objects.filter(child=OuterRef("child")).filter(in_force_on(c.census))
    return _ceased_in_year(c).filter(
        Q(cease_reason=CeaseReason.MOVED_LA_ENGLAND) & Q(Exists(other_in_force))
    )


def _n09q(c: Sen2Year) -> QuerySet[Plan]:
    adult = age_at_least(MAXIMUM_AGE_CEASE_FROM, born="child__date_of_birth", on="ceased_on")
    return _ceased_in_year(c).filter(Q(cease_reason=CeaseReason.MAXIMUM_AGE) & ~adult)


def _n10(c: Sen2Year) -> QuerySet[Plan]:
    """Every reason-9 cease, once reason 9 passes its share of the year's ceased plans (one
    aggregate first, council-wide: the DfE queries the council's return, not a caseload)."""
    ceased = _ceased_in_year(c)
    totals = ceased.aggregate(
        ceased=Count("pk"), other=Count("pk", filter=Q(cease_reason=CeaseReason.OTHER))
    )
    share, of = OTHER_CEASE_REASON_SHARE
    if totals["other"] * of <= totals["ceased"] * share:
        return ceased.none()
    return ceased.filter(cease_reason=CeaseReason.OTHER)


# --- active plan ----------------------------------------------------------------------------------
def _ap01(c: Sen2Year) -> QuerySet[Plan]:
    others = (
        Plan.objects.filter(child=OuterRef("child"))
        .filter(in_force_on(c.census))
        .exclude(pk=OuterRef("pk"))
    )
    return _active_plans(c).filter(Exists(others))


def _ap02(c: Sen2Year) -> QuerySet[Plan]:
    return _active_plans(c).filter(
        ~Q(primary_need__in=SenType.values)
        | ~Q(secondary_need__in=("", *SenType.values))
        | Q(secondary_need=F("primary_need"))
    )


def _ap03_none(c: Sen2Year) -> QuerySet[Plan]:
    placed = Placement.objects.filter(plan=OuterRef("pk")).filter(placement_open_on(c.census))
    return _active_plans(c).filter(~Q(Exists(placed)))


def _ap03_same_rank(c: Sen2Year) -> QuerySet[Placement]:
    same_rank = (
        Placement.objects.filter(plan=OuterRef("plan"), rank=OuterRef("rank"))
        .filter(placement_open_on(c.census))
        .exclude(pk=OuterRef("pk"))
    )
    return _open_placements(c).filter(Exists(same_rank))


def _ap04(c: Sen2Year) -> QuerySet[Placement]:
    youngest, oldest = NEET_AGES
    too_young = Q(plan__child__date_of_birth__gt=years_before(c.census, youngest))
    too_old = Q(plan__child__date_of_birth__lte=years_before(c.census, oldest + 1))
    return _reported_placements(c).filter(Q(sen_setting=SenSetting.NEET) & (too_young | too_old))


def _ap05(c: Sen2Year) -> QuerySet[Plan]:
    """The return reports the latest meeting held by the census day, and its decision once the
    family was told: a plan over 12 months old needs both."""
    held = AnnualReview.objects.filter(plan=OuterRef("pk"), meeting_on__lte=c.census)
    later = AnnualReview.objects.filter(
        plan=OuterRef("plan"), meeting_on__lte=c.census, meeting_on__gt=OuterRef("meeting_on")
    )
    latest_undecided = held.filter(
        Q(decision_issued_on__isnull=True) | Q(decision_issued_on__gt=c.census) | Q(decision="")
    ).filter(~Q(Exists(later)))
    expected = years_before(c.census, REVIEW_EXPECTED_AFTER_YEARS)
    return _active_plans(c).filter(
        Q(issued_on__lte=expected) & (~Q(Exists(held)) | Q(Exists(latest_undecided)))
    )


def _reviews(c: Sen2Year) -> QuerySet[AnnualReview]:
    return AnnualReview.objects.filter(in_force_on(c.census, "plan__"))


def _ap05q(c: Sen2Year) -> QuerySet[AnnualReview]:
    return _reviews(c).filter(
        decision_issued_on__range=(c.start, c.census),
        decision_issued_on__gt=AddDays(F("meeting_on"), FOUR_WEEKS),
    )


def _ap06(c: Sen2Year) -> QuerySet[AnnualReview]:
    return _reviews(c).filter(Q(amendments_issued_on__isnull=False) & ~Q(decision=Decision.AMEND))


def _phase_transfers(c: Sen2Year) -> QuerySet[Deadline]:
    """The stored phase-transfer deadlines of a review (due date, and the date the amended plan
    was finalised: reviews.deadlines), due in the year or later and met by the census day."""
    return Deadline.objects.filter(
        subject_type=REVIEW_SUBJECT,
        subject_id=OuterRef("pk"),
        rule__in=PHASE_TRANSFER_RULES,
        due_on__gte=c.start,
        met_on__lte=c.census,
    )


def _ap07(c: Sen2Year) -> QuerySet[AnnualReview]:
    transfers = _phase_transfers(c)
    before_meeting = transfers.filter(met_on__lt=OuterRef("meeting_on"))
    return _reviews(c).filter(
        Q(meeting_on__isnull=True) & Q(Exists(transfers)) | Q(Exists(before_meeting))
    )


def _ap07q(c: Sen2Year) -> QuerySet[AnnualReview]:
    return _reviews(c).filter(Exists(_phase_transfers(c).filter(met_on__gt=F("due_on"))))


def _codes(c: Sen2Year, module: str, tag: str) -> list[str]:
    return ["", *sorted(c.layout.item(module, tag).code_values)]


def _bad_codes(c: Sen2Year, module: str, residential: str, work_based: str) -> Q:
    """PlanRes/PlanWBP or Res/WBP outside the year's code lists (the letters of PlanRes stay,
    their bands change in 2026)."""
    return ~Q(residential__in=_codes(c, module, residential)) | ~Q(
        work_based__in=_codes(c, module, work_based)
    )


def _ap08_plan(c: Sen2Year) -> QuerySet[Plan]:
    return _plans(c).filter(_bad_codes(c, "NamedPlan", "PlanRes", "PlanWBP"))


def _ap08_placed(c: Sen2Year) -> QuerySet[Placement]:
    return _reported_placements(c).filter(_bad_codes(c, "PlacementDetail", "Res", "WBP"))


def _ap09(c: Sen2Year) -> QuerySet[Plan]:
    return _active_plans(c).filter(
        ~Q(transferred_in_from_la="")
        & (
            ~Q(transferred_in_from_la__regex=r"^[0-9]{3}$")
            | Q(transferred_in_from_la=settings.LA_CODE)
        )
    )


# --- the rules ------------------------------------------------------------------------------------
HEADER, PERSON, REQUEST, ASSESSMENT, PLAN, ACTIVE_PLAN = (
    "Return header",
    "Child or young person",
    "Request",
    "Assessment",
    "Plan",
    "Active plan",
)

RULES: tuple[Rule, ...] = (
    Rule(
        "H01",
        ERROR,
        HEADER,
        "The collection year and census date do not match a person-level SEN2 collection.",
        "Header: Collection, Year, ReferenceDate",
        header=_h01,
    ),
    Rule(
        "H02",
        ERROR,
        HEADER,
        "The council's LA code is not a 3-digit DfE LA code.",
        "Header: LEA",
        header=_h02,
    ),
    Rule(
        "P01",
        ERROR,
        PERSON,
        "The first name, last name, sex or ethnicity is missing.",
        "Child: Forename, Surname, Sex, Ethnicity",
        (_child_check(_p01),),
    ),
    Rule(
        "P02",
        ERROR,
        PERSON,
        "The date of birth is after the census date.",
        "Child: PersonBirthDate",
        (_child_check(_p02),),
    ),
    Rule(
        "P02Q",
        QUERY,
        PERSON,
        "The child or young person is 26 or over on the census date: check the date of birth.",
        "Child: PersonBirthDate",
        (_child_check(_p02q),),
    ),
    Rule(
        "P03",
        ERROR,
        PERSON,
        "Record the UPN, the ULN or the reason the UPN is unknown (UN1 is only for a child "
        "under 6 on the census date).",
        "Child: UPN, UniqueLearnerNumber, UPNunknown",
        (_child_check(_p03),),
    ),
    Rule(
        "P04",
        ERROR,
        PERSON,
        "The UPN's check letter or the ULN's check digit is wrong: check it was copied correctly.",
        "Child: UPN, UniqueLearnerNumber",
        (_child_check(_p04),),
    ),
    Rule(
        "P05",
        ERROR,
        PERSON,
        "Another child or young person has the same UPN.",
        "Child: UPN",
        (_child_check(_p05),),
        guaranteed_by="child_upn_unique (for UPNs written the same way)",
    ),
    Rule(
        "P06",
        ERROR,
        PERSON,
        "There is no assessment request to report for this child: link the plan to its "
        "request, or record the LA it was transferred in from.",
        "Child: Requests",
        (_child_check(_p06, Fix.CASE),),
    ),
    Rule(
        "R01",
        ERROR,
        REQUEST,
        "The request's status does not match its decision to assess, so its SEN2 outcome "
        "cannot be worked out.",
        "Request: RequestOutcome",
        (_request_check(_r01),),
    ),
    Rule(
        "R02",
        ERROR,
        REQUEST,
        "The request has a step in the year but is received after the census date, so the "
        "return leaves it out: check the received date.",
        "Request: ReceivedDate",
        (_request_check(_r02),),
    ),
    Rule(
        "R03",
        ERROR,
        REQUEST,
        "The decision to assess or not has no date, or is dated before the request was received.",
        "Request: RequestOutcomeDate",
        (_request_check(_r03),),
        guaranteed_by="request_decision_with_its_date, request_decision_not_before_receipt",
    ),
    Rule(
        "R04",
        ERROR,
        REQUEST,
        "Record who made the request (parent or young person, school, health, social care or "
        "other).",
        "Request: RequestSource, RYA",
        (_request_check(_r04),),
    ),
    Rule(
        "R05",
        ERROR,
        REQUEST,
        "A mediation or appeal about a refusal to assess is recorded, but the request has no "
        "decision to assess or not.",
        "Request: RequestMediation, RequestTribunal",
        (_request_check(_r05),),
    ),
    Rule(
        "R06",
        ERROR,
        REQUEST,
        "A plan is linked to a request that was not decided 'assess' (refused, undecided or "
        "withdrawn).",
        "Request: RequestOutcome, NamedPlan",
        (_request_check(_r06),),
    ),
    Rule(
        "R06Q",
        QUERY,
        REQUEST,
        "A plan was issued after a refusal to assess was overturned by mediation or appeal: the "
        "return reports the refusal, with the challenge.",
        "Request: RequestOutcome, RequestMediation, RequestTribunal",
        (_request_check(_r06q),),
    ),
    Rule(
        "R07",
        ERROR,
        REQUEST,
        "The request was transferred to another LA, but a decision to issue or a plan is "
        "recorded under it.",
        "Request: Exported",
        (_request_check(_r07),),
    ),
    Rule(
        "R08",
        QUERY,
        REQUEST,
        "The decision to assess or not was made more than 6 weeks after the request was "
        "received: the DfE will ask why.",
        "Request: ReceivedDate, RequestOutcomeDate",
        (_request_check(_r08),),
    ),
    Rule(
        "A01",
        ERROR,
        ASSESSMENT,
        "Assessment steps (advice, a decision to issue, a draft or final plan) are recorded on a "
        "request that was not decided 'assess'.",
        "Assessment",
        (_request_check(_a01),),
    ),
    Rule(
        "A02",
        ERROR,
        ASSESSMENT,
        "The decision to issue a plan or not has no date, or it or the final plan is dated "
        "before the step that leads to it.",
        "Assessment: AssessmentOutcomeDate",
        (_request_check(_a02),),
        guaranteed_by="request_issue_decision_with_its_date, "
        "request_issue_decision_after_decision, request_final_after_draft_window",
    ),
    Rule(
        "A03",
        ERROR,
        ASSESSMENT,
        "The plan was issued in the year but is not linked to its assessment request, so the "
        "20-week exception flag (Week20) cannot be reported.",
        "Assessment: Week20",
        (_plan_check(_a03),),
    ),
    Rule(
        "A04",
        ERROR,
        ASSESSMENT,
        "A final plan is recorded on the request but no plan is linked to it, or a plan is "
        "linked to a request without a decision to issue.",
        "Assessment: NamedPlan",
        (_request_check(_a04),),
    ),
    Rule(
        "A05",
        ERROR,
        ASSESSMENT,
        "The plan was transferred in from another LA, but is linked to a request whose final "
        "plan was issued here in the year.",
        "Assessment: AssessmentOutcome (H), TransferLA",
        (_plan_check(_a05),),
    ),
    Rule(
        "A06",
        ERROR,
        ASSESSMENT,
        "A mediation or appeal about a refusal to issue a plan is recorded, but the request has "
        "no decision to issue or not.",
        "Assessment: AssessmentMediation, AssessmentTribunal",
        (_request_check(_a06),),
    ),
    Rule(
        "N01",
        ERROR,
        PLAN,
        "The plan has no start date.",
        "NamedPlan: StartDate",
        (_plan_check(_n01),),
        guaranteed_by="the plan's issue date is required (NOT NULL)",
    ),
    Rule(
        "N01Q",
        QUERY,
        PLAN,
        "The new plan's start date differs from the date the final plan was issued on its request.",
        "NamedPlan: StartDate, AssessmentOutcomeDate",
        (_plan_check(_n01q),),
    ),
    Rule(
        "N02",
        ERROR,
        PLAN,
        "The plan must name one setting of rank 1 in section I (and at most one of rank 2).",
        "NamedPlan: PlanDetail, PlacementRank",
        (_plan_check(_n02),),
    ),
    Rule(
        "N03",
        ERROR,
        PLAN,
        "A setting must be either a school or provider, or a SEN setting code, not both or "
        "neither.",
        "PlanDetail and PlacementDetail: URN, UKPRN, SENsetting",
        (_named_check(_n03_named), _placement_check(_n03_placed)),
        guaranteed_by="named_setting_one_kind_of_setting, placement_one_kind_of_setting",
    ),
    Rule(
        "N04",
        ERROR,
        PLAN,
        "NEET, NIEC and NIEO describe a placement, not a setting named in a plan: name a "
        "setting in section I.",
        "PlanDetail: SENsetting",
        (_named_check(_n04),),
    ),
    Rule(
        "N05",
        ERROR,
        PLAN,
        "Describe the setting when its code is OTH (other) or NIEO (not in education, other), "
        "and only then.",
        "PlanDetail and PlacementDetail: SENsettingOther",
        (_named_check(_n05_named), _placement_check(_n05_placed)),
    ),
    Rule(
        "N06",
        ERROR,
        PLAN,
        "The SEN unit or resourced provision flag is set on a setting without a URN, or both "
        "are set.",
        "PlanDetail and PlacementDetail: SENunitIndicator, ResourcedProvisionIndicator",
        (_named_check(_n06_named), _placement_check(_n06_placed)),
    ),
    Rule(
        "N07",
        ERROR,
        PLAN,
        "Organised arrangements or direct payments are recorded without a personal budget, or "
        "the direct payments name none of E, S, H or I.",
        "NamedPlan: PB, OA, DP",
        (_plan_check(_n07),),
    ),
    Rule(
        "N08",
        ERROR,
        PLAN,
        "The cease date and reason must be recorded together, and the plan must end after it "
        "was issued and on or after the decision to cease it.",
        "NamedPlan: CeaseDate, CeaseReason",
        (_plan_check(_n08),),
    ),
    Rule(
        "N09",
        ERROR,
        PLAN,
        "The plan ceased because the child moved to another LA in England, but a plan is in "
        "force here on the census date.",
        "NamedPlan: CeaseReason",
        (_plan_check(_n09),),
    ),
    Rule(
        "N09Q",
        QUERY,
        PLAN,
        "The plan ceased for reaching the maximum age, but the young person was under 18.",
        "NamedPlan: CeaseReason",
        (_plan_check(_n09q),),
    ),
    Rule(
        "N10",
        QUERY,
        PLAN,
        "More than 1 in 10 plans ceased in the year give the reason 'other': record the actual "
        "reason where one applies.",
        "NamedPlan: CeaseReason",
        (_plan_check(_n10),),
    ),
    Rule(
        "AP01",
        ERROR,
        ACTIVE_PLAN,
        "The child has more than one plan in force on the census date.",
        "ActivePlans",
        (_plan_check(_ap01),),
    ),
    Rule(
        "AP02",
        ERROR,
        ACTIVE_PLAN,
        "The primary need is missing or not a SEN2 need type, or the secondary need repeats it.",
        "ActivePlans: SENneed, SENtypeRank",
        (_plan_check(_ap02),),
    ),
    Rule(
        "AP03",
        ERROR,
        ACTIVE_PLAN,
        "Record where the child is educated on the census date: one placement of each rank "
        "open that day.",
        "ActivePlans: PlacementDetail",
        (
            _plan_check(
                _ap03_none,
                "No placement is open on the census date: record where the child is educated "
                "that day (NIEC or NIEO if not in education).",
            ),
            _placement_check(
                _ap03_same_rank,
                "Another placement of the same rank is open on the census date: end the one the "
                "child left.",
            ),
        ),
    ),
    Rule(
        "AP04",
        ERROR,
        ACTIVE_PLAN,
        "NEET is recorded for a young person who is not aged 16 to 25 on the census date.",
        "PlacementDetail: SENsetting",
        (_placement_check(_ap04),),
    ),
    Rule(
        "AP05",
        ERROR,
        ACTIVE_PLAN,
        "The plan is over 12 months old but its latest annual review meeting by the census date, "
        "and the decision after it, are not recorded.",
        "ActivePlans: ReviewMeeting, ReviewOutcome, LastReview",
        (_plan_check(_ap05),),
    ),
    Rule(
        "AP05Q",
        QUERY,
        ACTIVE_PLAN,
        "The review decision was sent more than 4 weeks after the review meeting.",
        "ActivePlans: ReviewMeeting, LastReview",
        (_review_check(_ap05q),),
    ),
    Rule(
        "AP06",
        ERROR,
        ACTIVE_PLAN,
        "A draft amended plan is recorded on a review whose decision was not to amend.",
        "ActivePlans: ReviewDraft",
        (_review_check(_ap06),),
        guaranteed_by="review_amendments_after_amend_decision",
    ),
    Rule(
        "AP07",
        ERROR,
        ACTIVE_PLAN,
        "The amended plan for the phase transfer is dated before the review meeting (or no "
        "meeting is recorded).",
        "ActivePlans: PhaseTransferFinalDate",
        (_review_check(_ap07),),
    ),
    Rule(
        "AP07Q",
        QUERY,
        ACTIVE_PLAN,
        "The amended plan for the phase transfer was issued after its deadline (15 February, "
        "or 31 March for post-16).",
        "ActivePlans: PhaseTransferDueDate, PhaseTransferFinalDate",
        (_review_check(_ap07q),),
    ),
    Rule(
        "AP08",
        ERROR,
        ACTIVE_PLAN,
        "The residential code (A or B) or work-based code (A, T or S) is not one of this "
        "year's SEN2 codes.",
        "NamedPlan: PlanRes, PlanWBP; PlacementDetail: Res, WBP",
        (_plan_check(_ap08_plan), _placement_check(_ap08_placed)),
    ),
    Rule(
        "AP09",
        ERROR,
        ACTIVE_PLAN,
        "The LA the plan was transferred in from must be another council's 3-digit LA code.",
        "ActivePlans: TransferLA",
        (_plan_check(_ap09),),
    ),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
