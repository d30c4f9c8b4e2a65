"""Rebuild the stored deadlines from source dates: every child in batches, or one child."""

import io
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from send_cms.deadlines import services
from send_cms.deadlines.messages import BAD_CHILD_ID, RECOMPUTED, UNKNOWN_CHILD


class _Unterminated(io.TextIOBase):
    """Lets tqdm redraw its line: Django's output wrapper would end every write with a newline."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.out.flush()


class Command(BaseCommand):
    help = (
        "Recompute every child's statutory deadlines from their source dates (or one child's "
        "with --child). Safe to run at any time: it writes only what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", metavar="UUID", help="Recompute one child only.")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Children per batch (default 500)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        child_id: uuid.UUID | None = None
        if options["child"] is not None:
            try:
                child_id = uuid.UUID(options["child"])
            except ValueError:
                raise CommandError(BAD_CHILD_ID.format(value=options["child"])) from None
        known = services.all_child_ids()
        if child_id is not None and child_id not in set(known):
            raise CommandError(UNKNOWN_CHILD.format(value=child_id))
        ids = [child_id] if child_id is not None else known
        with tqdm(
            total=len(ids),
            unit="child",
            desc="Recomputing deadlines",
            file=_Unterminated(self.stderr),
            disable=options["verbosity"] == 0,
            dynamic_ncols=True,
        ) as bar:
            result = services.recompute_all(
                child_ids=ids, batch_size=batch_size, progress=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(
                RECOMPUTED.format(
                    children=result.children,
                    noun="child" if result.children == 1 else "children",
                    changed=result.changed,
                )
            )
        )
