"""While the demo is made, leave to the database the checks that Django makes by asking it.

Before each save, `full_clean()` runs a query for every CheckConstraint and UniqueConstraint in
the model's Meta (13 for an annual review, 12 for an appeal) and another for every foreign key
(does the row it points at exist?). For the demo's thousands of steps those queries are about
half of `seed_demo`'s time. The database enforces the very same things (CHECK constraints,
unique indexes and foreign keys, on PostgreSQL and SQLite alike; no constraint here is
deferrable or skipped by either, and no foreign key has limit_choices_to), so a demo step that
broke one would still fail, with an IntegrityError instead of a form error. Every other check
runs as always: the services' rules (the workflow, dates in order and not in the future, the
law's timescales), and each field's own validation.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models

__all__ = ["checks_left_to_the_database"]


def _constraints_left_to_the_database(self: models.Model, exclude: Any = None) -> None:
    """`Model.validate_constraints` while the demo is made: the database checks them."""


def _row_left_to_the_database(self: models.ForeignKey, value: Any, instance: Any) -> None:  # type: ignore[type-arg]
    """`ForeignKey.validate` without its query: the field's own checks; the database's foreign
    key checks that the row exists."""
    if not self.remote_field.parent_link:
        models.Field.validate(self, value, instance)


@contextmanager
def checks_left_to_the_database() -> Iterator[None]:
    """For the block, `full_clean()` leaves Meta.constraints and foreign keys to the database."""
    constraints, foreign_key = models.Model.validate_constraints, models.ForeignKey.validate
    models.Model.validate_constraints = _constraints_left_to_the_database  # type: ignore[method-assign]
    models.ForeignKey.validate = _row_left_to_the_database  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        models.Model.validate_constraints = constraints  # type: ignore[method-assign]
        models.ForeignKey.validate = foreign_key  # type: ignore[method-assign]
