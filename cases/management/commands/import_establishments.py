"""Load schools, colleges and other settings from the DfE's Get Information About Schools register.

Download "Establishment fields CSV" from https://get-information-schools.service.gov.uk/Downloads
(the file is edubasealldataYYYYMMDD.csv) and run this on it: safe to run again on each new
download, since it matches on URN (or UKPRN) and saves only what changed.
"""

import csv
import io
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
from cases.services.establishments import REQUIRED_COLUMNS, ImportReport, establishments_import

FILE_UNREADABLE = "{path} could not be read: {error}"
NOT_CSV = "{path} is not a CSV file that can be read: {error}"
MISSING_COLUMNS = (
    "{path} is not a Get Information About Schools establishment export: it has no {columns} "
    "column. Download the 'Establishment fields CSV' and import that file."
)
BAD_LA_CODE = "--la-code must be a 3-digit LA code, such as 999."
STRICT_FAILED = "{count} {rows} could not be imported (--strict)."


def decode(data: bytes) -> str:
    """GIAS writes Windows-1252 (as Excel does); a file saved again as UTF-8 is read as that.

    Text in Windows-1252 with any accent or curly quote is almost never valid UTF-8, so trying
    UTF-8 first is safe. Latin-1 is the last resort: it reads any byte, including the five
    Windows-1252 leaves undefined.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


class Command(BaseCommand):
    help = (
        "Import establishments from a Get Information About Schools CSV (edubasealldata). "
        "Adds new settings and updates changed ones, matched on URN, or on UKPRN when there is "
        "no URN. Rows that cannot be imported are listed with the reason; the rest are saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_file_arguments(
            parser,
            path_help="the CSV file downloaded from GIAS",
            dry_run_help="check the file and report what would change, without saving anything",
        )
        parser.add_argument(
            "--la-code",
            default="",
            metavar="CODE",
            help="import only the establishments of this LA (3-digit code, such as 999); "
            "children placed out of area need the neighbouring LAs' settings too",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit with status 1 if any row could not be imported (the good rows are saved)",
        )
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        la_code: str = options["la_code"].strip()
        if la_code and not (len(la_code) == 3 and la_code.isdigit()):
            raise CommandError(BAD_LA_CODE)
        actor = import_actor(options["user"])

        rows = self._read(path)
        try:
            report = establishments_import(
                actor=actor,
                rows=rows,
                la_code=la_code,
                dry_run=options["dry_run"],
                source=path.name,
            )
        except csv.Error as error:
            raise CommandError(NOT_CSV.format(path=path, error=error)) from None
        self._print(report, path=path, la_code=la_code)
        if report.bad and options["strict"]:
            rows_word = "row" if len(report.bad) == 1 else "rows"
            raise CommandError(STRICT_FAILED.format(count=len(report.bad), rows=rows_word))

    def _read(self, path: Path) -> "csv.DictReader[str]":
        """The file's rows, once its header is known to be a GIAS one."""
        if not path.is_file():
            raise CommandError(FILE_NOT_FOUND.format(path=path))
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(FILE_UNREADABLE.format(path=path, error=error.strerror)) from None
        reader = csv.DictReader(io.StringIO(decode(data), newline=""))
        try:
            header = [name.strip() for name in reader.fieldnames or []]
        except csv.Error as error:
            raise CommandError(NOT_CSV.format(path=path, error=error)) from None
        reader.fieldnames = header
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            columns = ", ".join(f"'{column}'" for column in missing)
            raise CommandError(MISSING_COLUMNS.format(path=path, columns=columns))
        return reader

    def _print(self, report: ImportReport, *, path: Path, la_code: str) -> None:
        out = self.stdout
        if report.dry_run:
            out.write(self.style.WARNING(f"Dry run of {path.name}: nothing was saved."))
        else:
            out.write(f"Imported establishments from {path.name}.")
        out.write(f"  Created:    {len(report.created)}")
        out.write(f"  Updated:    {len(report.updated)}")
        out.write(f"  Unchanged:  {report.unchanged}")
        if la_code:
            out.write(f"  Other LAs:  {report.other_la} (left out: --la-code {la_code})")
        out.write(f"  Bad rows:   {len(report.bad)}")
        if not report.bad:
            out.write(self.style.SUCCESS("No bad rows."))
            return
        out.write("")
        for bad in report.bad:
            out.write(f"  {bad}")
        out.write("")
        others = "would be saved" if report.dry_run else "were saved"
        out.write(
            self.style.WARNING(
                f"{plural(len(report.bad), 'row was', 'rows were')} not imported: correct "
                f"them in the file and run the import again. The other rows {others}."
            )
        )
