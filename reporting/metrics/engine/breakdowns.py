"""Breakdowns: age bands, placement categories and their labels, as database expressions."""

from typing import Any

from django.db import models
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from cases.codes import EstablishmentKind, SenSetting
from cases.models import Placement

# --- breakdowns ---------------------------------------------------------------------------------
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("under_5", "Under 5", 0, 5),
    ("5_10", "5 to 10", 5, 11),
    ("11_15", "11 to 15", 11, 16),
    ("16_19", "16 to 19", 16, 20),
    ("20_25", "20 to 25", 20, None),
)
AGE_BAND_LABELS = {key: label for key, label, _, _ in AGE_BANDS}
NOT_KNOWN = "not_known"
NONE_CATEGORY = "none"
AWAITING = "awaiting_placement"
CATEGORY_LABELS: dict[str, str] = {
    **dict(EstablishmentKind.choices),
    AWAITING: "Awaiting placement",
    NONE_CATEGORY: "No placement recorded",
}
BREAKDOWN_LABELS = {
    "age_band": "Age band",
    "primary_need": "Primary need",
    "source": "Source of request",
    "category": "Placement category",
    "caseworker": "Caseworker",
}
#: Settings without an establishment, by the DSG placement category they fall in.
SETTING_CATEGORY = {SenSetting.EYP.value: EstablishmentKind.EARLY_YEARS.value}


def _date_number(expression: Any) -> Any:
    """A date as the integer yyyymmdd, in SQL: whole years between two are a difference / 10000."""
    return ExpressionWrapper(
        ExtractYear(expression) * 10000 + ExtractMonth(expression) * 100 + ExtractDay(expression),
        output_field=IntegerField(),
    )


def age_expression(*, born: str, on: Any) -> Any:
    """Age in whole years on the date `on` (a field or a Value), computed in the database."""
    return ExpressionWrapper(
        (_date_number(on) - _date_number(F(born))) / 10000, output_field=IntegerField()
    )


def age_band_case(age: str) -> Case:
    whens = [When(**{f"{age}__lt": high}, then=Value(key)) for key, _, _, high in AGE_BANDS if high]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=models.CharField())


def placement_category_at(*, plan: str, on: Any) -> Subquery:
    """The DSG category of the plan's rank-1 placement in force on `on` (the latest started)."""
    in_force = (
        Placement.objects.filter(plan=OuterRef(plan), rank=1)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by(F("starts_on").desc(nulls_last=True))
        .annotate(
            category=Case(
                When(awaiting_placement=True, then=Value(AWAITING)),
                When(establishment__isnull=False, then=F("establishment__kind")),
                *(
                    When(sen_setting=code, then=Value(kind))
                    for code, kind in SETTING_CATEGORY.items()
                ),
                default=Value(EstablishmentKind.OTHER.value),
                output_field=models.CharField(),
            )
        )
        .values("category")[:1]
    )
    return Subquery(in_force, output_field=models.CharField())
