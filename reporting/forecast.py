"""Predicted 20-week breaches: when each open assessment's final plan will be issued at the
council's current pace, and which step is holding it up.

A request's journey to a final plan has five steps. The pace of each is the median number of days
it took over the last 12 months, measured on the requests that completed it then. A request's
final-plan date is predicted from the date its last step was completed: its current step takes
the median (or, if it has already taken longer, ends today), and each later step takes its
median. The family's 15 days on the draft are the law's minimum for the last step.

Pure date arithmetic: the database reads are in reporting.selectors.at_risk, the statutory due
dates come from send_cms.timescales.
"""

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cases.models import DRAFT_WINDOW
from reporting.periods import Period, month_of
from send_cms.timescales import compute


class Step(StrEnum):
    """The steps from request to final plan, in order."""

    DECISION = "decision"
    ADVICE = "advice"
    ISSUE_DECISION = "issue_decision"
    DRAFT = "draft"
    FINAL = "final"


ORDER: tuple[Step, ...] = tuple(Step)

#: What each step measures, in the words the page states its assumptions in.
MEASURES: dict[Step, str] = {
    Step.DECISION: "Request received to decision to assess",
    Step.ADVICE: "Decision to assess to the last advice received",
    Step.ISSUE_DECISION: "Last advice received (or decision to assess) to decision to issue",
    Step.DRAFT: "Decision to issue to draft plan issued",
    Step.FINAL: "Draft plan issued to final plan issued",
}
#: The step's name as the next thing to do on a case.
NEXT: dict[Step, str] = {
    Step.DECISION: "Decision to assess",
    Step.ADVICE: "Advice",
    Step.ISSUE_DECISION: "Decision to issue",
    Step.DRAFT: "Draft plan",
    Step.FINAL: "Final plan",
}
#: With no completed case in the 12 months, a step is assumed to take its share of the statutory
#: 20 weeks: 6 weeks to decide, 6 weeks for advice, the decision to issue by 16 weeks, the draft
#: by day 125 and the family's 15 days (42 + 42 + 28 + 13 + 15 = 140).
STATUTORY_DAYS: dict[Step, int] = {
    Step.DECISION: 42,
    Step.ADVICE: 42,
    Step.ISSUE_DECISION: 28,
    Step.DRAFT: 13,
    Step.FINAL: DRAFT_WINDOW.days,
}
#: The law's minimum for each step, in days: no final plan before the family's 15 days end
#: (regulation 13(1); the database's request_final_after_draft_window constraint).
MINIMUM_DAYS: dict[Step, int] = {Step.FINAL: DRAFT_WINDOW.days}

# Late-step wording: business messages as constants, asserted by the tests.
DECISION_NOT_MADE = "Decision to assess not made"
ADVICE_OVERDUE = "Advice from {advisers} overdue"
ISSUE_DECISION_NOT_MADE = "Decision to issue not made"
DRAFT_NOT_ISSUED = "Draft plan not issued"
FINAL_NOT_ISSUED = "Final plan not issued"
WAS_LATE = "{step} was {days} late"


def median_days(durations: Sequence[int]) -> int:
    """The median in whole days; the middle of an even count is rounded up (never optimistic)."""
    return math.ceil(statistics.median(durations))


