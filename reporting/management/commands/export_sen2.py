"""Write the SEN2 return for a census year to a file, valid against that year's schema.

    manage.py export_sen2 --year 2026 --out sen2-2026.xml

The file is written beside its final name and moved into place only when complete, so a failed
run never leaves half a return where the last good one was.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.sen2 import services
from reporting.sen2.export import (
    OFFICER_CODES,
    HeaderDetails,
    YearNotExported,
    exportable_layout,
    write_return,
)

NOT_A_FOLDER = "Cannot write {path}: {folder} is not a folder that exists."
CANNOT_WRITE = "Cannot write {path}: {error}"
ERRORS_WARNING = (
    "Warning: the SEN2 {year} data has {count} validation {errors}; DfE's COLLECT will not "
    "accept a file with errors. See the SEN2 data quality page."
)


class Command(BaseCommand):
    help = (
        "Write the SEN2 return for a census year (the third Thursday of January) as XML: the "
        "caseload on the census day and the previous calendar year's activity."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="census year, e.g. 2026")
        parser.add_argument("--out", type=Path, required=True, help="the XML file to write")
        for flag, officer in (
            ("--dmo", "a designated medical officer"),
            ("--dco", "a designated clinical officer"),
            ("--dsco", "a designated social care officer"),
        ):
            parser.add_argument(
                flag,
                choices=OFFICER_CODES,
                help=f"whether the council has {officer}: Y, N or R (recruiting); "
                "default: what the last file built on the SEN2 page said, else Y",
            )
        parser.add_argument(
            "--serial",
            type=int,
            help="the file's serial number (default: the next after the files built on the page)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        out: Path = options["out"]
        try:
            exportable_layout(year)
        except YearNotExported as error:
            raise CommandError(str(error)) from None
        folder = out.resolve().parent
        if not folder.is_dir():
            raise CommandError(NOT_A_FOLDER.format(path=out, folder=folder))
        dmo, dco, dsco = services.last_officers()
        header = HeaderDetails(
            serial_no=options["serial"] or services.next_serial_no(year=year),
            dmo=options["dmo"] or dmo,
            dco=options["dco"] or dco,
            dsco=options["dsco"] or dsco,
        )
        try:
            handle, partial = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
        except OSError as error:
            raise CommandError(CANNOT_WRITE.format(path=out, error=error.strerror)) from None
        try:
            with os.fdopen(handle, "wb") as file:
                counts = write_return(file, year=year, header=header)
            os.replace(partial, out)
        except OSError as error:
            raise CommandError(CANNOT_WRITE.format(path=out, error=error.strerror)) from None
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        errors = services.validation_error_count(year=year)
        if errors:
            plural = "error" if errors == 1 else "errors"
            self.stderr.write(ERRORS_WARNING.format(year=year, count=errors, errors=plural))
        self.stdout.write(
            f"Wrote the SEN2 {year} return to {out}: {counts.persons} persons, "
            f"{counts.requests} requests, {counts.plans} plans."
        )
