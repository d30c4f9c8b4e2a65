"""Annual reviews and disagreement resolution: populations built on the definitions the reviews
and tribunals apps own (`reviews.selectors.backlog_q`, `tribunals.selectors.reporting`), so the
backlog page and the scorecard, or the outcomes page and the scorecard, count the same way.
"""

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import LessThanOrEqual

from reporting.metrics import casework as cw
from reporting.metrics.definition import Kind, Metric, Polarity, Section, Unit
from reporting.metrics.engine import Combination, Part, population_kind
from reporting.periods import Period, month_end
from reviews.models import AnnualReview
from reviews.selectors import (
    AGE_BANDS,
    backlog_q,
    in_timescale_q,
    overdue_from,
    review_decided_in,
    review_due_in,
    review_meeting_held_in,
)
from send_cms.deadlines.models import Deadline
from send_cms.timescales.counting import add_months
from tribunals.models import Appeal, ComplianceStep, Mediation
from tribunals.selectors.reporting import (
    AppealTypeGroup,
    OutcomeGroup,
    appeal_closed_in,
    appeal_registered_in,
    appeal_registered_on,
    appeal_type_group,
    mediations_held_in,
    orders_overdue_q,
    outcome_group,
)

PHASE_TRANSFER_RULES = (
    "phase_transfer_school",
    "phase_transfer_post16",
    "phase_transfer_post16_other",
)


# --- annual reviews -------------------------------------------------------------------------------
_reviews = population_kind(
    subject="annual review",
    model=AnnualReview,
    child="plan__child",
    need="plan__primary_need",
    source="plan__request__source",
    plan="plan",
)


DUE = (("Review due", "due_on"),)
HELD = (("Review due", "due_on"), ("Meeting held", "meeting_on"))
DECIDED = (*HELD, ("Decision issued", "decision_issued_on"))

reviews_due = _reviews(
    base=lambda p: review_due_in(start=p.start, end=p.end), event="due_on", dates=DUE
)
review_meetings_held = _reviews(
    base=lambda p: review_meeting_held_in(start=p.start, end=p.end), event="meeting_on", dates=HELD
)
reviews_in_timescale = _reviews(
    base=lambda p: review_decided_in(start=p.start, end=p.end),
    numerator=lambda p: in_timescale_q(),
    event="decision_issued_on",
    dates=DECIDED,
)


def months_overdue_threshold(on: dt.date, months: int) -> dt.date:
    """The last day from which `on` is at least `months` whole months later (the inverse of the
    reviews page's month count, month ends included: 31 Jan is a month before 28 Feb)."""
    earlier = add_months(on, -months)
    if on == month_end(on.year, on.month):
        return month_end(earlier.year, earlier.month)
    return earlier


def _overdue_band(period: Period) -> dict[str, Any]:
    """The backlog's ageing (0-6, 6-12, 12-24, 24+ months overdue at the period's end)."""
    whens = [
        When(
            LessThanOrEqual(overdue_from(), months_overdue_threshold(period.end, low)),
            then=Value(label),
        )
        for label, low, _ in reversed(AGE_BANDS)
        if low
    ]
    return {"_overdue_band": Case(*whens, default=Value(AGE_BANDS[0][0]), output_field=CharField())}


review_backlog = _reviews(
    base=lambda p: backlog_q(on=p.end),
    annotate=_overdue_band,
    dates=DECIDED,
    extra_breakdowns={"overdue_for": ("_overdue_band", {b[0]: b[0] for b in AGE_BANDS})},
)


#: Stored deadlines name their subject as "app_label.model" (send_cms.deadlines).
REVIEW_SUBJECT = AnnualReview._meta.label_lower


def _transfer_deadlines() -> QuerySet[Deadline]:
    """The stored phase-transfer deadlines of reviews (15 February or 31 March), as the
    deadlines table computed them from the rules, with the day the amended plan met them."""
    return Deadline.objects.filter(subject_type=REVIEW_SUBJECT, rule__in=PHASE_TRANSFER_RULES)


