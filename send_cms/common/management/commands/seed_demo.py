"""Demo data for a newcomer: users for every role, then each app's demo casework.

Deterministic (`--seed`) and idempotent: running it twice leaves the same data. Each app's
seeder is listed in settings.DEMO_SEEDERS and makes its records through the app's services, so
the demo obeys the same rules as real work.
"""

import os
import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from send_cms.accounts.roles import Role
from send_cms.accounts.services import user_create_or_update

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed on purpose; demo and local only

DEMO_USERS = [
    ("caseworker", "Sam", "Okafor", [Role.CASEWORKER], "North team"),
    ("caseworker2", "Priya", "Shah", [Role.CASEWORKER], "South team"),
    ("panel", "Helen", "Marsh", [Role.PANEL_MEMBER], "Panel"),
    ("panel2", "David", "Lee", [Role.PANEL_MEMBER], "Panel"),
    ("panel3", "Ayesha", "Khan", [Role.PANEL_MEMBER], "Panel"),
    ("manager", "Chris", "Evans", [Role.MANAGER], "SEND leadership"),
    ("admin", "Alex", "Morgan", [Role.ADMIN], "SEND systems"),
]


class Command(BaseCommand):
    help = "Create demo users for every role and demo casework (deterministic, idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=500, help="children to create")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--force", action="store_true", help="allow running with DEBUG off (never on live data)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo writes fake data: it runs only with DEBUG on (or --force)."
            )
        if options["children"] < 0:
            raise CommandError("--children must be 0 or more.")
        users = {}
        for username, first, last, roles, team in DEMO_USERS:
            users[username] = user_create_or_update(
                username=username,
                password=DEMO_PASSWORD,
                roles=roles,
                first_name=first,
                last_name=last,
                email=f"{username}@example.invalid",
                team=team,
                job_title=Role(roles[0]).label,
            )
        for path in getattr(settings, "DEMO_SEEDERS", []):
            seeder = import_string(path)
            summary = seeder(
                rng=random.Random(options["seed"]),
                users=users,
                children=options["children"],
                stdout=self.stdout,
            )
            if summary:
                self.stdout.write(f"  {summary}")
        # `make run` serves on $PORT (8000 unless set), so the address printed is the one served.
        address = f"http://127.0.0.1:{os.environ.get('PORT') or 8000}/"
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Sign in at {address}"))
        self.stdout.write(f"  Password for every demo user: {DEMO_PASSWORD}")
        for username, first, last, roles, _team in DEMO_USERS:
            role_names = ", ".join(Role(r).label.lower() for r in roles)
            self.stdout.write(f"  {username:<12} {first} {last} ({role_names})")
