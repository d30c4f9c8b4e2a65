"""Reads for the predicted 20-week breaches: the council's pace and its open assessments.

A constant number of queries whatever the number of requests: one per step for the pace (the
durations of the cases that completed it in the 12 months, a few thousand dates, whose median is
taken in Python so PostgreSQL and SQLite agree), and one for the open requests with their advice
and consultations prefetched. The prediction rules are in reporting.forecast.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from cases.codes import AdviceKind
from cases.models import (
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    DraftConsultation,
    IssueDecision,
)
from reporting.forecast import (
    Advice,
    MonthForecast,
    Pace,
    Prediction,
    Progress,
    Step,
    month_forecast,
    next_month,
    pace_from,
    predict,
    twelve_months_to,
)
from reporting.metrics.casework import request_open_on
from reporting.selectors import Scope
from send_cms.audit.services import record

VIEWED = "report.at_risk.view"

#: Who gives each kind of advice, as the late-step sentence says it.
ADVISERS: dict[str, str] = {
    AdviceKind.EDUCATIONAL: "education",
    AdviceKind.PSYCHOLOGICAL: "educational psychology",
    AdviceKind.HEALTH: "health",
    AdviceKind.SOCIAL_CARE: "social care",
    AdviceKind.PARENT: "the family",
    AdviceKind.PREPARING_FOR_ADULTHOOD: "preparing for adulthood",
    AdviceKind.OTHER: "other advisers",
}

#: Sort orders for the list (a GET parameter): most days over first by default.
MOST_OVER_FIRST = "-days_over"
FEWEST_OVER_FIRST = "days_over"
SORTS = (MOST_OVER_FIRST, FEWEST_OVER_FIRST)


# --- the council's pace ---------------------------------------------------------------------------
def _gaps(pairs: Iterable[Sequence[dt.date | None]]) -> list[int]:
    """Days from the first date to the last of each row (a later start date wins); never below 0."""
    out = []
    for *starts, end in pairs:
        known = [d for d in starts if d is not None]
        if end is None or not known:
            continue
        out.append(max((end - max(known)).days, 0))
    return out


def _advice_in() -> Coalesce:
    """An advice request's "in" date: re-received after a return for quality, else received."""
    return Coalesce("re_received_on", "received_on")


_AWAITED = Q(received_on__isnull=True) | Q(
    returned_for_quality_on__isnull=False, re_received_on__isnull=True
)


def council_pace(*, today: dt.date) -> Pace:
    """Each step's median days over the 12 months to `today`, council-wide: five queries."""
    start, end = twelve_months_to(today)
    window = (start, end)
    requests = AssessmentRequest.objects.order_by()
    durations: dict[Step, list[int]] = {
        Step.DECISION: _gaps(
            requests.filter(
                decision=AssessmentDecision.ASSESS, decided_on__range=window
            ).values_list("received_on", "decided_on")
        ),
        Step.ADVICE: _gaps(
            AdviceRequest.objects.filter(request__decision=AssessmentDecision.ASSESS)
            .order_by()
            .values("request_id")
            .annotate(
                last_in=Max(_advice_in()),
                awaited=Count("pk", filter=_AWAITED),
                decided_on=Max("request__decided_on"),
            )
            .filter(awaited=0, last_in__range=window)
            .values_list("decided_on", "last_in")
        ),
        Step.ISSUE_DECISION: _gaps(
            requests.filter(issue_decision=IssueDecision.ISSUE, issue_decided_on__range=window)
            .annotate(
                last_in=Max(
                    Coalesce("advice_requests__re_received_on", "advice_requests__received_on")
                )
            )
            .values_list("decided_on", "last_in", "issue_decided_on")
        ),
        Step.DRAFT: _gaps(
            requests.filter(draft_issued_on__range=window).values_list(
                "issue_decided_on", "draft_issued_on"
            )
        ),
        Step.FINAL: _gaps(
            requests.filter(final_issued_on__range=window).values_list(
                "draft_issued_on", "final_issued_on"
            )
        ),
    }
    return pace_from(durations, start=start, end=end)


