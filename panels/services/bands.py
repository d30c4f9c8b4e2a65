"""Funding bands: a dated table of annual values per setting kind; periods never overlap."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from panels.models import FundingBand
from panels.selectors import band_overlapping
from send_cms.accounts.actor import Actor
from send_cms.audit.services import record
from send_cms.common.services import fmt
from send_cms.common.versioning import lock_at_version

BAND_OVERLAP = (
    "{code} for this kind of setting already has a value from {start}{end}: periods cannot overlap"
)
BAND_ENDS_BEFORE_START = "The end date must be the same as or after the start date"
BAND_NOT_FOUND = "There is no band {code} for {kind} on {day}"

_BAND_FIELDS = ("kind", "code", "name", "annual_value", "effective_from", "effective_to")


#: The name the band admin checks overlaps with (a read: it lives with the selectors).
overlapping_band = band_overlapping


def _check_no_overlap(band: FundingBand) -> None:
    clash = band_overlapping(band)
    if clash is not None:
        end = f" to {fmt(clash.effective_to)}" if clash.effective_to else " with no end date"
        raise ValidationError(
            {
                "effective_from": [
                    BAND_OVERLAP.format(code=band.code, start=fmt(clash.effective_from), end=end)
                ]
            }
        )


@transaction.atomic
def funding_band_create(
    *,
    actor: Actor,
    kind: str,
    code: str,
    name: str,
    annual_value: Decimal,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
) -> FundingBand:
    """A new band or a yearly uplift. An open-ended earlier period of the same band is ended the
    day before the new one starts, so an uplift is one step; any other overlap is refused."""
    band = FundingBand(
        kind=kind,
        code=code.strip(),
        name=name,
        annual_value=annual_value,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError({"effective_to": [BAND_ENDS_BEFORE_START]})
    band.full_clean(validate_constraints=False)
    previous = (
        FundingBand.objects.select_for_update()
        .filter(
            kind=band.kind,
            code=band.code,
            effective_to__isnull=True,
            effective_from__lt=effective_from,
        )
        .first()
    )
    if previous is not None:
        previous.effective_to = effective_from - dt.timedelta(days=1)
        previous.full_clean()
        previous.save(update_fields=["effective_to", "updated_at"])
        record(
            actor=actor,
            action="funding_band.ended",
            obj=previous,
            changes={"effective_to": previous.effective_to},
        )
    _check_no_overlap(band)
    band.full_clean()
    band.save()
    record(
        actor=actor,
        action="funding_band.created",
        obj=band,
        changes={f: getattr(band, f) for f in _BAND_FIELDS},
    )
    return band


@transaction.atomic
def funding_band_update(
    *, actor: Actor, band: FundingBand, expected_version: int | None = None, **fields: Any
) -> FundingBand:
    """Correct a band; with `expected_version` (the version the caller read), a band changed
    since is refused with `StaleVersion` and nothing is saved."""
    unknown = set(fields) - set(_BAND_FIELDS)
    if unknown:
        raise ValueError(f"Not a funding band field: {', '.join(sorted(unknown))}")
    band = lock_at_version(band, expected_version)
    changes = {}
    for name, value in fields.items():
        if getattr(band, name) != value:
            changes[name] = value
            setattr(band, name, value)
    if not changes:
        return band
    if band.effective_to is not None and band.effective_to < band.effective_from:
        raise ValidationError({"effective_to": [BAND_ENDS_BEFORE_START]})
    _check_no_overlap(band)
    band.full_clean()
    band.save()
    record(actor=actor, action="funding_band.updated", obj=band, changes=changes)
    return band
