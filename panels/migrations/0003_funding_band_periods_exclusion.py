"""PostgreSQL only: the database itself refuses overlapping periods of the same band.

An exclusion constraint over (kind, code, date range) needs btree_gist (a trusted extension, so
the database owner can create it). SQLite (the demo) has no such constraint; there, as
everywhere, panels.services.bands refuses overlaps first with a readable message.
"""

from django.db import migrations

CONSTRAINT = "funding_band_no_overlapping_periods"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE panels_fundingband ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(kind WITH =, code WITH =, daterange(effective_from, effective_to, '[]') WITH &&)"
    )


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE panels_fundingband DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("panels", "0002_default_panel_types_and_funding_bands")]

    operations = [migrations.RunPython(add_constraint, remove_constraint)]
