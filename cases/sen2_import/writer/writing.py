"""Writing a batch: one bulk statement per table, else a person at a time; audit and timeline."""

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction

from cases.models import Establishment, TimelineEntry
from cases.references import REFERENCE_DIGITS, next_reference, reference_prefix
from cases.sen2_import import hooks
from cases.sen2_import import messages as msg
from cases.sen2_import.report import Tally
from cases.sen2_import.writer.rows import (
    AUDIT_CREATED,
    AUDIT_UPDATED,
    INSERT_BATCH,
    INSERT_ORDER,
    TIMELINE_EVENT,
    TIMELINE_TITLE,
    PersonWrite,
    constraint_name,
)
from cases.sen2_import.writer.state import ImportState
from send_cms.audit.models import AuditEvent
from send_cms.common.versioning import Versioned


class Writing(ImportState):
    """Writes a batch's rows, and records who imported what."""

    def _write(self, writes: list[PersonWrite]) -> None:
        """The batch in one savepoint; if the database refuses it, a person at a time."""
        if not writes:
            return
        try:
            with transaction.atomic():
                reviews = self._insert(writes)
        except (IntegrityError, DataError):
            pass
        else:
            self._done(writes, reviews)
            return
        for write in writes:
            for attempt in range(2):
                try:
                    with transaction.atomic():
                        reviews = self._insert([write])
                except (IntegrityError, DataError) as error:
                    if constraint_name(error) == "cases_child_reference_key" and attempt == 0:
                        self._reference = None  # taken meanwhile: number again from the table
                        write.child.reference = ""
                        continue
                    self._reject(write.data.line, write.data.label, [self._reason(write, error)])
                else:
                    self._done([write], reviews)
                break

    def _insert(self, writes: list[PersonWrite]) -> hooks.ReviewsImported:
        placeholders = {
            key: self.pending[key] for w in writes for key in w.placeholders if key in self.pending
        }
        Establishment.objects.bulk_create(placeholders.values(), batch_size=INSERT_BATCH)
        for write in writes:
            if write.child_created and not write.child.reference:
                write.child.reference = self._next_reference()
        for model in INSERT_ORDER:
            rows = [obj for w in writes for obj in w.creates.get(model, ())]
            if rows:
                model._default_manager.bulk_create(rows, batch_size=INSERT_BATCH)
        for model in INSERT_ORDER:
            changed = [entry for w in writes for entry in w.updates.get(model, {}).values()]
            if changed:
                names = sorted(set().union(*(fields for _, fields in changed)))
                if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                    for obj, _ in changed:
                        obj.updated_at = self.now  # type: ignore[attr-defined]
                    names.append("updated_at")
                if issubclass(model, Versioned):  # a form opened before the import is stale
                    for obj, _ in changed:
                        obj.version += 1  # type: ignore[attr-defined]
                    names.append("version")
                model._default_manager.bulk_update(
                    [obj for obj, _ in changed], names, batch_size=INSERT_BATCH
                )
        reviews = hooks.write_reviews([r for w in writes for r in w.reviews])
        self._audit(writes, reviews)
        return reviews

    def _next_reference(self) -> str:
        prefix = reference_prefix()
        if self._reference is None:
            self._reference = int(next_reference()[len(prefix) :]) - 1
        self._reference += 1
        return f"{prefix}{self._reference:0{REFERENCE_DIGITS}d}"

    def _audit(self, writes: list[PersonWrite], reviews: hooks.ReviewsImported) -> None:
        """One audit row and one timeline row per person whose records changed."""
        events, entries = [], []
        for write in writes:
            if not (write.changed or write.child.pk in reviews.children):
                continue
            counts = {
                "created": {n: t.created for n, t in write.tallies.items() if t.created},
                "updated": {n: t.updated for n, t in write.tallies.items() if t.updated},
            }
            child = write.child
            events.append(
                AuditEvent(
                    actor=self.user,
                    actor_name=self.actor_name,
                    action=AUDIT_CREATED if write.child_created else AUDIT_UPDATED,
                    object_type=child._meta.label_lower,
                    object_id=str(child.pk),
                    child_id=child.pk,
                    changes={
                        "file": self.report.file_name,
                        "year": self.header.year,
                        "line": write.data.line,
                        **counts,
                    },
                    request_id=self.request_id,
                )
            )
            entries.append(
                TimelineEntry(
                    child_id=child.pk,
                    event=TIMELINE_EVENT,
                    title=TIMELINE_TITLE.format(year=self.header.year),
                    detail=f"{self.report.file_name}, line {write.data.line}",
                    occurred_on=self.today,
                    recorded_by=self.user,
                    recorded_by_name=self.actor_name,
                )
            )
        AuditEvent.objects.bulk_create(events, batch_size=INSERT_BATCH)
        TimelineEntry.objects.bulk_create(entries, batch_size=INSERT_BATCH)

    def _done(self, writes: list[PersonWrite], reviews: hooks.ReviewsImported) -> None:
        """Count what was saved (only now: a refused batch is written again)."""
        report = self.report
        for write in writes:
            for key in sorted(write.placeholders):
                placeholder = self.pending.pop(key, None)
                if placeholder is not None:
                    self.establishments[key] = placeholder
                    line = self.pending_lines[key]
                    report.placeholders.append(f"{key[0].upper()} {key[1]} (line {line})")
            person = report.tallies["persons"]
            changed = write.changed or write.child.pk in reviews.children
            if write.child_created:
                person.created += 1
            elif changed:
                person.updated += 1
            else:
                person.matched += 1
            for name, tally in write.tallies.items():
                report.tallies[name].add(tally)
            if changed:
                self.touched.append(write.child.pk)
        report.tallies["annual reviews"].add(
            Tally(created=reviews.created, matched=reviews.matched, updated=reviews.updated)
        )

    def _reason(self, write: PersonWrite, error: Exception) -> str:
        name = constraint_name(error)
        if not name:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
            return f"line {write.data.line}: {first}"
        reason = msg.CONSTRAINT_REASONS.get(name, msg.BROKEN_RULE.format(rule=name))
        return f"line {self._culprit_line(write, name)}: {reason}"

    def _culprit_line(self, write: PersonWrite, name: str) -> int:
        """The line of the row that breaks the check `name` (the person's line if not found)."""
        if name.startswith("review_") and write.reviews:
            return write.reviews[0].line
        for obj in write.rows():
            for constraint in obj._meta.constraints:
                if constraint.name != name or not isinstance(constraint, models.CheckConstraint):
                    continue
                try:
                    constraint.validate(type(obj), obj)  # type: ignore[attr-defined]
                except ValidationError:
                    return write.lines.get(id(obj), write.data.line)
        return write.data.line
