"""Every read of annual reviews: scoped to the user first, with the joins each list needs, so a
list costs the same number of queries for 1 row as for 1,000.

The figures of reporting.md (`ar_due`, `ar_meetings_held`, `ar_in_timescale_pct`, `ar_backlog`)
are defined once, below, as Q objects and expressions over AnnualReview judged only from dates:
the backlog and timeliness pages filter with them in the database, and the reporting app
imports the same functions, so a page and a published figure cannot disagree.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from cases.models import AddDays, Establishment, Plan, PlanStatus, PlanVersion
from cases.services import working_calendar
from reviews import conf, phase
from reviews.deadlines import review_deadlines
from reviews.models import AnnualReview, Decision
from reviews.terms import Term
from send_cms.accounts.actor import Actor
from send_cms.accounts.models import User
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import CASEWORK_READ
from send_cms.audit.services import record
from send_cms.deadlines.display import DeadlineRow
from send_cms.timescales import (
    DeadlineStatus,
    add_months,
    add_weeks,
    compute,
    deadline_status,
)

NO_SETTING = "No current setting"
NO_CASEWORKER = "Not allocated"
NO_TEAM = "No team"


# --- scope ------------------------------------------------------------------------------------
def _may_read(user: Actor) -> bool:
    return bool(user_roles(user) & CASEWORK_READ)


def _scoped(user: Actor) -> QuerySet[AnnualReview]:
    """Every review the user may read, with no joins: the base of lists and of counts."""
    if not _may_read(user):
        return AnnualReview.objects.none()
    return AnnualReview.objects.all()


def _related(queryset: QuerySet[AnnualReview]) -> QuerySet[AnnualReview]:
    return queryset.select_related(
        "plan__child__caseworker", "plan__child__current_setting"
    ).prefetch_related(Prefetch("plan__versions", queryset=PlanVersion.objects.order_by("number")))


def review_list(
    *,
    user: Actor,
    plan: uuid.UUID | None = None,
    child: uuid.UUID | None = None,
    caseworker: int | None = None,
    open_only: bool = False,
) -> QuerySet[AnnualReview]:
    """Reviews the user may see, newest due date last, with everything a list row shows."""
    queryset = _scoped(user)
    if plan is not None:
        queryset = queryset.filter(plan_id=plan)
    if child is not None:
        queryset = queryset.filter(plan__child_id=child)
    if caseworker is not None:
        queryset = queryset.filter(plan__child__caseworker_id=caseworker)
    if open_only:
        queryset = queryset.filter(decision_issued_on__isnull=True)
    return _related(queryset).order_by("due_on", "id")


def review_get(*, user: Actor, pk: uuid.UUID) -> AnnualReview:
    """One review (404 if not visible); reading it is reading the child's record: audited."""
    review = review_list(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404("No annual review found.")
    record(actor=user, action="child.viewed", obj=review, child_id=review.plan.child_id)
    return review


def review_deadlines_for(review: AnnualReview, *, today: dt.date) -> list[DeadlineRow]:
    return review_deadlines(review, today=today, calendar=working_calendar())


def setting_of(review: AnnualReview) -> Establishment | None:
    setting: Establishment | None = review.plan.child.current_setting
    return setting


def setting_name(review: AnnualReview) -> str:
    setting = setting_of(review)
    return str(setting) if setting is not None else NO_SETTING


def caseworker_name(review: AnnualReview) -> str:
    caseworker: User | None = review.plan.child.caseworker
    return str(caseworker) if caseworker is not None else NO_CASEWORKER


# --- under-5s ---------------------------------------------------------------------------------
def under_5_checks(review: AnnualReview) -> list[dt.date]:
    """Interim checks every REVIEW_UNDER_5_MONTHS months while the child is under 5 and the
    review is open: a reminder the Code of Practice asks for, not a statutory deadline."""
    months = conf.under_5_months()
    if months <= 0:
        return []
    fifth_birthday = add_months(review.plan.child.date_of_birth, 60)
    checks: list[dt.date] = []
    n = 1
    while True:
        check = add_months(review.cycle_start_on, months * n)
        if check >= review.due_on or check >= fifth_birthday:
            return checks
        checks.append(check)
        n += 1


# --- term lists -------------------------------------------------------------------------------
@dataclass
class SettingList:
    setting: Establishment | None
    name: str
    reviews: list[AnnualReview] = field(default_factory=list)


def reviews_due_in_term(
    *, user: Actor, term: Term, setting: uuid.UUID | None = None
) -> list[SettingList]:
    """Every setting's list of reviews of plans in force due in the term."""
    queryset = review_list(user=user).filter(
        plan__status=PlanStatus.ACTIVE, due_on__range=(term.starts_on, term.ends_on)
    )
    if setting is not None:
        queryset = queryset.filter(plan__child__current_setting_id=setting)
    groups: dict[str, SettingList] = {}
    for review in queryset.order_by("due_on", "plan__child__last_name", "id"):
        name = setting_name(review)
        groups.setdefault(name, SettingList(setting_of(review), name)).reviews.append(review)
    return [groups[name] for name in sorted(groups, key=lambda n: (n == NO_SETTING, n))]


def settings_with_reviews(*, user: Actor) -> QuerySet[Establishment]:
    if not _may_read(user):
        return Establishment.objects.none()
    return Establishment.objects.filter(
        pk__in=Plan.objects.filter(status=PlanStatus.ACTIVE).values("child__current_setting")
    ).order_by("name")


# --- the reporting definitions (reporting.md section 2, "Annual reviews") -----------------------
#: The review decision is due 4 weeks after the meeting: regulation 20(10), the timescale rule
#: `review_decision` (convention W: the meeting day plus 28 calendar days, never moved to a
#: working day). Its practical target may be earlier; lateness is judged on this date.
DECISION_DAYS = 28
REASON_NO_MEETING = "No meeting by the due date"
REASON_NO_DECISION = "No decision 4 weeks after the meeting"


def plan_in_force_q(*, on: dt.date) -> Q:
    """The review's plan was in force at the end of `on`: issued by then and not ceased.

    From the plan's dates, never its status today, so a past month end can be reproduced.
    """
    return Q(plan__issued_on__lte=on) & (
        Q(plan__ceased_on__isnull=True) | Q(plan__ceased_on__gt=on)
    )


def _undecided_q(*, on: dt.date) -> Q:
    """No decision letter issued by the end of `on` (the letter concludes a review)."""
    return Q(decision_issued_on__isnull=True) | Q(decision_issued_on__gt=on)


def _no_meeting_by_due_q() -> Q:
    """No meeting held on or before the review due date (none yet, or a late one)."""
    return Q(meeting_on__isnull=True) | Q(meeting_on__gt=F("due_on"))


def _meeting_by_due_q() -> Q:
    return Q(meeting_on__isnull=False, meeting_on__lte=F("due_on"))


def decision_due_on() -> AddDays:
    """The date the decision letter is due: the meeting plus 28 days (null with no meeting)."""
    return AddDays(F("meeting_on"), DECISION_DAYS)


def backlog_q(*, on: dt.date) -> Q:
    """`ar_backlog`: the review is overdue at the end of `on`, judged only from dates.

    Its plan was in force on `on`, no decision was issued by `on`, and either no meeting was
    held by the due date and the due date has passed (due_on < on), or the meeting was held by
    the due date and its 4 weeks have passed with no decision (meeting + 28 days < on).
    Decided reviews and reviews of plans ceased by `on` are left out; nothing else is, because
    a review is never cancelled or superseded: the next one opens only when this one is decided.
    """
    no_meeting = _no_meeting_by_due_q() & Q(due_on__lt=on)
    no_decision = _meeting_by_due_q() & Q(meeting_on__lt=on - dt.timedelta(days=DECISION_DAYS))
    return plan_in_force_q(on=on) & _undecided_q(on=on) & (no_meeting | no_decision)


def overdue_from() -> Case:
    """For a review in the backlog, the day its lateness counts from: the due date when no
    meeting was held by it, else the day the decision was due."""
    return Case(
        When(_no_meeting_by_due_q(), then=F("due_on")),
        default=decision_due_on(),
        output_field=DateField(),
    )


def backlog_reason() -> Case:
    """For a review in the backlog, why: no meeting by the due date, or no decision after it."""
    return Case(
        When(_no_meeting_by_due_q(), then=Value(REASON_NO_MEETING)),
        default=Value(REASON_NO_DECISION),
        output_field=CharField(),
    )


def in_timescale_q() -> Q:
    """`ar_in_timescale_pct` numerator: the meeting was held by the review due date and the
    decision was issued within 4 weeks (at most 28 days) of it.

    Every term names its column as not null, so `~in_timescale_q()` is "not in timescale" for
    every row, undecided ones included (apply it to decisions in the period for the figure).
    """
    return _meeting_by_due_q() & Q(
        decision_issued_on__isnull=False, decision_issued_on__lte=decision_due_on()
    )


def review_due_in(*, start: dt.date, end: dt.date) -> Q:
    """`ar_due`: the review falls due in the period (inclusive dates)."""
    return Q(due_on__gte=start, due_on__lte=end)


def review_meeting_held_in(*, start: dt.date, end: dt.date) -> Q:
    """`ar_meetings_held`: the review meeting was held in the period (inclusive dates)."""
    return Q(meeting_on__gte=start, meeting_on__lte=end)


def review_decided_in(*, start: dt.date, end: dt.date) -> Q:
    """`ar_in_timescale_pct` denominator: the decision letter was issued in the period."""
    return Q(decision_issued_on__gte=start, decision_issued_on__lte=end)


# --- backlog ----------------------------------------------------------------------------------
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-6 months", 0, 6),
    ("6-12 months", 6, 12),
    ("12-24 months", 12, 24),
    ("24 months or more", 24, None),
)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later` (0 if fewer than one)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    while months > 0 and add_months(earlier, months) > later:
        months -= 1
    return max(months, 0)


def age_band(months: int) -> str:
    for label, low, high in AGE_BANDS:
        if months >= low and (high is None or months < high):
            return label
    raise AssertionError(months)  # pragma: no cover - the bands cover every whole month


@dataclass(frozen=True)
class OverdueReview:
    review: AnnualReview
    reason: str
    overdue_from: dt.date
    months_overdue: int

    @property
    def band(self) -> str:
        return age_band(self.months_overdue)


@dataclass
class BacklogGroup:
    name: str
    bands: dict[str, int] = field(default_factory=lambda: {b[0]: 0 for b in AGE_BANDS})

    @property
    def total(self) -> int:
        return sum(self.bands.values())


@dataclass
class Backlog:
    rows: list[OverdueReview]
    bands: dict[str, int]
    by_caseworker: list[BacklogGroup]
    by_setting: list[BacklogGroup]
    by_team: list[BacklogGroup]

    @property
    def total(self) -> int:
        return len(self.rows)


def _grouped(rows: Iterable[OverdueReview], key: Any) -> list[BacklogGroup]:
    groups: dict[str, BacklogGroup] = {}
    for row in rows:
        name = key(row.review)
        groups.setdefault(name, BacklogGroup(name)).bands[row.band] += 1
    return sorted(groups.values(), key=lambda g: (-g.total, g.name))


def team_name(review: AnnualReview) -> str:
    caseworker = review.plan.child.caseworker
    return (caseworker.team if caseworker is not None else "") or NO_TEAM


def backlog(
    *,
    user: Actor,
    today: dt.date,
    caseworker: int | None = None,
    setting: uuid.UUID | None = None,
) -> Backlog:
    """The reviews in `ar_backlog` at the end of `today` (filtered by `backlog_q` in the
    database), oldest first, aged and grouped."""
    queryset = (
        review_list(user=user, caseworker=caseworker)
        .filter(backlog_q(on=today))
        .annotate(backlog_reason=backlog_reason(), overdue_from=overdue_from())
    )
    if setting is not None:
        queryset = queryset.filter(plan__child__current_setting_id=setting)
    rows = []
    for review in queryset:
        since: dt.date = getattr(review, "overdue_from")  # noqa: B009 - annotated above
        reason: str = getattr(review, "backlog_reason")  # noqa: B009 - annotated above
        rows.append(OverdueReview(review, reason, since, months_between(since, today)))
    rows.sort(key=lambda r: (r.overdue_from, r.review.plan.child.last_name))
    bands = {label: 0 for label, _, _ in AGE_BANDS}
    for row in rows:
        bands[row.band] += 1
    return Backlog(
        rows=rows,
        bands=bands,
        by_caseworker=_grouped(rows, caseworker_name),
        by_setting=_grouped(rows, setting_name),
        by_team=_grouped(rows, team_name),
    )


# --- timeliness (reporting.md ar_in_timescale_pct) --------------------------------------------
@dataclass
class TeamTimeliness:
    team: str
    decisions: int = 0
    in_timescale: int = 0
    backlog: int = 0

    @property
    def pct(self) -> float | None:
        return 100 * self.in_timescale / self.decisions if self.decisions else None


def timeliness_by_team(
    *, user: Actor, start: dt.date, end: dt.date, backlog_today: Backlog
) -> tuple[list[TeamTimeliness], TeamTimeliness]:
    """Per team (the caseworker's team): decisions in the period, the share in timescale, and
    the backlog today; with the council's total. Counted in one grouped query."""
    teams: dict[str, TeamTimeliness] = {}
    total = TeamTimeliness("All teams")
    counts = (
        _scoped(user)
        .filter(review_decided_in(start=start, end=end))
        .order_by()
        .values("plan__child__caseworker__team")
        .annotate(decisions=Count("pk"), in_timescale=Count("pk", filter=in_timescale_q()))
    )
    for count in counts:
        name = count["plan__child__caseworker__team"] or NO_TEAM
        row = teams.setdefault(name, TeamTimeliness(name))
        row.decisions += count["decisions"]
        row.in_timescale += count["in_timescale"]
        total.decisions += count["decisions"]
        total.in_timescale += count["in_timescale"]
    for group in backlog_today.by_team:
        row = teams.setdefault(group.name, TeamTimeliness(group.name))
        row.backlog = group.total
        total.backlog += group.total
    return sorted(teams.values(), key=lambda t: (t.team == NO_TEAM, t.team)), total


# --- phase-transfer cohort ------------------------------------------------------------------
def next_september(today: dt.date) -> int:
    """The year of the next 1 September on or after today."""
    return today.year if (today.month, today.day) <= (9, 1) else today.year + 1


@dataclass(frozen=True)
class CohortRow:
    plan: Plan
    transfer: phase.Transfer
    due: dt.date
    statutory_date: dt.date | None
    explanation: str
    amended_on: dt.date | None
    status: DeadlineStatus
    review: AnnualReview | None

    @property
    def year_group_now(self) -> str:
        return phase.year_group_label(
            phase.year_group(self.plan.child.date_of_birth, self.transfer.on) - 1
        )


def _dob_range(reception: int) -> tuple[dt.date, dt.date]:
    return dt.date(reception - 5, 9, 1), dt.date(reception - 4, 8, 31)


def phase_transfer_cohort(*, user: Actor, year: int, today: dt.date) -> list[CohortRow]:
    """Every plan in force that must be amended for a transfer in the school year ending with
    1 September of `year`: computed from the date of birth (and the infant-school flag), or
    set by hand on the plan's latest review."""
    if not _may_read(user):
        return []
    window_start = dt.date(year - 1, 9, 2)
    window_end = dt.date(year, 9, 1)
    by_dob = Q()
    for transfer_year, _kind, _label in phase.TRANSFER_YEARS:
        by_dob |= Q(child__date_of_birth__range=_dob_range(year - transfer_year))
    manual = Q(
        annual_reviews__phase_transfer_manual=True,
        annual_reviews__phase_transfer_on__range=(window_start, window_end),
    )
    plans = (
        Plan.objects.filter(status=PlanStatus.ACTIVE)
        .filter(by_dob | manual)
        .distinct()
        .select_related("child__caseworker", "child__current_setting")
        .prefetch_related(
            Prefetch("annual_reviews", queryset=AnnualReview.objects.order_by("-sequence")),
            Prefetch("versions", queryset=PlanVersion.objects.order_by("number")),
        )
    )
    calendar = working_calendar()
    rows = []
    for plan in plans:
        reviews = list(plan.annual_reviews.all())
        latest = reviews[0] if reviews else None
        transfer = _cohort_transfer(plan, latest, year, window_start, window_end)
        if transfer is None:
            continue
        due = compute(transfer.rule, transfer.on, calendar)
        since = phase.amendment_window_start(transfer.on)
        amended = [
            v.issued_on
            for v in plan.versions.all()
            if v.kind == PlanVersion.Kind.AMENDED and since <= v.issued_on <= transfer.on
        ]
        amended_on = min(amended) if amended else None
        rows.append(
            CohortRow(
                plan=plan,
                transfer=transfer,
                due=due.due,
                statutory_date=due.statutory_date,
                explanation=due.explanation,
                amended_on=amended_on,
                status=deadline_status(due=due.due, met_on=amended_on, today=today),
                review=latest,
            )
        )
    rows.sort(key=lambda r: (r.due, r.plan.child.last_name, r.plan.child.first_name))
    return rows


def _cohort_transfer(
    plan: Plan,
    latest: AnnualReview | None,
    year: int,
    window_start: dt.date,
    window_end: dt.date,
) -> phase.Transfer | None:
    if latest is not None and latest.phase_transfer_manual:
        if (
            latest.phase_transfer
            and latest.phase_transfer_on is not None
            and window_start <= latest.phase_transfer_on <= window_end
        ):
            return phase.Transfer(
                latest.phase_transfer_kind,
                latest.phase_transfer_on,
                None,
                latest.phase_transfer_label,
            )
        return None
    child = plan.child
    setting = child.current_setting
    infant = (
        latest.infant_school
        if latest is not None
        else setting is not None and phase.is_infant_setting(setting.phase, setting.name)
    )
    return phase.transfer_in_september(child.date_of_birth, year, infant_school=infant)


def cohort_summary(rows: list[CohortRow]) -> dict[str, Any]:
    counts = dict.fromkeys(DeadlineStatus, 0)
    for row in rows:
        counts[row.status] += 1
    finished = counts[DeadlineStatus.met] + counts[DeadlineStatus.met_late]
    return {
        "total": len(rows),
        "counts": counts,
        "on_time_pct": 100 * counts[DeadlineStatus.met] / finished if finished else None,
    }


# --- reminders --------------------------------------------------------------------------------
def reviews_needing_reminders(*, today: dt.date) -> QuerySet[AnnualReview]:
    """Reviews of plans in force that may need a reminder: open, or amending."""
    horizon = add_weeks(today, conf.reminder_weeks())
    return (
        AnnualReview.objects.filter(plan__status=PlanStatus.ACTIVE)
        .filter(
            Q(decision_issued_on__isnull=True, due_on__lte=horizon)
            | Q(decision_issued_on__isnull=True, meeting_on__isnull=False)
            | Q(decision=Decision.AMEND, final_amended_issued_on__isnull=True)
            | Q(
                decision_issued_on__isnull=True,
                plan__child__date_of_birth__gt=add_months(today, -60),
            )
        )
        .select_related("plan__child__caseworker")
        .prefetch_related("reminders")
        .order_by("due_on", "id")
    )
