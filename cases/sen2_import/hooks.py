"""What the SEN2 import hands to the apps that build on casework: the annual review a file reports.

The reviews app imports casework, so casework cannot import it; it registers a writer here (in
its AppConfig.ready), as the tribunals app answers the cease rule through a registered hook.
Without one (an installation without reviews), the review items are read and not stored.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportedReview:
    """The latest annual review a file reports for a plan in force (SEN2 ActivePlans), as the
    file gives it: `outcome` is the SEN2 code (M maintain, A amend, C cease) or ""."""

    child_id: uuid.UUID
    plan_id: uuid.UUID
    plan_issued_on: dt.date
    plan_start_on: dt.date  # StartDate: the date of the plan as last issued (amended)
    plan_active: bool
    meeting_on: dt.date | None
    decision_issued_on: dt.date | None  # LastReview: the family told the decision
    outcome: str
    draft_on: dt.date | None  # ReviewDraft: the proposed amendments sent
    line: int


@dataclass
class ReviewsImported:
    """What a writer did with the reviews it was given (for the import's report)."""

    created: int = 0
    matched: int = 0
    updated: int = 0
    #: The children whose reviews were created or updated (their deadlines change).
    children: set[uuid.UUID] = field(default_factory=set)

    def add(self, other: "ReviewsImported") -> None:
        self.created += other.created
        self.matched += other.matched
        self.updated += other.updated
        self.children |= other.children


ReviewWriter = Callable[[Sequence[ImportedReview]], ReviewsImported]
_review_writers: list[ReviewWriter] = []


def register_review_writer(writer: ReviewWriter) -> None:
    """Let the app that records annual reviews store the reviews an import reads (called once,
    in its AppConfig.ready). It writes in the import's transaction, in bulk, and raises the
    database's IntegrityError for a review it cannot hold, so the person is left out."""
    if writer not in _review_writers:
        _review_writers.append(writer)


def review_writers() -> tuple[ReviewWriter, ...]:
    return tuple(_review_writers)


def write_reviews(reviews: Sequence[ImportedReview]) -> ReviewsImported:
    """Every registered writer's work on `reviews` (nothing when none is registered)."""
    done = ReviewsImported()
    if reviews:
        for writer in _review_writers:
            done.add(writer(reviews))
    return done