def _transfer_dates(period: Period) -> dict[str, Any]:
    """For the drill-down and the monthly grouping: the review's deadline and when it was met."""
    stored = _transfer_deadlines().filter(subject_id=OuterRef("pk"))
    return {
        "_transfer_due": Subquery(stored.values("due_on")[:1], output_field=DateField()),
        "_transfer_met": Subquery(stored.values("met_on")[:1], output_field=DateField()),
    }


def _transfer_due_in(period: Period) -> Q:
    due = _transfer_deadlines().filter(due_on__gte=period.start, due_on__lte=period.end)
    return Q(phase_transfer=True, pk__in=due.values("subject_id"))


phase_transfers_on_time = _reviews(
    base=_transfer_due_in,
    annotate=_transfer_dates,
    numerator=lambda p: Q(
        pk__in=_transfer_deadlines()
        .filter(due_on__gte=p.start, due_on__lte=p.end)
        .filter(met_on__isnull=False, met_on__lte=F("due_on"))
        .values("subject_id")
    ),
    event="_transfer_due",
    dates=(("Transfer deadline", "_transfer_due"), ("Amended plan issued", "_transfer_met")),
)


# --- disagreement resolution -------------------------------------------------------------------
#: Where a mediation's or an appeal's child, need, request source and plan are.
_CASE_PATHS: dict[str, Any] = {
    "child": "child",
    "need": "plan__primary_need",
    "source": "request__source",
    "plan": "plan",
}

mediations = population_kind(subject="mediation", model=Mediation, **_CASE_PATHS)(
    base=lambda p: mediations_held_in(start=p.start, end=p.end),
    event="held_on",
    dates=(("Decision notice", "decision_notice_on"), ("Mediation held", "held_on")),
)

_appeals = population_kind(
    subject="appeal",
    model=Appeal,
    **_CASE_PATHS,
    annotate=lambda p: {
        "_registered": appeal_registered_on(),
        "_type_group": appeal_type_group(),
        "_outcome_group": outcome_group(),
    },
    extra_breakdowns={
        "appeal_type": ("_type_group", dict(AppealTypeGroup.choices)),
        "outcome": ("_outcome_group", dict(OutcomeGroup.choices)),
    },
)


appeals_registered = _appeals(
    base=lambda p: appeal_registered_in(start=p.start, end=p.end),
    event="_registered",
    dates=(("Decision notice", "decision_notice_on"), ("Registered", "_registered")),
)
appeal_outcomes = _appeals(
    base=lambda p: appeal_closed_in(start=p.start, end=p.end),
    event="decided_on",
    dates=(("Registered", "_registered"), ("Outcome", "decided_on")),
)
orders_overdue = population_kind(
    subject="tribunal order step",
    model=ComplianceStep,
    **{field: f"order__appeal__{path}" for field, path in _CASE_PATHS.items()},
)(
    base=lambda p: orders_overdue_q(on=p.end),
    dates=(("Due", "due_on"), ("Complied", "complied_on")),
)


