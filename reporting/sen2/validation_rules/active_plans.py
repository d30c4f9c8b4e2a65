"""Active plan rules: placements, annual reviews, phase transfers and the SEN2 codes."""

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from cases.codes import SenSetting, SenType
from cases.models import AddDays, Placement, Plan
from reporting.sen2.validation_rules.base import (
    ACTIVE_PLAN,
    ERROR,
    FOUR_WEEKS,
    NEET_AGES,
    PHASE_TRANSFER_RULES,
    QUERY,
    REVIEW_EXPECTED_AFTER_YEARS,
    REVIEW_SUBJECT,
    Rule,
    Sen2Year,
    active_plans,
    in_force_on,
    open_placements,
    placement_check,
    placement_open_on,
    plan_check,
    reported_placements,
    return_plans,
    review_check,
    years_before,
)
from reviews.models import AnnualReview, Decision
from send_cms.deadlines.models import Deadline


def _ap01(c: Sen2Year) -> QuerySet[Plan]:
    others = (
        Plan.objects.filter(child=OuterRef("child"))
        .filter(in_force_on(c.census))
        .exclude(pk=OuterRef("pk"))
    )
    return active_plans(c).filter(Exists(others))


def _ap02(c: Sen2Year) -> QuerySet[Plan]:
    return active_plans(c).filter(
        ~Q(primary_need__in=SenType.values)
        | ~Q(secondary_need__in=("", *SenType.values))
        | Q(secondary_need=F("primary_need"))
    )


def _ap03_none(c: Sen2Year) -> QuerySet[Plan]:
    placed = Placement.objects.filter(plan=OuterRef("pk")).filter(placement_open_on(c.census))
    return active_plans(c).filter(~Q(Exists(placed)))


def _ap03_same_rank(c: Sen2Year) -> QuerySet[Placement]:
    same_rank = (
        Placement.objects.filter(plan=OuterRef("plan"), rank=OuterRef("rank"))
        .filter(placement_open_on(c.census))
        .exclude(pk=OuterRef("pk"))
    )
    return open_placements(c).filter(Exists(same_rank))


def _ap04(c: Sen2Year) -> QuerySet[Placement]:
    youngest, oldest = NEET_AGES
    too_young = Q(plan__child__date_of_birth__gt=years_before(c.census, youngest))
    too_old = Q(plan__child__date_of_birth__lte=years_before(c.census, oldest + 1))
    return reported_placements(c).filter(Q(sen_setting=SenSetting.NEET) & (too_young | too_old))


def _ap05(c: Sen2Year) -> QuerySet[Plan]:
    """The return reports the latest meeting held by the census day, and its decision once the
    family was told: a plan over 12 months old needs both."""
    held = AnnualReview.objects.filter(plan=OuterRef("pk"), meeting_on__lte=c.census)
    later = AnnualReview.objects.filter(
        plan=OuterRef("plan"), meeting_on__lte=c.census, meeting_on__gt=OuterRef("meeting_on")
    )
    latest_undecided = held.filter(
        Q(decision_issued_on__isnull=True) | Q(decision_issued_on__gt=c.census) | Q(decision="")
    ).filter(~Q(Exists(later)))
    expected = years_before(c.census, REVIEW_EXPECTED_AFTER_YEARS)
    return active_plans(c).filter(
        Q(issued_on__lte=expected) & (~Q(Exists(held)) | Q(Exists(latest_undecided)))
    )


def _reviews(c: Sen2Year) -> QuerySet[AnnualReview]:
    return AnnualReview.objects.filter(in_force_on(c.census, "plan__"))


def _ap05q(c: Sen2Year) -> QuerySet[AnnualReview]:
    return _reviews(c).filter(
        decision_issued_on__range=(c.start, c.census),
        decision_issued_on__gt=AddDays(F("meeting_on"), FOUR_WEEKS),
    )


def _ap06(c: Sen2Year) -> QuerySet[AnnualReview]:
    return _reviews(c).filter(Q(amendments_issued_on__isnull=False) & ~Q(decision=Decision.AMEND))


def _phase_transfers(c: Sen2Year) -> QuerySet[Deadline]:
    """The stored phase-transfer deadlines of a review (due date, and the date the amended plan
    was finalised: reviews.deadlines), due in the year or later and met by the census day."""
    return Deadline.objects.filter(
        subject_type=REVIEW_SUBJECT,
        subject_id=OuterRef("pk"),
        rule__in=PHASE_TRANSFER_RULES,
        due_on__gte=c.start,
        met_on__lte=c.census,
    )


def _ap07(c: Sen2Year) -> QuerySet[AnnualReview]:
    transfers = _phase_transfers(c)
    before_meeting = transfers.filter(met_on__lt=OuterRef("meeting_on"))
    return _reviews(c).filter(
        Q(meeting_on__isnull=True) & Q(Exists(transfers)) | Q(Exists(before_meeting))
    )


