"""Demo annual reviews for the plans the casework seeder issued, made through the services.

Runs after the casework seeder (settings.DEMO_SEEDERS). Opens the first review of every plan in
force that has none, then moves the reviews already due (or nearly) through a realistic mix of
steps: some untouched (the backlog), some with a meeting and no decision, some maintained, some
amended with a final amended plan. Only reviews opened by this run are moved on, so running the
seeder again changes nothing. Every date is in the past and obeys the workflow's rules.
"""

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from reviews import services
from reviews.models import AnnualReview
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


# The demo's mix: a review's roll below each share takes that path.
UNTOUCHED, MEETING_ONLY, MAINTAINED, FINAL_ISSUED = 0.2, 0.35, 0.65, 0.9
LATE_SHARE = 0.25


def _past(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _progress(
    review: AnnualReview, *, actor: Any, rng: random.Random, today: dt.date
) -> dict[str, int]:
    done = {"meetings": 0, "decisions": 0, "amended": 0}
    roll = rng.random()
    if roll < UNTOUCHED:
        return done  # no meeting: in the backlog once due
    earliest = review.cycle_start_on + dt.timedelta(days=60)
    late = rng.random() < LATE_SHARE
    meeting = review.due_on + dt.timedelta(
        days=rng.randint(3, 50) if late else -rng.randint(20, 60)
    )
    meeting = max(_past(meeting, today - dt.timedelta(days=3)), earliest)
    if meeting > today:
        return done
    invited = compute("review_notice", meeting).due - dt.timedelta(days=rng.randint(0, 10))
    if invited > review.cycle_start_on:
        review = services.review_invitations_send(
            actor=actor, review=review, sent_on=invited, meeting_planned_on=meeting
        )
    review = services.review_meeting_record(
        actor=actor,
        review=review,
        held_on=meeting,
        attendees=rng.choice(ATTENDEES),
        child_views=rng.choice(CHILD_VIEWS),
        family_views=rng.choice(FAMILY_VIEWS),
    )
    done["meetings"] += 1
    if roll < MEETING_ONLY:
        return done  # meeting held, decision outstanding
    report = meeting + dt.timedelta(days=rng.randint(5, 20))
    if report <= today:
        review = services.review_report_receive(actor=actor, review=review, received_on=report)
    decided = meeting + dt.timedelta(days=rng.randint(10, 40))
    if decided > today:
        return done
    decision = "maintain" if roll < MAINTAINED else "amend"
    review = services.review_decision_issue(
        actor=actor, review=review, decision=decision, issued_on=decided
    )
    done["decisions"] += 1
    if decision == "maintain":
        return done
    changes = rng.choice(CHANGES)
    review = services.review_amendments_send(
        actor=actor, review=review, issued_on=decided, changes=changes
    )
    final = compute("review_representations", decided).due + dt.timedelta(days=rng.randint(1, 50))
    # Not before a version the plan already has (amended for a phase transfer, say).
    latest = review.plan.versions.order_by("-issued_on").values_list("issued_on", flat=True)
    final = max(final, latest[0]) if latest else final
    if final <= today and roll < FINAL_ISSUED:
        services.review_final_amended_plan_issue(actor=actor, review=review, issued_on=final)
        done["amended"] += 1
    return done


@transaction.atomic
def seed(*, rng: random.Random, users: dict[str, Any], children: int, stdout: TextIO) -> str:
    actor = users["caseworker"]
    today = timezone.localdate()
    opened = services.ensure_reviews_for_new_plans(actor=actor)
    if not opened:
        return "reviews: every plan already has its reviews"
    totals = {"meetings": 0, "decisions": 0, "amended": 0}
    horizon = add_weeks(today, 8)
    for review in sorted(opened, key=lambda r: (r.due_on, r.plan.child.reference)):
        if review.due_on > horizon:
            continue
        for key, value in _progress(review, actor=actor, rng=rng, today=today).items():
            totals[key] += value
    return (
        f"reviews: {len(opened)} reviews opened; {totals['meetings']} meetings, "
        f"{totals['decisions']} decisions, {totals['amended']} amended plans"
    )
