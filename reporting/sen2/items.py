"""Every SEN2 item of one person, as at the census day, from rows the selectors prefetched.

A person becomes a *node*: a dict from SEN2 tag to a Python value, or to a list of nodes for a
module (`{"Surname": "Okoro", "Requests": [{"RequestOutcome": "Y", ...}]}`). Nodes do not know
the year: the writer asks the year's layout for the order and drops what that year cannot hold,
so one builder serves every layout.

Everything is judged on dates, never on today's status: a decision dated after the census day is
"not yet decided" in that census's file, whenever the file is built (sen2.md "When").
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cases.codes import EstablishmentKind, RequestSource, SenSetting
from cases.models import AssessmentDecision, IssueDecision
from reviews.deadlines import phase_transfer_met_on
from reviews.models import AnnualReview, Decision
from reviews.phase import TransferKind
from send_cms.sen2 import layout_for
from send_cms.timescales import compute

Node = dict[str, Any]

#: A row of one table as the selectors read it: a named tuple of the columns the return needs
#: (`values_list(named=True)`), so a large return does not build a model instance per row.
Row = Any
Flags = Mapping[str, int]
NO_FLAGS: Flags = {}

#: SEN2 ReviewOutcome for each review decision.
REVIEW_OUTCOME = {Decision.MAINTAIN: "M", Decision.AMEND: "A", Decision.CEASE: "C"}
#: The SENsetting codes that carry a description in SENsettingOther (rule N05).
DESCRIBED_SETTINGS = frozenset({SenSetting.OTH.value, SenSetting.NIEO.value})
DIRECT_PAYMENT_CODES = frozenset("ESHI")
#: Phase transfers between school phases are due by 15 February, into post-16 by 31 March of
#: the transfer year (sen2.md "Items and codes"); other post-16 moves 5 months before.
PHASE_DUE_DAY = {TransferKind.SCHOOL: (2, 15), TransferKind.POST16: (3, 31)}


@dataclass(frozen=True)
class Census:
    """The return for `year`: the census day, and the calendar year of activity it reports."""

    year: int
    on: dt.date
    start: dt.date
    end: dt.date

    @classmethod
    def for_year(cls, year: int) -> "Census":
        layout = layout_for(year)
        start = layout.activity_start
        return cls(
            year=year, on=layout.reference_date, start=start, end=dt.date(start.year, 12, 31)
        )

    def by(self, day: dt.date | None) -> bool:
        """The event dated `day` had happened by the census day."""
        return day is not None and day <= self.on


@dataclass(frozen=True)
class Rows:
    """One chunk of people's rows, grouped by the child or plan they belong to."""

    requests: Mapping[Any, list[Row]]  # by child id, in order received; with `week20`
    plans: Mapping[Any, list[Row]]  # by child id
    named_settings: Mapping[Any, list[Row]]  # by plan id; establishment__urn etc.
    placements: Mapping[Any, list[Row]]  # by plan id, open in the year
    versions: Mapping[Any, list[Row]]  # by plan id
    reviews: Mapping[Any, list[Row]]  # by plan id
    #: Phase-transfer reviews as model instances, with `review.plan.versions` prefetched: the
    #: reviews app's definition of the date the amended plan was finalised reads them.
    phase_reviews: Mapping[Any, list[AnnualReview]]  # by plan id
    flags: Mapping[Any, Flags]  # by request id


def person_node(child: Row, *, census: Census, rows: Rows) -> Node:
    """The child's Person module: details, one Requests module per plan that came from no
    request of ours (transferred in), then one per request in the return."""
    plans = rows.plans.get(child.id, [])
    by_request = {plan.request_id: plan for plan in plans if plan.request_id is not None}
    requests = [
        plan_only_node(plan, census=census, rows=rows) for plan in plans if plan.request_id is None
    ]
    requests += [
        request_node(request, plan=by_request.get(request.id), census=census, rows=rows)
        for request in rows.requests.get(child.id, [])
    ]
    return {**person_details(child), "Requests": requests}


def person_details(child: Row) -> Node:
    """Module 1. One identifier: the UPN, else the ULN, else the reason there is none."""
    node: Node = {
        "Surname": child.last_name,
        "Forename": child.first_name,
        "PersonBirthDate": child.date_of_birth,
        "Sex": child.sex,
        "Ethnicity": child.ethnicity,
        "PostCode": child.postcode.strip().upper(),
    }
    if child.upn:
        node["UPN"] = child.upn.upper()
    elif child.uln:
        node["UniqueLearnerNumber"] = child.uln
    else:
        node["UPNunknown"] = child.upn_unknown
    return node