def _ap07q(c: Sen2Year) -> QuerySet[AnnualReview]:
    return _reviews(c).filter(Exists(_phase_transfers(c).filter(met_on__gt=F("due_on"))))


def _codes(c: Sen2Year, module: str, tag: str) -> list[str]:
    return ["", *sorted(c.layout.item(module, tag).code_values)]


def _bad_codes(c: Sen2Year, module: str, residential: str, work_based: str) -> Q:
    """PlanRes/PlanWBP or Res/WBP outside the year's code lists (the letters of PlanRes stay,
    their bands change in 2026)."""
    return ~Q(residential__in=_codes(c, module, residential)) | ~Q(
        work_based__in=_codes(c, module, work_based)
    )


def _ap08_plan(c: Sen2Year) -> QuerySet[Plan]:
    return return_plans(c).filter(_bad_codes(c, "NamedPlan", "PlanRes", "PlanWBP"))


def _ap08_placed(c: Sen2Year) -> QuerySet[Placement]:
    return reported_placements(c).filter(_bad_codes(c, "PlacementDetail", "Res", "WBP"))


def _ap09(c: Sen2Year) -> QuerySet[Plan]:
    return active_plans(c).filter(
        ~Q(transferred_in_from_la="")
        & (
            ~Q(transferred_in_from_la__regex=r"^[0-9]{3}$")
            | Q(transferred_in_from_la=settings.LA_CODE)
        )
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "AP01",
        ERROR,
        ACTIVE_PLAN,
        "The child has more than one plan in force on the census date.",
        "ActivePlans",
        (plan_check(_ap01),),
    ),
    Rule(
        "AP02",
        ERROR,
        ACTIVE_PLAN,
        "The primary need is missing or not a SEN2 need type, or the secondary need repeats it.",
        "ActivePlans: SENneed, SENtypeRank",
        (plan_check(_ap02),),
    ),
    Rule(
        "AP03",
        ERROR,
        ACTIVE_PLAN,
        "Record where the child is educated on the census date: one placement of each rank "
        "open that day.",
        "ActivePlans: PlacementDetail",
        (
            plan_check(
                _ap03_none,
                "No placement is open on the census date: record where the child is educated "
                "that day (NIEC or NIEO if not in education).",
            ),
            placement_check(
                _ap03_same_rank,
                "Another placement of the same rank is open on the census date: end the one the "
                "child left.",
            ),
        ),
    ),
    Rule(
        "AP04",
        ERROR,
        ACTIVE_PLAN,
        "NEET is recorded for a young person who is not aged 16 to 25 on the census date.",
        "PlacementDetail: SENsetting",
        (placement_check(_ap04),),
    ),
    Rule(
        "AP05",
        ERROR,
        ACTIVE_PLAN,
        "The plan is over 12 months old but its latest annual review meeting by the census date, "
        "and the decision after it, are not recorded.",
        "ActivePlans: ReviewMeeting, ReviewOutcome, LastReview",
        (plan_check(_ap05),),
    ),
    Rule(
        "AP05Q",
        QUERY,
        ACTIVE_PLAN,
        "The review decision was sent more than 4 weeks after the review meeting.",
        "ActivePlans: ReviewMeeting, LastReview",
        (review_check(_ap05q),),
    ),
    Rule(
        "AP06",
        ERROR,
        ACTIVE_PLAN,
        "A draft amended plan is recorded on a review whose decision was not to amend.",
        "ActivePlans: ReviewDraft",
        (review_check(_ap06),),
        guaranteed_by="review_amendments_after_amend_decision",
    ),
    Rule(
        "AP07",
        ERROR,
        ACTIVE_PLAN,
        "The amended plan for the phase transfer is dated before the review meeting (or no "
        "meeting is recorded).",
        "ActivePlans: PhaseTransferFinalDate",
        (review_check(_ap07),),
    ),
    Rule(
        "AP07Q",
        QUERY,
        ACTIVE_PLAN,
        "The amended plan for the phase transfer was issued after its deadline (15 February, "
        "or 31 March for post-16).",
        "ActivePlans: PhaseTransferDueDate, PhaseTransferFinalDate",
        (review_check(_ap07q),),
    ),
    Rule(
        "AP08",
        ERROR,
        ACTIVE_PLAN,
        "The residential code (A or B) or work-based code (A, T or S) is not one of this "
        "year's SEN2 codes.",
        "NamedPlan: PlanRes, PlanWBP; PlacementDetail: Res, WBP",
        (plan_check(_ap08_plan), placement_check(_ap08_placed)),
    ),
    Rule(
        "AP09",
        ERROR,
        ACTIVE_PLAN,
        "The LA the plan was transferred in from must be another council's 3-digit LA code.",
        "ActivePlans: TransferLA",
        (plan_check(_ap09),),
    ),
)
