"""Funding bands: a dated table, no overlapping periods, the value in force on a date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from panels.models import FundingBand
from panels.selectors import band_on
from panels.services import (
    BAND_ENDS_BEFORE_START,
    BAND_OVERLAP,
    funding_band_create,
    funding_band_update,
)
from send_cms.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_migration_ships_devon_2023_24_example_bands() -> None:
    values = {
        (b.kind, b.code): b.annual_value
        for b in FundingBand.objects.filter(effective_from=dt.date(2023, 4, 1))
    }
    assert values == {
        ("mainstream", "M1"): Decimal("1600.00"),
        ("mainstream", "M2"): Decimal("3100.00"),
        ("mainstream", "M3"): Decimal("4500.00"),
        ("special", "S1"): Decimal("11412.00"),
        ("special", "S2"): Decimal("17556.00"),
    }


def test_an_uplift_ends_the_open_period_the_day_before_and_each_date_finds_its_value(
    admin_user,
) -> None:
    uplift = funding_band_create(
        actor=admin_user,
        kind="mainstream",
        code="M2",
        name="Mainstream band 2",
        annual_value=Decimal("3255.00"),
        effective_from=dt.date(2026, 4, 1),
    )
    old = FundingBand.objects.get(kind="mainstream", code="M2", effective_from=dt.date(2023, 4, 1))
    assert old.effective_to == dt.date(2026, 3, 31)
    assert band_on(kind="mainstream", code="M2", day=dt.date(2026, 3, 31)) == old
    assert band_on(kind="mainstream", code="M2", day=dt.date(2026, 4, 1)) == uplift
    assert band_on(kind="mainstream", code="M2", day=dt.date(2023, 3, 31)) is None
    assert band_on(kind="special", code="M2", day=dt.date(2026, 4, 1)) is None
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("funding_band.ended") == 1
    assert actions.count("funding_band.created") == 1


def test_an_overlapping_period_is_refused(admin_user) -> None:
    funding_band_create(
        actor=admin_user,
        kind="special",
        code="S3",
        name="Special band 3",
        annual_value=Decimal("15000"),
        effective_from=dt.date(2025, 4, 1),
        effective_to=dt.date(2026, 3, 31),
    )
    with pytest.raises(ValidationError) as refused:
        funding_band_create(
            actor=admin_user,
            kind="special",
            code="S3",
            name="Special band 3",
            annual_value=Decimal("15500"),
            effective_from=dt.date(2026, 1, 1),
        )
    assert refused.value.message_dict == {
        "effective_from": [
            BAND_OVERLAP.format(code="S3", start="1 Apr 2025", end=" to 31 Mar 2026")
        ]
    }


def test_an_update_that_makes_periods_overlap_is_refused(admin_user) -> None:
    uplift = funding_band_create(
        actor=admin_user,
        kind="mainstream",
        code="M1",
        name="Mainstream band 1",
        annual_value=Decimal("1650"),
        effective_from=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as refused:
        funding_band_update(actor=admin_user, band=uplift, effective_from=dt.date(2026, 3, 1))
    assert "periods cannot overlap" in refused.value.message_dict["effective_from"][0]
    with pytest.raises(ValidationError) as backwards:
        funding_band_update(actor=admin_user, band=uplift, effective_to=dt.date(2026, 1, 1))
    assert backwards.value.message_dict == {"effective_to": [BAND_ENDS_BEFORE_START]}


def test_on_postgresql_the_database_refuses_overlaps_too() -> None:
    """An exclusion constraint on PostgreSQL; SQLite (the demo) relies on the service alone."""

    def sneak_in() -> None:
        FundingBand.objects.create(
            kind="mainstream",
            code="M3",
            name="Sneaked in",
            annual_value=Decimal("1"),
            effective_from=dt.date(2024, 1, 1),
        )

    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            sneak_in()
    else:
        sneak_in()
        assert FundingBand.objects.filter(code="M3").count() == 2
