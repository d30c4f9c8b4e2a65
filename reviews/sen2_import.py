"""Annual reviews from an imported SEN2 file, written for the casework import (which cannot import
this app: it calls this through the hook registered in apps.py).

A file reports the latest review of each plan in force: the meeting, the decision and when the
family was told it (LastReview), and the draft amendments. Each becomes a review row as the
services would have left it, so the next review's deadline runs from the decision as it does
for a review recorded here: after a decision, the next cycle is opened from its date.

What the file leaves out is read from what it gives. A 2023 file gives the decision without its
meeting (taken to be that day, the latest it can have been) or its outcome (amend when the plan
was issued again after the decision, else maintain). A plan issued again after a decision to
amend is the final amended plan, its amendments sent with the decision when there is no
ReviewDraft. The 12 months of an imported review are taken to end at its meeting (the file does
not say when the cycle began), never before the plan was issued.

Matching, so a second import changes nothing: the plan's review with the same meeting or
decision date, else its review in progress that has no meeting yet (the file fills it in). A
review older than the ones recorded is history the plan already has.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.utils import timezone

from cases.models import Plan
from cases.sen2_import import ImportedReview, ReviewsImported
from cases.services import working_calendar
from reviews import phase
from reviews.models import AnnualReview, Decision, ReviewStatus
from reviews.workflow import DECISION_STATUS
from send_cms.timescales import WorkingCalendar, add_months, compute

#: SEN2 ReviewOutcome as the review's decision.
DECISION_FOR_OUTCOME = {"M": Decision.MAINTAIN, "A": Decision.AMEND, "C": Decision.CEASE}


def _status(review: AnnualReview) -> str:
    if review.decision_issued_on is not None and review.decision:
        if review.decision == Decision.AMEND and review.final_amended_issued_on is not None:
            return ReviewStatus.AMENDED
        if review.decision == Decision.AMEND and review.amendments_issued_on is not None:
            return ReviewStatus.AMENDMENTS_SENT
        return DECISION_STATUS[review.decision]
    if review.meeting_on is not None and review.status in (
        ReviewStatus.AWAITING_MEETING,
        ReviewStatus.INVITED,
    ):
        return ReviewStatus.MEETING_HELD
    return review.status


def _fill(review: AnnualReview, imported: ImportedReview) -> set[str]:
    """What the file adds to a recorded review (never what the review already says)."""
    decided = imported.decision_issued_on
    outcome = imported.outcome
    # The plan as last issued after the decision: the review amended it.
    amended_on = imported.plan_start_on if decided and imported.plan_start_on > decided else None
    if decided and not outcome:  # 2023 files give no outcome: the plan's versions tell
        outcome = "A" if amended_on else "M"
    values: dict[str, Any] = {
        "meeting_on": imported.meeting_on,
        "decision": DECISION_FOR_OUTCOME.get(outcome, ""),
        "decision_issued_on": decided,
        "amendments_issued_on": imported.draft_on,
    }
    if outcome == "A" and amended_on is not None:
        values["amendments_issued_on"] = imported.draft_on or decided
        if amended_on >= values["amendments_issued_on"]:
            values["final_amended_issued_on"] = amended_on
    changed = set()
    for name, value in values.items():
        if value and not getattr(review, name):
            setattr(review, name, value)
            changed.add(name)
    status = _status(review)
    if status != review.status:
        review.status = status
        changed.add("status")
    return changed


def _same(review: AnnualReview, item: ImportedReview) -> bool:
    """The recorded review is the file's: the same meeting, or the same decision letter."""
    if review.meeting_on is not None and review.meeting_on == item.meeting_on:
        return True
    decided = review.decision_issued_on
    return decided is not None and decided == item.decision_issued_on


def _cycle_start(imported: ImportedReview, previous: AnnualReview | None) -> dt.date:
    """When the imported review's 12 months began: the previous decision recorded, else 12
    months before its meeting but not before the plan was issued."""
    meeting = imported.meeting_on or imported.decision_issued_on or imported.plan_issued_on
    decided = previous.decision_issued_on if previous is not None else None
    if decided is not None and decided <= meeting:
        return decided
    return min(meeting, max(imported.plan_issued_on, add_months(meeting, -12)))


def _new(
    plan: Plan,
    imported: ImportedReview,
    *,
    sequence: int,
    previous: AnnualReview | None,
    calendar: WorkingCalendar,
) -> AnnualReview:
    start = _cycle_start(imported, previous)
    review = AnnualReview(
        plan=plan,
        sequence=sequence,
        cycle_start_on=start,
        due_on=compute("annual_review", start, calendar).due,
        infant_school=previous.infant_school if previous is not None else False,
    )
    _fill(review, imported)
    return review


