"""Tribunals' part of retention: appeals and mediations due for disposal (6 years, by default,
after they closed), anonymising one, the child's in the SEN file's anonymisation, and their
sections of a subject access export."""

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.db.models.functions import Coalesce

from send_cms.retention.anonymise import anonymise_text
from send_cms.retention.registry import (
    Due,
    Section,
    register_child_part,
    register_disposer,
    register_finder,
    register_section,
)
from send_cms.retention.schedule import TRIBUNAL_FILE, Rule, add_years, latest_start
from send_cms.retention.subject_access import record_of
from tribunals.codes import OPEN_APPEAL_STATUSES
from tribunals.models import (
    Appeal,
    AppealEvent,
    Direction,
    Mediation,
    MediationAction,
    Order,
    Recommendation,
)

#: The day a mediation's part ended: its certificate, meeting, or the last thing that happened.
MEDIATION_CLOSED_ON = Coalesce(
    "certificate_issued_on",
    "held_on",
    "not_arranged_on",
    "la_informed_on",
    "family_contacted_on",
    "decision_notice_on",
)


def appeals_due(rule: Rule, today: dt.date) -> Iterator[Due]:
    """Closed appeals whose period from their end (`decided_on`: the decision, concession,
    withdrawal or strike-out, which every closed appeal has) has ended by today."""
    appeals = (
        Appeal.objects.exclude(status__in=OPEN_APPEAL_STATUSES)
        .filter(decided_on__lte=latest_start(today, rule.years))
        .select_related("child")
        .order_by("decided_on")
    )
    for appeal in appeals:
        reference = appeal.tribunal_reference or "no tribunal reference"
        yield Due(
            obj=appeal,
            child_id=appeal.child_id,
            due_on=add_years(appeal.decided_on, rule.years),  # type: ignore[arg-type]
            reference=f"{appeal.child.reference}, appeal {reference}",
        )


def mediations_due(rule: Rule, today: dt.date) -> Iterator[Due]:
    """Mediations with no open appeal whose period from the day they ended has ended."""
    mediations = (
        Mediation.objects.exclude(appeals__status__in=OPEN_APPEAL_STATUSES)
        .annotate(closed_on=MEDIATION_CLOSED_ON)
        .filter(closed_on__lte=latest_start(today, rule.years))
        .select_related("child")
        .order_by("closed_on")
    )
    for mediation in mediations:
        yield Due(
            obj=mediation,
            child_id=mediation.child_id,
            due_on=add_years(mediation.closed_on, rule.years),
            reference=f"{mediation.child.reference}, mediation of {mediation.decision_notice_on}",
        )


def _appeals_anonymise(appeals: models.QuerySet[Appeal]) -> dict[str, int]:
    return {
        "appeals": anonymise_text(appeals, also=("appellant_name", "la_representative_name")),
        "appeal events": anonymise_text(AppealEvent.objects.filter(appeal__in=appeals)),
        "directions": anonymise_text(Direction.objects.filter(appeal__in=appeals)),
        "orders": anonymise_text(Order.objects.filter(appeal__in=appeals)),
        "recommendations": anonymise_text(Recommendation.objects.filter(appeal__in=appeals)),
    }


def _mediations_anonymise(mediations: models.QuerySet[Mediation]) -> dict[str, int]:
    return {
        "mediations": anonymise_text(mediations),
        "mediation actions": anonymise_text(
            MediationAction.objects.filter(mediation__in=mediations)
        ),
    }


def appeal_anonymise(appeal: models.Model) -> dict[str, int]:
    """The names and words of one appeal; its dates, grounds, outcome and costs stay for the
    tribunal figures."""
    return _appeals_anonymise(Appeal.objects.filter(pk=appeal.pk))


def mediation_anonymise(mediation: models.Model) -> dict[str, int]:
    return _mediations_anonymise(Mediation.objects.filter(pk=mediation.pk))


def child_tribunal_records_anonymise(child_id: uuid.UUID) -> dict[str, int]:
    return {
        **_appeals_anonymise(Appeal.objects.filter(child_id=child_id)),
        **_mediations_anonymise(Mediation.objects.filter(child_id=child_id)),
    }


def mediation_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    records = []
    for mediation in Mediation.objects.filter(child_id=child_id).order_by("decision_notice_on"):
        records.append(record_of(mediation, exclude=("child",)))
        for action in MediationAction.objects.filter(mediation=mediation):
            records.append(record_of(action, exclude=("mediation",)))
    return records


def appeal_records(child_id: uuid.UUID) -> list[dict[str, Any]]:
    records = []
    appeals = Appeal.objects.filter(child_id=child_id).order_by("received_by_la_on")
    for appeal in appeals.select_related("la_representative"):
        records.append(record_of(appeal, title="Appeal to the tribunal", exclude=("child",)))
        for event in AppealEvent.objects.filter(appeal=appeal).order_by("occurred_on", "id"):
            records.append(record_of(event, title=event.title, exclude=("appeal",)))
        for model in (Direction, Order, Recommendation):
            for item in model._default_manager.filter(appeal=appeal):
                records.append(record_of(item, exclude=("appeal",)))
    return records


register_finder(TRIBUNAL_FILE, appeals_due)
register_finder(TRIBUNAL_FILE, mediations_due)
register_disposer(Appeal._meta.label_lower, appeal_anonymise)
register_disposer(Mediation._meta.label_lower, mediation_anonymise)
register_child_part(child_tribunal_records_anonymise)
register_section(Section("mediations", "Mediation", 60, mediation_records))
register_section(Section("appeals", "Appeals to the tribunal", 70, appeal_records))
