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

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from cases.codes import Channel, EstablishmentKind, Ethnicity
from cases.models import (
    AssessmentRequest,
    Child,
    Establishment,
    NamedSetting,
    Placement,
    Plan,
    PlanStatus,
    PlanVersion,
    TimelineEntry,
)
from cases.references import REFERENCE_DIGITS, next_reference, reference_prefix
from cases.sen2_import import hooks
from cases.sen2_import import messages as msg
from cases.sen2_import.reader import Header, Node, ParsedPerson
from cases.sen2_import.records import (
    PersonData,
    PlanData,
    RequestData,
    SettingData,
    name_key,
    person_data,
    request_status,
)
from cases.sen2_import.report import RECORDS, Rejection, Sen2ImportReport, Tally
from cases.services.common import actor_name, actor_user
from cases.services.requests import received_at_for_date
from send_cms.audit.middleware import current_request_id
from send_cms.audit.models import AuditEvent
from send_cms.common.versioning import Versioned

BATCH_SIZE = 500
INSERT_BATCH = 1000
#: Tables in the order their rows can be inserted (each refers only to those before it).
INSERT_ORDER: tuple[type[models.Model], ...] = (
    Child,
    AssessmentRequest,
    Plan,
    PlanVersion,
    NamedSetting,
    Placement,
)
PLACEHOLDER_NAME = "Setting not on the register: {reference} (named in a SEN2 file)"
VERSION_CHANGES = "Issued on this date, as an imported SEN2 file says."
TIMELINE_EVENT = "sen2.imported"
TIMELINE_TITLE = "Records imported from a SEN2 {year} file"
AUDIT_CREATED = "child.sen2_imported"
AUDIT_UPDATED = "child.sen2_updated"
Key = tuple[str, str, Any]


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


def _history(obj: models.Model) -> dict[str, Any] | None:
    history = getattr(obj, "sen2_history", None)
    return dict(history) if isinstance(history, dict) else None


def merge(
    obj: models.Model,
    wanted: dict[str, Any],
    inferred: set[str],
    flags: dict[str, int] | None = None,
) -> set[str]:
    """Fill in what `obj` lacks from the file, and replace dates an earlier import inferred with
    the ones the file gives; never overwrite a value the record holds. Returns what changed."""
    history = _history(obj)
    held = set(history.get("inferred", ())) if history is not None else set()
    changed: set[str] = set()
    for name, value in wanted.items():
        if _empty(value):
            continue
        current = getattr(obj, name)
        real = name not in inferred
        if current == value:
            if real:
                held.discard(name)
            continue
        if _empty(current) or (real and name in held):
            setattr(obj, name, value)
            changed.add(name)
            if real:
                held.discard(name)
            else:
                held.add(name)
    if history is not None:
        updated = _history_value(history.get("flags", {}) | (flags or {}), held)
        if updated != history:
            obj.sen2_history = updated  # type: ignore[attr-defined]
            changed.add("sen2_history")
    return changed