def _next_cycle(
    plan: Plan, decided: AnnualReview, calendar: WorkingCalendar
) -> AnnualReview | None:
    """The review the decision opens, as `review_decision_issue` does for a plan in force."""
    if decided.decision_issued_on is None:
        return None
    start = decided.decision_issued_on
    review = AnnualReview(
        plan=plan,
        sequence=decided.sequence + 1,
        cycle_start_on=start,
        due_on=compute("annual_review", start, calendar).due,
        infant_school=decided.infant_school,
    )
    _phase_transfer(review, decided, calendar)
    return review


def _phase_transfer(
    review: AnnualReview, previous: AnnualReview, calendar: WorkingCalendar
) -> None:
    """The transfer the new cycle must deliver, by the rule of the reviews services'
    `_apply_computed_phase_transfer` (the next transfer after the cycle starts, when its
    deadline comes before the review is due, unless the previous review carried it), counted on
    the batch's calendar: that function reads the council's calendar again for every review."""
    child = review.plan.child
    transfer = phase.next_transfer(
        child.date_of_birth, after=review.cycle_start_on, infant_school=review.infant_school
    )
    if transfer is None or previous.phase_transfer_on == transfer.on:
        return
    if compute(transfer.rule, transfer.on, calendar).due > review.due_on:
        return
    review.phase_transfer = True
    review.phase_transfer_kind = transfer.kind
    review.phase_transfer_on = transfer.on
    review.phase_transfer_label = transfer.label


def import_reviews(imported: Sequence[ImportedReview]) -> ReviewsImported:
    """Create or fill in each plan's imported review (and open the cycle after a decision)."""
    done = ReviewsImported()
    plan_ids = {item.plan_id for item in imported}
    plans = Plan.objects.select_related("child").in_bulk(plan_ids)
    recorded: dict[Any, list[AnnualReview]] = defaultdict(list)
    for review in AnnualReview.objects.filter(plan_id__in=plan_ids).order_by("sequence"):
        recorded[review.plan_id].append(review)
    calendar = working_calendar()
    creates: list[AnnualReview] = []
    updates: dict[Any, tuple[AnnualReview, set[str]]] = {}
    for item in imported:
        if item.meeting_on is None and item.decision_issued_on is None:
            continue  # an outcome or a draft with no review to hang it on
        if item.meeting_on is None:  # 2023 files give the decision alone
            item = replace(item, meeting_on=item.decision_issued_on)
        plan = plans[item.plan_id]
        reviews = recorded[item.plan_id]
        latest = reviews[-1] if reviews else None
        match = next((r for r in reviews if _same(r, item)), None)
        if match is None and latest is not None and latest.decision_issued_on is None:
            if latest.meeting_on is None and (
                item.meeting_on is None or item.meeting_on >= latest.cycle_start_on
            ):
                match = latest  # the review in progress: the file says how it went
            else:
                done.matched += 1  # the plan's review in progress is later than the file's
                continue
        if (
            match is None
            and latest is not None
            and latest.meeting_on is not None
            and item.meeting_on is not None
            and item.meeting_on < latest.meeting_on
        ):
            done.matched += 1  # older than the reviews recorded: history the plan has
            continue
        if match is None:
            match = _new(
                plan,
                item,
                sequence=latest.sequence + 1 if latest else 1,
                previous=latest,
                calendar=calendar,
            )
            creates.append(match)
            reviews.append(match)
            done.created += 1
            done.children.add(item.child_id)
        else:
            changed = _fill(match, item)
            if not changed:
                done.matched += 1
            else:
                if match.pk in updates:
                    updates[match.pk][1].update(changed)
                else:
                    updates[match.pk] = (match, changed)
                done.updated += 1
                done.children.add(item.child_id)
        if item.plan_active and match is reviews[-1]:
            following = _next_cycle(plan, match, calendar)
            if following is not None:
                creates.append(following)
                reviews.append(following)
                done.children.add(item.child_id)
    AnnualReview.objects.bulk_create(creates, batch_size=1000)
    if updates:
        fields = sorted({"updated_at"}.union(*(changed for _, changed in updates.values())))
        rows = [review for review, _ in updates.values()]
        now = timezone.now()
        for review in rows:
            review.updated_at = now
        AnnualReview.objects.bulk_update(rows, fields, batch_size=1000)
    return done
