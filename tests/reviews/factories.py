"""Casework rows for the review tests, made with the ORM directly (the casework services have
their own tests). Reviews are opened through the reviews services, except where a test needs a
row with exact dates (AnnualReviewFactory)."""

import datetime as dt

from factory.declarations import LazyAttribute, PostGeneration, SelfAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory

from cases.models import Child, Establishment, Plan, PlanVersion
from reviews.models import AnnualReview, ReviewStatus


class EstablishmentFactory(DjangoModelFactory[Establishment]):
    class Meta:
        model = Establishment

    urn = Sequence(lambda n: f"{140000 + n}")
    name = Sequence(lambda n: f"Oakfield Primary School {n}")
    kind = "mainstream"
    phase = "Primary"
    la_code = "999"


class ChildFactory(DjangoModelFactory[Child]):
    class Meta:
        model = Child

    reference = Sequence(lambda n: f"REV{n:05d}")
    first_name = Sequence(lambda n: f"Alex{n}")
    last_name = Sequence(lambda n: f"Jones{n}")
    date_of_birth = dt.date(2014, 3, 1)
    sex = "F"
    current_setting = SubFactory(EstablishmentFactory)
    caseworker = None


def _first_version(plan: Plan, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        PlanVersion.objects.create(plan=plan, number=1, kind="final", issued_on=plan.issued_on)


class PlanFactory(DjangoModelFactory[Plan]):
    """A plan in force with its first version, as the casework app issues one."""

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    child = SubFactory(ChildFactory)
    issued_on = dt.date(2025, 3, 10)
    primary_need = "ASD"
    first_version = PostGeneration(_first_version)


class PlanVersionFactory(DjangoModelFactory[PlanVersion]):
    class Meta:
        model = PlanVersion

    plan = SubFactory(PlanFactory)
    number = Sequence(lambda n: n + 2)
    kind = "amended"
    issued_on = dt.date(2025, 12, 1)


def _status(review: AnnualReview) -> str:
    if review.decision_issued_on is not None:
        return ReviewStatus.MAINTAINED
    return ReviewStatus.MEETING_HELD if review.meeting_on is not None else ReviewStatus.INVITED


class AnnualReviewFactory(DjangoModelFactory[AnnualReview]):
    """A review row with exactly the dates given (no services, no audit): for testing figures
    against hand-built boundary days. By default the first review of a plan issued 10 Mar 2025,
    due 9 Mar 2026, nothing done yet; a decision date makes it a "maintain" decision."""

    class Meta:
        model = AnnualReview

    plan = SubFactory(PlanFactory)
    sequence = 1
    cycle_start_on = SelfAttribute("plan.issued_on")
    due_on = dt.date(2026, 3, 9)
    meeting_on = None
    decision_issued_on = None
    decision = LazyAttribute(lambda r: "maintain" if r.decision_issued_on else "")
    status = LazyAttribute(_status)
