"""Each child's next deadline to meet, stored, and filled from the deadlines already stored."""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TO_MEET_STATUSES = ("overdue", "due_soon", "upcoming")


def fill_next_deadlines(apps: Any, schema_editor: Any) -> None:
    """The soonest row to meet of every child (then the lowest id), as the recompute stores it."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO deadlines_nextdeadline (child_id, deadline_id, rule, due_on, status) "
            "SELECT DISTINCT ON (child_id) child_id, id, rule, due_on, status "
            "FROM deadlines_deadline "
            "WHERE case_open AND met_on IS NULL AND status = ANY(%s) "
            "ORDER BY child_id, due_on, id",
            [list(TO_MEET_STATUSES)],
        )
        return
    deadline = apps.get_model("deadlines", "Deadline")
    next_deadline = apps.get_model("deadlines", "NextDeadline")
    nexts: dict[Any, Any] = {}
    rows = deadline.objects.filter(
        case_open=True, met_on__isnull=True, status__in=TO_MEET_STATUSES
    ).order_by("child_id", "due_on", "id")
    for row in rows.iterator():
        nexts.setdefault(
            row.child_id,
            next_deadline(
                child_id=row.child_id,
                deadline_id=row.pk,
                rule=row.rule,
                due_on=row.due_on,
                status=row.status,
            ),
        )
    next_deadline.objects.bulk_create(nexts.values(), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0005_recompute_runs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NextDeadline",
            fields=[
                ("child_id", models.UUIDField(primary_key=True, serialize=False)),
                ("rule", models.CharField(max_length=40)),
                ("due_on", models.DateField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("upcoming", "Upcoming"),
                            ("due_soon", "Due soon"),
                            ("overdue", "Overdue"),
                            ("met", "Met"),
                            ("met_late", "Met late"),
                            ("not_applicable", "Not applicable"),
                        ],
                        max_length=20,
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(
                    ("case_open", True),
                    ("met_on__isnull", True),
                    ("status__in", ("overdue", "due_soon", "upcoming")),
                ),
                fields=["child_id", "due_on", "id"],
                name="deadline_to_meet_idx",
            ),
        ),
        migrations.AddField(
            model_name="nextdeadline",
            name="deadline",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="deadlines.deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="nextdeadline",
            index=models.Index(fields=["due_on", "child_id"], name="next_deadline_due_idx"),
        ),
        migrations.RunPython(fill_next_deadlines, migrations.RunPython.noop, elidable=True),
    ]
