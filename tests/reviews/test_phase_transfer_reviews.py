"""Phase transfers on reviews: flagged from the date of birth, deadline from the engine."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from reviews import services
from reviews.deadlines import review_deadlines
from reviews.models import AnnualReview
from tests.reviews.factories import EstablishmentFactory, PlanFactory, PlanVersionFactory

D = dt.date
pytestmark = pytest.mark.django_db
YEAR_6_IN_2025 = D(2015, 1, 10)  # reception Sep 2019, secondary school from Sep 2026


def _deadline(review: AnnualReview, rule: str, today: dt.date):
    return next(d for d in review_deadlines(review, today=today) if d.rule == rule)


def test_a_review_due_after_the_transfer_deadline_carries_the_transfer(frozen, caseworker) -> None:
    plan = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=YEAR_6_IN_2025)
    review = services.annual_review_open_first(plan=plan, actor=caseworker)
    assert review.phase_transfer is True
    assert review.phase_transfer_kind == "school"
    assert review.phase_transfer_on == D(2026, 9, 1)
    assert review.phase_transfer_label == "Primary to secondary school (year 7)"
    deadline = _deadline(review, "phase_transfer_school", frozen)
    assert deadline.due == D(2026, 2, 14)
    assert deadline.statutory_date == D(2026, 2, 15)
    assert deadline.status == "overdue"  # no amended plan by 14 Feb 2026, today 1 Jun 2026


def test_an_amended_plan_by_14_february_meets_the_transfer(frozen, caseworker) -> None:
    plan = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=YEAR_6_IN_2025)
    review = services.annual_review_open_first(plan=plan, actor=caseworker)
    PlanVersionFactory.create(plan=plan, number=2, issued_on=D(2026, 2, 14))
    deadline = _deadline(review, "phase_transfer_school", frozen)
    assert (deadline.met_on, deadline.status) == (D(2026, 2, 14), "met")


def test_an_amended_plan_on_15_february_is_late(frozen, caseworker) -> None:
    plan = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=YEAR_6_IN_2025)
    review = services.annual_review_open_first(plan=plan, actor=caseworker)
    PlanVersionFactory.create(plan=plan, number=2, issued_on=D(2026, 2, 15))
    assert _deadline(review, "phase_transfer_school", frozen).status == "met_late"


def test_the_transfer_goes_on_the_review_whose_cycle_reaches_the_deadline(frozen, caseworker):
    plan = PlanFactory.create(issued_on=D(2024, 10, 1), child__date_of_birth=YEAR_6_IN_2025)
    first = services.annual_review_open_first(plan=plan, actor=caseworker)
    assert first.due_on == D(2025, 9, 30)
    assert first.phase_transfer is False  # due before 14 Feb 2026: the next review's job
    first = services.review_meeting_record(actor=caseworker, review=first, held_on=D(2025, 7, 1))
    services.review_decision_issue(
        actor=caseworker, review=first, decision="maintain", issued_on=D(2025, 7, 20)
    )
    second = AnnualReview.objects.get(plan=plan, sequence=2)
    assert second.phase_transfer_on == D(2026, 9, 1)


def test_a_transfer_is_not_carried_twice(frozen, caseworker) -> None:
    plan = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=YEAR_6_IN_2025)
    first = services.annual_review_open_first(plan=plan, actor=caseworker)
    first = services.review_meeting_record(actor=caseworker, review=first, held_on=D(2026, 1, 5))
    services.review_decision_issue(
        actor=caseworker, review=first, decision="amend", issued_on=D(2026, 1, 20)
    )
    second = AnnualReview.objects.get(plan=plan, sequence=2)
    assert second.phase_transfer is False


def test_infant_to_junior_only_for_a_child_at_an_infant_school(frozen, caseworker) -> None:
    born = D(2019, 1, 10)  # reception Sep 2023, year 3 from Sep 2026
    infant = EstablishmentFactory.create(name="Brook Infant School", phase="Infant")
    at_infant = services.annual_review_open_first(
        plan=PlanFactory.create(
            issued_on=D(2025, 6, 1), child__date_of_birth=born, child__current_setting=infant
        ),
        actor=caseworker,
    )
    at_primary = services.annual_review_open_first(
        plan=PlanFactory.create(issued_on=D(2025, 6, 1), child__date_of_birth=born),
        actor=caseworker,
    )
    assert at_infant.infant_school is True
    assert at_infant.phase_transfer_label == "Infant to junior school (year 3)"
    assert at_primary.phase_transfer is False


def test_a_post16_transfer_at_another_time_set_by_hand(review, caseworker, frozen) -> None:
    review = services.review_phase_transfer_set(
        actor=caseworker,
        review=review,
        automatic=False,
        infant_school=False,
        phase_transfer=True,
        kind="post16_other",
        transfer_on=D(2027, 7, 31),
    )
    assert review.phase_transfer_manual is True
    deadline = _deadline(review, "phase_transfer_post16_other", frozen)
    assert deadline.due == D(2027, 2, 28)
    assert deadline.explanation.startswith("At least 5 months before the transfer on 31 Jul 2027")


def test_setting_a_transfer_by_hand_needs_its_kind_and_date(review, caseworker, frozen) -> None:
    with pytest.raises(ValidationError) as error:
        services.review_phase_transfer_set(
            actor=caseworker,
            review=review,
            automatic=False,
            infant_school=False,
            phase_transfer=True,
        )
    assert error.value.message_dict == {
        "kind": [services.PHASE_KIND_REQUIRED],
        "transfer_on": [services.PHASE_DATE_REQUIRED],
    }


def test_no_transfer_by_hand_and_back_to_the_computed_one(frozen, caseworker) -> None:
    plan = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=YEAR_6_IN_2025)
    review = services.annual_review_open_first(plan=plan, actor=caseworker)
    review = services.review_phase_transfer_set(
        actor=caseworker, review=review, automatic=False, infant_school=False
    )
    assert (review.phase_transfer, review.phase_transfer_manual) == (False, True)
    assert "phase_transfer_school" not in {d.rule for d in review_deadlines(review, today=frozen)}
    review = services.review_phase_transfer_set(
        actor=caseworker, review=review, automatic=True, infant_school=False
    )
    assert (review.phase_transfer, review.phase_transfer_manual) == (True, False)
