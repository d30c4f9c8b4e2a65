"""What the import commands share: the file and dry-run arguments, who is importing, wording."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

FILE_NOT_FOUND = "There is no file at {path}."
UNKNOWN_USER = "There is no user called {username}."


def add_file_arguments(parser: CommandParser, *, path_help: str, dry_run_help: str) -> None:
    parser.add_argument("path", type=Path, help=path_help)
    parser.add_argument("--dry-run", action="store_true", help=dry_run_help)


def add_user_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--user",
        default="",
        metavar="USERNAME",
        help="who is running the import, for the audit trail (default: the system)",
    )


def import_actor(username: str, *, returncode: int = 1) -> Any:
    """The user named by --user, or None (the system) when none is named."""
    if not username:
        return None
    actor = get_user_model().objects.filter(username=username).first()
    if actor is None:
        raise CommandError(UNKNOWN_USER.format(username=username), returncode=returncode)
    return actor


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
