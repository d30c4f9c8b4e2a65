"""factory_boy factories for the casework tables, shared by every app's tests.

They write rows directly (no services, no audit, no timeline), consistent with every database
constraint, so a test can start from any stage of the journey in one line:

    AssessmentRequestFactory(draft_issued=True)          # draft served 8 Dec 2025
    PlanFactory(child__caseworker=caseworker)            # a plan in force, with version 1
    PlacementFactory(plan=plan, establishment=school)

The default dates follow the worked example of timescales.md: request received Mon 8 Sep 2025.
"""

import datetime as dt
from typing import Any

from factory.declarations import (
    LazyAttribute,
    PostGeneration,
    SelfAttribute,
    Sequence,
    SubFactory,
    Trait,
)
from factory.django import DjangoModelFactory

from cases.models import (
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    Child,
    Establishment,
    IssueDecision,
    Placement,
    Plan,
    PlanVersion,
    RequestStatus,
    TimescaleException,
)

RECEIVED_ON = dt.date(2025, 9, 8)
DECIDED_ON = dt.date(2025, 10, 13)
ADVICE_REQUESTED_ON = dt.date(2025, 10, 14)
ISSUE_DECIDED_ON = dt.date(2025, 12, 1)
DRAFT_ISSUED_ON = dt.date(2025, 12, 8)
FINAL_ISSUED_ON = dt.date(2026, 1, 12)


class EstablishmentFactory(DjangoModelFactory[Establishment]):
    class Meta:
        model = Establishment
        django_get_or_create = ("urn",)

    urn = Sequence(lambda n: f"{100000 + n}")
    name = Sequence(lambda n: f"Meadow Lane Primary School {n}")
    kind = "mainstream"
    phase = "Primary"
    la_code = "999"
    postcode = "AB1 2CD"


class ChildFactory(DjangoModelFactory[Child]):
    class Meta:
        model = Child

    reference = Sequence(lambda n: f"TEST-{n:06d}")
    first_name = Sequence(lambda n: f"Ava{n}")
    last_name = Sequence(lambda n: f"Okoro{n}")
    date_of_birth = dt.date(2015, 3, 1)
    sex = "F"
    ethnicity = "WBRI"
    upn_unknown = "UN5"
    postcode = "AB1 2CD"
    current_setting = None
    caseworker = None


class AssessmentRequestFactory(DjangoModelFactory[AssessmentRequest]):
    """A request at any stage: pass one of the traits (`assessing=True`, `final_issued=True`...)."""

    class Meta:
        model = AssessmentRequest

    class Params:
        not_assessing = Trait(
            status=RequestStatus.NOT_ASSESSING,
            decision=AssessmentDecision.NOT_ASSESS,
            decided_on=DECIDED_ON,
            decision_reasons="Needs can be met at SEN support.",
            decision_letter_sent_on=DECIDED_ON,
        )
        assessing = Trait(
            status=RequestStatus.ASSESSING,
            decision=AssessmentDecision.ASSESS,
            decided_on=DECIDED_ON,
            decision_letter_sent_on=DECIDED_ON,
        )
        not_issuing = Trait(
            assessing=True,
            status=RequestStatus.NOT_ISSUING,
            issue_decision=IssueDecision.NOT_ISSUE,
            issue_decided_on=ISSUE_DECIDED_ON,
        )
        issuing = Trait(
            assessing=True,
            status=RequestStatus.ISSUING,
            issue_decision=IssueDecision.ISSUE,
            issue_decided_on=ISSUE_DECIDED_ON,
        )
        draft_issued = Trait(
            issuing=True, status=RequestStatus.DRAFT_ISSUED, draft_issued_on=DRAFT_ISSUED_ON
        )
        final_issued = Trait(
            draft_issued=True, status=RequestStatus.FINAL_ISSUED, final_issued_on=FINAL_ISSUED_ON
        )
        withdrawn = Trait(
            status=RequestStatus.WITHDRAWN,
            withdrawn_on=dt.date(2025, 9, 20),
            withdrawal_reason="The family moved to independent provision.",
        )
        transferred_out = Trait(
            status=RequestStatus.TRANSFERRED_OUT,
            transferred_out_on=dt.date(2025, 9, 20),
            transferred_to_la="201",
        )

    child = SubFactory(ChildFactory)
    status = RequestStatus.RECEIVED
    received_at = dt.datetime(2025, 9, 8, 9, 0, tzinfo=dt.UTC)
    channel = "email"
    received_on = RECEIVED_ON
    source = "parent_or_young_person"
    requester_name = "Grace Okoro"


class AdviceRequestFactory(DjangoModelFactory[AdviceRequest]):
    class Meta:
        model = AdviceRequest

    request = SubFactory(AssessmentRequestFactory, assessing=True)
    kind = "psychological"
    provider = "Educational Psychology Service"
    requested_on = ADVICE_REQUESTED_ON


class TimescaleExceptionFactory(DjangoModelFactory[TimescaleException]):
    class Meta:
        model = TimescaleException

    request = SubFactory(AssessmentRequestFactory, assessing=True)
    kind = "personal_circumstances"
    rule = "final_plan"
    starts_on = dt.date(2025, 11, 3)
    reason = "The young person was in hospital."
    applied_by = None


def _first_version(plan: Plan, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        PlanVersion.objects.create(
            plan=plan, number=1, kind="final", issued_on=plan.issued_on, changes="Final plan."
        )


class PlanFactory(DjangoModelFactory[Plan]):
    """A plan in force, issued from a request at the final stage, with its version 1.

    `PlanFactory(request=None, issued_on=...)` gives a plan without a request (transferred in).
    """

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    # Typed loosely so that a variant may give a plain default (a plan with no request).
    child: Any = SubFactory(ChildFactory)
    request: Any = SubFactory(
        AssessmentRequestFactory, child=SelfAttribute("..child"), final_issued=True
    )
    issued_on: Any = LazyAttribute(
        lambda o: o.request.final_issued_on if o.request is not None else FINAL_ISSUED_ON
    )
    primary_need = "ASD"

    first_version = PostGeneration(_first_version)


class PlanVersionFactory(DjangoModelFactory[PlanVersion]):
    class Meta:
        model = PlanVersion

    plan = SubFactory(PlanFactory)
    number = Sequence(lambda n: n + 2)
    kind = "amended"
    issued_on = dt.date(2026, 6, 1)
    changes = "Section F updated after the annual review."


class PlacementFactory(DjangoModelFactory[Placement]):
    class Meta:
        model = Placement

    plan = SubFactory(PlanFactory)
    establishment = SubFactory(EstablishmentFactory)
    rank = 1
    starts_on = LazyAttribute(lambda o: o.plan.issued_on)
    band = "B2"