# --- open requests and their predictions ----------------------------------------------------------
@dataclass(frozen=True)
class AtRiskRow:
    """One open request with its predicted final-plan date."""

    request: AssessmentRequest
    prediction: Prediction

    @property
    def child(self) -> Any:
        return self.request.child

    @property
    def caseworker(self) -> str:
        user = self.request.child.caseworker
        return (user.get_full_name() or user.get_username()) if user else "Not allocated"


@dataclass(frozen=True)
class AtRiskReport:
    """The list (requests predicted to miss 20 weeks), next month's forecast and the pace."""

    today: dt.date
    scope: Scope
    rows: tuple[AtRiskRow, ...]
    forecast: MonthForecast
    pace: Pace
    open_requests: int
    sort: str


def open_requests(*, today: dt.date, scope: Scope | None = None) -> QuerySet[AssessmentRequest]:
    """Requests open at the end of `today` (the metrics' definition), with what a prediction
    reads: the child and caseworker, the advice, and the consultations on the draft."""
    queryset = (
        AssessmentRequest.objects.filter(request_open_on(today))
        .select_related("child__caseworker")
        .prefetch_related(
            "advice_requests",
            Prefetch(
                "consultations",
                queryset=DraftConsultation.objects.select_related("establishment"),
            ),
        )
        .order_by("received_on", "pk")
    )
    if scope is not None and scope.caseworkers is not None:
        queryset = queryset.filter(child__caseworker_id__in=scope.caseworkers)
    return queryset


def progress_of(request: AssessmentRequest) -> Progress:
    """A request's dates as the prediction reads them (uses the prefetched rows)."""
    return Progress(
        received_on=request.received_on,
        decided_on=request.decided_on,
        advice=tuple(
            Advice(
                adviser=ADVISERS.get(advice.kind, advice.kind),
                requested_on=advice.requested_on,
                in_on=None
                if advice.is_outstanding
                else advice.re_received_on or advice.received_on,
            )
            for advice in request.advice_requests.all()
        ),
        issue_decided_on=request.issue_decided_on,
        draft_issued_on=request.draft_issued_on,
        is_reassessment=request.is_reassessment,
        awaiting_replies=tuple(
            c.establishment.name for c in request.consultations.all() if c.replied_on is None
        ),
    )


def _sorted(rows: list[AtRiskRow], sort: str) -> tuple[AtRiskRow, ...]:
    """By days over (most first unless asked), then the oldest request, then the reference."""
    sign = -1 if sort == MOST_OVER_FIRST else 1
    return tuple(
        sorted(
            rows,
            key=lambda r: (
                sign * r.prediction.days_over,
                r.request.received_on,
                r.request.child.reference,
            ),
        )
    )


def at_risk_report(
    *,
    user: Any,
    scope: Scope,
    today: dt.date,
    sort: str = MOST_OVER_FIRST,
    output: str = "page",
) -> AtRiskReport:
    """The open assessments predicted to miss 20 weeks in the reader's scope, and next month's
    forecast. Reading the list reads children's records, so it is audited (`output` says how:
    the page or a download)."""
    if sort not in SORTS:
        raise ValueError(f"Unknown sort {sort!r}")
    pace = council_pace(today=today)
    predicted = [
        AtRiskRow(request, predict(progress=progress_of(request), pace=pace, today=today))
        for request in open_requests(today=today, scope=scope)
    ]
    rows = _sorted([row for row in predicted if row.prediction.at_risk], sort)
    report = AtRiskReport(
        today=today,
        scope=scope,
        rows=rows,
        forecast=month_forecast(
            predictions=(row.prediction for row in predicted), month=next_month(today)
        ),
        pace=pace,
        open_requests=len(predicted),
        sort=sort,
    )
    record(
        actor=user,
        action=VIEWED,
        changes={"rows": len(rows), "scope": scope.label, "output": output},
    )
    return report
