"""django-filter filtersets for the panel endpoints."""

import datetime as dt
import uuid

import django_filters
from django.db.models import Q, QuerySet

from cases.codes import EstablishmentKind
from panels.models import AgendaItem, FundingBand, ItemKind, ItemStatus, MeetingStatus, PanelMeeting


class MeetingFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    panel = django_filters.CharFilter(method="filter_panel", help_text="Panel id or slug.")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = PanelMeeting
        fields = ["status", "panel", "held_after", "held_before"]

    def filter_panel(
        self, queryset: QuerySet[PanelMeeting], name: str, value: str
    ) -> QuerySet[PanelMeeting]:
        return queryset.filter(Q(panel__slug=value) | Q(panel__pk__in=_uuid_or_none(value)))


def _uuid_or_none(value: str) -> list[str]:
    try:
        return [str(uuid.UUID(value))]
    except ValueError:
        return []


class ItemFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices)
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices)

    class Meta:
        model = AgendaItem
        fields = ["meeting", "kind", "status", "child"]


class FundingBandFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    kind = django_filters.ChoiceFilter(choices=EstablishmentKind.choices)
    on = django_filters.DateFilter(method="filter_on", help_text="Bands in force on this date.")

    class Meta:
        model = FundingBand
        fields = ["kind", "code", "on"]

    def filter_on(
        self, queryset: QuerySet[FundingBand], name: str, value: dt.date
    ) -> QuerySet[FundingBand]:
        return queryset.filter(effective_from__lte=value).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=value)
        )
