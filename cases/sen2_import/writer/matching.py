"""Matching a file's persons to the children already recorded; loading the settings they name."""

import uuid
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower, Trim

from cases.codes import EstablishmentKind
from cases.models import (
    AssessmentRequest,
    Child,
    Establishment,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
)
from cases.sen2_import import messages as msg
from cases.sen2_import.records import PersonData, name_key
from cases.sen2_import.writer.rows import PLACEHOLDER_NAME, Existing, Refused
from cases.sen2_import.writer.state import ImportState


class Matching(ImportState):
    """Finds each person's child and settings already recorded."""

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

    def _match_all(self, people: list[PersonData]) -> dict[int, Child | Refused | None]:
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
        found: dict[int, Child | Refused | None] = {}
        for person in people:
            match: Child | Refused | None = by_upn.get(person.upn) if person.upn else None
            if match is None:
                same = [
                    c
                    for c in by_name.get(person.name_key, [])
                    if not person.upn or not c.upn or c.upn.upper() == person.upn
                ]
                if len(same) > 1:
                    references = ", ".join(sorted(c.reference for c in same))
                    match = Refused(
                        msg.AMBIGUOUS_MATCH.format(count=len(same), references=references)
                    )
                elif same:
                    match = same[0]
            if isinstance(match, Child):
                first = self.claimed.setdefault(match.pk, person.line)
                if first != person.line:
                    match = Refused(msg.SAME_CHILD.format(line=first, reference=match.reference))
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
