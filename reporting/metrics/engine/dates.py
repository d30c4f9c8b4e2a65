"""Dates as day numbers in SQL, so spans and gaps of days are integer arithmetic."""

from typing import Any

from django.db import models


class DayNumber(models.Func):
    """A date as days since 1 January 1970, the same on PostgreSQL and SQLite, so that spans
    of days are integer arithmetic."""

    output_field = models.IntegerField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler, connection, template="(CAST(%(expressions)s AS date) - DATE '1970-01-01')"
        )
        return sql, list(params)

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - julianday('1970-01-01') AS INTEGER)",
        )
        return sql, list(params)
