"""The assessment's statutory steps, mapped from its dates to the timescales engine's rules.

The deadlines app stores what `steps_for_children` yields (registered in cases/apps.py): one
`Step` per rule on each assessment request, and one `advice` step per advice request. No due date
is computed here; only which rule applies, from which date, and whether it has been met.

- `decision_to_assess`: from the received date; met by the decision (regulations 4 and 5).
- `decision_not_to_issue`: from the received date; met by a decision not to issue; not
  applicable once the council decides to issue, or decides not to assess (regulation 10).
- `final_plan`: from the received date; met by the final plan (regulation 13(2)). For a
  reassessment, `reassessment_final_plan` instead: 14 weeks from the notice of the decision to
  reassess (regulation 27(2)), so it starts with the decision letter (or the decision when the
  letter's date is not recorded). Not applicable when not assessing, not issuing, or closed
  without a plan.
- `draft_representations`: the family's 15 days from the draft; met by the final plan, which
  the database allows only after the window.
- `advice`: 6 weeks from the request for advice; met when the advice is received (regulation 8).
  Its subject is the advice request, named in the title with its adviser
  ("Educational psychology advice due (Demo EP Service)"), so a case's several advice
  deadlines can be told apart wherever deadlines are listed. The family's own advice
  (regulation 6(1)(a)) has no time limit, so no step.

A request withdrawn or transferred out before a step was done makes that step not applicable.
The decision whether to reassess has its own limit (15 days, regulation 25(1)) which the
timescales table does not define, so a reassessment stores no `decision_to_assess`: the 6 weeks
of an initial request would be the wrong deadline.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from cases.codes import ADVICE_WITHOUT_TIME_LIMIT, AdviceKind
from cases.models import (
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    Child,
    IssueDecision,
    RequestStatus,
)
from send_cms.deadlines.registry import Step, SubjectSteps

CLOSED_WITHOUT_OUTCOME = (RequestStatus.WITHDRAWN, RequestStatus.TRANSFERRED_OUT)
#: The stored title's length (`Deadline.title`): a long adviser's name is shortened to fit.
TITLE_LENGTH = 200


def advice_title(advice: AdviceRequest) -> str:
    """The advice deadline's title: its kind, and the adviser when one is recorded."""
    title = f"{AdviceKind(advice.kind).advice} due"
    provider = " ".join(advice.provider.split())
    if not provider:
        return title
    room = TITLE_LENGTH - len(title) - len(" ()")
    if len(provider) > room:
        provider = provider[: room - 1].rstrip() + "\u2026"
    return f"{title} ({provider})"


def _excused_rules(request: AssessmentRequest) -> set[str]:
    """Rules excused on the request as a whole (reads the prefetched exceptions)."""
    return {e.rule for e in request.exceptions.all() if e.advice_request_id is None}


def _advice_excused(request: AssessmentRequest, advice: AdviceRequest) -> bool:
    """An `advice` exception recorded against this advice request, or against all of them."""
    return any(
        e.rule == "advice" and e.advice_request_id in (None, advice.pk)
        for e in request.exceptions.all()
    )


def request_steps(request: AssessmentRequest) -> list[Step]:
    """Every statutory step of one request (needs its child, exceptions and advice requests)."""
    closed = request.status in CLOSED_WITHOUT_OUTCOME
    excused = _excused_rules(request)
    not_assessing = request.decision == AssessmentDecision.NOT_ASSESS
    issuing = request.issue_decision == IssueDecision.ISSUE
    not_issuing = request.issue_decision == IssueDecision.NOT_ISSUE
    of_request = SubjectSteps(
        child_id=request.child_id,
        subject=request,
        owner_id=request.child.caseworker_id,
        case_open=request.is_open,
    )

    def step(
        rule: str, start: dt.date | None, met_on: dt.date | None, *, applicable: bool = True
    ) -> Step:
        return of_request.step(rule, start, met_on, applicable=applicable, excused=rule in excused)

    steps: list[Step] = []
    if not request.is_reassessment:
        steps.append(
            step(
                "decision_to_assess",
                request.received_on,
                request.decided_on,
                applicable=not (closed and request.decided_on is None),
            )
        )
    not_issue_met = request.issue_decided_on if not_issuing else None
    steps.append(
        step(
            "decision_not_to_issue",
            request.received_on,
            not_issue_met,
            applicable=not (not_assessing or issuing or (closed and not_issue_met is None)),
        )
    )
    if request.is_reassessment:
        final_rule = "reassessment_final_plan"
        assessing = request.decision == AssessmentDecision.ASSESS
        final_start = (request.decision_letter_sent_on or request.decided_on) if assessing else None
    else:
        final_rule, final_start = "final_plan", request.received_on
    steps.append(
        step(
            final_rule,
            final_start,
            request.final_issued_on,
            applicable=not (
                not_assessing or not_issuing or (closed and request.final_issued_on is None)
            ),
        )
    )
    steps.append(
        step(
            "draft_representations",
            request.draft_issued_on,
            request.final_issued_on,
            applicable=not (closed and request.final_issued_on is None),
        )
    )
    for advice in request.advice_requests.all():
        if advice.kind in ADVICE_WITHOUT_TIME_LIMIT:
            continue
        steps.append(
            replace(of_request, subject=advice).step(
                "advice",
                advice.requested_on,
                advice.received_on,
                applicable=not (closed and advice.received_on is None),
                excused=_advice_excused(request, advice),
                title=advice_title(advice),
            )
        )
    return steps


def steps_for_children(child_ids: Sequence[uuid.UUID]) -> Iterator[Step]:
    """The provider registered with the deadlines table: three queries, whatever the number."""
    requests = (
        AssessmentRequest.objects.filter(child_id__in=child_ids)
        .select_related("child")
        .prefetch_related("advice_requests", "exceptions")
        .order_by("child_id", "received_on", "id")
    )
    for request in requests:
        yield from request_steps(request)


def all_child_ids(
    *, after: uuid.UUID | None = None, upto: uuid.UUID | None = None
) -> Iterable[uuid.UUID]:
    """Every child (in a range of ids, for one chunk), for a full recompute (registered with the
    deadlines app)."""
    children = Child.objects.all()
    if after is not None:
        children = children.filter(pk__gt=after)
    if upto is not None:
        children = children.filter(pk__lte=upto)
    return children.values_list("pk", flat=True)
