"""The annual-review figures of reporting.md as the reporting app imports them: `backlog_q`,
`in_timescale_q` and the period filters, each against hand-built rows on its boundary days."""

import datetime as dt

import pytest

from reviews import selectors
from reviews.models import AnnualReview
from send_cms.timescales import compute
from tests.reviews.factories import AnnualReviewFactory, PlanFactory

D = dt.date
pytestmark = pytest.mark.django_db

ON = D(2026, 6, 1)
DUE = D(2026, 3, 9)  # the first review of a plan issued 10 Mar 2025


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _review(*, plan_ceased_on: dt.date | None = None, **dates: dt.date | None) -> AnnualReview:
    plan = PlanFactory.create(issued_on=D(2025, 3, 10))
    if plan_ceased_on is not None:
        plan.status, plan.ceased_on, plan.cease_reason = "ceased", plan_ceased_on, 1
        plan.save()
    review: AnnualReview = AnnualReviewFactory.create(plan=plan, **dates)
    return review


def _in_backlog(review: AnnualReview, on: dt.date = ON) -> bool:
    return AnnualReview.objects.filter(selectors.backlog_q(on=on), pk=review.pk).exists()


# --- the decision is due 28 calendar days after the meeting -----------------------------------
@pytest.mark.parametrize(
    "meeting",
    [
        D(2025, 11, 27),  # due Thu 25 Dec 2025: Christmas Day, not moved
        D(2026, 3, 5),  # due Thu 2 Apr 2026, before Good Friday
        D(2026, 3, 30),  # due Mon 27 Apr 2026
        D(2028, 2, 1),  # due Tue 29 Feb 2028
        D(2026, 7, 4),  # due Sat 1 Aug 2026: a weekend, not moved
    ],
)
def test_the_decision_due_date_is_the_timescale_rules_exactly(meeting: dt.date) -> None:
    assert compute("review_decision", meeting).due == meeting + _days(selectors.DECISION_DAYS)
    review = _review(due_on=D(2028, 12, 31), meeting_on=meeting)
    annotated = AnnualReview.objects.annotate(due=selectors.decision_due_on()).get(pk=review.pk)
    assert annotated.due == meeting + _days(28)


# --- backlog_q ----------------------------------------------------------------------------------
def test_no_meeting_counts_from_the_day_after_the_due_date() -> None:
    assert not _in_backlog(_review(due_on=ON))
    assert _in_backlog(_review(due_on=ON - _days(1)))


def test_a_meeting_by_the_due_date_counts_when_its_4_weeks_have_passed() -> None:
    exactly_28 = _review(due_on=D(2026, 6, 1), meeting_on=ON - _days(28))
    twenty_nine = _review(due_on=D(2026, 6, 1), meeting_on=ON - _days(29))
    assert not _in_backlog(exactly_28)
    assert _in_backlog(twenty_nine)


def test_a_meeting_on_the_due_date_is_held_by_it() -> None:
    on_due = _review(due_on=D(2026, 5, 20), meeting_on=D(2026, 5, 20))
    assert not _in_backlog(on_due)  # the due date has passed, but the meeting was in time
    assert _in_backlog(on_due, D(2026, 6, 18))  # 29 days after the meeting


def test_a_late_meeting_leaves_the_review_overdue_from_its_due_date() -> None:
    late = _review(due_on=D(2026, 5, 20), meeting_on=D(2026, 5, 21))
    assert _in_backlog(late)


def test_a_decision_issued_on_the_day_clears_it_and_one_issued_later_does_not() -> None:
    cleared = _review(meeting_on=D(2026, 3, 2), decision_issued_on=ON)
    decided_after = _review(meeting_on=D(2026, 3, 2), decision_issued_on=ON + _days(1))
    assert not _in_backlog(cleared)
    assert _in_backlog(decided_after)  # as at ON it was still waiting for its decision
    assert not _in_backlog(decided_after, ON + _days(1))


def test_a_review_decided_long_after_still_counts_at_a_past_month_end() -> None:
    review = _review(decision_issued_on=D(2026, 9, 1), meeting_on=D(2026, 8, 20))
    assert _in_backlog(review, D(2026, 3, 31))  # no meeting by 9 Mar: overdue at 31 Mar
    assert not _in_backlog(review, D(2026, 3, 9))  # the due day itself


def test_a_plan_ceased_on_the_day_drops_it() -> None:
    assert not _in_backlog(_review(plan_ceased_on=ON))
    assert _in_backlog(_review(plan_ceased_on=ON + _days(1)))
    assert not _in_backlog(_review(plan_ceased_on=D(2026, 4, 1)))


