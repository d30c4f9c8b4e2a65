"""Write a file's persons to the casework tables: matched, merged, and inserted in bulk.

Persons are taken in batches. For a batch, the children already recorded are found (by UPN,
else by name and date of birth) with all their requests, plans, versions, settings and
placements in a handful of queries; each person becomes the rows to insert and the rows to
update; and the batch is written with one bulk statement per table inside a savepoint. When the
database refuses the batch (a CHECK or unique constraint), it is written again a person at a
time, each in its own savepoint, so a person's records are saved together or not at all and
the person the database refused is reported with the reason and the line.

A record already recorded is never overwritten with the file's value: the file only fills in
what the record lacks, and replaces a date that an earlier import inferred (records.py). So
importing the same file twice changes nothing, and a later year's file carries a case on.
"""

from collections.abc import Iterable
from itertools import islice

from cases.models import Child
from cases.sen2_import.reader import ParsedPerson
from cases.sen2_import.records import PersonData, person_data
from cases.sen2_import.writer.building import Building
from cases.sen2_import.writer.matching import Matching
from cases.sen2_import.writer.rows import BATCH_SIZE, PLACEHOLDER_NAME, Refused, person_label
from cases.sen2_import.writer.writing import Writing


class Importer(Matching, Building, Writing):
    """Imports one file's persons into the current transaction (the caller owns it)."""

    def run(self, persons: Iterable[ParsedPerson]) -> None:
        found = iter(persons)
        while batch := list(islice(found, BATCH_SIZE)):
            self._batch(batch)

    def _batch(self, batch: list[ParsedPerson]) -> None:
        people: list[PersonData] = []
        for parsed in batch:
            problems = list(parsed.problems)
            data = person_data(parsed.node, self.layout, problems) if not problems else None
            if data is None or problems:
                self._reject(parsed.line, person_label(parsed.node), map(str, problems))
                continue
            duplicate = self._duplicate(data)
            if duplicate:
                self._reject(data.line, data.label, [f"line {data.line}: {duplicate}"])
                continue
            people.append(data)
        matches = self._match_all(people)
        existing = self._existing([c.pk for c in matches.values() if isinstance(c, Child)])
        self._load_establishments(people)
        writes = []
        for data in people:
            try:
                child = matches[data.line]
                if isinstance(child, Refused):
                    raise child
                writes.append(self._person(data, child, existing))
            except Refused as refused:
                self._reject(data.line, data.label, [f"line {data.line}: {refused.reason}"])
        self._write(writes)
        self.report.rejections.sort(key=lambda rejection: rejection.line)


__all__ = ["PLACEHOLDER_NAME", "Importer"]
