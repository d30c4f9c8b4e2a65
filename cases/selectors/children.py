"""Children, scoped to the user first: who may read which child, and the audited read of one.

Caseworkers, managers and administrators see every child. Panel members see only the children
on their panels' agendas (`cases.rules.panel_member_child_ids`). Anyone else sees nothing.
"""

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Child
from cases.rules import panel_member_child_ids
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import CASEWORK_READ, Role
from send_cms.audit.services import record
from send_cms.common.search import search_words

#: The audit action of a read of one record of a child.
VIEWED = "child.viewed"


def _sees_everything(user: Any) -> bool:
    return bool(user_roles(user) & CASEWORK_READ)


def visible_child_ids(user: Any) -> "QuerySet[Child, uuid.UUID] | set[uuid.UUID] | None":
    """None: every child. Otherwise the ids the user may read (possibly none)."""
    if _sees_everything(user):
        return None
    if Role.PANEL_MEMBER in user_roles(user):
        return panel_member_child_ids(user)
    return set()


def _scope(queryset: QuerySet[Any], user: Any, child_field: str) -> QuerySet[Any]:
    ids = visible_child_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{child_field}__in": ids})


# --- children ------------------------------------------------------------------------------------


def child_list(*, user: Any) -> QuerySet[Child]:
    return _scope(
        Child.objects.select_related("caseworker", "current_setting").order_by(
            "last_name", "first_name", "reference"
        ),
        user,
        "pk",
    )


def child_get(*, user: Any, pk: Any, audit: bool = True) -> Child:
    """One child the user may read (404 otherwise); the read is audited."""
    child = (
        child_list(user=user)
        .prefetch_related("contacts", "allocations__caseworker", "allocations__allocated_by")
        .filter(pk=pk)
        .first()
    )
    if child is None:
        raise Http404("No child or young person with this id.")
    if audit:
        record(actor=user, action=VIEWED, obj=child, child_id=child.pk)
    return child


def child_search(*, user: Any, q: str) -> QuerySet[Child]:
    """Name, reference or UPN, for the search box and the API's `q`."""
    return child_list(user=user).filter(_search(q))


def child_matching(children: QuerySet[Child], q: str) -> QuerySet[Child]:
    """The children of an already scoped list whose name, reference or UPN match `q`."""
    return children.filter(_search(q))


def _search(q: str, prefix: str = "") -> Q:
    """Every word matches a name, the reference or the UPN (at most 10 words are used)."""
    query = Q()
    for word in search_words(q):
        query &= (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}reference__icontains": word})
            | Q(**{f"{prefix}upn__iexact": word.upper()})
        )
    return query


def allocation_history(*, child: Child) -> QuerySet[Any]:
    return child.allocations.select_related("caseworker", "allocated_by").order_by("-created_at")
