"""A Person of the file as the casework columns it stands for, before anything is matched.

The file is history and is kept as it gives it: no live screen's rule applies (a request
received on a Saturday or a plan of 2012 is what happened). Where the casework tables need a
date the file does not give, it is inferred by one rule and marked as inferred in the record's
`sen2_history`, so a later file that gives the real date replaces it:

- a step the file reports without its date (a withdrawal, a transfer out, a decision to issue
  with no final plan yet) happened by the census day: it is dated the last day of the year the
  file reports, or the step before it if that is later;
- a final plan issued from a request: the decision to issue and the draft are dated 15 days
  before it (the family's 15 days on the draft), or the decision to assess if that is later; a
  historical request (H) is taken to have been decided that day too;
- a historical plan (H): first issued on its StartDate, or, when that falls in the year
  reported (an amended plan), on the last day before that year; the StartDate is then a version.

The database's CHECK constraints still apply to the result: the writer reports a record that
breaks one, with the reason.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cases.codes import RequestSource
from cases.models import (
    DRAFT_WINDOW,
    AssessmentDecision,
    AssessmentRequest,
    Child,
    IssueDecision,
    NamedSetting,
    Placement,
    RequestStatus,
)
from cases.sen2_import import messages as msg
from cases.sen2_import.reader import Node, Problem
from send_cms.sen2 import Layout

#: SEN2 RequestSource 1-5 as the casework's codes.
SOURCE_FOR_CODE = {str(s.sen2_code): s.value for s in RequestSource}
REQUEST_FLAGS = ("RequestMediation", "RequestTribunal")
ASSESSMENT_FLAGS = (
    "AssessmentMediation",
    "AssessmentTribunal",
    "OtherMediation",
    "OtherTribunal",
    "Week20",
)
#: Text items and the column that holds them: longer text is refused with the reason, not cut.
_LENGTHS = {
    ("Person", "Surname"): Child._meta.get_field("last_name"),
    ("Person", "Forename"): Child._meta.get_field("first_name"),
    ("Person", "PostCode"): Child._meta.get_field("postcode"),
    ("PlanDetail", "SENsettingOther"): NamedSetting._meta.get_field("sen_setting_other"),
    ("PlacementDetail", "SENsettingOther"): Placement._meta.get_field("sen_setting_other"),
}


@dataclass
class SettingData:
    """A PlanDetail (a setting named in section I) or a PlacementDetail (where the child is)."""

    line: int
    rank: int
    urn: str = ""
    ukprn: str = ""
    sen_setting: str = ""
    sen_setting_other: str = ""
    sen_unit: bool = False
    resourced_provision: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    residential: str = ""
    work_based: str = ""

    @property
    def establishment_key(self) -> tuple[str, str] | None:
        if self.urn:
            return ("urn", self.urn)
        if self.ukprn:
            return ("ukprn", self.ukprn)
        return None


@dataclass
class ReviewData:
    line: int
    meeting_on: dt.date | None
    decision_issued_on: dt.date | None
    outcome: str
    draft_on: dt.date | None


@dataclass
class PlanData:
    line: int
    start_on: dt.date
    fields: dict[str, Any]  # Plan columns
    inferred: set[str]
    version_dates: list[dt.date]  # the first is the first issue, then each amended plan
    named: list[SettingData]
    placements: list[SettingData]
    review: ReviewData | None
    ceased: bool


@dataclass
class RequestData:
    """One Requests module: the request's columns, or none for a plan that came from no request
    of ours (a historical or transferred-in plan without a ReceivedDate)."""

    line: int
    fields: dict[str, Any]
    inferred: set[str]
    flags: dict[str, int]
    plan: PlanData | None

    @property
    def received_on(self) -> dt.date | None:
        value: dt.date | None = self.fields.get("received_on")
        return value


@dataclass
class PersonData:
    line: int
    label: str
    child: dict[str, Any]
    requests: list[RequestData] = field(default_factory=list)

    @property
    def upn(self) -> str:
        return str(self.child["upn"])

    @property
    def name_key(self) -> tuple[str, str, dt.date]:
        return name_key(
            self.child["first_name"], self.child["last_name"], self.child["date_of_birth"]
        )


def name_key(first_name: str, last_name: str, date_of_birth: dt.date) -> tuple[str, str, dt.date]:
    """How a person is matched without a UPN: the names in any case and spacing, and the birth
    date."""
    return (
        " ".join(last_name.split()).casefold(),
        " ".join(first_name.split()).casefold(),
        date_of_birth,
    )


def _later(*days: dt.date | None) -> dt.date:
    return max(d for d in days if d is not None)


class _Reading:
    """One person's modules read into columns, with the problems found on the way."""

    def __init__(self, layout: Layout, problems: list[Problem]) -> None:
        self.layout = layout
        self.problems = problems
        self.year_end = dt.date(layout.year - 1, 12, 31)
        self.before_year = layout.activity_start - dt.timedelta(days=1)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def text(self, node: Node, tag: str) -> str:
        value = node.get(tag)
        text = "" if value is None else str(value).strip()
        column = _LENGTHS.get((node.tag, tag))
        if column is not None and column.max_length and len(text) > column.max_length:
            self.problem(node.line_of(tag), msg.TOO_LONG.format(tag=tag, length=column.max_length))
        return text

    def person(self, node: Node) -> PersonData:
        upn = self.text(node, "UPN").upper()
        child = {
            "first_name": self.text(node, "Forename"),
            "last_name": self.text(node, "Surname"),
            "date_of_birth": node.get("PersonBirthDate"),
            "sex": self.text(node, "Sex"),
            "ethnicity": self.text(node, "Ethnicity"),
            "postcode": self.text(node, "PostCode").upper(),
            "upn": upn,
            "uln": self.text(node, "UniqueLearnerNumber"),
            "upn_unknown": "" if upn else self.text(node, "UPNunknown"),
        }
        label = ", ".join(p for p in (child["last_name"], child["first_name"]) if p)
        person = PersonData(line=node.line, label=label, child=child)
        for requests in node.all("Requests"):
            request = self.request(requests)
            if request is not None:
                person.requests.append(request)
        return person

    def request(self, node: Node) -> RequestData | None:
        outcome = node.get("RequestOutcome")
        received = node.get("ReceivedDate")
        assessment = node.first("Assessment")
        named = assessment.first("NamedPlan") if assessment is not None else None
        active = node.first("ActivePlans")
        if active is not None and named is None:
            self.problem(active.line, msg.ACTIVE_WITHOUT_PLAN)
            return None
        if outcome == "H" and named is None:
            self.problem(node.line, msg.HISTORICAL_WITHOUT_PLAN)
            return None
        if received is None and outcome != "H":
            self.problem(node.line, msg.MISSING.format(module="Requests", tag="ReceivedDate"))
            return None
        flags = {tag: 1 for tag in REQUEST_FLAGS if node.get(tag)}
        if assessment is not None:
            flags.update({tag: 1 for tag in ASSESSMENT_FLAGS if assessment.get(tag)})
        a_outcome = assessment.get("AssessmentOutcome") if assessment is not None else None
        a_date = assessment.get("AssessmentOutcomeDate") if assessment is not None else None
        historical = outcome == "H" or a_outcome == "H"
        plan = None
        if named is not None:
            plan = self.plan(named, active, issued_on=None if historical else a_date)
        if received is None:  # a plan on its own (rule: only under H)
            return RequestData(node.line, {}, set(), flags, plan)

        fields: dict[str, Any] = {
            "received_on": received,
            "source": SOURCE_FOR_CODE.get(str(node.get("RequestSource") or ""), ""),
            "relevant_youth_accommodation": bool(node.get("RYA")),
        }
        inferred: set[str] = set()

        def infer(name: str, day: dt.date) -> None:
            fields[name] = day
            inferred.add(name)

        if outcome in ("Y", "N"):
            assessed = outcome == "Y"
            fields["decision"] = (
                AssessmentDecision.ASSESS if assessed else AssessmentDecision.NOT_ASSESS
            )
            fields["decided_on"] = node.get("RequestOutcomeDate")
        elif outcome == "W":
            infer("withdrawn_on", _later(received, self.year_end))
        elif outcome == "H":
            fields["decision"] = AssessmentDecision.ASSESS
        decided = fields.get("decided_on")

        if a_outcome == "N":
            fields["issue_decision"] = IssueDecision.NOT_ISSUE
            fields["issue_decided_on"] = a_date
        elif a_outcome == "W":
            infer("withdrawn_on", _later(decided, received, self.year_end))
        elif a_outcome == "Y" and a_date is None:
            fields["issue_decision"] = IssueDecision.ISSUE
            infer("issue_decided_on", _later(decided, received, self.year_end))
        elif a_outcome in ("Y", "H"):
            final = a_date if a_outcome == "Y" else plan.fields["issued_on"] if plan else None
            if final is not None:
                fields["issue_decision"] = IssueDecision.ISSUE
                fields["final_issued_on"] = final
                if a_outcome == "H":
                    inferred.add("final_issued_on")
                before_final = _later(decided, received, final - DRAFT_WINDOW)
                infer("issue_decided_on", before_final)
                infer("draft_issued_on", before_final)
                if outcome == "H":
                    infer("decided_on", before_final)
        exported = node.get("Exported")
        if exported:
            fields["transferred_to_la"] = str(exported)
            known = [v for v in fields.values() if isinstance(v, dt.date)]
            infer("transferred_out_on", _later(*known, self.year_end))
        return RequestData(node.line, fields, inferred, flags, plan)

    def plan(self, named: Node, active: Node | None, *, issued_on: dt.date | None) -> PlanData:
        start: dt.date = named.get("StartDate")
        inferred: set[str] = set()
        if issued_on is None:  # historical: the first issue is not in the file
            issued_on = start if start < self.layout.activity_start else self.before_year
            inferred.add("issued_on")
        versions = {issued_on}
        if start is not None and start > issued_on:
            versions.add(start)
        cease_reason = named.get("CeaseReason")
        fields: dict[str, Any] = {
            "issued_on": issued_on,
            "personal_budget": bool(named.get("PB")),
            # OA is a flag; the column names the services ("E", "S"...), which the file does
            # not give: the flag is kept as the file says it.
            "organised_arrangements": "1" if named.get("OA") else "",
            "direct_payments": self.text(named, "DP"),
            "residential": self.text(named, "PlanRes"),
            "work_based": self.text(named, "PlanWBP"),
            "ceased_on": named.get("CeaseDate"),
            "cease_reason": int(cease_reason) if cease_reason else None,
        }
        plan = PlanData(
            line=named.line,
            start_on=start,
            fields=fields,
            inferred=inferred,
            version_dates=[],
            named=[self.setting(d) for d in named.all("PlanDetail")],
            placements=[],
            review=None,
            ceased=named.get("CeaseDate") is not None or cease_reason is not None,
        )
        if active is not None:
            fields["transferred_in_from_la"] = self.text(active, "TransferLA")
            fields.update(self.needs(active))
            plan.placements = [self.setting(p) for p in active.all("PlacementDetail")]
            final_on = active.get("PhaseTransferFinalDate")
            if final_on is not None and final_on > issued_on:
                versions.add(final_on)
            plan.review = self.review(active)
            if plan.review is not None and plan.review.outcome == "C":
                fields["cease_proposed_on"] = plan.review.decision_issued_on
        plan.version_dates = sorted(versions)
        return plan

    def needs(self, active: Node) -> dict[str, str]:
        found: dict[str, str] = {}
        for need in active.all("SENneed"):
            column = "primary_need" if need.get("SENtypeRank") == "1" else "secondary_need"
            if column in found:
                self.problem(need.line, msg.NEED_RANK_TWICE.format(rank=need.get("SENtypeRank")))
            found[column] = self.text(need, "SENtype")
        return found

    def setting(self, node: Node) -> SettingData:
        urn, ukprn = self.text(node, "URN"), self.text(node, "UKPRN")
        sen_setting = self.text(node, "SENsetting")
        if sum(bool(v) for v in (urn, ukprn, sen_setting)) > 1:
            self.problem(node.line, msg.SETTING_AMBIGUOUS.format(module=node.tag))
        return SettingData(
            line=node.line,
            rank=int(node.get("PlacementRank") or 1),
            urn=urn,
            ukprn=ukprn,
            sen_setting=sen_setting,
            sen_setting_other=self.text(node, "SENsettingOther"),
            sen_unit=bool(node.get("SENunitIndicator")),
            resourced_provision=bool(node.get("ResourcedProvisionIndicator")),
            starts_on=node.get("EntryDate"),
            ends_on=node.get("LeavingDate"),
            residential=self.text(node, "Res"),
            work_based=self.text(node, "WBP"),
        )

    def review(self, active: Node) -> ReviewData | None:
        tags = ("ReviewMeeting", "LastReview", "ReviewOutcome", "ReviewDraft")
        if all(active.get(tag) is None for tag in tags):
            return None
        return ReviewData(
            line=active.line_of("ReviewMeeting"),
            meeting_on=active.get("ReviewMeeting"),
            decision_issued_on=active.get("LastReview"),
            outcome=self.text(active, "ReviewOutcome"),
            draft_on=active.get("ReviewDraft"),
        )


def person_data(node: Node, layout: Layout, problems: list[Problem]) -> PersonData:
    """The person's columns; problems (each with its line) are added to `problems`."""
    return _Reading(layout, problems).person(node)


def request_status(request: AssessmentRequest) -> str:
    """The request's status from its dates: the furthest step it has reached."""
    S = RequestStatus  # noqa: N806 - short, as in cases.workflow
    if request.transferred_out_on is not None:
        return S.TRANSFERRED_OUT
    if request.withdrawn_on is not None:
        return S.WITHDRAWN
    if request.final_issued_on is not None:
        return S.FINAL_ISSUED
    if request.issue_decision == IssueDecision.NOT_ISSUE:
        return S.NOT_ISSUING
    if request.draft_issued_on is not None:
        return S.DRAFT_ISSUED
    if request.issue_decision == IssueDecision.ISSUE:
        return S.ISSUING
    if request.decision == AssessmentDecision.NOT_ASSESS:
        return S.NOT_ASSESSING
    if request.decision == AssessmentDecision.ASSESS:
        return S.ASSESSING
    return S.RECEIVED
