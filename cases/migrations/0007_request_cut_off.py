"""The council's cut-off time kept on each request whose received date it derived, so the reason
shown beside the date stays true when the setting changes; earlier requests had the law's 5pm."""

from datetime import time
from typing import Any

from django.db import migrations, models


def law_cut_off_on_earlier_requests(apps: Any, schema_editor: Any) -> None:
    request = apps.get_model("cases", "AssessmentRequest")
    request.objects.filter(received_cut_off__isnull=True).update(received_cut_off=time(17, 0))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_advice_kinds_of_regulation_6")]

    operations = [
        migrations.AddField(
            model_name="assessmentrequest",
            name="received_cut_off",
            field=models.TimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(law_cut_off_on_earlier_requests, migrations.RunPython.noop),
    ]
