"""What managers enter beside the figures: targets and floors, comparators and commentary.

Each write is checked here (the forms only check shape), saved in a transaction and audited.
Refusals are `ValidationError`s keyed by the form's field names, so they land on the field.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from reporting.metrics import Metric, UnknownMetric, get_metric
from reporting.models import Commentary, Comparator, ComparatorArea, MetricTarget
from reporting.periods import PeriodError, PeriodKind, parse_period
from reporting.rag import target_problem
from send_cms.audit.services import record

UNKNOWN_METRIC = "There is no figure with that id."
COMMENTARY_MAX = 3000
COMMENTARY_REQUIRED = "Enter the commentary"
COMMENTARY_TOO_LONG = f"Commentary must be {COMMENTARY_MAX:,} characters or fewer"
COMMENTARY_MONTH = "Enter a month like 2025-08: commentary is written for one month."
COMPARATOR_TAKEN = (
    "There is already a {area} figure for {period}: delete it before entering a new one."
)
COMPARATOR_AREA = "Select England, region or statistical neighbours"
COMPARATOR_PERIOD_REQUIRED = "Enter the period the figure is for"
COMPARATOR_SOURCE_REQUIRED = "Enter where the figure was published"


def _metric(metric_id: str) -> Metric:
    try:
        return get_metric(metric_id)
    except UnknownMetric:
        raise ValidationError({"metric_id": UNKNOWN_METRIC}) from None


@transaction.atomic
def metric_target_set(
    *, actor: Any, metric_id: str, target: Decimal, floor: Decimal
) -> MetricTarget:
    """Set (or change) a metric's target and floor; refused when they contradict its polarity."""
    metric = _metric(metric_id)
    problem = target_problem(target=target, floor=floor, polarity=metric.polarity)
    if problem is not None:
        field = "target" if metric.polarity == "neutral" else "floor"
        raise ValidationError({field: problem})
    existing = MetricTarget.objects.select_for_update().filter(metric_id=metric.id).first()
    before = None if existing is None else {"target": existing.target, "floor": existing.floor}
    row = existing or MetricTarget(metric_id=metric.id)
    row.target, row.floor, row.set_by = target, floor, actor
    row.full_clean()
    row.save()
    record(
        actor=actor,
        action="report.target.set",
        obj=row,
        changes={
            "metric": metric.id,
            "target": target,
            "floor": floor,
            "before": before,
        },
    )
    return row


@transaction.atomic
def comparator_add(
    *,
    actor: Any,
    metric_id: str,
    area: str,
    value: Decimal,
    period_label: str,
    source: str,
) -> Comparator:
    """A published figure to compare with; one per metric, area and period."""
    metric = _metric(metric_id)
    period_label, source = period_label.strip(), source.strip()
    errors: dict[str, str] = {}
    if area not in ComparatorArea.values:
        errors["area"] = COMPARATOR_AREA
    if not period_label:
        errors["period_label"] = COMPARATOR_PERIOD_REQUIRED
    if not source:
        errors["source"] = COMPARATOR_SOURCE_REQUIRED
    if not errors and (
        Comparator.objects.filter(metric_id=metric.id, area=area, period_label=period_label)
        .select_for_update()
        .exists()
    ):
        errors["period_label"] = COMPARATOR_TAKEN.format(
            area=ComparatorArea(area).label, period=period_label
        )
    if errors:
        raise ValidationError(errors)
    row = Comparator(
        metric_id=metric.id,
        area=area,
        value=value,
        period_label=period_label,
        source=source,
        entered_by=actor,
    )
    row.full_clean()
    row.save()
    record(
        actor=actor,
        action="report.comparator.add",
        obj=row,
        changes={
            "metric": metric.id,
            "area": area,
            "value": value,
            "period": period_label,
            "source": source,
        },
    )
    return row


@transaction.atomic
def comparator_delete(*, actor: Any, comparator_id: uuid.UUID) -> None:
    """Remove a comparator entered in error; the audit row keeps what it said."""
    row = Comparator.objects.select_for_update().get(pk=comparator_id)
    record(
        actor=actor,
        action="report.comparator.delete",
        obj=row,
        changes={
            "metric": row.metric_id,
            "area": row.area,
            "value": row.value,
            "period": row.period_label,
            "source": row.source,
        },
    )
    row.delete()


@transaction.atomic
def commentary_save(*, actor: Any, metric_id: str, period: str, text: str) -> Commentary:
    """A manager's words on a metric for a month: created, or replaced if already written."""
    metric = _metric(metric_id)
    errors: dict[str, str] = {}
    key = ""
    try:
        parsed = parse_period(period)
    except PeriodError as error:
        errors["period"] = str(error)
    else:
        if parsed.kind != PeriodKind.MONTH:
            errors["period"] = COMMENTARY_MONTH
        key = parsed.key
    text = text.strip()
    if not text:
        errors["text"] = COMMENTARY_REQUIRED
    elif len(text) > COMMENTARY_MAX:
        errors["text"] = COMMENTARY_TOO_LONG
    if errors:
        raise ValidationError(errors)
    existing = (
        Commentary.objects.select_for_update().filter(metric_id=metric.id, period=key).first()
    )
    before = None if existing is None else existing.text
    row = existing or Commentary(metric_id=metric.id, period=key)
    row.text, row.author = text, actor
    row.full_clean()
    row.save()
    record(
        actor=actor,
        action="report.commentary.save",
        obj=row,
        changes={"metric": metric.id, "period": key, "text": text, "before": before},
    )
    return row
