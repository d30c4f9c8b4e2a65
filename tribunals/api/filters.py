"""Filters of the tribunals API (django-filter), on querysets the selectors already scoped."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from tribunals.codes import AppealStatus, AppealType, DecisionType, OrderStatus
from tribunals.models import Appeal, Mediation, Order


class AppealFilter(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(choices=AppealStatus.choices)
    appeal_type = django_filters.ChoiceFilter(choices=AppealType.choices)
    child = django_filters.UUIDFilter(field_name="child_id")

    class Meta:
        model = Appeal
        fields = ["status", "appeal_type", "child"]


class MediationFilter(django_filters.FilterSet):  # type: ignore[misc]
    decision_type = django_filters.ChoiceFilter(choices=DecisionType.choices)
    child = django_filters.UUIDFilter(field_name="child_id")

    class Meta:
        model = Mediation
        fields = ["decision_type", "child"]


class OrderFilter(django_filters.FilterSet):  # type: ignore[misc]
    appeal = django_filters.UUIDFilter(field_name="appeal_id")
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, method="filter_status")

    class Meta:
        model = Order
        fields = ["appeal", "status"]

    def filter_status(self, queryset: QuerySet[Order], name: str, value: Any) -> QuerySet[Order]:
        # `order_status` is annotated by the selector from the order's steps.
        return queryset.filter(Q(order_status=value))
