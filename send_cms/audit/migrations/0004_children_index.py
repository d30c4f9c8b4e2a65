"""On PostgreSQL, an index on the ids of the children a list read or download named.

"Who has seen this child" asks for events whose `changes -> 'children'` array holds the child's
id (JSON containment, `@>`); a GIN index with jsonb_path_ops answers that without reading the
trail. Built CONCURRENTLY so a large trail keeps taking writes meanwhile (hence not atomic).
SQLite, the demo's database, scans instead.
"""

from django.db import migrations

CREATE = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_children_idx
    ON audit_auditevent USING gin ((changes -> 'children') jsonb_path_ops);
"""
DROP = "DROP INDEX CONCURRENTLY IF EXISTS audit_children_idx;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("audit", "0003_refuse_truncate")]

    operations = [migrations.RunPython(create, drop)]
