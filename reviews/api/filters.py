"""Filters for the annual review list."""

import django_filters

from reviews.models import AnnualReview, Decision, ReviewStatus
from send_cms.common.search import IdFilter


class AnnualReviewFilter(django_filters.FilterSet):  # type: ignore[misc]  # no types shipped
    plan = django_filters.UUIDFilter(field_name="plan_id")
    child = django_filters.UUIDFilter(field_name="plan__child_id")
    caseworker = IdFilter(field_name="plan__child__caseworker_id")
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)
    decision = django_filters.ChoiceFilter(choices=Decision.choices)
    phase_transfer = django_filters.BooleanFilter()
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    open = django_filters.BooleanFilter(field_name="decision_issued_on", lookup_expr="isnull")

    class Meta:
        model = AnnualReview
        fields = ["plan", "child", "caseworker", "status", "decision", "phase_transfer"]
