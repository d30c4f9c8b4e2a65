"""One person's rows: the child, requests, plans, versions, named settings and placements merged."""

import uuid
from typing import Any

from cases.codes import Channel, Ethnicity
from cases.models import (
    AssessmentRequest,
    Child,
    Establishment,
    NamedSetting,
    Placement,
    Plan,
    PlanStatus,
    PlanVersion,
)
from cases.sen2_import import hooks
from cases.sen2_import.records import PersonData, PlanData, RequestData, SettingData, request_status
from cases.sen2_import.writer.rows import (
    VERSION_CHANGES,
    Existing,
    PersonWrite,
    history_value,
    merge,
)
from cases.sen2_import.writer.state import ImportState
from cases.services.requests import received_at_for_date


class Building(ImportState):
    """Turns one person into the rows to insert and the rows to update."""

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
                sen2_history=history_value(item.flags, item.inferred),
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
                sen2_history=history_value({}, item.inferred),
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
