"""Demo annual reviews for the plans the casework seeder issued, made through the services.

Runs after the casework seeder (settings.DEMO_SEEDERS), whose final plans opened their first
reviews as they were issued (and opens one for any plan in force without), then walks each plan's
reviews up to today: a review due (or nearly) is
moved through a realistic mix of steps, and its decision opens the next one, so a plan issued
three years ago has had a review in each year. How promptly depends on when the review fell due
(`cases.demo.stories.strain`, the same ups and downs as the casework): in the weak year 12-24
months ago many meetings were late, some by months, and decisions slow, so a backlog built up;
since then most are on time, the old ones were cleared late, and a few were never held (the
backlog today). Reviews due before the demo's two years were held (some late) and the plan
maintained. A few plans are ceased after a review (more often young people's, over 18). Only
first reviews not yet under way are moved on, each plan's with its own random numbers, so
running the seeder again on the same day changes nothing. Every date is in the past and obeys the
workflow.
"""

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from cases import services as casework
from cases.codes import CeaseReason
from cases.demo.checks import checks_left_to_the_database
from cases.demo.stories import HISTORY_DAYS, strain
from cases.models import PlanStatus
from reviews import services
from reviews.models import AnnualReview, ReviewStatus
from send_cms.deadlines.services import recompute_all
from send_cms.timescales import add_weeks, compute

ATTENDEES = [
    "Parent, SENCO, class teacher, educational psychologist",
    "Parent, SENCO, speech and language therapist",
    "Young person, parent, SENCO, social worker",
    "Parents, head teacher, SENCO, caseworker",
]
CHILD_VIEWS = [
    "Enjoys art and music; finds the lunch hall too loud.",
    "Wants to stay with friends next year.",
    "Says the quiet room helps when lessons get busy.",
]
FAMILY_VIEWS = [
    "Happy with progress; would like more speech and language therapy.",
    "Worried about the move to secondary school.",
    "Would like the plan to say more about transport.",
]
CHANGES = [
    "Section F: speech and language therapy increased to fortnightly.",
    "Section I: names the secondary school for the transfer in September.",
    "Sections B and F updated from the educational psychologist's new advice.",
]
DAY = dt.timedelta(days=1)
ADULT_DAYS = 18 * 365
#: The young person's next step when a review ends their plan (SEN2 cease reasons).
MOVING_ON = [
    CeaseReason.HIGHER_EDUCATION,
    CeaseReason.PAID_EMPLOYMENT,
    CeaseReason.PAID_EMPLOYMENT,
    CeaseReason.NO_LONGER_ENGAGES,
    CeaseReason.NEEDS_MET,
]

#: Shares of the demo's reviews: never held (of those due in the last 8 months; a few older
#: ones too), invitations recorded, report recorded, meeting held in the last year and no
#: decision sent since; at full strain, the meetings after the due date and the decisions more
#: than 4 weeks after it.
NEVER_HELD, NEVER_HELD_OLD, INVITED, REPORTED, STUCK = 0.07, 0.01, 0.7, 0.5, 0.03
LATE_MEETING, LATE_DECISION = 0.6, 0.5
#: Days a late meeting came after the due date: up to a month, and up to 10 more at full strain.
LATE_BY, LATE_BY_STRAINED = 30, 300


