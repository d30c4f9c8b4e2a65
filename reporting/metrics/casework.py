"""Populations of the casework tables: requests, decisions, advice, plans and placements.

Each reads only dated events, so a past month gives the same figure whenever it is computed.
"Within N weeks" is at most 7N days (reporting.md section 2): 42 days counts, 43 does not.
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q

from cases.codes import AdviceKind, CeaseReason, RequestSource, SenSetting
from cases.models import (
    AddDays,
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    IssueDecision,
    Placement,
    Plan,
)
from reporting.metrics.engine import Population, between, not_by, population_kind

SIX_WEEKS, SIXTEEN_WEEKS, TWENTY_WEEKS = 42, 112, 140
THIRTY_WEEKS = 210
FIFTY_TWO_WEEKS = 364
#: Exceptions recorded against these time limits take a plan out of "excluding exceptions".
TWENTY_WEEK_RULES = ("final_plan", "reassessment_final_plan")
#: Settings where a child with a plan is on no school's roll (BCP's "awaiting placement").
NOT_ON_A_ROLL = (SenSetting.NIEC.value, SenSetting.NIEO.value)


# --- requests -----------------------------------------------------------------------------------
def request_open_on(day: dt.date) -> Q:
    """Received by `day` and, by the end of it, not ended: no decision not to assess, no decision
    not to issue, no final plan, not withdrawn, not transferred out."""
    return (
        Q(received_on__lte=day)
        & ~Q(decision=AssessmentDecision.NOT_ASSESS, decided_on__lte=day)
        & ~Q(issue_decision=IssueDecision.NOT_ISSUE, issue_decided_on__lte=day)
        & not_by("final_issued_on", day)
        & not_by("withdrawn_on", day)
        & not_by("transferred_out_on", day)
    )


_requests = population_kind(
    subject="request",
    model=AssessmentRequest,
    child="child",
    need="plan__primary_need",
    source="source",
    plan="plan",
)


RECEIVED = (("Received", "received_on"),)
DECIDED = (("Received", "received_on"), ("Decision to assess or not", "decided_on"))
FINAL = (("Received", "received_on"), ("Final plan issued", "final_issued_on"))

requests_received = _requests(
    base=lambda p: between("received_on", p), event="received_on", dates=RECEIVED
)
requests_from_parents = _requests(
    base=lambda p: between("received_on", p),
    numerator=lambda p: Q(source=RequestSource.PARENT_OR_YOUNG_PERSON),
    event="received_on",
    dates=RECEIVED,
)
decisions_within_6_weeks = _requests(
    base=lambda p: between("decided_on", p),
    numerator=lambda p: Q(decided_on__lte=AddDays(F("received_on"), SIX_WEEKS)),
    event="decided_on",
    dates=DECIDED,
)
refusals = _requests(
    base=lambda p: between("decided_on", p),
    numerator=lambda p: Q(decision=AssessmentDecision.NOT_ASSESS),
    event="decided_on",
    dates=DECIDED,
)
refusals_to_assess = _requests(
    base=lambda p: between("decided_on", p) & Q(decision=AssessmentDecision.NOT_ASSESS),
    event="decided_on",
    dates=DECIDED,
)
conversion = _requests(
    base=lambda p: between("received_on", p) & Q(decided_on__isnull=False),
    numerator=lambda p: Q(final_issued_on__isnull=False),
    event="received_on",
    dates=(*DECIDED, ("Final plan issued", "final_issued_on")),
)
final_within_20_weeks = _requests(
    base=lambda p: between("final_issued_on", p),
    numerator=lambda p: Q(final_issued_on__lte=AddDays(F("received_on"), TWENTY_WEEKS)),
    event="final_issued_on",
    dates=FINAL,
)
_excused = Q(exceptions__rule__in=TWENTY_WEEK_RULES)
final_within_20_weeks_excluding_exceptions = _requests(
    base=lambda p: between("final_issued_on", p) & ~_excused,
    numerator=lambda p: Q(final_issued_on__lte=AddDays(F("received_on"), TWENTY_WEEKS)),
    event="final_issued_on",
    dates=FINAL,
)
final_issue_weeks = _requests(
    base=lambda p: between("final_issued_on", p),
    weeks_between=("final_issued_on", "received_on"),
    event="final_issued_on",
    dates=FINAL,
)
final_over_20_to_52_weeks = _requests(
    base=lambda p: (
        between("final_issued_on", p)
        & Q(final_issued_on__gt=AddDays(F("received_on"), TWENTY_WEEKS))
        & Q(final_issued_on__lte=AddDays(F("received_on"), FIFTY_TWO_WEEKS))
    ),
    event="final_issued_on",
    dates=FINAL,
)
final_over_52_weeks = _requests(
    base=lambda p: (
        between("final_issued_on", p)
        & Q(final_issued_on__gt=AddDays(F("received_on"), FIFTY_TWO_WEEKS))
    ),
    event="final_issued_on",
    dates=FINAL,
)
not_to_issue_within_16_weeks = _requests(
    base=lambda p: between("issue_decided_on", p) & Q(issue_decision=IssueDecision.NOT_ISSUE),
    numerator=lambda p: Q(issue_decided_on__lte=AddDays(F("received_on"), SIXTEEN_WEEKS)),
    event="issue_decided_on",
    dates=(("Received", "received_on"), ("Decision not to issue", "issue_decided_on")),
)
decisions_not_to_issue = _requests(
    base=lambda p: between("issue_decided_on", p) & Q(issue_decision=IssueDecision.NOT_ISSUE),
    event="issue_decided_on",
    dates=(("Received", "received_on"), ("Decision not to issue", "issue_decided_on")),
)
waiting_over_30_weeks = _requests(
    base=lambda p: (
        request_open_on(p.end) & Q(received_on__lt=p.end - dt.timedelta(days=THIRTY_WEEKS))
    ),
    dates=RECEIVED,
)
assessments_overdue = _requests(
    base=lambda p: (
        request_open_on(p.end)
        & Q(decision=AssessmentDecision.ASSESS, decided_on__lte=p.end)
        & Q(received_on__lt=p.end - dt.timedelta(days=TWENTY_WEEKS))
    ),
    dates=DECIDED,
)


# --- advice --------------------------------------------------------------------------------------
def _advice(*kinds: str) -> Population:
    return Population(
        subject="advice request",
        model=AdviceRequest,
        child="request__child",
        base=lambda p: between("received_on", p) & Q(kind__in=kinds),
        numerator=lambda p: Q(received_on__lte=AddDays(F("requested_on"), SIX_WEEKS)),
        event="received_on",
        dates=(("Advice requested", "requested_on"), ("Advice received", "received_on")),
        need="request__plan__primary_need",
        source="request__source",
        plan="request__plan",
    )


ep_advice = _advice(AdviceKind.PSYCHOLOGICAL)
health_advice = _advice(AdviceKind.HEALTH)
social_care_advice = _advice(AdviceKind.SOCIAL_CARE)


# --- plans -------------------------------------------------------------------------------------
def plan_in_force_on(day: dt.date) -> Q:
    """Issued (final) on or before `day` and not ceased on or before it (api.md)."""
    return Q(issued_on__lte=day) & not_by("ceased_on", day)


def _placed_on(day: dt.date) -> Exists:
    """A rank-1 placement in force on `day` (its end date is its last day on the roll) on a
    school's or provider's roll."""
    return Exists(
        Placement.objects.filter(plan=OuterRef("pk"), rank=1, awaiting_placement=False)
        .filter(Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day)))
        .exclude(sen_setting__in=NOT_ON_A_ROLL)
    )


_plans = population_kind(
    subject="plan",
    model=Plan,
    child="child",
    need="primary_need",
    source="request__source",
    plan="pk",
)


ISSUED = (("Plan issued", "issued_on"),)
CEASED = (("Plan issued", "issued_on"), ("Plan ceased", "ceased_on"))
CEASE_REASONS = {str(value): label for value, label in CeaseReason.choices}

plans_in_force = _plans(base=lambda p: plan_in_force_on(p.end), dates=CEASED)
new_plans = _plans(
    base=lambda p: between("issued_on", p) & Q(transferred_in_from_la=""),
    event="issued_on",
    dates=ISSUED,
)
plans_transferred_in = _plans(
    base=lambda p: between("issued_on", p) & ~Q(transferred_in_from_la=""),
    event="issued_on",
    dates=ISSUED,
)
_ceased_fields: dict[str, object] = {
    "event": "ceased_on",
    "dates": CEASED,
    "extra_breakdowns": {"cease_reason": ("cease_reason", CEASE_REASONS)},
}
ceased_plans = _plans(base=lambda p: between("ceased_on", p), **_ceased_fields)
plans_ceased_not_moving = _plans(
    base=lambda p: between("ceased_on", p) & ~Q(cease_reason=CeaseReason.MOVED_LA_ENGLAND),
    **_ceased_fields,
)
plans_transferred_out = _plans(
    base=lambda p: between("ceased_on", p) & Q(cease_reason=CeaseReason.MOVED_LA_ENGLAND),
    **_ceased_fields,
)
plans_ceased_needs_met = _plans(
    base=lambda p: between("ceased_on", p) & Q(cease_reason=CeaseReason.NEEDS_MET),
    **_ceased_fields,
)
awaiting_placement = _plans(
    base=lambda p: plan_in_force_on(p.end) & ~Q(_placed_on(p.end)), dates=ISSUED, one_scan=False
)


def january_census(year: int) -> dt.date:
    """SEN2's census day: the third Thursday of January."""
    first = dt.date(year, 1, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=2)


plans_in_force_in_january = _plans(
    base=lambda p: plan_in_force_on(january_census(p.end.year)), dates=CEASED
)
