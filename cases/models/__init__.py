"""Casework: the child or young person, the assessment request and its journey, the EHC plan.

One module per part of the case (children, requests, plans, timeline, documents); every model and
public name is re-exported here, so `from cases.models import X` is the one import callers use.
"""

from cases.models.children import (
    USER,
    Allocation,
    Child,
    Contact,
    Establishment,
    NextDeadlineRelation,
)
from cases.models.documents import (
    Document,
    DocumentKind,
    Letter,
    LetterKind,
    LetterTemplate,
    LetterTemplateVersion,
    document_path,
)
from cases.models.plans import NamedSetting, Placement, Plan, PlanStatus, PlanVersion, SettingFields
from cases.models.requests import (
    DRAFT_WINDOW,
    OPEN_REQUEST_STATUSES,
    AddDays,
    AdviceRequest,
    AssessmentDecision,
    AssessmentRequest,
    DraftConsultation,
    IssueDecision,
    RequestStatus,
    TimescaleException,
)
from cases.models.timeline import TimelineEntry

# The plan's content (sections A to K) lives in its own module; imported here so Django sees it.
from cases.plan_content.models import PlanAdvice, PlanContent, PlanNeed, PlanOutcome, PlanProvision

__all__ = [
    "DRAFT_WINDOW",
    "OPEN_REQUEST_STATUSES",
    "USER",
    "AddDays",
    "AdviceRequest",
    "Allocation",
    "AssessmentDecision",
    "AssessmentRequest",
    "Child",
    "Contact",
    "Document",
    "DocumentKind",
    "DraftConsultation",
    "Establishment",
    "IssueDecision",
    "Letter",
    "LetterKind",
    "LetterTemplate",
    "LetterTemplateVersion",
    "NamedSetting",
    "NextDeadlineRelation",
    "Placement",
    "Plan",
    "PlanAdvice",
    "PlanContent",
    "PlanNeed",
    "PlanOutcome",
    "PlanProvision",
    "PlanStatus",
    "PlanVersion",
    "RequestStatus",
    "SettingFields",
    "TimelineEntry",
    "TimescaleException",
    "document_path",
]