class _Walk:
    """Moves reviews on, one plan's chain at a time, and counts what it did."""

    def __init__(self, actor: Any, rng: random.Random, today: dt.date) -> None:
        self.actor, self.rng, self.today = actor, rng, today
        self.counts = dict.fromkeys(
            ("meetings", "decisions", "amended", "cease decisions", "ceased"), 0
        )

    def chain(self, review: AnnualReview, horizon: dt.date) -> None:
        """This review and each one its decision opens, while they are due by `horizon`."""
        current: AnnualReview | None = review
        while current is not None and current.due_on <= horizon:
            current = self.progress(current)

    def progress(self, review: AnnualReview) -> AnnualReview | None:
        """Move one review on as far as it got by today; the next review if it was decided."""
        rng, today = self.rng, self.today
        ago = (today - review.due_on).days
        before_history = ago > HISTORY_DAYS
        stretched = strain(max(ago, 0))
        if not before_history and rng.random() < (NEVER_HELD if ago < 240 else NEVER_HELD_OLD):
            return None  # never held: in the backlog once due
        if rng.random() < LATE_MEETING * stretched:
            late_by = rng.randint(3, LATE_BY + int(LATE_BY_STRAINED * stretched))
            meeting = review.due_on + DAY * late_by
        else:
            meeting = review.due_on - DAY * rng.randint(5, 50)
        meeting = max(meeting, review.cycle_start_on + DAY * 60)
        if not before_history and rng.random() < INVITED:
            invited = compute("review_notice", meeting).due - DAY * rng.randint(0, 10)
            if review.cycle_start_on < invited <= today:
                review = services.review_invitations_send(
                    actor=self.actor, review=review, sent_on=invited, meeting_planned_on=meeting
                )
        if meeting > today - DAY * 3:
            return None  # the meeting is still to come
        review = services.review_meeting_record(
            actor=self.actor,
            review=review,
            held_on=meeting,
            attendees=rng.choice(ATTENDEES),
            child_views=rng.choice(CHILD_VIEWS),
            family_views=rng.choice(FAMILY_VIEWS),
        )
        self.counts["meetings"] += 1
        if ago < 365 and rng.random() < STUCK:
            return None  # meeting held, decision not sent yet
        if not before_history and rng.random() < REPORTED:
            report = meeting + DAY * rng.randint(5, 20)
            if report <= today:
                review = services.review_report_receive(
                    actor=self.actor, review=review, received_on=report
                )
        slow = rng.random() < LATE_DECISION * stretched
        decided = meeting + DAY * (rng.randint(29, 100) if slow else rng.randint(7, 28))
        if decided > today:
            return None  # decision outstanding
        return self.decide(review, decided, before_history=before_history)

    def decide(
        self, review: AnnualReview, decided: dt.date, *, before_history: bool
    ) -> AnnualReview | None:
        """The decision letter: maintain, amend (and the amended plan) or, for a few, cease; the
        next review, opened by the decision, while the plan is in force."""
        rng = self.rng
        child = review.plan.child
        adult = (decided - child.date_of_birth).days >= ADULT_DAYS
        roll = rng.random()
        if before_history or roll < 0.45:
            decision = "maintain"
        elif ((adult and roll > 0.7) or roll > 0.97) and review.plan.cease_proposed_on is None:
            decision = "cease"
        else:
            decision = "amend"
        review = services.review_decision_issue(
            actor=self.actor, review=review, decision=decision, issued_on=decided
        )
        self.counts["decisions"] += 1
        if decision == "amend":
            self.amend(review, decided)
        elif decision == "cease":
            self.counts["cease decisions"] += 1
            self.cease(review, decided, adult=adult)
        following = (
            AnnualReview.objects.select_related("plan__child")
            .filter(plan=review.plan, sequence=review.sequence + 1)
            .first()
        )
        if following is None or following.plan.status != PlanStatus.ACTIVE:
            return None
        return following

    def amend(self, review: AnnualReview, decided: dt.date) -> None:
        rng, today = self.rng, self.today
        review = services.review_amendments_send(
            actor=self.actor, review=review, issued_on=decided, changes=rng.choice(CHANGES)
        )
        final = compute("review_representations", decided).due + DAY * rng.randint(1, 50)
        # Not before a version the plan already has (amended for a phase transfer, say).
        latest = review.plan.versions.order_by("-issued_on").values_list("issued_on", flat=True)
        final = max(final, latest[0]) if latest else final
        if final <= today and rng.random() < 0.9:
            services.review_final_amended_plan_issue(
                actor=self.actor, review=review, issued_on=final
            )
            self.counts["amended"] += 1

    def cease(self, review: AnnualReview, decided: dt.date, *, adult: bool) -> None:
        """The plan ends: the young person has moved on, or the child's needs are met without
        it. It stays in force while the family can still appeal (so for some, ceasing is still
        only proposed today)."""
        reason = self.rng.choice(MOVING_ON) if adult else CeaseReason.NEEDS_MET
        if reason in casework.CEASE_WITHOUT_APPEAL:
            ceased = decided + DAY * self.rng.randint(0, 10)
        else:
            ceased = casework.appeal_deadline_for(decided) + DAY * self.rng.randint(1, 20)
        if ceased > self.today:
            return
        casework.plan_cease(
            actor=self.actor, plan=review.plan, decided_on=decided, ceased_on=ceased, reason=reason
        )
        self.counts["ceased"] += 1


@transaction.atomic
def seed(*, rng: random.Random, users: dict[str, Any], children: int, stdout: TextIO) -> str:
    actor = users["caseworker"]
    today = timezone.localdate()
    base = rng.getrandbits(64)
    with checks_left_to_the_database(), casework.deadlines_deferred() as changed:
        services.ensure_reviews_for_new_plans(actor=actor)
        opened = list(
            AnnualReview.objects.select_related("plan__child").filter(
                sequence=1,
                status=ReviewStatus.AWAITING_MEETING,
                invitations_sent_on=None,
                advice_gathered_on=None,
                plan__status=PlanStatus.ACTIVE,
            )
        )
        walk = _Walk(actor, rng, today)
        horizon = add_weeks(today, 8)
        for review in sorted(opened, key=lambda r: (r.due_on, r.plan.child.reference)):
            # The plan's own numbers: a review left as it was is left so again on a second run.
            walk.rng = random.Random(f"{base}:{review.plan.child.reference}")  # noqa: S311
            walk.chain(review, horizon)
    recompute_all(child_ids=sorted(changed, key=str))
    c = walk.counts
    return (
        f"reviews: {AnnualReview.objects.count()} reviews of {len(opened)} plans; "
        f"{c['meetings']} meetings, {c['decisions']} decisions, {c['amended']} amended plans, "
        f"{c['cease decisions']} decisions to cease ({c['ceased']} plans ceased since)"
    )
