"""Reads of many children at once, and files that leave the system, in the audit trail.

Opening one child's record is recorded where it is read (`child.viewed`, with the child's id).
A list or a search names many children: it is recorded once per request, as one row saying which
list, with what query, how many rows matched, and the ids of the children whose rows were shown
(`changes["children"]`, the key the reporting lists use too). A download is recorded the same
way, with its format; a download about one child also carries that child's id.

One row per read, not one per child: the trail reads as what people did (a search is one
event), and a page of 50 rows is one insert. "Who has seen this child" finds these rows by the
ids in `changes["children"]` (`child_events`): on PostgreSQL through a GIN index on that array
(migration 0004), on SQLite, the demo's database, by scanning.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict

from send_cms.audit.models import AuditEvent
from send_cms.audit.services import record

T = TypeVar("T")

LIST_VIEWED = "list.viewed"
DOWNLOADED = "file.downloaded"
#: The key of `changes` that holds the ids of the children a read showed.
CHILDREN = "children"
#: Longest value of a query parameter kept (a search box can be sent a novel).
QUERY_VALUE_MAX = 200


def query_of(params: QueryDict | Mapping[str, Any]) -> dict[str, Any]:
    """The request's query as the audit keeps it: each parameter's value (or values), trimmed."""
    items: Iterable[tuple[str, list[Any]]]
    if isinstance(params, QueryDict):
        items = ((key, params.getlist(key)) for key in params)
    else:
        items = ((k, v if isinstance(v, list) else [v]) for k, v in params.items())
    query: dict[str, Any] = {}
    for key, values in items:
        trimmed = [str(v)[:QUERY_VALUE_MAX] for v in values]
        query[str(key)[:QUERY_VALUE_MAX]] = trimmed[0] if len(trimmed) == 1 else trimmed
    return query


def child_ids(ids: Iterable[Any]) -> list[str]:
    return sorted({str(i) for i in ids if i is not None})


def record_list_read(
    *,
    actor: Any,
    name: str,
    query: QueryDict | Mapping[str, Any] | None,
    rows: int,
    children: Iterable[Any],
) -> AuditEvent:
    """One list or search read: `name` says which list, `rows` how many matched the query (all
    pages), `children` the ids of the children on the rows shown."""
    return record(
        actor=actor,
        action=LIST_VIEWED,
        changes={
            "list": name,
            "query": query_of(query or {}),
            "rows": rows,
            CHILDREN: child_ids(children),
        },
    )


def record_download(
    *,
    actor: Any,
    name: str,
    fmt: str,
    query: QueryDict | Mapping[str, Any] | None = None,
    rows: int | None = None,
    children: Iterable[Any] = (),
    child_id: Any = None,
    obj: Any = None,
) -> AuditEvent:
    """One file downloaded: which (`name`), its format, and whose records it holds (the child,
    or the children of its rows)."""
    changes: dict[str, Any] = {"download": name, "format": fmt}
    if query:
        changes["query"] = query_of(query)
    if rows is not None:
        changes["rows"] = rows
    ids = child_ids(children)
    if ids:
        changes[CHILDREN] = ids
    return record(actor=actor, action=DOWNLOADED, obj=obj, child_id=child_id, changes=changes)


def audited_page(
    request: HttpRequest,
    objects: Sequence[T] | QuerySet[Any],
    *,
    per_page: int,
    name: str,
    child_id: Callable[[T], Any],
    count: int | None = None,
) -> Page:  # type: ignore[type-arg]
    """The requested page of a list page, its read recorded: what list pages use in place of
    `Paginator(...).get_page(...)`. `child_id` gives the child of a row; `count` the number of
    rows when the page already knows it (the paginator then does not count them again)."""
    paginator = Paginator(objects, per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    record_list_read(
        actor=request.user,
        name=name,
        query=request.GET,
        rows=page.paginator.count,
        children=(child_id(row) for row in page.object_list),
    )
    return page


def names_child(child_id: Any) -> Q:
    """Events whose `changes["children"]` holds the child's id (list reads, downloads).

    PostgreSQL: JSON containment, which the GIN index on `changes -> 'children'` answers. SQLite
    has no containment operator; a text match on the array finds the same rows by a scan (ids
    are UUIDs, so one cannot be part of another).
    """
    if connection.vendor == "postgresql":
        return Q(**{f"changes__{CHILDREN}__contains": [str(child_id)]})
    return Q(**{f"changes__{CHILDREN}__icontains": f'"{child_id}"'})


def child_events(*, child_id: Any) -> QuerySet[AuditEvent]:
    """Every event about one child, newest first: reads and changes of their records (the
    child's id on the row) and the lists and downloads that named them."""
    return (
        AuditEvent.objects.filter(Q(child_id=child_id) | names_child(child_id))
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