def twelve_months_to(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months ending today, inclusive: 1 May 2025 to 30 Apr 2026."""
    try:
        year_before = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_before = today.replace(year=today.year - 1, day=28)
    return year_before + dt.timedelta(days=1), today


@dataclass(frozen=True)
class StepPace:
    step: Step
    median_days: int | None
    cases: int

    @property
    def days(self) -> int:
        """The days the step is assumed to take: its median, else the statutory pace."""
        days = STATUTORY_DAYS[self.step] if self.median_days is None else self.median_days
        return max(days, MINIMUM_DAYS.get(self.step, 0))

    @property
    def measure(self) -> str:
        return MEASURES[self.step]


@dataclass(frozen=True)
class Pace:
    """The council's current pace: each step's median over the 12 months `start`..`end`."""

    steps: tuple[StepPace, ...]
    start: dt.date
    end: dt.date

    def days(self, step: Step) -> int:
        return next(s.days for s in self.steps if s.step == step)


def pace_from(durations: Mapping[Step, Sequence[int]], *, start: dt.date, end: dt.date) -> Pace:
    """Each step's median from the durations of the cases that completed it in the window."""
    return Pace(
        steps=tuple(
            StepPace(
                step=step,
                median_days=median_days(durations[step]) if durations.get(step) else None,
                cases=len(durations.get(step) or ()),
            )
            for step in ORDER
        ),
        start=start,
        end=end,
    )


@dataclass(frozen=True)
class Advice:
    adviser: str  # who gives it, as a sentence says it: "health", "educational psychology"
    requested_on: dt.date
    in_on: dt.date | None  # received (or re-received after a return for quality); None: awaited


@dataclass(frozen=True)
class Progress:
    """The dates an open request has reached, read from the casework tables."""

    received_on: dt.date
    decided_on: dt.date | None
    advice: tuple[Advice, ...]
    issue_decided_on: dt.date | None
    draft_issued_on: dt.date | None
    is_reassessment: bool = False
    #: Settings consulted on the draft that have not replied.
    awaiting_replies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prediction:
    due_on: dt.date
    final_on: dt.date
    step: Step  # the step the request is on now
    late: tuple[str, ...]  # what is late now: the current step, then the milestone missed
    ran_late: tuple[str, ...]  # steps done after their statutory date: why it is behind
    next_step: str

    @property
    def days_over(self) -> int:
        """Days the predicted final plan falls after the 20-week date (0 or less: in time)."""
        return (self.final_on - self.due_on).days

    @property
    def at_risk(self) -> bool:
        return self.days_over > 0

    @property
    def late_step(self) -> str:
        """The step to chase: the current one if late, else the milestone missed, else ""."""
        return self.late[0] if self.late else ""


def _advice_in(progress: Progress) -> dt.date | None:
    """The day the last advice came in, once every advice requested is in."""
    if not progress.advice or any(a.in_on is None for a in progress.advice):
        return None
    return max(a.in_on for a in progress.advice if a.in_on is not None)


def current_step(progress: Progress) -> tuple[Step, dt.date]:
    """The step the request is on and the date the step before it was completed."""
    if progress.decided_on is None:
        return Step.DECISION, progress.received_on
    if progress.issue_decided_on is None:
        advice_in = _advice_in(progress)
        if advice_in is None:
            return Step.ADVICE, progress.decided_on
        return Step.ISSUE_DECISION, max(advice_in, progress.decided_on)
    if progress.draft_issued_on is None:
        return Step.DRAFT, progress.issue_decided_on
    return Step.FINAL, progress.draft_issued_on


def predict(*, progress: Progress, pace: Pace, today: dt.date) -> Prediction:
    """The predicted final-plan date: the current step ends at its median (today if already
    later), then each remaining step takes its median."""
    step, since = current_step(progress)
    day = max(since + dt.timedelta(days=pace.days(step)), today)
    for later in ORDER[ORDER.index(step) + 1 :]:
        day += dt.timedelta(days=pace.days(later))
    return Prediction(
        due_on=compute("final_plan", progress.received_on).due,
        final_on=day,
        step=step,
        late=tuple(_late_now(progress, step, today)),
        ran_late=tuple(_ran_late(progress, step)),
        next_step=_next_step(progress, step),
    )


def _advisers(names: Iterable[str]) -> str:
    """ "health", "health and social care", "educational psychology, health and social care"."""
    words = sorted(set(names))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"


def _draft_latest(received_on: dt.date) -> dt.date:
    """The last day a draft can be issued and the final plan still be in 20 weeks."""
    return compute("final_plan", received_on).due - DRAFT_WINDOW


def _late_now(progress: Progress, step: Step, today: dt.date) -> list[str]:
    """The current step if its statutory date has passed, then the furthest later milestone
    missed: the decision to issue by 16 weeks, the draft by the last day that still allows 20
    weeks, the final plan by 20 weeks."""
    received = progress.received_on
    milestones = {
        Step.ISSUE_DECISION: (
            compute("decision_not_to_issue", received).due,
            ISSUE_DECISION_NOT_MADE,
        ),
        Step.DRAFT: (_draft_latest(received), DRAFT_NOT_ISSUED),
        Step.FINAL: (compute("final_plan", received).due, FINAL_NOT_ISSUED),
    }
    late: list[str] = []
    if step == Step.DECISION and not progress.is_reassessment:
        if today > compute("decision_to_assess", received).due:
            late.append(DECISION_NOT_MADE)
    elif step == Step.ADVICE:
        overdue = [
            a.adviser
            for a in progress.advice
            if a.in_on is None and today > compute("advice", a.requested_on).due
        ]
        if overdue:
            late.append(ADVICE_OVERDUE.format(advisers=_advisers(overdue)))
    elif step in milestones and today > milestones[step][0]:
        late.append(milestones[step][1])
    for later in reversed(ORDER[ORDER.index(step) + 1 :]):
        due, message = milestones.get(later, (None, ""))
        if due is not None and today > due:
            late.append(message)
            break
    return late


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _ran_late(progress: Progress, step: Step) -> list[str]:
    """Steps already done, but after their statutory date: why a request on pace now is late."""
    received = progress.received_on
    done = ORDER[: ORDER.index(step)]
    late: list[str] = []
    if Step.DECISION in done and progress.decided_on and not progress.is_reassessment:
        over = (progress.decided_on - compute("decision_to_assess", received).due).days
        if over > 0:
            late.append(WAS_LATE.format(step="Decision to assess", days=_days(over)))
    for advice in progress.advice:
        if advice.in_on is not None:
            over = (advice.in_on - compute("advice", advice.requested_on).due).days
            if over > 0:
                step_name = f"Advice from {advice.adviser}"
                late.append(WAS_LATE.format(step=step_name, days=_days(over)))
    if Step.ISSUE_DECISION in done and progress.issue_decided_on:
        over = (progress.issue_decided_on - compute("decision_not_to_issue", received).due).days
        if over > 0:
            late.append(WAS_LATE.format(step="Decision to issue", days=_days(over)))
    if Step.DRAFT in done and progress.draft_issued_on:
        over = (progress.draft_issued_on - _draft_latest(received)).days
        if over > 0:
            late.append(WAS_LATE.format(step="Draft plan", days=_days(over)))
    return late


def _next_step(progress: Progress, step: Step) -> str:
    if step == Step.ADVICE:
        awaited = [a.adviser for a in progress.advice if a.in_on is None]
        return f"Advice from {_advisers(awaited)}" if awaited else "Request advice"
    if step == Step.FINAL and progress.awaiting_replies:
        return f"Final plan (awaiting a reply from {', '.join(progress.awaiting_replies)})"
    return NEXT[step]


# --- next month's 20-week figure ------------------------------------------------------------------
@dataclass(frozen=True)
class MonthForecast:
    """Open requests whose final plan is predicted in `month`, and how many within 20 weeks."""

    month: Period
    expected: int
    within: int

    @property
    def percent(self) -> Decimal | None:
        """Unrounded, like every figure; None when no plan is expected."""
        if not self.expected:
            return None
        return Decimal(100) * Decimal(self.within) / Decimal(self.expected)


def next_month(today: dt.date) -> Period:
    return month_of(month_of(today).end + dt.timedelta(days=1))


def month_forecast(*, predictions: Iterable[Prediction], month: Period) -> MonthForecast:
    in_month = [p for p in predictions if month.start <= p.final_on <= month.end]
    return MonthForecast(
        month=month, expected=len(in_month), within=sum(not p.at_risk for p in in_month)
    )
