"""Request rules: each request's outcome, its dates and how it was challenged."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from cases.codes import RequestSource
from cases.models import AddDays, AssessmentDecision, AssessmentRequest, RequestStatus
from reporting.sen2.validation_rules.base import (
    ERROR,
    QUERY,
    REQUEST,
    SIX_WEEKS,
    Rule,
    Sen2Year,
    reported_requests,
    request_check,
    request_stepped,
)
from tribunals.codes import UPHELD_OUTCOMES, AppealType, DecisionType, MediationOutcome, Outcome
from tribunals.models import Appeal, Mediation

ASSESSED_STATUSES = (
    RequestStatus.ASSESSING,
    RequestStatus.NOT_ISSUING,
    RequestStatus.ISSUING,
    RequestStatus.DRAFT_ISSUED,
    RequestStatus.FINAL_ISSUED,
)


def _r01(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(
        Q(status=RequestStatus.NOT_ASSESSING) & ~Q(decision=AssessmentDecision.NOT_ASSESS)
        | Q(status__in=ASSESSED_STATUSES) & ~Q(decision=AssessmentDecision.ASSESS)
        | Q(status=RequestStatus.RECEIVED) & ~Q(decision="")
        | Q(status=RequestStatus.WITHDRAWN, withdrawn_on__isnull=True)
        | Q(status=RequestStatus.TRANSFERRED_OUT, transferred_out_on__isnull=True)
        | ~Q(status__in=RequestStatus.values)
    )


def _r02(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    """Left out of the return: a step in the year, but received after the census day."""
    return AssessmentRequest.objects.filter(request_stepped(c), received_on__gt=c.census)


def _r03(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(
        Q(decision="", decided_on__isnull=False)
        | ~Q(decision="") & Q(decided_on__isnull=True)
        | Q(decided_on__lt=F("received_on"))
    )


def _r04(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    """The request source, where the year's return requires it (from 2026; voluntary in 2025).
    RYA is a yes-or-no column, never missing."""
    layout = c.layout
    required = layout.has("Requests", "RequestSource") and (
        layout.item("Requests", "RequestSource").mandatory
    )
    if not required:
        return AssessmentRequest.objects.none()
    return reported_requests(c).exclude(source__in=RequestSource.values)


def challenged(request_kinds: tuple[str, ...], appeal_kinds: tuple[str, ...]) -> Q:
    """A mediation or appeal about one of the request's decisions is recorded."""
    mediations = Mediation.objects.filter(request=OuterRef("pk"), decision_type__in=request_kinds)
    appeals = Appeal.objects.filter(request=OuterRef("pk"), appeal_type__in=appeal_kinds)
    return Q(Exists(mediations)) | Q(Exists(appeals))


#: (mediation decision types, appeal types) about each decision.
REFUSED_TO_ASSESS = (
    (DecisionType.REFUSAL_TO_ASSESS,),
    (AppealType.REFUSAL_TO_ASSESS, AppealType.REFUSAL_TO_REASSESS),
)
REFUSED_TO_ISSUE = ((DecisionType.REFUSAL_TO_ISSUE,), (AppealType.REFUSAL_TO_ISSUE,))


def _r05(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(Q(decision="") & challenged(*REFUSED_TO_ASSESS))


def _overturned() -> Q:
    """The refusal to assess was overturned: an appeal upheld or conceded, or mediation agreed."""
    appeals = Appeal.objects.filter(
        request=OuterRef("pk"),
        appeal_type__in=REFUSED_TO_ASSESS[1],
        outcome__in=[*UPHELD_OUTCOMES, Outcome.CONCEDED],
    )
    mediations = Mediation.objects.filter(
        request=OuterRef("pk"),
        decision_type__in=REFUSED_TO_ASSESS[0],
        outcome=MediationOutcome.AGREEMENT,
    )
    return Q(Exists(appeals)) | Q(Exists(mediations))


def _plan_without_assessment(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(
        Q(plan__isnull=False) & ~Q(decision=AssessmentDecision.ASSESS)
    )


def _r06(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _plan_without_assessment(c).filter(~_overturned())


def _r06q(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return _plan_without_assessment(c).filter(_overturned())


def _r07(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(
        Q(transferred_out_on__isnull=False)
        & (~Q(issue_decision="") | Q(final_issued_on__isnull=False) | Q(plan__isnull=False))
    )


def _r08(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(
        decided_on__range=(c.start, c.census), decided_on__gt=AddDays(F("received_on"), SIX_WEEKS)
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "R01",
        ERROR,
        REQUEST,
        "The request's status does not match its decision to assess, so its SEN2 outcome "
        "cannot be worked out.",
        "Request: RequestOutcome",
        (request_check(_r01),),
    ),
    Rule(
        "R02",
        ERROR,
        REQUEST,
        "The request has a step in the year but is received after the census date, so the "
        "return leaves it out: check the received date.",
        "Request: ReceivedDate",
        (request_check(_r02),),
    ),
    Rule(
        "R03",
        ERROR,
        REQUEST,
        "The decision to assess or not has no date, or is dated before the request was received.",
        "Request: RequestOutcomeDate",
        (request_check(_r03),),
        guaranteed_by="request_decision_with_its_date, request_decision_not_before_receipt",
    ),
    Rule(
        "R04",
        ERROR,
        REQUEST,
        "Record who made the request (parent or young person, school, health, social care or "
        "other).",
        "Request: RequestSource, RYA",
        (request_check(_r04),),
    ),
    Rule(
        "R05",
        ERROR,
        REQUEST,
        "A mediation or appeal about a refusal to assess is recorded, but the request has no "
        "decision to assess or not.",
        "Request: RequestMediation, RequestTribunal",
        (request_check(_r05),),
    ),
    Rule(
        "R06",
        ERROR,
        REQUEST,
        "A plan is linked to a request that was not decided 'assess' (refused, undecided or "
        "withdrawn).",
        "Request: RequestOutcome, NamedPlan",
        (request_check(_r06),),
    ),
    Rule(
        "R06Q",
        QUERY,
        REQUEST,
        "A plan was issued after a refusal to assess was overturned by mediation or appeal: the "
        "return reports the refusal, with the challenge.",
        "Request: RequestOutcome, RequestMediation, RequestTribunal",
        (request_check(_r06q),),
    ),
    Rule(
        "R07",
        ERROR,
        REQUEST,
        "The request was transferred to another LA, but a decision to issue or a plan is "
        "recorded under it.",
        "Request: Exported",
        (request_check(_r07),),
    ),
    Rule(
        "R08",
        QUERY,
        REQUEST,
        "The decision to assess or not was made more than 6 weeks after the request was "
        "received: the DfE will ask why.",
        "Request: ReceivedDate, RequestOutcomeDate",
        (request_check(_r08),),
    ),
)
