"""Plan rules: the plan's dates, needs, named settings and placements, and ceasing."""

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cases.codes import PLACEMENT_ONLY_SETTINGS, CeaseReason, SenSetting
from cases.models import NamedSetting, Placement, Plan, PlanVersion
from reporting.sen2.validation_rules.base import (
    BUDGET_CODES,
    ERROR,
    MAXIMUM_AGE_CEASE_FROM,
    OTHER_CEASE_REASON_SHARE,
    PLAN,
    QUERY,
    Rule,
    Sen2Year,
    age_at_least,
    in_force_on,
    named_check,
    placement_check,
    plan_check,
    reported_placements,
    return_named_settings,
    return_plans,
)


def _n01(c: Sen2Year) -> QuerySet[Plan]:
    return return_plans(c).filter(issued_on__isnull=True)


def start_date(c: Sen2Year) -> Any:
    """NamedPlan StartDate: the latest version issued by the census day, else the first issue."""
    latest = (
        PlanVersion.objects.filter(plan=OuterRef("pk"), issued_on__lte=c.census)
        .order_by("-issued_on")
        .values("issued_on")[:1]
    )
    return Coalesce(Subquery(latest), F("issued_on"))


def _n01q(c: Sen2Year) -> QuerySet[Plan]:
    return (
        return_plans(c)
        .filter(request__final_issued_on__range=(c.start, c.end))
        .alias(dq_start=start_date(c))
        .exclude(dq_start=F("request__final_issued_on"))
    )


def _n02(c: Sen2Year) -> QuerySet[Plan]:
    rank_1 = NamedSetting.objects.filter(plan=OuterRef("pk"), rank=1)
    other_rank = NamedSetting.objects.filter(plan=OuterRef("pk")).exclude(rank__in=(1, 2))
    return return_plans(c).filter(~Q(Exists(rank_1)) | Q(Exists(other_rank)))


def _no_setting() -> Q:
    """Neither an establishment nor a SEN setting code (an establishment without a URN or UKPRN
    is reported as EYP or OTH with its name: reporting.sen2.items)."""
    return Q(establishment__isnull=True, sen_setting="") | Q(establishment__isnull=False) & ~Q(
        sen_setting=""
    )


def _n03_named(c: Sen2Year) -> QuerySet[NamedSetting]:
    return return_named_settings(c).filter(_no_setting())


def _n03_placed(c: Sen2Year) -> QuerySet[Placement]:
    return reported_placements(c).filter(_no_setting())


def _n04(c: Sen2Year) -> QuerySet[NamedSetting]:
    return return_named_settings(c).filter(sen_setting__in=sorted(PLACEMENT_ONLY_SETTINGS))


DESCRIBED_SETTINGS = (SenSetting.OTH, SenSetting.NIEO)


def _described_wrongly() -> Q:
    return Q(sen_setting__in=DESCRIBED_SETTINGS, sen_setting_other="") | (
        ~Q(sen_setting__in=DESCRIBED_SETTINGS) & ~Q(sen_setting_other="")
    )


def _n05_named(c: Sen2Year) -> QuerySet[NamedSetting]:
    return return_named_settings(c).filter(_described_wrongly())


def _n05_placed(c: Sen2Year) -> QuerySet[Placement]:
    return reported_placements(c).filter(_described_wrongly())


def _flags_wrongly() -> Q:
    flagged = Q(sen_unit=True) | Q(resourced_provision=True)
    no_urn = Q(establishment__isnull=True) | Q(establishment__urn="")
    return flagged & no_urn | Q(sen_unit=True, resourced_provision=True)


def _n06_named(c: Sen2Year) -> QuerySet[NamedSetting]:
    return return_named_settings(c).filter(_flags_wrongly())


def _n06_placed(c: Sen2Year) -> QuerySet[Placement]:
    return reported_placements(c).filter(_flags_wrongly())


def _n07(c: Sen2Year) -> QuerySet[Plan]:
    """OA and DP are reported only with a personal budget; DP is one code, a budget across more
    than one of E, S and H being I (integrated)."""
    arrangements = ~Q(organised_arrangements="") | ~Q(direct_payments="")
    no_code = ~Q(direct_payments="") & ~Q(direct_payments__iregex=f"[{''.join(BUDGET_CODES)}]")
    return return_plans(c).filter(arrangements & Q(personal_budget=False) | no_code)


def _n08(c: Sen2Year) -> QuerySet[Plan]:
    return return_plans(c).filter(
        Q(ceased_on__isnull=True, cease_reason__isnull=False)
        | Q(ceased_on__isnull=False, cease_reason__isnull=True)
        | Q(ceased_on__lt=F("issued_on"))
        | Q(ceased_on__lt=F("cease_decided_on"))
        | Q(cease_decided_on__lt=F("cease_proposed_on"))
    )


