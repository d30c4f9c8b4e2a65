"""On PostgreSQL the database refuses TRUNCATE of the audit table too.

TRUNCATE fires no row triggers, so the append-only trigger of 0002 does not stop it; a
statement trigger does. There is no switch to let it through: the test suite, whose flush
between transactional tests truncates every table, disables this trigger in its own test
database only (tests/conftest.py), which needs the table's owner. Production runs as a role
that does not own its tables (README), so it can neither disable the trigger nor drop it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Audit events are append-only: the audit table cannot be emptied.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_no_truncate();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(create, drop)]
