"""The review steps on the stored deadline table (through the registered provider)."""

import datetime as dt

import pytest

from reviews import services
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import recompute_for_children

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_provider_puts_each_review_step_on_the_deadline_table(review, caseworker, plan, frozen):
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 1, 29))
    recompute_for_children([plan.child_id], today=frozen)
    rows = {
        row.rule: (row.due_on, row.status, row.owner_id)
        for row in Deadline.objects.filter(
            subject_type="reviews.annualreview", subject_id=review.pk
        )
    }
    assert rows["annual_review"] == (D(2026, 3, 9), "overdue", caseworker.pk)
    assert rows["review_decision"] == (D(2026, 2, 26), "overdue", caseworker.pk)
    assert rows["review_longstop"][0] == D(2026, 4, 23)
    assert rows["review_report"][0] == D(2026, 2, 12)
    # Invitations were never recorded for a meeting already held: not a phantom overdue step.
    assert rows["review_notice"][1] == "not_applicable"
    assert "review_final_amended_plan" not in rows  # no amendments yet: no trigger, no row