def _ceased_in_year(c: Sen2Year) -> QuerySet[Plan]:
    return Plan.objects.filter(ceased_on__range=(c.start, c.end))


def _n09(c: Sen2Year) -> QuerySet[Plan]:
    other_in_force = Plan.objects.filter(child=OuterRef("child")).filter(in_force_on(c.census))
    return _ceased_in_year(c).filter(
        Q(cease_reason=CeaseReason.MOVED_LA_ENGLAND) & Q(Exists(other_in_force))
    )


def _n09q(c: Sen2Year) -> QuerySet[Plan]:
    adult = age_at_least(MAXIMUM_AGE_CEASE_FROM, born="child__date_of_birth", on="ceased_on")
    return _ceased_in_year(c).filter(Q(cease_reason=CeaseReason.MAXIMUM_AGE) & ~adult)


def _n10(c: Sen2Year) -> QuerySet[Plan]:
    """Every reason-9 cease, once reason 9 passes its share of the year's ceased plans (one
    aggregate first, council-wide: the DfE queries the council's return, not a caseload)."""
    ceased = _ceased_in_year(c)
    totals = ceased.aggregate(
        ceased=Count("pk"), other=Count("pk", filter=Q(cease_reason=CeaseReason.OTHER))
    )
    share, of = OTHER_CEASE_REASON_SHARE
    if totals["other"] * of <= totals["ceased"] * share:
        return ceased.none()
    return ceased.filter(cease_reason=CeaseReason.OTHER)


RULES: tuple[Rule, ...] = (
    Rule(
        "N01",
        ERROR,
        PLAN,
        "The plan has no start date.",
        "NamedPlan: StartDate",
        (plan_check(_n01),),
        guaranteed_by="the plan's issue date is required (NOT NULL)",
    ),
    Rule(
        "N01Q",
        QUERY,
        PLAN,
        "The new plan's start date differs from the date the final plan was issued on its request.",
        "NamedPlan: StartDate, AssessmentOutcomeDate",
        (plan_check(_n01q),),
    ),
    Rule(
        "N02",
        ERROR,
        PLAN,
        "The plan must name one setting of rank 1 in section I (and at most one of rank 2).",
        "NamedPlan: PlanDetail, PlacementRank",
        (plan_check(_n02),),
    ),
    Rule(
        "N03",
        ERROR,
        PLAN,
        "A setting must be either a school or provider, or a SEN setting code, not both or "
        "neither.",
        "PlanDetail and PlacementDetail: URN, UKPRN, SENsetting",
        (named_check(_n03_named), placement_check(_n03_placed)),
        guaranteed_by="named_setting_one_kind_of_setting, placement_one_kind_of_setting",
    ),
    Rule(
        "N04",
        ERROR,
        PLAN,
        "NEET, NIEC and NIEO describe a placement, not a setting named in a plan: name a "
        "setting in section I.",
        "PlanDetail: SENsetting",
        (named_check(_n04),),
    ),
    Rule(
        "N05",
        ERROR,
        PLAN,
        "Describe the setting when its code is OTH (other) or NIEO (not in education, other), "
        "and only then.",
        "PlanDetail and PlacementDetail: SENsettingOther",
        (named_check(_n05_named), placement_check(_n05_placed)),
    ),
    Rule(
        "N06",
        ERROR,
        PLAN,
        "The SEN unit or resourced provision flag is set on a setting without a URN, or both "
        "are set.",
        "PlanDetail and PlacementDetail: SENunitIndicator, ResourcedProvisionIndicator",
        (named_check(_n06_named), placement_check(_n06_placed)),
    ),
    Rule(
        "N07",
        ERROR,
        PLAN,
        "Organised arrangements or direct payments are recorded without a personal budget, or "
        "the direct payments name none of E, S, H or I.",
        "NamedPlan: PB, OA, DP",
        (plan_check(_n07),),
    ),
    Rule(
        "N08",
        ERROR,
        PLAN,
        "The cease date and reason must be recorded together, and the plan must end after it "
        "was issued and on or after the decision to cease it.",
        "NamedPlan: CeaseDate, CeaseReason",
        (plan_check(_n08),),
    ),
    Rule(
        "N09",
        ERROR,
        PLAN,
        "The plan ceased because the child moved to another LA in England, but a plan is in "
        "force here on the census date.",
        "NamedPlan: CeaseReason",
        (plan_check(_n09),),
    ),
    Rule(
        "N09Q",
        QUERY,
        PLAN,
        "The plan ceased for reaching the maximum age, but the young person was under 18.",
        "NamedPlan: CeaseReason",
        (plan_check(_n09q),),
    ),
    Rule(
        "N10",
        QUERY,
        PLAN,
        "More than 1 in 10 plans ceased in the year give the reason 'other': record the actual "
        "reason where one applies.",
        "NamedPlan: CeaseReason",
        (plan_check(_n10),),
    ),
)
