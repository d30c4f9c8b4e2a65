"""The four roles, defined once. Each is realised as a Django Group of the same name."""

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    PANEL_MEMBER = "panel_member", "Panel member"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Administrator"


ALL_ROLES: frozenset[str] = frozenset(Role.values)
# Who may read and who may change casework; apps narrow these per view.
CASEWORK_READ = frozenset({Role.CASEWORKER, Role.MANAGER, Role.ADMIN})
CASEWORK_WRITE = frozenset({Role.CASEWORKER, Role.ADMIN})


def describe(roles: frozenset[str] | set[str]) -> str:
    """'the caseworker or manager role', for a 403 page that says what is needed."""
    labels = [Role(r).label.lower() for r in Role.values if r in roles]
    if not labels:
        return "a role"
    if len(labels) == 1:
        return f"the {labels[0]} role"
    return "the " + ", ".join(labels[:-1]) + f" or {labels[-1]} role"
