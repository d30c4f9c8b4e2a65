"""Council configuration: panel types (quorum rule, threshold) and panel members."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from panels.models import ItemKind, PanelMember, PanelType, ProfessionalRole
from send_cms.accounts.actor import Actor
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.services import record
from send_cms.common.versioning import lock_at_version

UNKNOWN_ROLE = "{value} is not a professional role (one of: {choices})"
UNKNOWN_KIND = "{value} is not a decision kind (one of: {choices})"
QUORUM_TOO_SMALL = "The quorum must be at least 1 member"
QUORUM_ROLES_EXCEED_MINIMUM = "The quorum names more roles than the minimum number of members"
NOT_A_PANEL_MEMBER_ROLE = "Give this user the panel member role first"

_UNSET: Any = object()


def _check_choices(field: str, values: Sequence[str], choices: Iterable[str], msg: str) -> None:
    allowed = list(choices)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError(
            {field: [msg.format(value=v, choices=", ".join(allowed)) for v in bad]}
        )


@transaction.atomic
def panel_type_update(
    *,
    actor: Actor,
    panel: PanelType,
    quorum_minimum: int = _UNSET,
    quorum_roles: Sequence[str] = _UNSET,
    cost_threshold: Decimal | None = _UNSET,
    decision_kinds: Sequence[str] = _UNSET,
    name: str = _UNSET,
    purpose: str = _UNSET,
    expected_version: int | None = None,
) -> PanelType:
    """Change a panel's quorum rule, threshold or remit; only what is passed changes.

    With `expected_version` (the version the caller read), a panel changed since is refused
    with `StaleVersion` and nothing is saved.
    """
    panel = lock_at_version(panel, expected_version)
    wanted: dict[str, Any] = {
        "quorum_minimum": quorum_minimum,
        "quorum_roles": quorum_roles,
        "cost_threshold": cost_threshold,
        "decision_kinds": decision_kinds,
        "name": name,
        "purpose": purpose,
    }
    changes: dict[str, Any] = {}
    for field, value in wanted.items():
        if value is _UNSET:
            continue
        if field in ("quorum_roles", "decision_kinds"):
            value = list(dict.fromkeys(value))  # keep order, drop repeats
        if getattr(panel, field) != value:
            changes[field] = value
            setattr(panel, field, value)
    _check_choices("quorum_roles", panel.quorum_roles, ProfessionalRole.values, UNKNOWN_ROLE)
    _check_choices("decision_kinds", panel.decision_kinds, ItemKind.values, UNKNOWN_KIND)
    if panel.quorum_minimum < 1:
        raise ValidationError({"quorum_minimum": [QUORUM_TOO_SMALL]})
    if len(panel.quorum_roles) > panel.quorum_minimum:
        raise ValidationError({"quorum_roles": [QUORUM_ROLES_EXCEED_MINIMUM]})
    if not changes:
        return panel
    panel.full_clean()
    panel.save()
    record(actor=actor, action="panel.updated", obj=panel, changes=changes)
    return panel


@transaction.atomic
def panel_member_save(
    *,
    actor: Actor | None,
    user: User,
    organisation: str,
    professional_role: str,
    panel_types: Iterable[PanelType] = (),
    is_active: bool = True,
) -> PanelMember:
    """Create or update a member's panel profile (idempotent)."""
    if not user.has_role(Role.PANEL_MEMBER):
        raise ValidationError({"user": [NOT_A_PANEL_MEMBER_ROLE]})
    member, created = PanelMember.objects.get_or_create(
        user=user,
        defaults={"organisation": organisation, "professional_role": professional_role},
    )
    member.organisation = organisation
    member.professional_role = professional_role
    member.is_active = is_active
    member.full_clean()
    member.save()
    types = list(panel_types)
    member.panel_types.set(types)
    record(
        actor=actor,
        action="panel_member.created" if created else "panel_member.updated",
        obj=member,
        changes={
            "user": user.pk,
            "organisation": organisation,
            "professional_role": professional_role,
            "panel_types": [t.slug for t in types],
            "is_active": is_active,
        },
    )
    return member