def test_a_plan_issued_after_the_day_was_not_in_force() -> None:
    """A review can only look overdue before its plan existed with hand-made dates, but the
    definition still asks for the plan to be in force."""
    review = _review(due_on=D(2025, 3, 10))
    assert not _in_backlog(review, D(2025, 3, 10))
    assert _in_backlog(review, D(2025, 3, 11))
    review.plan.issued_on = D(2025, 3, 12)
    review.plan.save()
    assert not _in_backlog(review, D(2025, 3, 11))
    assert _in_backlog(review, D(2025, 3, 12))


def test_the_backlog_is_counted_in_one_query(django_assert_num_queries) -> None:
    for n in range(5):
        _review(due_on=ON - _days(n))
    with django_assert_num_queries(1):
        assert AnnualReview.objects.filter(selectors.backlog_q(on=ON)).count() == 4


def test_reason_and_overdue_from_say_why_and_since_when() -> None:
    no_meeting = _review(due_on=D(2026, 3, 9))
    late_meeting = _review(due_on=D(2026, 3, 9), meeting_on=D(2026, 4, 1))
    no_decision = _review(due_on=D(2026, 5, 31), meeting_on=D(2026, 4, 1))
    rows = {
        r.pk: (r.reason, r.since)
        for r in AnnualReview.objects.filter(selectors.backlog_q(on=ON)).annotate(
            reason=selectors.backlog_reason(), since=selectors.overdue_from()
        )
    }
    assert rows == {
        no_meeting.pk: (selectors.REASON_NO_MEETING, D(2026, 3, 9)),
        late_meeting.pk: (selectors.REASON_NO_MEETING, D(2026, 3, 9)),
        no_decision.pk: (selectors.REASON_NO_DECISION, D(2026, 4, 29)),
    }


def test_the_backlog_page_at_a_past_day_uses_the_dates_not_todays_statuses(
    caseworker, frozen
) -> None:
    review = _review(meeting_on=D(2026, 3, 2), decision_issued_on=D(2026, 5, 1))
    at_end_of_april = selectors.backlog(user=caseworker, today=D(2026, 4, 30))
    assert [(r.review.pk, r.reason, r.overdue_from, r.band) for r in at_end_of_april.rows] == [
        (review.pk, selectors.REASON_NO_DECISION, D(2026, 3, 30), "0-6 months")
    ]
    assert selectors.backlog(user=caseworker, today=frozen).rows == []


# --- in_timescale_q -----------------------------------------------------------------------------
def test_in_timescale_needs_a_meeting_by_the_due_date_and_a_decision_within_28_days() -> None:
    cases = {
        "on time": _review(meeting_on=D(2026, 3, 9), decision_issued_on=D(2026, 4, 6)),
        "a day late": _review(meeting_on=D(2026, 3, 9), decision_issued_on=D(2026, 4, 7)),
        "late meeting": _review(meeting_on=D(2026, 3, 10), decision_issued_on=D(2026, 3, 11)),
        "same day": _review(meeting_on=D(2026, 2, 2), decision_issued_on=D(2026, 2, 2)),
        "undecided": _review(meeting_on=D(2026, 3, 1)),
        "nothing yet": _review(),
    }
    names = {r.pk: name for name, r in cases.items()}

    def matching(q) -> set[str]:
        return {names[pk] for pk in AnnualReview.objects.filter(q).values_list("pk", flat=True)}

    assert matching(selectors.in_timescale_q()) == {"on time", "same day"}
    assert matching(~selectors.in_timescale_q()) == {
        "a day late",
        "late meeting",
        "undecided",
        "nothing yet",
    }


# --- the period filters ---------------------------------------------------------------------------
def test_the_period_filters_include_both_ends() -> None:
    start, end = D(2026, 3, 1), D(2026, 3, 31)
    first = _review(due_on=start, meeting_on=start, decision_issued_on=start)
    last = _review(due_on=end, meeting_on=end, decision_issued_on=end)
    for outside in (start - _days(1), end + _days(1)):
        _review(due_on=outside, meeting_on=outside, decision_issued_on=outside)
    for q in (
        selectors.review_due_in(start=start, end=end),
        selectors.review_meeting_held_in(start=start, end=end),
        selectors.review_decided_in(start=start, end=end),
    ):
        assert set(AnnualReview.objects.filter(q).values_list("pk", flat=True)) == {
            first.pk,
            last.pk,
        }
