"""Reads of the plan's content, scoped to the reader like every casework read, and audited."""

from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from cases.plan_content.models import PlanContent, PlanOutcome, PlanProvision
from cases.selectors import VIEWED, visible_child_ids
from send_cms.audit.services import record


def plan_content_list(*, user: Any) -> QuerySet[PlanContent]:
    """Every edition the user may read: the one being written first, then the newest issued."""
    queryset = PlanContent.objects.select_related(
        "child", "version", "plan", "request", "based_on", "based_on__version"
    ).order_by(F("issued_on").desc(nulls_first=True), "-created_at")
    ids = visible_child_ids(user)
    if ids is not None:
        queryset = queryset.filter(child_id__in=ids)
    return queryset


def with_sections(queryset: QuerySet[PlanContent]) -> QuerySet[PlanContent]:
    """Every row of every section, and their links, in a fixed number of queries."""
    return queryset.prefetch_related(
        "needs",
        Prefetch("outcomes", queryset=PlanOutcome.objects.prefetch_related("needs", "provision")),
        Prefetch("provision", queryset=PlanProvision.objects.prefetch_related("outcomes")),
        "advice__advice_request",
        "advice__document",
    )


def plan_content_get(*, user: Any, pk: Any, audit: bool = True) -> PlanContent:
    """One edition of a plan the user may read (404 otherwise); the read is audited."""
    content = with_sections(plan_content_list(user=user)).filter(pk=pk).first()
    if content is None:
        raise Http404("No plan content with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=content, child_id=content.child_id)
    return content


def plan_contents_of(*, child: Any) -> list[PlanContent]:
    """A child's editions, oldest first (the case page has already recorded the read)."""
    return list(
        PlanContent.objects.filter(child=child).select_related("version").order_by("created_at")
    )
