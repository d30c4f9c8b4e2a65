"""Establishments: schools, colleges and other settings (usually from the DfE register)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Establishment
from cases.services import messages as msg
from send_cms.audit.services import record


@transaction.atomic
def establishment_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    urn: str = "",
    ukprn: str = "",
    phase: str = "",
    la_code: str = "",
    postcode: str = "",
    is_open: bool = True,
) -> Establishment:
    """Add a setting by hand (most come from `manage.py import_establishments`)."""
    urn, ukprn = urn.strip(), ukprn.strip()
    errors: dict[str, list[str]] = {}
    if urn and Establishment.objects.filter(urn=urn).exists():
        errors["urn"] = [msg.URN_OR_UKPRN_TAKEN.format(field="URN")]
    if ukprn and Establishment.objects.filter(ukprn=ukprn).exists():
        errors["ukprn"] = [msg.URN_OR_UKPRN_TAKEN.format(field="UKPRN")]
    if errors:
        raise ValidationError(errors)
    establishment = Establishment(
        urn=urn,
        ukprn=ukprn,
        name=name.strip(),
        kind=kind,
        phase=phase.strip(),
        la_code=la_code.strip(),
        postcode=postcode.strip().upper(),
        is_open=is_open,
    )
    establishment.full_clean()
    establishment.save(force_insert=True)
    record(
        actor=actor,
        action="establishment.created",
        obj=establishment,
        changes={"name": establishment.name, "urn": urn, "ukprn": ukprn, "kind": kind},
    )
    return establishment