def request_outcome(request: Row, census: Census) -> tuple[str, dt.date | None]:
    """RequestOutcome and its date: Y/N with the decision date, W withdrawn before a decision,
    A not decided by the census day. A reversed N stays N."""
    if census.by(request.decided_on):
        assessed = request.decision == AssessmentDecision.ASSESS
        return ("Y" if assessed else "N"), request.decided_on
    if census.by(request.withdrawn_on):
        return "W", None
    return "A", None


def assessment_outcome(request: Row, census: Census) -> tuple[str, dt.date | None]:
    """AssessmentOutcome and its date: N with the decision date, Y with the final plan's issue
    date, W withdrawn, Y without a date when decided to issue but no final plan yet, else A."""
    issue_decided = census.by(request.issue_decided_on)
    if issue_decided and request.issue_decision == IssueDecision.NOT_ISSUE:
        return "N", request.issue_decided_on
    if census.by(request.final_issued_on):
        return "Y", request.final_issued_on
    if census.by(request.withdrawn_on):
        return "W", None
    if issue_decided:
        return "Y", None
    return "A", None


def is_historical(request: Row, census: Census) -> bool:
    """The request ended in a plan issued before the year the return reports: every step is H."""
    return request.final_issued_on is not None and request.final_issued_on < census.start


def request_node(request: Row, *, plan: Row | None, census: Census, rows: Rows) -> Node:
    """Module 2 for one request, with its assessment and, for a plan in force, its placements."""
    node: Node = {
        "ReceivedDate": request.received_on,
        "RequestSource": _source_code(request.source),
        "RYA": request.relevant_youth_accommodation,
    }
    if plan is not None and is_historical(request, census):
        node["RequestOutcome"] = "H"
        node["Assessment"] = [{"AssessmentOutcome": "H", **_named_plan(plan, census, rows)}]
        node.update(_active_plans(plan, census, rows))
        return node
    outcome, decided_on = request_outcome(request, census)
    flags = rows.flags.get(request.id, NO_FLAGS)
    node["RequestOutcome"] = outcome
    if outcome in ("Y", "N"):
        node["RequestOutcomeDate"] = decided_on
        node["RequestMediation"] = flags.get("RequestMediation", 0)
        node["RequestTribunal"] = flags.get("RequestTribunal", 0)
    if census.by(request.transferred_out_on):
        node["Exported"] = request.transferred_to_la  # nothing below it (rule R07)
        return node
    if outcome == "Y":
        node["Assessment"] = [_assessment(request, plan, census, rows, flags)]
        if plan is not None and census.by(request.final_issued_on):
            node.update(_active_plans(plan, census, rows))
    return node


def plan_only_node(plan: Row, *, census: Census, rows: Rows) -> Node:
    """A plan with no request of ours (transferred in, or from before the system): all H."""
    return {
        "RequestOutcome": "H",
        "Assessment": [{"AssessmentOutcome": "H", **_named_plan(plan, census, rows)}],
        **_active_plans(plan, census, rows),
    }


def _assessment(request: Row, plan: Row | None, census: Census, rows: Rows, flags: Flags) -> Node:
    outcome, on = assessment_outcome(request, census)
    node: Node = {"AssessmentOutcome": outcome, "AssessmentOutcomeDate": on}
    if outcome in ("Y", "N"):
        for tag in ("AssessmentMediation", "AssessmentTribunal", "OtherMediation", "OtherTribunal"):
            node[tag] = flags.get(tag, 0)
    if outcome == "Y" and on is not None:
        node["Week20"] = request.week20
        if plan is not None:
            node.update(_named_plan(plan, census, rows))
    return node


def _named_plan(plan: Row, census: Census, rows: Rows) -> Node:
    """Module 4: the plan as last issued by the census day, the settings section I names, the
    personal budget, and the cease date and reason once it has ended."""
    versions = [v.issued_on for v in rows.versions.get(plan.id, ()) if census.by(v.issued_on)]
    settings = sorted(rows.named_settings.get(plan.id, ()), key=_rank)
    named: Node = {
        "StartDate": max(versions, default=plan.issued_on),
        "PlanDetail": [_setting(s) for s in settings],
        "PlanRes": plan.residential,
        "PlanWBP": plan.work_based,
        "PB": plan.personal_budget,
    }
    if plan.personal_budget:  # OA and DP only with a personal budget (rule N07)
        named["OA"] = bool(plan.organised_arrangements.strip())
        named["DP"] = _direct_payments(plan.direct_payments)
    if census.by(plan.ceased_on):
        named["CeaseDate"] = plan.ceased_on
        named["CeaseReason"] = plan.cease_reason
    return {"NamedPlan": [named]}


