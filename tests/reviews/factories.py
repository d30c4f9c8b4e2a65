"""Casework rows for the review tests, made with the ORM directly (the casework services have
their own tests); reviews themselves are opened through the reviews services."""

import datetime as dt

from factory.declarations import PostGeneration, Sequence, SubFactory
from factory.django import DjangoModelFactory

from cases.models import Child, Establishment, Plan, PlanVersion


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
