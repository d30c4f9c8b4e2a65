"""Reporting and export reads on a read replica, when one is configured (`DATABASE_REPLICA_URL`).

A manager's report or a download reads many rows and writes none of the casework, so at a large
council or a multi-council service it is the first load to move off the primary. The rules:

- only while `replica_reads()` is on: the middleware turns it on for GET and HEAD requests to
  the reporting app's pages and API (and any view with `replica_reads = True`), and code such as
  a long export can turn it on itself;
- only the casework and reporting tables: accounts, sessions and sign-in state always come from
  the primary, so a session made a moment ago is never missing on a lagging replica;
- never inside a transaction on the primary: what a transaction reads is what it writes from;
- every write goes to the primary, and the replica is never migrated.

With no `DATABASE_REPLICA_URL` there is no `replica` alias and every read stays on the primary.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

REPLICA = "replica"
#: The apps whose reads may lag the primary by a moment: the casework and its reports.
REPLICA_APPS = frozenset(
    {"cases", "panels", "reviews", "tribunals", "reporting", "deadlines", "audit"}
)
#: Views in these modules read from the replica on GET and HEAD.
REPLICA_MODULES = ("reporting.",)

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads of casework tables inside this block go to the replica, if there is one."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Django's database router for the replica (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if (
            _replica_reads.get()
            and model._meta.app_label in REPLICA_APPS
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: a row read from one may point at one from the other.
        same = {DEFAULT_DB_ALIAS, REPLICA}
        return True if {obj1._state.db, obj2._state.db} <= same else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def _reads_from_replica(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not replica_configured():
        return False
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if getattr(view_class, "replica_reads", False):
        return True
    return (view.__module__ or "").startswith(REPLICA_MODULES)


class ReplicaReadsMiddleware:
    """Turn on `replica_reads` for the reporting pages', reporting API's and exports' GETs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with replica_reads() if _reads_from_replica(request) else nullcontext():
            return self.get_response(request)
