"""Every assessment request newest first, by an index: the API lists them without a sort."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_caseload_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assessmentrequest",
            index=models.Index(fields=["received_on", "created_at"], name="request_received_idx"),
        ),
    ]
