"""Import a SEN2 return (the 2023 to 2026 layouts) into the casework tables, as history.

    report = sen2_import(actor=user, source=path_or_file, file_name="sen2_2025.xml")

Persons are matched to children already recorded by UPN, else by name and date of birth; their
requests, assessments, plans (ceased ones too), placements, needs, mediation and tribunal flags
and latest annual review are created or filled in. The file is kept as it gives it: the live
screens' rules do not apply to history, the database's constraints do. A person's records are
saved together or not at all; a person the file or the database refuses is reported with the
reason and the line, and the others are imported. Importing the same file again changes
nothing. The whole import is one transaction: a file that turns out to be malformed half way
writes nothing, and a dry run is rolled back at the end.

Where things go, without casework importing the apps built on it: the mediation, tribunal and
Week20 flags are history on the request (`AssessmentRequest.sen2_history`, which the SEN2 flags
read alongside the mediation and appeal records); the annual review goes to the reviews app
through a hook it registers (`hooks.register_review_writer`).
"""

from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from cases.sen2_import import messages
from cases.sen2_import.hooks import (
    ImportedReview,
    ReviewsImported,
    register_review_writer,
    review_writers,
)
from cases.sen2_import.reader import MalformedFile, Sen2Reader
from cases.sen2_import.report import RECORDS, Rejection, Sen2ImportReport, Tally
from cases.sen2_import.writer import Importer
from send_cms.audit.services import record

AUDIT_ACTION = "sen2.imported"
NO_REVIEW_WRITER = "The annual reviews in the file were not stored: no app records annual reviews."
#: Children's deadlines are recomputed in batches of this many once the rows are written.
RECOMPUTE_BATCH = 500


def sen2_import(
    *,
    actor: Any,
    source: str | Path | IO[bytes],
    file_name: str,
    dry_run: bool = False,
) -> Sen2ImportReport:
    """Import the SEN2 file at `source` (a path or a binary file); `dry_run` reports what would
    be done and writes nothing. Raises `MalformedFile` (and writes nothing) when the file cannot
    be read as a SEN2 return of a year with a layout, or is another council's."""
    reader = Sen2Reader(source)
    header = reader.header
    if header.lea != settings.LA_CODE:
        raise MalformedFile(messages.OTHER_LA.format(lea=header.lea, ours=settings.LA_CODE))
    report = Sen2ImportReport(
        file_name=file_name,
        year=header.year,
        confirmed_layout=header.layout.confirmed,
        dry_run=dry_run,
    )
    if not review_writers():
        report.notes.append(NO_REVIEW_WRITER)
    with transaction.atomic():
        importer = Importer(actor=actor, header=header, report=report)
        importer.run(reader.persons())
        if dry_run:
            transaction.set_rollback(True)
            return report
        _recompute_deadlines(importer.touched)
        record(actor=actor, action=AUDIT_ACTION, changes=report.summary())
    return report


def _recompute_deadlines(child_ids: list[Any]) -> None:
    """The stored deadlines of every child the import changed, in batches (one task per child
    would queue thousands)."""
    if not child_ids:
        return
    # Imported when called: the deadlines services load every app's providers.
    from send_cms.deadlines.services import recompute_all

    recompute_all(child_ids=child_ids, batch_size=RECOMPUTE_BATCH)


__all__ = [
    "RECORDS",
    "ImportedReview",
    "MalformedFile",
    "Rejection",
    "ReviewsImported",
    "Sen2ImportReport",
    "Tally",
    "register_review_writer",
    "sen2_import",
]
