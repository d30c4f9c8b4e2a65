"""One demo child's journey, drawn before any record is made.

A story is the gaps, in days from the request's receipt, between the steps of its journey, and
where "today" falls: inside the journey's stage for an open case (so the request waiting longest
is overdue and the newest on time), some time after its end for a closed one. Closed journeys
are spread over the demo's two years of history (`HISTORY_DAYS`, by `spread`), and how quickly
each step came depends on how stretched the service was at the time (`strain`): weaker 16-24
months ago, better since, each month a little better or worse than the next, so every trend on
the managers' dashboard has something to show. Nothing here touches the database;
`cases.demo.journeys` turns a story into records through the services.
"""

import random
from dataclasses import dataclass, field

from cases.codes import AdviceKind
from cases.demo.data import ADVICE_DAYS, DECISION_DAYS, FINAL_DAYS, JOURNEYS
from send_cms.timescales import ExceptionType

#: Journeys that end with a plan, and those that stop on the way with the case still open.
WITH_PLAN = ("plan", "established", "ceased")
OPEN = ("received", "assessing", "issuing", "draft_issued")
EXITS = ("withdrawn", "transferred_out")

#: Days of history: the requests, decisions, plans and ceases of the last two years.
HISTORY_DAYS = 730
#: The golden ratio's fractional part: its multiples fill [0, 1) evenly, whatever their number.
GOLDEN = 0.6180339887498949
#: Months before today from which the service was at its weakest, and by which it had improved.
WEAK_FROM, STRONG_BY = 16, 4


def spread(nth: int, rng: random.Random) -> float:
    """Where the nth story of a journey falls in the history, from 0 (recent) to 1 (two years
    ago): a golden-ratio sequence, so the first few of every journey are already spread over
    the two years, and nth alone decides it, so a larger demo leaves the earlier children be."""
    return (nth * GOLDEN + rng.uniform(0, 0.04)) % 1.0


def strain(ago: int) -> float:
    """How stretched the service was `ago` days before today, as a factor on the chance that a
    step is late: 1 in the weak months 16 or more months ago, easing to 0.3 by 4 months ago, and
    each month a little better or worse than the months beside it (its own fixed wobble)."""
    month = max(ago, 0) * 12 // 365
    eased = min(max(month - STRONG_BY, 0) / (WEAK_FROM - STRONG_BY), 1.0)
    wobble = random.Random(f"demo strain {month}").uniform(0.7, 1.3)  # noqa: S311 - demo data
    return (0.3 + 0.7 * eased) * wobble


def _issued_ago(position: float) -> int:
    """How many days ago a plan of the history was issued: from a few days to two years."""
    return 3 + int(position * (HISTORY_DAYS - 5))


def _received_ago(journey: str, position: float) -> int:
    """Roughly how many days ago the request came, from the story's place in the history, to
    know how stretched the service was for it (`_place` sets the exact day once the journey's
    steps are drawn)."""
    if journey == "plan":  # about 20 weeks before its final plan, spread over the two years
        return FINAL_DAYS + _issued_ago(position)
    if journey == "not_issuing":
        return 120 + int(position * (HISTORY_DAYS - 100))
    if journey in ("not_assessing", *EXITS):
        return 45 + int(position * (HISTORY_DAYS - 45))
    if journey in ("established", "ceased"):
        return HISTORY_DAYS + 365  # plans issued before the history: the weak years
    return 60  # an open case: received in the last few months


def journeys_for(children: int) -> list[str]:
    """The journey of each child, dealt in turn by share (smooth weighted round robin): every
    journey comes up early, so a demo of a few dozen children still shows each stage."""
    total = sum(weight for _, weight in JOURNEYS)
    current = dict.fromkeys((journey for journey, _ in JOURNEYS), 0)
    dealt = []
    for _ in range(children):
        for journey, weight in JOURNEYS:
            current[journey] += weight
        chosen = max(current, key=current.__getitem__)
        current[chosen] -= total
        dealt.append(chosen)
    return dealt


@dataclass
class Advice:
    """One request for advice: days from receipt to each of its dates."""

    kind: str
    requested: int
    back: int
    returned: int | None = None
    re_back: int | None = None

    @property
    def done(self) -> int:
        return self.back if self.re_back is None else self.re_back