def _active_plans(plan: Row, census: Census, rows: Rows) -> Node:
    """Module 5, for a plan in force on the census day: where the child is (placements open in
    the year), the needs, the latest review and the phase transfer."""
    if not census.by(plan.issued_on) or census.by(plan.ceased_on):
        return {}
    placements = sorted(rows.placements.get(plan.id, ()), key=_placement_order)
    node: Node = {
        "TransferLA": plan.transferred_in_from_la,
        "PlacementDetail": [_placement(p, census) for p in placements],
        "SENneed": [{"SENtype": plan.primary_need, "SENtypeRank": 1}]
        + ([{"SENtype": plan.secondary_need, "SENtypeRank": 2}] if plan.secondary_need else []),
        **_review(rows.reviews.get(plan.id, ()), census),
        **_phase_transfer(rows.phase_reviews.get(plan.id, ()), census),
    }
    return {"ActivePlans": [node]}


def _review(reviews: Iterable[Row], census: Census) -> Node:
    """The latest review meeting held by the census day; its decision once the family was told."""
    held = [r for r in reviews if census.by(r.meeting_on)]
    if not held:
        return {}
    review = max(held, key=lambda r: (r.meeting_on, r.sequence))
    node: Node = {"ReviewMeeting": review.meeting_on}
    if census.by(review.decision_issued_on) and review.decision:
        node["ReviewOutcome"] = REVIEW_OUTCOME.get(Decision(review.decision))
        node["LastReview"] = review.decision_issued_on
        if review.decision == Decision.AMEND and census.by(review.amendments_issued_on):
            node["ReviewDraft"] = review.amendments_issued_on
    return node


def phase_transfer_due(review: Row) -> dt.date | None:
    """15 February or 31 March of the transfer year; a post-16 move at another time, 5 months
    before it (the timescales rule)."""
    if not review.phase_transfer or review.phase_transfer_on is None:
        return None
    month_day = PHASE_DUE_DAY.get(TransferKind(review.phase_transfer_kind))
    if month_day is not None:
        return dt.date(review.phase_transfer_on.year, *month_day)
    return compute("phase_transfer_post16_other", review.phase_transfer_on).due


def _phase_transfer(reviews: Iterable[AnnualReview], census: Census) -> Node:
    """The first phase transfer due in the year reported or later, and the date its amended
    plan was finalised (the reviews app's definition), if by the census day."""
    due = [
        (d, r) for r in reviews if (d := phase_transfer_due(r)) is not None and d >= census.start
    ]
    if not due:
        return {}
    due_on, review = min(due, key=lambda pair: pair[0])
    final_on = phase_transfer_met_on(review)
    return {
        "PhaseTransferDueDate": due_on,
        "PhaseTransferFinalDate": final_on if census.by(final_on) else None,
    }


def _placement(placement: Row, census: Census) -> Node:
    node = _setting(placement)
    node["EntryDate"] = placement.starts_on
    node["LeavingDate"] = placement.ends_on if census.by(placement.ends_on) else None
    node["Res"] = placement.residential
    node["WBP"] = placement.work_based
    return node


def _setting(setting: Row) -> Node:
    """URN (with the unit and resourced-provision flags, rule N06), else UKPRN, else SENsetting.

    A setting recorded without either number is an early years provider without a URN (EYP)
    when it is one, and otherwise "other" with its name.
    """
    node: Node = {"PlacementRank": setting.rank}
    if setting.establishment__urn:
        node["URN"] = setting.establishment__urn
        node["SENunitIndicator"] = setting.sen_unit
        node["ResourcedProvisionIndicator"] = setting.resourced_provision
    elif setting.establishment__ukprn:
        node["UKPRN"] = setting.establishment__ukprn
    elif setting.establishment_id is not None:
        early_years = setting.establishment__kind == EstablishmentKind.EARLY_YEARS
        node["SENsetting"] = SenSetting.EYP.value if early_years else SenSetting.OTH.value
        node["SENsettingOther"] = "" if early_years else setting.establishment__name
    elif setting.sen_setting:
        node["SENsetting"] = setting.sen_setting
        if setting.sen_setting in DESCRIBED_SETTINGS:
            node["SENsettingOther"] = setting.sen_setting_other.strip()
    return node


def _rank(setting: Row) -> int:
    return int(setting.rank)


def _placement_order(placement: Row) -> tuple[int, dt.date]:
    return int(placement.rank), placement.starts_on or dt.date.min


def _source_code(source: str) -> int | None:
    try:
        return RequestSource(source).sen2_code
    except ValueError:
        return None


def _direct_payments(text: str) -> str | None:
    """DP is one code: a budget paid across more than one service is integrated (I)."""
    codes = {c for c in text.upper() if c in DIRECT_PAYMENT_CODES}
    if not codes:
        return None
    return codes.pop() if len(codes) == 1 else "I"
