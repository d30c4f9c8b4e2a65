"""Assessment rules: the decision to issue and the 20 weeks to the final plan."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from cases.models import AdviceRequest, AssessmentDecision, AssessmentRequest, IssueDecision, Plan
from reporting.sen2.validation_rules.base import (
    ASSESSMENT,
    ERROR,
    Rule,
    Sen2Year,
    plan_check,
    reported_requests,
    request_check,
    return_plans,
)
from reporting.sen2.validation_rules.requests import REFUSED_TO_ISSUE, challenged


def _a01(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    advice = AdviceRequest.objects.filter(request=OuterRef("pk"))
    return reported_requests(c).filter(
        ~Q(decision=AssessmentDecision.ASSESS)
        & (
            ~Q(issue_decision="")
            | Q(draft_issued_on__isnull=False)
            | Q(final_issued_on__isnull=False)
            | Q(Exists(advice))
        )
    )


def _a02(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(
        Q(issue_decision="", issue_decided_on__isnull=False)
        | ~Q(issue_decision="") & Q(issue_decided_on__isnull=True)
        | Q(issue_decided_on__lt=F("decided_on"))
        | Q(final_issued_on__lt=F("issue_decided_on"))
    )


def _a03(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(
        issued_on__range=(c.start, c.end), request__isnull=True, transferred_in_from_la=""
    )


def _a04(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    issued_without_plan = Q(final_issued_on__lte=c.census, plan__isnull=True)
    plan_without_issue = Q(plan__isnull=False, decision=AssessmentDecision.ASSESS) & ~Q(
        issue_decision=IssueDecision.ISSUE
    )
    return reported_requests(c).filter(issued_without_plan | plan_without_issue)


def _a05(c: Sen2Year) -> QuerySet[Plan]:
    return return_plans(c).filter(
        ~Q(transferred_in_from_la="")
        & Q(request__isnull=False, request__final_issued_on__gte=c.start)
    )


def _a06(c: Sen2Year) -> QuerySet[AssessmentRequest]:
    return reported_requests(c).filter(Q(issue_decision="") & challenged(*REFUSED_TO_ISSUE))


RULES: tuple[Rule, ...] = (
    Rule(
        "A01",
        ERROR,
        ASSESSMENT,
        "Assessment steps (advice, a decision to issue, a draft or final plan) are recorded on a "
        "request that was not decided 'assess'.",
        "Assessment",
        (request_check(_a01),),
    ),
    Rule(
        "A02",
        ERROR,
        ASSESSMENT,
        "The decision to issue a plan or not has no date, or it or the final plan is dated "
        "before the step that leads to it.",
        "Assessment: AssessmentOutcomeDate",
        (request_check(_a02),),
        guaranteed_by="request_issue_decision_with_its_date, "
        "request_issue_decision_after_decision, request_final_after_draft_window",
    ),
    Rule(
        "A03",
        ERROR,
        ASSESSMENT,
        "The plan was issued in the year but is not linked to its assessment request, so the "
        "20-week exception flag (Week20) cannot be reported.",
        "Assessment: Week20",
        (plan_check(_a03),),
    ),
    Rule(
        "A04",
        ERROR,
        ASSESSMENT,
        "A final plan is recorded on the request but no plan is linked to it, or a plan is "
        "linked to a request without a decision to issue.",
        "Assessment: NamedPlan",
        (request_check(_a04),),
    ),
    Rule(
        "A05",
        ERROR,
        ASSESSMENT,
        "The plan was transferred in from another LA, but is linked to a request whose final "
        "plan was issued here in the year.",
        "Assessment: AssessmentOutcome (H), TransferLA",
        (plan_check(_a05),),
    ),
    Rule(
        "A06",
        ERROR,
        ASSESSMENT,
        "A mediation or appeal about a refusal to issue a plan is recorded, but the request has "
        "no decision to issue or not.",
        "Assessment: AssessmentMediation, AssessmentTribunal",
        (request_check(_a06),),
    ),
)