review, disagreement = Section.REVIEWS, Section.DISAGREEMENT
flow, stock = Kind.FLOW, Kind.STOCK
count, percent = Unit.COUNT, Unit.PERCENT
#: The registry's annual review and disagreement rows, in display order.
METRICS: tuple[Metric, ...] = (
    Metric(
        id="ar_due",
        title="Annual reviews due",
        definition="Annual reviews of EHC plans whose due date (12 months from the plan's "
        "issue or last review) falls in the period.",
        unit=count,
        polarity=Polarity.NEUTRAL,
        kind=flow,
        section=review,
        numerator="reviews due in the period",
        denominator="",
        measure=reviews_due,
    ),
    Metric(
        id="ar_meetings_held",
        title="Annual review meetings held",
        definition="Annual review meetings held in the period.",
        unit=count,
        polarity=Polarity.NEUTRAL,
        kind=flow,
        section=review,
        numerator="review meetings held in the period",
        denominator="",
        measure=review_meetings_held,
    ),
    Metric(
        id="ar_in_timescale_pct",
        title="Annual reviews completed in timescale",
        definition="Of the review decisions issued in the period, the percentage where the "
        "meeting was held by the review due date and the decision was sent within 4 weeks "
        "(28 days) of the meeting (regulation 20(10)).",
        unit=percent,
        polarity=Polarity.HIGHER_BETTER,
        kind=flow,
        section=review,
        numerator="decisions with the meeting by the due date and the decision within 28 "
        "days of it",
        denominator="review decisions issued in the period",
        measure=reviews_in_timescale,
    ),
    Metric(
        id="ar_backlog",
        title="Annual reviews overdue",
        definition="At the end of the period, reviews of plans in force that are overdue: no "
        "meeting by the due date, or a meeting with no decision 4 weeks (28 days) later; "
        "aged 0-6, 6-12, 12-24 and 24 or more months overdue.",
        unit=count,
        polarity=Polarity.LOWER_BETTER,
        kind=stock,
        section=review,
        numerator="overdue reviews at the period's end",
        denominator="",
        measure=review_backlog,
    ),
    Metric(
        id="phase_transfer_on_time_pct",
        title="Phase transfers finalised on time",
        definition="Of the phase-transfer reviews whose statutory deadline (15 February, or "
        "31 March for a move to post-16 education) falls in the period, the percentage "
        "whose amended plan was issued by that deadline.",
        unit=percent,
        polarity=Polarity.HIGHER_BETTER,
        kind=flow,
        section=review,
        numerator="phase-transfer plans amended by the statutory date",
        denominator="phase-transfer reviews with their statutory date in the period",
        measure=phase_transfers_on_time,
    ),
    Metric(
        id="mediations",
        title="Mediations held",
        definition="Mediation meetings held in the period.",
        unit=count,
        polarity=Polarity.NEUTRAL,
        kind=flow,
        section=disagreement,
        numerator="mediations held in the period",
        denominator="",
        measure=mediations,
    ),
    Metric(
        id="appeals_registered",
        title="Tribunal appeals registered",
        definition="Appeals to the SEND Tribunal registered in the period (the day the "
        "tribunal received the appeal, else the day the council did), by type: refusal to "
        "assess, refusal to issue, contents (sections B, F, I), cease.",
        unit=count,
        polarity=Polarity.LOWER_BETTER,
        kind=flow,
        section=disagreement,
        numerator="appeals registered in the period",
        denominator="",
        measure=appeals_registered,
    ),
    Metric(
        id="appeal_outcomes",
        title="Tribunal appeals concluded",
        definition="Appeals that ended in the period, by outcome: upheld in full or in part, "
        "dismissed, conceded by the council, withdrawn or struck out.",
        unit=count,
        polarity=Polarity.NEUTRAL,
        kind=flow,
        section=disagreement,
        numerator="appeals concluded in the period",
        denominator="",
        measure=appeal_outcomes,
    ),
    Metric(
        id="orders_overdue",
        title="Tribunal order steps overdue",
        definition="At the end of the period, steps the tribunal ordered the council to take "
        "that were due and not yet done.",
        unit=count,
        polarity=Polarity.LOWER_BETTER,
        kind=stock,
        section=disagreement,
        numerator="order steps overdue at the period's end",
        denominator="",
        measure=orders_overdue,
    ),
    Metric(
        id="appeal_rate",
        title="Appeal rate",
        definition="The Department for Education's appeal rate: appeals registered in the "
        "period as a percentage of the appealable decisions: refusals to assess and "
        "decisions not to issue made in the period, plans in force at the January census "
        "(the third Thursday of January of the year the period ends in) and plans ceased "
        "in the period because needs were met.",
        unit=percent,
        polarity=Polarity.LOWER_BETTER,
        kind=flow,
        section=disagreement,
        numerator="appeals registered in the period",
        denominator="refusals to assess + decisions not to issue + plans in force in "
        "January + plans ceased because needs were met",
        measure=Combination(
            numerator=(Part("Appeal registered", appeals_registered),),
            denominator=(
                Part("Refusal to assess", cw.refusals_to_assess),
                Part("Decision not to issue", cw.decisions_not_to_issue),
                Part("Plan in force at the January census", cw.plans_in_force_in_january),
                Part("Ceased: needs met", cw.plans_ceased_needs_met),
            ),
        ),
    ),
)
