"""Import a SEN2 return file (the 2023 to 2026 layouts) into the casework tables, as history.

    manage.py import_sen2 sen2_2025.xml [--dry-run] [--user USERNAME]

Exit status: 0 when every person was imported, 1 when some were left out (the others are
imported), 2 when the file cannot be read as a SEN2 return (nothing is imported).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.management.imports import (
    FILE_NOT_FOUND,
    add_file_arguments,
    add_user_argument,
    import_actor,
    plural,
)
from cases.sen2_import import RECORDS, MalformedFile, Sen2ImportReport, sen2_import

SOME_REJECTED = "{count} {persons} could not be imported: see the reasons above."
EXIT_REJECTED = 1
EXIT_MALFORMED = 2


class Command(BaseCommand):
    help = (
        "Import a SEN2 return (XML, the 2023 to 2026 layouts) as history: persons matched on "
        "UPN, else name and date of birth; requests, plans, placements, needs and reviews "
        "created or filled in. A person that cannot be imported is listed with the reason and "
        "line; the rest are imported. Running it again on the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_file_arguments(
            parser,
            path_help="the SEN2 XML file",
            dry_run_help="check the file and report what would be imported, without saving "
            "anything",
        )
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        actor = import_actor(options["user"], returncode=EXIT_MALFORMED)
        if not path.is_file():
            raise CommandError(FILE_NOT_FOUND.format(path=path), returncode=EXIT_MALFORMED)
        try:
            report = sen2_import(
                actor=actor, source=path, file_name=path.name, dry_run=options["dry_run"]
            )
        except MalformedFile as error:
            raise CommandError(
                f"{path.name}: {error}. Nothing was imported.", returncode=EXIT_MALFORMED
            ) from None
        except OSError as error:
            raise CommandError(f"{path} could not be read: {error}", returncode=2) from None
        self._print(report)
        if report.rejected:
            persons = "person" if report.rejected == 1 else "persons"
            raise CommandError(
                SOME_REJECTED.format(count=report.rejected, persons=persons),
                returncode=EXIT_REJECTED,
            )

    def _print(self, report: Sen2ImportReport) -> None:
        out = self.stdout
        layout = "" if report.confirmed_layout else " (a layout inferred, read leniently)"
        if report.dry_run:
            out.write(self.style.WARNING(f"Dry run of {report.file_name}: nothing was saved."))
        else:
            out.write(f"Imported {report.file_name}.")
        out.write(f"SEN2 {report.year}{layout}; {report.persons_read} persons read.")
        out.write("")
        out.write(f"  {'':16}{'created':>9}{'matched':>9}{'updated':>9}")
        for name in RECORDS:
            tally = report.tallies[name]
            out.write(f"  {name:16}{tally.created:9}{tally.matched:9}{tally.updated:9}")
        out.write(f"  {'rejected persons':16}{report.rejected:9}")
        if report.placeholders:
            out.write("")
            out.write(
                f"{plural(len(report.placeholders), 'setting was', 'settings were')} not on the "
                "register and added as placeholders (import the register to complete them):"
            )
            for placeholder in report.placeholders:
                out.write(f"  {placeholder}")
        for note in report.notes:
            out.write(note)
        if not report.rejections:
            out.write(self.style.SUCCESS("Every person was imported."))
            return
        out.write("")
        for rejection in report.rejections:
            out.write(f"  {rejection}")
        out.write("")
        others = "would be imported" if report.dry_run else "were imported"
        out.write(
            self.style.WARNING(
                f"{plural(report.rejected, 'person was', 'persons were')} left out with all "
                f"their records: correct the file (or the record it matched) and import it "
                f"again. The other persons {others}."
            )
        )
