"""The kinds of advice of regulation 6(1) the list lacked (the family's, preparing for
adulthood), and the stored advice deadlines retitled with their kind and adviser, as the
recompute now writes them ("Educational psychology advice due (Demo EP Service)")."""

from typing import Any

from django.db import migrations, models

TITLE_LENGTH = 200
LABELS = {
    "educational": "Educational advice",
    "psychological": "Educational psychology advice",
    "health": "Health advice",
    "social_care": "Social care advice",
    "other": "Other advice",
}


def _title(kind: str, provider: str) -> str:
    """cases.deadlines.advice_title as it was when this migration was written."""
    title = f"{LABELS.get(kind, 'Advice')} due"
    provider = " ".join(provider.split())
    if not provider:
        return title
    room = TITLE_LENGTH - len(title) - len(" ()")
    if len(provider) > room:
        provider = provider[: room - 1].rstrip() + "\u2026"
    return f"{title} ({provider})"


def retitle_advice_deadlines(apps: Any, schema_editor: Any) -> None:
    deadline = apps.get_model("deadlines", "Deadline")
    advice = apps.get_model("cases", "AdviceRequest")
    rows = deadline.objects.filter(subject_type="cases.advicerequest", rule="advice")
    subjects = dict(
        (pk, (kind, provider))
        for pk, kind, provider in advice.objects.filter(
            pk__in=rows.values("subject_id")
        ).values_list("pk", "kind", "provider")
    )
    changed = []
    for row in rows.only("pk", "subject_id", "title").iterator(chunk_size=2000):
        if row.subject_id in subjects:
            title = _title(*subjects[row.subject_id])
            if row.title != title:
                row.title = title
                changed.append(row)
    deadline.objects.bulk_update(changed, ["title"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_sen2_history"),
        ("deadlines", "0004_deadline_rule_due_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="advicerequest",
            name="kind",
            field=models.CharField(
                choices=[
                    ("educational", "Educational"),
                    ("psychological", "Educational psychology"),
                    ("health", "Health"),
                    ("social_care", "Social care"),
                    ("parent", "Parent or young person"),
                    ("preparing_for_adulthood", "Preparing for adulthood (from year 9)"),
                    ("other", "Other"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(retitle_advice_deadlines, migrations.RunPython.noop),
    ]
