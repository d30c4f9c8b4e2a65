"""django-filter filtersets of the casework API (api.md: `q` and `caseworker` on children)."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from cases.codes import SETTING_RANKS, AdviceKind, EstablishmentKind, RequestSource, SenType
from cases.models import (
    OPEN_REQUEST_STATUSES,
    AdviceRequest,
    AssessmentRequest,
    Child,
    Establishment,
    Placement,
    Plan,
    PlanStatus,
    RequestStatus,
)
from cases.selectors import _search
from send_cms.common.search import IdFilter, SearchFilter


class ChildFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    q = SearchFilter(method="search", label="Name, LA reference or UPN")
    caseworker = IdFilter(field_name="caseworker_id")
    date_of_birth = django_filters.DateFilter()

    class Meta:
        model = Child
        fields = ["q", "caseworker", "date_of_birth"]

    def search(self, queryset: QuerySet[Child], name: str, value: str) -> QuerySet[Child]:
        return queryset.filter(_search(value))


class AssessmentRequestFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="Open requests only")
    child = django_filters.UUIDFilter(field_name="child_id")
    caseworker = IdFilter(field_name="child__caseworker_id")
    source = django_filters.ChoiceFilter(choices=RequestSource.choices)
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")
    q = SearchFilter(method="search", label="Child's name, LA reference or UPN")

    class Meta:
        model = AssessmentRequest
        fields = ["status", "open", "child", "caseworker", "source"]

    def filter_open(
        self, queryset: QuerySet[AssessmentRequest], name: str, value: Any
    ) -> QuerySet[AssessmentRequest]:
        opened = Q(status__in=OPEN_REQUEST_STATUSES)
        return queryset.filter(opened) if value else queryset.exclude(opened)

    def search(
        self, queryset: QuerySet[AssessmentRequest], name: str, value: str
    ) -> QuerySet[AssessmentRequest]:
        return queryset.filter(_search(value, prefix="child__"))


class AdviceRequestFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    kind = django_filters.MultipleChoiceFilter(choices=AdviceKind.choices)
    request = django_filters.UUIDFilter(field_name="request_id")
    child = django_filters.UUIDFilter(field_name="request__child_id")
    outstanding = django_filters.BooleanFilter(method="filter_outstanding")
    requested_from = django_filters.DateFilter(field_name="requested_on", lookup_expr="gte")
    requested_to = django_filters.DateFilter(field_name="requested_on", lookup_expr="lte")

    class Meta:
        model = AdviceRequest
        fields = ["kind", "request", "child", "outstanding"]

    def filter_outstanding(
        self, queryset: QuerySet[AdviceRequest], name: str, value: Any
    ) -> QuerySet[AdviceRequest]:
        awaited = Q(received_on__isnull=True) | Q(
            returned_for_quality_on__isnull=False, re_received_on__isnull=True
        )
        return queryset.filter(awaited) if value else queryset.exclude(awaited)


class PlanFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    child = django_filters.UUIDFilter(field_name="child_id")
    primary_need = django_filters.ChoiceFilter(choices=SenType.choices)
    caseworker = IdFilter(field_name="child__caseworker_id")
    issued_from = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_to = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = Plan
        fields = ["status", "child", "primary_need", "caseworker"]


class PlacementFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    plan = django_filters.UUIDFilter(field_name="plan_id")
    establishment = django_filters.UUIDFilter(field_name="establishment_id")
    current = django_filters.BooleanFilter(field_name="ends_on", lookup_expr="isnull")
    awaiting_placement = django_filters.BooleanFilter()
    rank = django_filters.TypedChoiceFilter(choices=SETTING_RANKS, coerce=int)

    class Meta:
        model = Placement
        fields = ["plan", "establishment", "current", "awaiting_placement", "rank"]


class EstablishmentFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    q = SearchFilter(method="search", label="Name, URN or UKPRN")
    kind = django_filters.MultipleChoiceFilter(choices=EstablishmentKind.choices)
    la_code = django_filters.CharFilter()
    is_open = django_filters.BooleanFilter()
    urn = django_filters.CharFilter()
    ukprn = django_filters.CharFilter()

    class Meta:
        model = Establishment
        fields = ["q", "kind", "la_code", "is_open", "urn", "ukprn"]

    def search(
        self, queryset: QuerySet[Establishment], name: str, value: str
    ) -> QuerySet[Establishment]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(urn=value) | Q(ukprn=value))