@dataclass
class PlannedException:
    """A permitted exception to record: its kind, the rule it excuses, its days from receipt."""

    kind: ExceptionType
    rule: str
    starts: int
    ends: int | None = None
    advice: int | None = None  # index in Story.advice, for an adviser's 6 weeks


@dataclass
class Story:
    """Child n's journey: each step's day counted from the request's receipt (day 0)."""

    n: int
    journey: str
    #: The n-th story of this journey (0 first): the first few are shaped to show each case.
    nth: int
    today: int = 0
    decide: int = 0
    advice: list[Advice] = field(default_factory=list)
    issue: int = 0
    draft: int = 0
    consults: list[tuple[int, int, bool]] = field(default_factory=list)  # sent, reply, can meet
    final: int = 0
    exit_on: int | None = None
    exit_assessing: bool = False
    cease: tuple[int, int] | None = None  # proposed, decided
    exceptions: list[PlannedException] = field(default_factory=list)

    @property
    def assessed(self) -> bool:
        """Did the council decide to assess (before the journey ended)?"""
        if self.journey in ("received", "not_assessing"):
            return False
        return self.journey not in EXITS or self.exit_assessing

    @property
    def late_plan(self) -> bool:
        """Is (or was) the final plan later than 20 weeks?"""
        final = self.final if self.journey in WITH_PLAN else self.today
        return final > FINAL_DAYS

    @property
    def limit(self) -> int:
        """The last day anything happened on the request: today, or the day it closed early."""
        return self.exit_on if self.exit_on is not None else self.today


def draw(n: int, journey: str, nth: int, rng: random.Random) -> Story:
    """Draw the steps of one journey, as quick or as slow as the service was then, and place
    today in it."""
    story = Story(n=n, journey=journey, nth=nth)
    position = spread(nth, rng)
    received_ago = _received_ago(journey, position)

    def stretched(day: int) -> float:
        """How stretched the service was `day` days after this request came."""
        return strain(received_ago - day)

    # The second plan and every sixth assessment are late whatever the month, so a small demo
    # has them too; the rest are late as often as the service was stretched.
    shown_late = (journey == "plan" and nth == 1) or (journey == "assessing" and nth % 6 == 1)
    late_case = shown_late or (journey in WITH_PLAN and rng.random() < 0.3 * stretched(FINAL_DAYS))
    late_decision = rng.random() < 0.28 * stretched(DECISION_DAYS)
    late_decision = late_decision or (journey == "received" and nth % 3 == 0)
    story.decide = rng.randint(48, 75) if late_decision else rng.randint(18, DECISION_DAYS)
    kinds = [AdviceKind.EDUCATIONAL, AdviceKind.PSYCHOLOGICAL, AdviceKind.HEALTH]
    kinds += [AdviceKind.SOCIAL_CARE] if rng.random() < 0.4 else []
    kinds += [AdviceKind.OTHER] if rng.random() < 0.1 else []
    for kind in kinds:
        requested = story.decide + rng.randint(0, 5)
        slow_share = 0.55 if kind == AdviceKind.PSYCHOLOGICAL else 0.18
        slow = rng.random() < slow_share * stretched(requested)
        gap = rng.randint(43, 84) if slow or late_case else rng.randint(20, ADVICE_DAYS)
        advice = Advice(kind=kind, requested=requested, back=requested + gap)
        if kind == AdviceKind.PSYCHOLOGICAL and (
            rng.random() < 0.08 or (journey == "plan" and nth == 0)
        ):
            advice.returned = advice.back + rng.randint(2, 8)
            advice.re_back = advice.returned + rng.randint(7, 21)
        story.advice.append(advice)
    if journey == "assessing" and nth == 0:  # one adviser well overdue
        psychology = story.advice[1]
        psychology.back, psychology.returned, psychology.re_back = (
            psychology.requested + 84,
            None,
            None,
        )
    story.issue = max(a.done for a in story.advice) + rng.randint(2, 14)
    story.draft = story.issue + rng.randint(2, 10)
    story.final = story.draft + rng.randint(22, 35)  # the family's 15 days, then the final
    if late_case and story.final <= FINAL_DAYS:
        # Most just over the 20 weeks, some months over.
        over = rng.randint(0, 20) if rng.random() < 0.6 else rng.randint(21, 120)
        shift = FINAL_DAYS + 1 - story.final + over
        story.issue, story.draft, story.final = (
            d + shift for d in (story.issue, story.draft, story.final)
        )
    sent = story.issue + rng.randint(1, 8)
    story.consults.append((sent, min(sent + rng.randint(5, 25), story.final - 1), True))
    if rng.random() < 0.3:
        second = sent + rng.randint(0, 4)
        reply = min(second + rng.randint(7, 30), story.final - 1)
        story.consults.append((second, reply, rng.random() < 0.4))
    _place(story, rng, position)
    _exceptions(story, rng, shown_late)
    return story


