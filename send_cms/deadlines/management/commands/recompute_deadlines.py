"""Rebuild the stored deadlines from source dates: every child in batches, or one child, or every
child in chunks across the Celery workers as a resumable run (--parallel, --resume, --status)."""

import io
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from send_cms.deadlines import full_recompute, services
from send_cms.deadlines.messages import (
    BAD_CHILD_ID,
    NO_RUN_TO_RESUME,
    ONE_MODE,
    RECOMPUTED,
    RUN_FINISHED_ALREADY,
    RUN_NOT_FOUND,
    RUN_PROGRESS,
    RUN_QUEUED,
    UNKNOWN_CHILD,
)
from send_cms.deadlines.models import RecomputeRun

#: Seconds between progress reads while following a run.
POLL_SECONDS = 2.0


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
        "with --child). Safe to run at any time: it writes only what changed. With --parallel "
        "the children are split into chunks that the Celery workers recompute at once, as a run "
        "that --resume continues after a stop and --status reports on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", metavar="UUID", help="Recompute one child only.")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Children per batch (default 500)."
        )
        parser.add_argument(
            "--parallel",
            action="store_true",
            help="Queue every child in chunks for the Celery workers, then follow the progress.",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=full_recompute.DEFAULT_CHUNK_SIZE,
            help="Children per chunk with --parallel (default %(default)s).",
        )
        parser.add_argument(
            "--reason",
            default="Recomputed from the command line",
            help="Why (kept on the run and in the audit trail), e.g. 'Regulation 13 amended'.",
        )
        parser.add_argument(
            "--resume",
            nargs="?",
            const=0,
            type=int,
            metavar="RUN",
            help="Queue again the chunks not done of a run (default: the latest unfinished).",
        )
        parser.add_argument(
            "--status",
            nargs="?",
            const=0,
            type=int,
            metavar="RUN",
            help="Print a run's progress (default: the latest run).",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="With --parallel or --resume: queue and return without following the progress.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        modes = [
            options["child"] is not None,
            options["parallel"],
            options["resume"] is not None,
            options["status"] is not None,
        ]
        if sum(modes) > 1:
            raise CommandError(ONE_MODE)
        if options["status"] is not None:
            self._print(full_recompute.recompute_run_progress(self._run(options["status"], False)))
        elif options["resume"] is not None:
            self._resume(options)
        elif options["parallel"]:
            self._parallel(options)
        else:
            self._in_process(options)

    def _run(self, number: int, unfinished: bool) -> RecomputeRun:
        if number:
            run = RecomputeRun.objects.filter(pk=number).first()
            if run is None:
                raise CommandError(RUN_NOT_FOUND.format(value=number))
            return run
        found = (
            full_recompute.latest_unfinished_run()
            if unfinished
            else RecomputeRun.objects.order_by("-created_at").first()
        )
        if found is None:
            raise CommandError(NO_RUN_TO_RESUME if unfinished else RUN_NOT_FOUND.format(value="-"))
        return found

    def _parallel(self, options: dict[str, Any]) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.")
        run = full_recompute.recompute_run_plan(
            actor=None, reason=options["reason"], chunk_size=options["chunk_size"]
        )
        chunks = run.chunks.count()
        queued = full_recompute.queue_chunks(run)
        self.stdout.write(
            RUN_QUEUED.format(
                run=run.pk,
                children=run.children,
                chunks=chunks,
                chunk_size=run.chunk_size,
                queued=queued,
            )
        )
        self._follow(run, options)

    def _resume(self, options: dict[str, Any]) -> None:
        run = self._run(options["resume"], True)
        if run.finished_at is not None:
            raise CommandError(RUN_FINISHED_ALREADY.format(run=run.pk))
        queued = full_recompute.recompute_run_resume(actor=None, run=run)
        self.stdout.write(
            RUN_QUEUED.format(
                run=run.pk,
                children=run.children,
                chunks=run.chunks.count(),
                chunk_size=run.chunk_size,
                queued=queued,
            )
        )
        self._follow(run, options)

    def _follow(self, run: RecomputeRun, options: dict[str, Any]) -> None:
        """A progress bar over the run's children until every chunk is done."""
        if not options["no_wait"]:
            progress = full_recompute.recompute_run_progress(run)
            with tqdm(
                total=progress.children,
                initial=progress.children_done,
                unit="child",
                desc=f"Recompute {run.pk}",
                file=_Unterminated(self.stderr),
                disable=options["verbosity"] == 0,
                dynamic_ncols=True,
            ) as bar:
                while True:
                    run.refresh_from_db()
                    progress = full_recompute.recompute_run_progress(run)
                    bar.update(max(progress.children_done - bar.n, 0))
                    if progress.finished:
                        break
                    time.sleep(POLL_SECONDS)
        run.refresh_from_db()
        self._print(full_recompute.recompute_run_progress(run))

    def _print(self, progress: full_recompute.RecomputeProgress) -> None:
        state = (
            f"finished {progress.finished_at:%Y-%m-%d %H:%M:%S}"
            if progress.finished_at is not None
            else "under way or stopped (resume with --resume)"
        )
        line = RUN_PROGRESS.format(
            run=progress.run_id,
            reason=progress.reason,
            chunks_done=progress.chunks_done,
            chunks=progress.chunks,
            children_done=progress.children_done,
            children=progress.children,
            changed=progress.changed,
            state=state,
        )
        self.stdout.write(self.style.SUCCESS(line) if progress.finished else line)

    def _in_process(self, options: dict[str, Any]) -> None:
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
