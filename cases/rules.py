"""Object rules for casework: which children a user may see beyond their role's reach.

Caseworkers, managers and administrators see every child. A panel member sees only the
children on the agendas of their panels; the panels app decides which those are. Until the
panels app supplies that rule, a panel member sees no child: deny by default.
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from cases.models import Child


def panel_member_child_ids(user: Any) -> "QuerySet[Child, UUID] | set[UUID]":
    """Ids of the children a panel member may read: those on their panels' agendas.

    The panels app owns agendas; this function is where its rule is applied. With no panels
    app rule in place the answer is no child at all (an empty queryset of ids, usable in
    `pk__in` without an extra query).
    """
    from panels.models import AgendaItem  # panels imports cases: importing here avoids a cycle

    # Every meeting the user is a member of, closed ones too (they may read the record).
    on_agendas = AgendaItem.objects.filter(meeting__memberships__user=user).values("child_id")
    return Child.objects.filter(pk__in=on_agendas).values_list("pk", flat=True)