def _place(story: Story, rng: random.Random, position: float) -> None:
    """Put today inside the journey's stage, or, for a closed one, at its place in the history
    (`position`, from `spread`)."""
    journey, nth = story.journey, story.nth
    last_request = max(a.requested for a in story.advice)
    if journey == "received":
        waited = DECISION_DAYS + 1 if nth % 3 == 0 else 1  # a third are overdue
        story.today = rng.randint(waited, story.decide - 1)
    elif journey == "assessing" and nth == 0:  # while the slow adviser is overdue
        slow = story.advice[1]
        story.today = rng.randint(slow.requested + ADVICE_DAYS + 1, slow.back - 1)
    elif journey == "assessing":
        story.today = rng.randint(last_request, story.issue - 1)
    elif journey == "issuing":
        story.today = rng.randint(story.issue, story.draft - 1)
    elif journey == "draft_issued":
        story.today = rng.randint(story.draft, story.final - 1)
    elif journey == "plan":
        story.today = story.final + _issued_ago(position)
    elif journey == "established":  # issued 2 to 4 years ago, in force ever since
        story.today = story.final + HISTORY_DAYS + 20 + int(position * 700)
    elif journey == "ceased":  # issued 1 to 4 years before the decision to cease
        proposed = story.final + rng.randint(300, 1300)
        decided = proposed + rng.randint(14, 42)
        story.cease = (proposed, decided)
        # Decided within the history, and past the family's 2 months to appeal.
        story.today = decided + 95 + int(position * (HISTORY_DAYS - 110))
    elif journey == "not_assessing":
        story.today = max(_received_ago(journey, position), story.decide)
    elif journey == "not_issuing":
        story.today = max(_received_ago(journey, position), story.issue)
    else:  # withdrawn or transferred out: during the first 6 weeks or the assessment
        story.exit_assessing = rng.random() < 0.6
        if story.exit_assessing:
            story.exit_on = rng.randint(last_request + 1, story.issue - 1)
        else:
            story.exit_on = rng.randint(5, story.decide - 1)
        story.today = max(_received_ago(journey, position), story.exit_on)


def _exceptions(story: Story, rng: random.Random, shown_late: bool) -> None:
    """Exceptions where a caseworker would record them: on some of the late steps."""
    journey, nth, limit = story.journey, story.nth, story.limit
    personal = ExceptionType.personal_circumstances
    if journey in ("received", "not_assessing") and story.today >= 28:
        shown = nth % 5 == 2
        if shown or (story.decide > DECISION_DAYS and rng.random() < 0.2):
            starts = rng.randint(5, min(story.today, story.decide) - 7)
            story.exceptions.append(PlannedException(personal, "decision_to_assess", starts))
    if not story.assessed:
        return
    for index, advice in enumerate(story.advice):
        slow = advice.back - advice.requested > ADVICE_DAYS
        if slow and advice.kind != AdviceKind.EDUCATIONAL and rng.random() < 0.1:
            starts = advice.requested + rng.randint(10, 30)
            taken = {(e.kind, e.starts) for e in story.exceptions}
            if (
                starts <= min(limit, advice.back)
                and (ExceptionType.missed_appointment, starts) not in taken
            ):
                missed = ExceptionType.missed_appointment
                story.exceptions.append(PlannedException(missed, "advice", starts, advice=index))
    if journey not in WITH_PLAN and journey not in OPEN:
        return
    if story.late_plan and (shown_late or rng.random() < 0.3):
        final = story.final if journey in WITH_PLAN else story.today
        starts = rng.randint(story.decide, min(limit, final) - 1)
        if rng.random() < 0.5:
            story.exceptions.append(PlannedException(personal, "final_plan", starts))
        else:
            ends: int | None = starts + rng.randint(28, 50)
            if ends is not None and ends > story.today:
                ends = None  # still away
            away = ExceptionType.absence_from_area
            story.exceptions.append(PlannedException(away, "final_plan", starts, ends))
