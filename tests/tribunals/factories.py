"""Casework rows for the tribunals tests, made with the ORM (the casework services are tested
by their own app), and helpers that make appeals and mediations through this app's services."""

import datetime as dt
from typing import Any

from django.utils import timezone

from cases.models import AssessmentRequest, Child, Plan, RequestStatus
from tests.factories import ChildFactory
from tribunals import services
from tribunals.models import Appeal, Mediation

__all__ = ["ChildFactory", "make_child"]  # ChildFactory: the shared one, under its old import


def make_child(**fields: Any) -> Child:
    child: Child = ChildFactory.create(**fields)
    return child


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def refused_request(
    child: Child, *, received_on: dt.date = dt.date(2025, 6, 2)
) -> AssessmentRequest:
    """A request the council decided not to assess (6 weeks later)."""
    return AssessmentRequest.objects.create(
        child=child,
        received_at=_noon(received_on),
        received_on=received_on,
        source="parent_or_young_person",
        status=RequestStatus.NOT_ASSESSING,
        decision="not_assess",
        decided_on=received_on + dt.timedelta(weeks=6),
    )


def not_issuing_request(
    child: Child, *, received_on: dt.date = dt.date(2025, 3, 3)
) -> AssessmentRequest:
    """A request assessed, then refused a plan."""
    return AssessmentRequest.objects.create(
        child=child,
        received_at=_noon(received_on),
        received_on=received_on,
        source="school",
        status=RequestStatus.NOT_ISSUING,
        decision="assess",
        decided_on=received_on + dt.timedelta(weeks=6),
        issue_decision="not_issue",
        issue_decided_on=received_on + dt.timedelta(weeks=16),
    )


def plan_for(
    child: Child,
    *,
    need: str = "ASD",
    issued_on: dt.date = dt.date(2024, 9, 2),
    with_request: bool = False,
) -> Plan:
    """An active plan; with_request makes the request that led to it (final plan issued)."""
    request = None
    if with_request:
        received = issued_on - dt.timedelta(weeks=20)
        request = AssessmentRequest.objects.create(
            child=child,
            received_at=_noon(received),
            received_on=received,
            source="parent_or_young_person",
            status=RequestStatus.FINAL_ISSUED,
            decision="assess",
            decided_on=received + dt.timedelta(weeks=6),
            issue_decision="issue",
            issue_decided_on=received + dt.timedelta(weeks=12),
            draft_issued_on=received + dt.timedelta(weeks=14),
            final_issued_on=issued_on,
        )
    return Plan.objects.create(child=child, request=request, issued_on=issued_on, primary_need=need)


def register_appeal(actor: Any, **kwargs: Any) -> Appeal:
    """An appeal against a refusal to assess unless told otherwise."""
    child = kwargs.pop("child", None) or make_child()
    appeal_type = kwargs.pop("appeal_type", "refusal_to_assess")
    if appeal_type in ("refusal_to_assess", "refusal_to_reassess") and "request" not in kwargs:
        kwargs["request"] = refused_request(child)
    if appeal_type == "refusal_to_issue" and "request" not in kwargs:
        kwargs["request"] = not_issuing_request(child)
    if appeal_type in ("contents", "refusal_to_amend", "cease") and "plan" not in kwargs:
        kwargs["plan"] = plan_for(child)
    if appeal_type in ("contents", "refusal_to_amend") and "sections" not in kwargs:
        kwargs["sections"] = ["B", "F"]
    kwargs.setdefault("decision_notice_on", dt.date(2025, 10, 1))
    kwargs.setdefault("received_by_la_on", dt.date(2025, 12, 1))
    return services.appeal_register(actor=actor, child=child, appeal_type=appeal_type, **kwargs)


def record_mediation(actor: Any, **kwargs: Any) -> Mediation:
    child = kwargs.pop("child", None) or make_child()
    decision_type = kwargs.pop("decision_type", "refusal_to_assess")
    if decision_type in ("refusal_to_assess",) and "request" not in kwargs:
        kwargs["request"] = refused_request(child)
    if decision_type == "refusal_to_issue" and "request" not in kwargs:
        kwargs["request"] = not_issuing_request(child)
    if decision_type in ("plan_contents", "cease", "other") and "plan" not in kwargs:
        kwargs["plan"] = plan_for(child)
    kwargs.setdefault("decision_notice_on", dt.date(2025, 11, 3))
    return services.mediation_create(
        actor=actor, child=child, decision_type=decision_type, **kwargs
    )