def _history_value(flags: dict[str, int], inferred: Iterable[str]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    if flags:
        value["flags"] = dict(sorted(flags.items()))
    if inferred:
        value["inferred"] = sorted(inferred)
    return value


@dataclass
class PersonWrite:
    """One person's rows: what to insert, what to update, and what each counts as."""

    data: PersonData
    child: Child
    child_created: bool = False
    creates: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )
    updates: dict[type[models.Model], dict[Any, tuple[models.Model, set[str]]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    tallies: dict[str, Tally] = field(default_factory=lambda: {n: Tally() for n in RECORDS})
    reviews: list[hooks.ImportedReview] = field(default_factory=list)
    placeholders: set[tuple[str, str]] = field(default_factory=set)
    lines: dict[int, int] = field(default_factory=dict)  # id(row): the line it came from

    def create(self, obj: models.Model, line: int, record: str) -> None:
        self.creates[type(obj)].append(obj)
        self.lines[id(obj)] = line
        if record:
            self.tallies[record].created += 1

    def update(self, obj: models.Model, fields: set[str], line: int, record: str) -> None:
        if not fields:
            if record:
                self.tallies[record].matched += 1
            return
        _, held = self.updates[type(obj)].setdefault(obj.pk, (obj, set()))
        held.update(fields)
        self.lines.setdefault(id(obj), line)
        if record:
            self.tallies[record].updated += 1

    @property
    def changed(self) -> bool:
        return any(self.creates.values()) or any(self.updates.values())

    def rows(self) -> Iterator[models.Model]:
        for objs in self.creates.values():
            yield from objs
        for group in self.updates.values():
            for obj, _ in group.values():
                yield obj


@dataclass
class Existing:
    """What is already recorded about one batch's children, grouped for matching."""

    requests: dict[Any, list[AssessmentRequest]] = field(default_factory=lambda: defaultdict(list))
    plans: dict[Any, list[Plan]] = field(default_factory=lambda: defaultdict(list))
    plan_by_request: dict[Any, Plan] = field(default_factory=dict)
    versions: dict[Any, list[PlanVersion]] = field(default_factory=lambda: defaultdict(list))
    named: dict[Any, list[NamedSetting]] = field(default_factory=lambda: defaultdict(list))
    placements: dict[Any, list[Placement]] = field(default_factory=lambda: defaultdict(list))


def _constraint_name(error: Exception) -> str:
    diag = getattr(error.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    found = re.search(r"CHECK constraint failed: (\w+)", str(error))
    return found.group(1) if found else ""


def _label(node: Node) -> str:
    return ", ".join(str(node.get(t)) for t in ("Surname", "Forename") if node.get(t))


class Importer:
    """Imports one file's persons into the current transaction (the caller owns it)."""

    def __init__(self, *, actor: Any, header: Header, report: Sen2ImportReport) -> None:
        self.header = header
        self.layout = header.layout
        self.report = report
        self.user = actor_user(actor)
        self.actor_name = actor_name(actor)
        self.request_id = current_request_id() or ""
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.seen_upns: dict[str, int] = {}
        self.seen_names: dict[tuple[str, str, Any], int] = {}
        self.claimed: dict[Any, int] = {}  # child id: the line of the person matched to it
        self.establishments: dict[tuple[str, str], Establishment] = {}
        self.pending: dict[tuple[str, str], Establishment] = {}  # placeholders not yet saved
        self.pending_lines: dict[tuple[str, str], int] = {}
        self.touched: list[Any] = []  # children whose records changed: their deadlines
        self._reference: int | None = None

    # --- the run -------------------------------------------------------------------------------
    def run(self, persons: Iterable[ParsedPerson]) -> None:
        found = iter(persons)
        while batch := list(islice(found, BATCH_SIZE)):
            self._batch(batch)

    def _reject(self, line: int, person: str, reasons: Iterable[str]) -> None:
        self.report.rejections.append(Rejection(line=line, person=person, reasons=tuple(reasons)))

    def _batch(self, batch: list[ParsedPerson]) -> None:
        people: list[PersonData] = []
        for parsed in batch:
            problems = list(parsed.problems)
            data = person_data(parsed.node, self.layout, problems) if not problems else None
            if data is None or problems:
                self._reject(parsed.line, _label(parsed.node), map(str, problems))
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
                if isinstance(child, _Refused):
                    raise child
                writes.append(self._person(data, child, existing))
            except _Refused as refused:
                self._reject(data.line, data.label, [f"line {data.line}: {refused.reason}"])
        self._write(writes)
        self.report.rejections.sort(key=lambda rejection: rejection.line)

    def _duplicate(self, data: PersonData) -> str:
        """A second person in the file who is the first one again."""
        if data.upn:
            first = self.seen_upns.setdefault(data.upn, data.line)
            if first != data.line:
                return msg.DUPLICATE_UPN.format(upn=data.upn, line=first)
            return ""
        first = self.seen_names.setdefault(data.name_key, data.line)
        if first != data.line:
            return msg.DUPLICATE_PERSON.format(line=first)
        return ""

    # --- matching ------------------------------------------------------------------------------
    def _match_all(self, people: list[PersonData]) -> dict[int, Child | _Refused | None]:
        """Each person's child already recorded: by UPN, else by name and date of birth (only a
        child with no UPN, or the same one). None for a new child."""
        upns = {p.upn for p in people if p.upn}
        births = {p.child["date_of_birth"] for p in people}
        # The surname narrows the birthdays in the database (a council has dozens of children
        # born on each day); the exact match, in any case and spacing, is `name_key`.
        surnames = {" ".join(p.child["last_name"].split()).lower() for p in people}
        same_name = Q(date_of_birth__in=births, surname__in=surnames)
        by_upn: dict[str, Child] = {}
        by_name: dict[tuple[str, str, Any], list[Child]] = defaultdict(list)
        candidates = Child.objects.alias(surname=Lower(Trim("last_name")))
        for child in candidates.filter(Q(upn__in=upns) | same_name):
            if child.upn:
                by_upn[child.upn.upper()] = child
            by_name[name_key(child.first_name, child.last_name, child.date_of_birth)].append(child)
        found: dict[int, Child | _Refused | None] = {}
        for person in people:
            match: Child | _Refused | None = by_upn.get(person.upn) if person.upn else None
            if match is None:
                same = [
                    c
                    for c in by_name.get(person.name_key, [])
                    if not person.upn or not c.upn or c.upn.upper() == person.upn
                ]
                if len(same) > 1:
                    references = ", ".join(sorted(c.reference for c in same))
                    match = _Refused(
                        msg.AMBIGUOUS_MATCH.format(count=len(same), references=references)
                    )
                elif same:
                    match = same[0]
            if isinstance(match, Child):
                first = self.claimed.setdefault(match.pk, person.line)
                if first != person.line:
                    match = _Refused(msg.SAME_CHILD.format(line=first, reference=match.reference))
            found[person.line] = match
        return found

    def _existing(self, child_ids: list[Any]) -> Existing:
        """Everything already recorded below these children, in one query per table."""
        existing = Existing()
        if not child_ids:
            return existing
        for request in AssessmentRequest.objects.filter(child_id__in=child_ids):
            existing.requests[request.child_id].append(request)
        plans = list(Plan.objects.filter(child_id__in=child_ids))
        for plan in plans:
            existing.plans[plan.child_id].append(plan)
            if plan.request_id is not None:
                existing.plan_by_request[plan.request_id] = plan
        plan_ids = [plan.pk for plan in plans]
        for version in PlanVersion.objects.filter(plan_id__in=plan_ids):
            existing.versions[version.plan_id].append(version)
        for setting in NamedSetting.objects.filter(plan_id__in=plan_ids):
            existing.named[setting.plan_id].append(setting)
        for placement in Placement.objects.filter(plan_id__in=plan_ids):
            existing.placements[placement.plan_id].append(placement)
        return existing

    def _load_establishments(self, people: list[PersonData]) -> None:
        """The settings the batch names: from the register, or a placeholder to add."""
        keys: dict[tuple[str, str], int] = {}
        for person in people:
            for request in person.requests:
                if request.plan is None:
                    continue
                for setting in (*request.plan.named, *request.plan.placements):
                    key = setting.establishment_key
                    if key and key not in self.establishments and key not in self.pending:
                        keys.setdefault(key, setting.line)
        if not keys:
            return
        urns = [value for kind, value in keys if kind == "urn"]
        ukprns = [value for kind, value in keys if kind == "ukprn"]
        for establishment in Establishment.objects.filter(Q(urn__in=urns) | Q(ukprn__in=ukprns)):
            if establishment.urn:
                self.establishments[("urn", establishment.urn)] = establishment
            if establishment.ukprn:
                self.establishments[("ukprn", establishment.ukprn)] = establishment
        for key, line in keys.items():
            if key not in self.establishments:
                kind, value = key
                reference = f"{kind.upper()} {value}"
                self.pending[key] = Establishment(
                    id=uuid.uuid4(),
                    name=PLACEHOLDER_NAME.format(reference=reference),
                    kind=EstablishmentKind.OTHER,
                    **{kind: value},
                )
                self.pending_lines[key] = line

    # --- one person's rows ---------------------------------------------------------------------
    def _person(self, data: PersonData, child: Child | None, existing: Existing) -> PersonWrite:
        if child is None:
            child = Child(id=uuid.uuid4(), reference="", **data.child)
            write = PersonWrite(data=data, child=child, child_created=True)
            write.create(child, data.line, "")
        else:
            write = PersonWrite(data=data, child=child)
            write.update(child, self._merge_child(child, data.child), data.line, "")
        requests = existing.requests[child.pk]
        plans = existing.plans[child.pk]
        for item in data.requests:
            request = None
            if item.received_on is not None:
                request = self._request(write, item, requests)
            if item.plan is not None:
                self._plan(write, item.plan, request, plans, existing)
        return write

    @staticmethod
    def _merge_child(child: Child, values: dict[str, Any]) -> set[str]:
        wanted = dict(values)
        if child.upn:
            wanted.pop("upn_unknown")
        changed = set()
        ethnicity = wanted.pop("ethnicity")
        if child.ethnicity in ("", Ethnicity.NOBT) and ethnicity not in ("", child.ethnicity):
            child.ethnicity = ethnicity  # "not yet obtained" is no answer: the file's is
            changed.add("ethnicity")
        changed |= merge(child, wanted, set())
        if "upn" in changed and child.upn_unknown:
            child.upn_unknown = ""
            changed.add("upn_unknown")
        return changed

    def _request(
        self, write: PersonWrite, item: RequestData, requests: list[AssessmentRequest]
    ) -> AssessmentRequest:
        match = next((r for r in requests if r.received_on == item.received_on), None)
        if match is None:
            request = AssessmentRequest(
                id=uuid.uuid4(),
                child_id=write.child.pk,
                received_at=received_at_for_date(item.fields["received_on"], Channel.EMAIL),
                channel=Channel.EMAIL,
                sen2_history=_history_value(item.flags, item.inferred),
                **item.fields,
            )
            request.status = request_status(request)
            write.create(request, item.line, "requests")
            requests.append(request)
            return request
        changed = merge(match, item.fields, item.inferred, item.flags)
        status = request_status(match)
        if status != match.status:
            match.status = status
            changed.add("status")
        write.update(match, changed, item.line, "requests")
        return match

    def _plan(
        self,
        write: PersonWrite,
        item: PlanData,
        request: AssessmentRequest | None,
        plans: list[Plan],
        existing: Existing,
    ) -> None:
        if request is not None:
            plan = existing.plan_by_request.get(request.pk)
        else:
            plan = self._plan_on_its_own(item, plans, existing)
        if plan is None:
            plan = Plan(
                id=uuid.uuid4(),
                child_id=write.child.pk,
                request_id=request.pk if request is not None else None,
                sen2_history=_history_value({}, item.inferred),
                **item.fields,
            )
            plan.status = self._plan_status(plan)
            write.create(plan, item.line, "plans")
            plans.append(plan)
            if request is not None:
                existing.plan_by_request[request.pk] = plan
        else:
            issued_before = plan.issued_on
            changed = merge(plan, item.fields, item.inferred)
            status = self._plan_status(plan)
            if status != plan.status:
                plan.status = status
                changed.add("status")
            write.update(plan, changed, item.line, "plans")
            if "issued_on" in changed:
                for version in existing.versions[plan.pk]:
                    if version.number == 1 and version.issued_on == issued_before:
                        version.issued_on = plan.issued_on
                        write.update(version, {"issued_on"}, item.line, "")
        self._versions(write, item, plan, existing)
        self._named_settings(write, item, plan, existing)
        self._placements(write, item, plan, existing)
        if item.review is not None:
            review = item.review
            write.reviews.append(
                hooks.ImportedReview(
                    child_id=write.child.pk,
                    plan_id=plan.pk,
                    plan_issued_on=plan.issued_on,
                    plan_start_on=max(item.start_on, plan.issued_on),
                    plan_active=plan.status == PlanStatus.ACTIVE,
                    meeting_on=review.meeting_on,
                    decision_issued_on=review.decision_issued_on,
                    outcome=review.outcome,
                    draft_on=review.draft_on,
                    line=review.line,
                )
            )

    @staticmethod
    def _plan_status(plan: Plan) -> str:
        ended = plan.ceased_on is not None or plan.cease_reason is not None
        return PlanStatus.CEASED if ended else PlanStatus.ACTIVE

    @staticmethod
    def _plan_on_its_own(item: PlanData, plans: list[Plan], existing: Existing) -> Plan | None:
        """The recorded plan a plan with no request of ours is: one issued on its dates, else
        the one ceased on its cease date, else the plan in force (a child has one)."""
        for plan in plans:
            dates = {v.issued_on for v in existing.versions[plan.pk]} | {plan.issued_on}
            if item.start_on in dates or item.fields["issued_on"] in dates:
                return plan
        if item.ceased:
            ceased_on = item.fields["ceased_on"]
            return next((p for p in plans if ceased_on and p.ceased_on == ceased_on), None)
        return next((p for p in plans if p.status == PlanStatus.ACTIVE), None)

    def _versions(self, write: PersonWrite, item: PlanData, plan: Plan, existing: Existing) -> None:
        versions = existing.versions[plan.pk]
        held = {v.issued_on for v in versions}
        number = max((v.number for v in versions), default=0)
        for day in item.version_dates:
            if day in held:
                write.tallies["plan versions"].matched += 1
                continue
            if day < plan.issued_on:
                continue  # the record's own first issue stands
            number += 1
            version = PlanVersion(
                id=uuid.uuid4(),
                plan_id=plan.pk,
                number=number,
                kind=PlanVersion.Kind.FINAL if number == 1 else PlanVersion.Kind.AMENDED,
                issued_on=day,
                changes=VERSION_CHANGES,
            )
            write.create(version, item.line, "plan versions")
            versions.append(version)
            held.add(day)

    def _establishment(self, write: PersonWrite, setting: SettingData) -> Establishment | None:
        key = setting.establishment_key
        if key is None:
            return None
        if key in self.establishments:
            return self.establishments[key]
        write.placeholders.add(key)
        return self.pending[key]

    def _named_settings(
        self, write: PersonWrite, item: PlanData, plan: Plan, existing: Existing
    ) -> None:
        recorded = {s.rank: s for s in existing.named[plan.pk]}
        for setting in item.named:
            if setting.rank in recorded:
                write.tallies["named settings"].matched += 1
                continue
            named = NamedSetting(
                id=uuid.uuid4(),
                plan_id=plan.pk,
                establishment=self._establishment(write, setting),
                sen_setting=setting.sen_setting,
                sen_setting_other=setting.sen_setting_other,
                rank=setting.rank,
                sen_unit=setting.sen_unit,
                resourced_provision=setting.resourced_provision,
            )
            write.create(named, setting.line, "named settings")

    def _placements(
        self, write: PersonWrite, item: PlanData, plan: Plan, existing: Existing
    ) -> None:
        recorded = list(existing.placements[plan.pk])
        for setting in item.placements:
            establishment = self._establishment(write, setting)
            key = (
                setting.rank,
                establishment.pk if establishment else None,
                setting.sen_setting,
                setting.starts_on,
            )
            match = next(
                (
                    p
                    for p in recorded
                    if (p.rank, p.establishment_id, p.sen_setting, p.starts_on) == key
                ),
                None,
            )
            values = {
                "ends_on": setting.ends_on,
                "residential": setting.residential,
                "work_based": setting.work_based,
                "sen_unit": setting.sen_unit,
                "resourced_provision": setting.resourced_provision,
                "sen_setting_other": setting.sen_setting_other,
            }
            if match is not None:
                write.update(match, merge(match, values, set()), setting.line, "placements")
                continue
            placement = Placement(
                id=uuid.uuid4(),
                plan_id=plan.pk,
                establishment=establishment,
                sen_setting=setting.sen_setting,
                rank=setting.rank,
                starts_on=setting.starts_on,
                **values,
            )
            write.create(placement, setting.line, "placements")

    # --- writing -------------------------------------------------------------------------------
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
                    if _constraint_name(error) == "cases_child_reference_key" and attempt == 0:
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
        name = _constraint_name(error)
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
