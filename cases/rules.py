"""Object rules for casework: which children a user may see beyond their role's reach.

Caseworkers, managers and administrators see every child. A panel member sees only the
children on the agendas of their panels; the panels app decides which those are and registers
that rule here (`register_panel_member_children`, from its AppConfig.ready): panels imports
casework, so casework cannot import panels. With no rule registered a panel member sees no
child: deny by default.
"""

from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from cases.models import Child

#: Given a panel member, a query of the ids of the children they may read (used in `pk__in`).
PanelMemberChildren = Callable[[Any], "QuerySet[Any]"]
_panel_member_children: list[PanelMemberChildren] = []


def register_panel_member_children(source: PanelMemberChildren) -> None:
    """Let the app that owns panel agendas say which children a panel member may read (called
    once in its AppConfig.ready)."""
    if source not in _panel_member_children:
        _panel_member_children.append(source)


def panel_member_child_ids(user: Any) -> "QuerySet[Child, UUID] | set[UUID]":
    """Ids of the children a panel member may read: those the registered rules allow.

    With no rule registered the answer is no child at all. Either way the answer is a queryset
    of ids, usable in `pk__in` without an extra query.
    """
    if not _panel_member_children:
        return Child.objects.none().values_list("pk", flat=True)
    allowed = reduce(or_, (Q(pk__in=source(user)) for source in _panel_member_children))
    return Child.objects.filter(allowed).values_list("pk", flat=True)
