"""API tokens move to django-rest-knox, which keeps only a hash. DRF's old token table kept each
token in plain text: drop it (its app is no longer installed), so no readable token remains."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
