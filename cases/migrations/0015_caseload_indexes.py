"""The caseload at any size: the stored next deadline joined on the child's id, and indexes for
the search by name, reference or UPN (PostgreSQL; SQLite, the demo's database, scans)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations

import cases.models

#: What the caseload's search asks (`UPPER(column) LIKE UPPER('%word%')`), one GIN index over
#: the three columns: PostgreSQL combines its scans for "first name, last name or reference".
TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS child_search_trgm_idx ON cases_child USING gin "
    "(UPPER(first_name) gin_trgm_ops, UPPER(last_name) gin_trgm_ops, "
    "UPPER(reference) gin_trgm_ops)"
)
#: The search's UPN arm (`UPPER(upn) = 'A123...'`): every arm of the "or" needs an index for
#: PostgreSQL to combine them instead of reading every child.
UPN_INDEX = "CREATE INDEX IF NOT EXISTS child_upn_upper_idx ON cases_child (UPPER(upn))"


def add_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(TRIGRAM_INDEX)
        schema_editor.execute(UPN_INDEX)


def drop_trigram_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS child_search_trgm_idx")
        schema_editor.execute("DROP INDEX IF EXISTS child_upn_upper_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_plan_advice_documents"),
        ("deadlines", "0006_next_deadline_per_child"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="next_deadline",
            field=cases.models.NextDeadlineRelation(
                from_fields=["id"],
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="deadlines.nextdeadline",
                to_fields=["child_id"],
            ),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
