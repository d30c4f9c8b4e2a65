"""Annual reviews' part of retention: a child's reviews in the SEN file's anonymisation and in a
subject access export."""

import uuid
from typing import Any

from reviews.models import AnnualReview
from send_cms.retention.anonymise import anonymise_text
from send_cms.retention.registry import Section, register_child_part, register_section
from send_cms.retention.subject_access import record_of


def reviews_anonymise(child_id: uuid.UUID) -> dict[str, int]:
    """Who attended, the advice, the child's and the family's views, the proposed changes; the
    dates and the decision stay for the timeliness figures."""
    reviews = AnnualReview.objects.filter(plan__child_id=child_id)
    return {"annual reviews": anonymise_text(reviews, also=("phase_transfer_label",))}


def review_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    reviews = (
        AnnualReview.objects.filter(plan__child_id=child_id)
        .select_related("plan", "plan_version")
        .order_by("due_on", "sequence")
    )
    return [record_of(review) for review in reviews]


register_child_part(reviews_anonymise)
register_section(Section("reviews", "Annual reviews", 40, review_records))
