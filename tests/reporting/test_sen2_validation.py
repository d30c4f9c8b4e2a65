"""SEN2 validation all year: each rule with a record that passes and one that fails, the
data-quality page per role with its audit row and CSV, the nightly count, and query counts.

The 2026 return: census Thursday 15 January 2026, activity 1 January to 31 December 2025. The
factories' request is received 8 Sep 2025 and its final plan issued 12 Jan 2026, so a plan made by
PlanFactory is in force on the census day. `clean_plan` adds what a plan in the return needs (a
setting named in section I and a placement open on the census day), so every rule passes on it.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from cases.models import (
    AssessmentRequest,
    Child,
    NamedSetting,
    Placement,
    Plan,
    PlanStatus,
    RequestStatus,
)
from cases.validators import upn_check_letter, upn_error
from reporting.models import Sen2ValidationCount
from reporting.sen2 import validation
from reporting.sen2.validation import (
    UnknownRule,
    counts_by_rule,
    data_quality_summary,
    error_count,
    failures,
)
from reporting.sen2.validation_rules import (
    BY_ID,
    RULES,
    current_year,
    sen2_year,
)
from reporting.sen2.validation_tasks import record_validation_counts
from reviews.models import AnnualReview, Decision, ReviewStatus
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
    PlacementFactory,
    PlanFactory,
)
from tribunals.models import Appeal, Mediation

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = 2026
CENSUS = D(2026, 1, 15)
URL = "/reporting/data-quality/"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    """10 February 2026: the 2026 return is being prepared (its deadline is 12 March)."""
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


def failing(rule: str, year: int = YEAR) -> set[str]:
    """The ids of the records failing `rule`."""
    return {f.record_id for f in failures(year=year, rule=rule)}


def clean_plan(**fields: Any) -> Plan:
    """A plan in the return that passes every rule: a setting named, a placement on census day."""
    plan: Plan = PlanFactory.create(**fields)
    school = EstablishmentFactory.create()
    NamedSetting.objects.create(plan=plan, establishment=school, rank=1)
    PlacementFactory.create(plan=plan, establishment=school)
    return plan


def requested(**fields: Any) -> AssessmentRequest:
    """A request received in the year, awaiting the decision to assess."""
    request: AssessmentRequest = AssessmentRequestFactory.create(**fields)
    return request


def refused(**fields: Any) -> AssessmentRequest:
    return requested(not_assessing=True, **fields)


def ids(*records: Any) -> set[str]:
    return {str(r.pk) for r in records}


def review(plan: Plan, **fields: Any) -> AnnualReview:
    """A concluded review of `plan`: meeting 20 Nov 2025, plan maintained 1 Dec 2025."""
    values: dict[str, Any] = {
        "plan": plan,
        "sequence": 1,
        "status": ReviewStatus.MAINTAINED,
        "cycle_start_on": plan.issued_on,
        "due_on": plan.issued_on + dt.timedelta(days=364),
        "meeting_on": D(2025, 11, 20),
        "decision": Decision.MAINTAIN,
        "decision_issued_on": D(2025, 12, 1),
    }
    values.update(fields)
    result: AnnualReview = AnnualReview.objects.create(**values)
    return result


def refuses(**fields: Any) -> None:
    """The database refuses these request fields (the rule is also a constraint)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        requested(**fields)


# --- the year and the clean case ----------------------------------------------------------------
def test_the_2026_return_counts_2025_and_the_census_on_15_january() -> None:
    c = sen2_year(2026)

    assert (c.census, c.start, c.end, c.deadline) == (
        D(2026, 1, 15),
        D(2025, 1, 1),
        D(2025, 12, 31),
        D(2026, 3, 12),
    )


@pytest.mark.parametrize(
    ("today", "year"),
    [(D(2026, 3, 12), 2026), (D(2026, 3, 13), 2027), (D(2026, 1, 1), 2026)],
)
def test_the_return_being_prepared_changes_the_day_after_its_deadline(
    today: dt.date, year: int
) -> None:
    assert current_year(today) == year


def test_a_complete_case_passes_every_rule() -> None:
    plan = clean_plan()
    requested(child=ChildFactory.create())
    refused(child=ChildFactory.create())
    review(clean_plan(request=None, issued_on=D(2024, 6, 3), transferred_in_from_la="201"))

    assert {rc.rule.id: rc.count for rc in counts_by_rule(year=YEAR) if rc.count} == {}
    assert error_count(year=YEAR) == 0
    assert list(failures(year=YEAR)) == []
    assert plan.pk


def test_every_rule_has_an_id_a_severity_a_message_and_a_check() -> None:
    assert len(BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.severity in ("error", "query"), rule.id
        assert rule.message.endswith("."), rule.id
        assert rule.concerns, rule.id
        assert rule.checks or rule.header, rule.id


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(UnknownRule):
        failures(year=YEAR, rule="X99")


# --- header -------------------------------------------------------------------------------------
def test_h01_the_year_must_be_a_person_level_collection() -> None:
    assert [f.rule_id for f in failures(year=2022, rule="H01")] == ["H01"]
    assert list(failures(year=YEAR, rule="H01")) == []


def test_h02_the_la_code_must_be_three_digits() -> None:
    assert list(failures(year=YEAR, rule="H02")) == []
    with override_settings(LA_CODE="99"):
        found = list(failures(year=YEAR, rule="H02"))

    assert [(f.rule_id, f.record, f.fix_url) for f in found] == [("H02", "Council settings", "")]
    assert found[0].message == (
        "The council's LA code '99' is not a 3-digit DfE LA code (setting LA_CODE)."
    )


# --- person -------------------------------------------------------------------------------------
def test_p01_names_sex_and_ethnicity_are_needed() -> None:
    good = requested().child
    no_name = requested(child=ChildFactory.create(first_name="")).child
    no_sex = requested(child=ChildFactory.create(sex="")).child

    assert failing("P01") == ids(no_name, no_sex)
    assert str(good.pk) not in failing("P01")


def test_p01_looks_only_at_children_in_the_return() -> None:
    ChildFactory.create(first_name="")
    old = refused(child=ChildFactory.create(first_name=""), received_on=D(2023, 1, 9))
    old.decided_on = D(2023, 2, 1)
    old.save()

    assert failing("P01") == set()


def test_p02_birth_after_the_census_is_an_error() -> None:
    requested(child=ChildFactory.create(date_of_birth=CENSUS))
    unborn = requested(child=ChildFactory.create(date_of_birth=CENSUS + dt.timedelta(days=1))).child

    assert failing("P02") == ids(unborn)


def test_p02q_26_or_over_on_the_census_day_is_a_query() -> None:
    requested(child=ChildFactory.create(date_of_birth=D(2000, 1, 16)))  # 25 on the census day
    twenty_six = requested(child=ChildFactory.create(date_of_birth=D(2000, 1, 15))).child

    assert failing("P02Q") == ids(twenty_six)
    assert BY_ID["P02Q"].severity == "query"


def test_p03_an_identifier_or_the_reason_there_is_none() -> None:
    requested(child=ChildFactory.create(upn_unknown="UN5"))
    requested(child=ChildFactory.create(upn_unknown="", uln="1000000043"))
    requested(child=ChildFactory.create(upn_unknown="UN1", date_of_birth=D(2020, 1, 16)))  # 5
    nothing = requested(child=ChildFactory.create(upn_unknown="")).child
    six = requested(
        child=ChildFactory.create(upn_unknown="UN1", date_of_birth=D(2020, 1, 15))
    ).child
    made_up = requested(child=ChildFactory.create(upn_unknown="UN4")).child

    assert failing("P03") == ids(nothing, six, made_up)


def test_p04_the_upn_check_letter_and_the_uln_check_digit_are_checked_in_sql() -> None:
    good = [
        ChildFactory.create(upn="H801200001001", upn_unknown=""),
        ChildFactory.create(upn="G80120000101A", upn_unknown=""),
        ChildFactory.create(upn_unknown="", uln="1000000043"),
        ChildFactory.create(upn="g80120000101a", upn_unknown=""),  # exported in capitals
    ]
    bad = [
        ChildFactory.create(upn="Z801200001001", upn_unknown=""),
        ChildFactory.create(upn="H80120000100", upn_unknown=""),
        ChildFactory.create(upn="I801200001001", upn_unknown=""),
        ChildFactory.create(upn_unknown="", uln="1000000042"),
        ChildFactory.create(upn_unknown="", uln="0000000042"),
    ]
    for child in good + bad:
        requested(child=child)

    assert failing("P04") == ids(*bad)


def test_p04_agrees_with_the_python_check_letter() -> None:
    """The SQL sum agrees with cases.validators on UPNs with every digit in every place."""
    bodies = [f"{n:03d}{(n * 7919) % 10**8:08d}{n % 10}" for n in range(201, 241)]
    bodies += [body[:11] + "ABCDEFGHJKLMNPQRTUVWXYZ"[i % 23] for i, body in enumerate(bodies)]
    children = [
        requested(
            child=ChildFactory.create(upn=upn_check_letter(body) + body, upn_unknown="")
        ).child
        for body in bodies
    ]
    wrong = requested(child=ChildFactory.create(upn="A" + bodies[0], upn_unknown="")).child

    assert all(upn_error(child.upn) is None for child in children)
    assert upn_error(wrong.upn) is not None
    assert failing("P04") == ids(wrong)


def test_p05_two_children_with_one_upn() -> None:
    requested(child=ChildFactory.create(upn="G80120000101A", upn_unknown=""))
    first = requested(child=ChildFactory.create(upn="H801200001001", upn_unknown="")).child
    second = requested(child=ChildFactory.create(upn="h801200001001", upn_unknown="")).child

    assert failing("P05") == ids(first, second)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildFactory.create(upn="H801200001001", upn_unknown="")


def test_p06_every_child_in_the_return_has_a_request_to_report() -> None:
    clean_plan(request=None, transferred_in_from_la="201")
    orphan = clean_plan(request=None)

    assert failing("P06") == ids(orphan.child)
    assert failures(year=YEAR, rule="P06")[0].fix_url == reverse(
        "cases:child-detail", args=[orphan.child_id]
    )


# --- request ------------------------------------------------------------------------------------
def test_r01_the_status_must_match_the_decision() -> None:
    requested()
    refused()
    requested(assessing=True)
    mismatched = requested(status=RequestStatus.NOT_ASSESSING)
    assessing_undecided = requested(status=RequestStatus.ASSESSING)

    assert failing("R01") == ids(mismatched, assessing_undecided)


def test_r02_a_request_in_the_return_received_after_the_census() -> None:
    requested(transferred_out=True)
    late = requested(
        transferred_out=True, received_on=D(2026, 2, 1), transferred_out_on=D(2025, 12, 1)
    )

    assert failing("R02") == ids(late)


def test_r03_the_decision_and_its_date_go_together_in_the_database() -> None:
    refused()

    assert failing("R03") == set()
    refuses(decision="not_assess")
    refuses(decided_on=D(2025, 10, 1))
    refuses(not_assessing=True, decided_on=D(2025, 9, 1))


def test_r04_the_request_source_is_needed_unless_historical() -> None:
    requested()
    no_source = requested(source="")
    historical = AssessmentRequestFactory.create(
        final_issued=True,
        source="",
        received_on=D(2023, 3, 1),
        decided_on=D(2023, 4, 1),
        issue_decided_on=D(2023, 6, 1),
        draft_issued_on=D(2023, 6, 15),
        final_issued_on=D(2023, 7, 10),
    )
    clean_plan(child=historical.child, request=historical, issued_on=D(2023, 7, 10))

    assert failing("R04") == ids(no_source)


def test_r04_the_source_is_voluntary_in_the_2025_return() -> None:
    """Received in September 2024 and still undecided: in both returns, required only in 2026."""
    undecided = requested(source="", received_on=D(2024, 9, 9))

    assert failing("R04", year=2025) == set()
    assert failing("R04", year=2026) == ids(undecided)


def mediation(request: AssessmentRequest, decision_type: str, **fields: Any) -> Mediation:
    result: Mediation = Mediation.objects.create(
        child=request.child,
        request=request,
        decision_type=decision_type,
        decision_notice_on=D(2025, 10, 14),
        **fields,
    )
    return result


def appeal(request: AssessmentRequest, appeal_type: str, **fields: Any) -> Appeal:
    result: Appeal = Appeal.objects.create(
        child=request.child,
        request=request,
        appeal_type=appeal_type,
        decision_notice_on=D(2025, 10, 14),
        received_by_la_on=D(2025, 11, 3),
        **fields,
    )
    return result


def test_r05_a_challenged_refusal_to_assess_needs_the_decision() -> None:
    mediation(refused(), "refusal_to_assess")
    undecided = requested()
    mediation(undecided, "refusal_to_assess")

    assert failing("R05") == ids(undecided)


def test_r06_a_plan_needs_a_decision_to_assess_unless_a_challenge_overturned_the_refusal() -> None:
    clean_plan()
    plain = refused()
    clean_plan(child=plain.child, request=plain, issued_on=D(2025, 12, 1))
    overturned = refused()
    appeal(
        overturned,
        "refusal_to_assess",
        status="decided",
        outcome="upheld",
        decided_on=D(2025, 11, 20),
    )
    clean_plan(child=overturned.child, request=overturned, issued_on=D(2025, 12, 1))

    assert failing("R06") == ids(plain)
    assert failing("R06Q") == ids(overturned)


def test_r07_nothing_below_a_request_transferred_out() -> None:
    requested(transferred_out=True)
    issuing = requested(
        issuing=True,
        status=RequestStatus.TRANSFERRED_OUT,
        transferred_out_on=D(2025, 12, 10),
        transferred_to_la="201",
    )

    assert failing("R07") == ids(issuing)


def test_r08_decisions_after_6_weeks_are_queried() -> None:
    received = D(2025, 9, 8)
    refused(decided_on=received + dt.timedelta(days=42))
    late = refused(decided_on=received + dt.timedelta(days=43))

    assert failing("R08") == ids(late)


# --- assessment ---------------------------------------------------------------------------------
def test_a01_assessment_steps_only_under_a_decision_to_assess() -> None:
    AdviceRequestFactory.create()
    advised = refused()
    AdviceRequestFactory.create(request=advised)

    assert failing("A01") == ids(advised)


def test_a02_the_assessment_dates_are_ordered_in_the_database() -> None:
    requested(not_issuing=True)

    assert failing("A02") == set()
    refuses(assessing=True, issue_decision="not_issue")
    refuses(assessing=True, issue_decision="issue", issue_decided_on=D(2025, 10, 1))


def test_a03_a_plan_issued_in_the_year_needs_its_request_for_week20() -> None:
    clean_plan(request=None, issued_on=D(2025, 6, 2), transferred_in_from_la="201")
    unlinked = clean_plan(request=None, issued_on=D(2025, 6, 2))

    assert failing("A03") == ids(unlinked)


def test_a04_a_final_plan_and_a_linked_plan_go_together() -> None:
    clean_plan()
    no_plan = requested(final_issued=True)
    undecided = requested(assessing=True)
    clean_plan(child=undecided.child, request=undecided, issued_on=D(2025, 12, 1))

    assert failing("A04") == ids(no_plan, undecided)


def test_a05_a_plan_transferred_in_is_not_one_issued_here_in_the_year() -> None:
    clean_plan(request=None, transferred_in_from_la="201")
    both = clean_plan(transferred_in_from_la="201")

    assert failing("A05") == ids(both)


def test_a06_a_challenged_refusal_to_issue_needs_the_decision() -> None:
    mediation(requested(not_issuing=True), "refusal_to_issue")
    undecided = requested(assessing=True)
    mediation(undecided, "refusal_to_issue")

    assert failing("A06") == ids(undecided)


# --- plan ---------------------------------------------------------------------------------------
def test_n01_the_start_date_is_required_by_the_database() -> None:
    clean_plan()

    assert failing("N01") == set()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory.create(request=None, issued_on=None)


def test_n01q_a_new_plan_starts_on_its_final_issue_date() -> None:
    dates = {
        "received_on": D(2025, 6, 2),
        "decided_on": D(2025, 7, 7),
        "issue_decided_on": D(2025, 9, 1),
        "draft_issued_on": D(2025, 9, 15),
        "final_issued_on": D(2025, 10, 20),
    }
    same = requested(final_issued=True, **dates)
    clean_plan(child=same.child, request=same, issued_on=D(2025, 10, 20))
    other = requested(final_issued=True, **dates)
    moved = clean_plan(child=other.child, request=other, issued_on=D(2025, 10, 27))

    assert failing("N01Q") == ids(moved)


def test_n02_one_setting_of_rank_1_named_in_the_plan() -> None:
    clean_plan()
    none_named = PlanFactory.create()
    PlacementFactory.create(plan=none_named)
    second_only = PlanFactory.create()
    PlacementFactory.create(plan=second_only)
    NamedSetting.objects.create(
        plan=second_only, establishment=EstablishmentFactory.create(), rank=2
    )

    assert failing("N02") == ids(none_named, second_only)


def test_n03_a_setting_is_a_school_or_a_code_in_the_database() -> None:
    plan = clean_plan()
    NamedSetting.objects.create(plan=plan, sen_setting="EHE", rank=2)
    home_tuition = EstablishmentFactory.create(urn="", ukprn="", name="Home tuition service")
    PlacementFactory.create(plan=plan, establishment=home_tuition, rank=2)  # reported as OTH

    assert failing("N03") == set()
    with pytest.raises(IntegrityError), transaction.atomic():
        NamedSetting.objects.create(plan=clean_plan(), rank=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory.create(plan=plan, establishment=home_tuition, sen_setting="EHE", rank=2)


def test_n04_neet_niec_and_nieo_are_never_named_in_a_plan() -> None:
    plan = clean_plan()
    NamedSetting.objects.create(plan=plan, sen_setting="EHE", rank=2)
    other = clean_plan()
    neet = NamedSetting.objects.create(plan=other, sen_setting="NEET", rank=2)

    assert failing("N04") == ids(neet)


def test_n05_other_and_nieo_are_described_and_nothing_else_is() -> None:
    plan = clean_plan()
    NamedSetting.objects.create(plan=plan, sen_setting="OTH", sen_setting_other="Farm", rank=2)
    undescribed = NamedSetting.objects.create(plan=clean_plan(), sen_setting="OTH", rank=2)
    described = NamedSetting.objects.create(
        plan=clean_plan(), sen_setting="EHE", sen_setting_other="Home", rank=2
    )
    nieo = PlacementFactory.create(
        plan=clean_plan(), establishment=None, sen_setting="NIEO", rank=2
    )

    assert failing("N05") == ids(undescribed, described, nieo)


def test_n06_unit_and_resourced_provision_flags_need_a_urn_and_not_both() -> None:
    school = EstablishmentFactory.create()
    NamedSetting.objects.create(plan=clean_plan(), establishment=school, sen_unit=True, rank=2)
    home = NamedSetting.objects.create(plan=clean_plan(), sen_setting="EHE", sen_unit=True, rank=2)
    both = PlacementFactory.create(
        plan=clean_plan(), establishment=school, sen_unit=True, resourced_provision=True, rank=2
    )

    assert failing("N06") == ids(home, both)


def test_n07_arrangements_need_a_personal_budget_and_a_code() -> None:
    clean_plan(personal_budget=True, direct_payments="E", organised_arrangements="S")
    clean_plan(personal_budget=True, direct_payments="ES")  # reported as I
    no_budget = clean_plan(direct_payments="E")
    bad_code = clean_plan(personal_budget=True, direct_payments="X")

    assert failing("N07") == ids(no_budget, bad_code)


def ceased(plan: Plan, on: dt.date, reason: int, **fields: Any) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.CEASED, ceased_on=on, cease_reason=reason, **fields
    )
    plan.refresh_from_db()
    return plan


def test_n08_the_cease_date_follows_the_decision_to_cease() -> None:
    issued = {"issued_on": D(2024, 6, 3)}
    ceased(clean_plan(**issued), D(2025, 12, 20), 2, cease_decided_on=D(2025, 12, 10))
    early = ceased(clean_plan(**issued), D(2025, 12, 1), 2, cease_decided_on=D(2025, 12, 10))

    assert failing("N08") == ids(early)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=early.pk).update(cease_reason=None)


def test_n09_moved_to_another_la_but_a_plan_in_force_here() -> None:
    ceased(clean_plan(issued_on=D(2024, 6, 3)), D(2025, 6, 2), 5)
    moved = ceased(clean_plan(issued_on=D(2024, 6, 3)), D(2025, 6, 2), 5)
    clean_plan(child=moved.child)

    assert failing("N09") == ids(moved)


def test_n09q_maximum_age_under_18_is_a_query() -> None:
    eighteen = ChildFactory.create(date_of_birth=D(2007, 6, 2))
    ceased(clean_plan(child=eighteen, issued_on=D(2024, 6, 3)), D(2025, 6, 2), 1)
    seventeen = ChildFactory.create(date_of_birth=D(2007, 6, 3))
    young = ceased(clean_plan(child=seventeen, issued_on=D(2024, 6, 3)), D(2025, 6, 2), 1)

    assert failing("N09Q") == ids(young)


def test_n10_more_than_1_in_10_ceased_for_other_reasons_is_a_query() -> None:
    plans = [ceased(clean_plan(issued_on=D(2024, 6, 3)), D(2025, 6, 2), 2) for _ in range(10)]
    Plan.objects.filter(pk=plans[0].pk).update(cease_reason=9)

    assert failing("N10") == set()  # 1 in 10 is not more than 1 in 10

    Plan.objects.filter(pk=plans[1].pk).update(cease_reason=9)
    assert failing("N10") == ids(plans[0], plans[1])


# --- active plan --------------------------------------------------------------------------------
def test_ap01_one_plan_in_force_per_child_on_the_census_day() -> None:
    clean_plan()
    old = ceased(clean_plan(issued_on=D(2023, 5, 2)), D(2026, 2, 1), 2)
    new = clean_plan(
        child=old.child, request=None, issued_on=D(2025, 12, 1), transferred_in_from_la="201"
    )

    assert failing("AP01") == ids(old, new)


def test_ap02_a_primary_need_from_the_sen2_list() -> None:
    clean_plan(secondary_need="SLCN")
    nsa = clean_plan(primary_need="NSA")
    blank = clean_plan(primary_need="")

    assert failing("AP02") == ids(nsa, blank)


def test_ap03_a_placement_open_on_the_census_day_one_per_rank() -> None:
    clean_plan()
    unplaced = PlanFactory.create()
    NamedSetting.objects.create(plan=unplaced, establishment=EstablishmentFactory.create(), rank=1)
    PlacementFactory.create(plan=unplaced, ends_on=CENSUS)
    twice = clean_plan()
    second = PlacementFactory.create(plan=twice, starts_on=D(2025, 9, 1))
    first = Placement.objects.get(plan=twice, starts_on=twice.issued_on)

    assert failing("AP03") == ids(unplaced, first, second)
    messages = {f.record_id: f.message for f in failures(year=YEAR, rule="AP03")}
    assert messages[str(unplaced.pk)].startswith("No placement is open on the census date")
    assert messages[str(second.pk)].startswith("Another placement of the same rank")


def test_ap04_neet_only_from_16_to_25() -> None:
    def neet(born: dt.date) -> Placement:
        plan = clean_plan(child=ChildFactory.create(date_of_birth=born))
        placement: Placement = PlacementFactory.create(
            plan=plan, establishment=None, sen_setting="NEET", rank=2
        )
        return placement

    neet(D(2010, 1, 15))  # 16 on the census day
    neet(D(2000, 1, 16))  # 25
    fifteen = neet(D(2010, 1, 16))
    twenty_six = neet(D(2000, 1, 15))

    assert failing("AP04") == ids(fifteen, twenty_six)


def test_ap05_a_plan_over_12_months_old_has_its_latest_review_decided_by_the_census() -> None:
    old = {"request": None, "transferred_in_from_la": "201"}
    review(clean_plan(issued_on=D(2024, 12, 2), **old))
    clean_plan(issued_on=D(2025, 1, 16), **old)  # under 12 months on the census day
    unreviewed = clean_plan(issued_on=D(2025, 1, 15), **old)
    pending = clean_plan(issued_on=D(2023, 12, 4), **old)
    review(pending, meeting_on=D(2024, 11, 18), decision_issued_on=D(2024, 11, 29))
    review(
        pending,
        sequence=2,
        status=ReviewStatus.MEETING_HELD,
        cycle_start_on=D(2024, 11, 29),
        meeting_on=D(2026, 1, 8),
        decision="",
        decision_issued_on=None,
    )

    assert failing("AP05") == ids(unreviewed, pending)


def test_ap05q_a_review_decision_over_4_weeks_after_the_meeting_is_a_query() -> None:
    old = {"request": None, "issued_on": D(2024, 12, 2), "transferred_in_from_la": "201"}
    review(clean_plan(**old), decision_issued_on=D(2025, 12, 18))  # 28 days
    late = review(clean_plan(**old), decision_issued_on=D(2025, 12, 19))

    assert failing("AP05Q") == ids(late)
    assert failures(year=YEAR, rule="AP05Q")[0].fix_url == reverse(
        "reviews:review-detail", args=[late.pk]
    )


def test_ap06_a_draft_amended_plan_only_after_a_decision_to_amend() -> None:
    old = {"request": None, "issued_on": D(2024, 12, 2), "transferred_in_from_la": "201"}
    review(
        clean_plan(**old),
        status=ReviewStatus.AMENDMENTS_SENT,
        decision=Decision.AMEND,
        amendments_issued_on=D(2025, 12, 5),
    )

    assert failing("AP06") == set()
    with pytest.raises(IntegrityError), transaction.atomic():
        review(clean_plan(**old), amendments_issued_on=D(2025, 12, 5))


def phase_review(plan: Plan, *, due: dt.date, met: dt.date) -> AnnualReview:
    """A review amending the plan for a move to secondary school in September 2026, with the
    stored deadline the reviews app keeps (due 15 February; met when the plan was finalised)."""
    found = review(
        plan,
        status=ReviewStatus.AMENDED,
        decision=Decision.AMEND,
        amendments_issued_on=D(2025, 12, 2),
        final_amended_issued_on=D(2026, 1, 5),
        phase_transfer=True,
        phase_transfer_kind="school",
        phase_transfer_on=D(2026, 9, 1),
    )
    Deadline.objects.create(
        child_id=plan.child_id,
        subject_type="reviews.annualreview",
        subject_id=found.pk,
        rule="phase_transfer_school",
        title="Amended plan for the transfer",
        regulation="regulation 18",
        trigger_on=D(2026, 9, 1),
        due_on=due,
        practical_target_on=due,
        met_on=met,
        status="met",
        explanation="15 February before the transfer.",
    )
    return found


OLD_PLAN = {"request": None, "issued_on": D(2024, 12, 2), "transferred_in_from_la": "201"}


def test_ap07_the_phase_transfer_plan_is_finalised_after_the_meeting() -> None:
    phase_review(clean_plan(**OLD_PLAN), due=D(2026, 2, 15), met=D(2026, 1, 5))
    early = phase_review(clean_plan(**OLD_PLAN), due=D(2026, 2, 15), met=D(2025, 11, 19))

    assert failing("AP07") == ids(early)


def test_ap07q_a_phase_transfer_plan_after_its_deadline_is_a_query() -> None:
    phase_review(clean_plan(**OLD_PLAN), due=D(2026, 1, 5), met=D(2026, 1, 5))
    late = phase_review(clean_plan(**OLD_PLAN), due=D(2025, 12, 15), met=D(2026, 1, 5))

    assert failing("AP07Q") == ids(late)


def test_ap08_residential_and_work_based_codes_of_the_year() -> None:
    clean_plan(residential="B", work_based="S")
    bad_plan = clean_plan(residential="C")
    bad_placement = PlacementFactory.create(plan=clean_plan(), work_based="X", rank=2)

    assert failing("AP08") == ids(bad_plan, bad_placement)


def test_ap09_transferred_in_from_another_council() -> None:
    clean_plan(request=None, transferred_in_from_la="201")
    ours = clean_plan(request=None, transferred_in_from_la="999")
    letters = clean_plan(request=None, transferred_in_from_la="ABC")

    assert failing("AP09") == ids(ours, letters)


# --- the data-quality page ----------------------------------------------------------------------
def no_source(caseworker: User | None = None) -> AssessmentRequest:
    """A request failing R04 (no source), in `caseworker`'s caseload."""
    return requested(child=ChildFactory.create(caseworker=caseworker), source="")


def test_managers_see_every_rule_and_every_failing_record(
    manager_client: Client, caseworker: User
) -> None:
    mine = no_source(caseworker)
    other = no_source()
    PlanFactory.create(child=ChildFactory.create(caseworker=caseworker))  # N02 and AP03 fail

    response = manager_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    counts = {rc.rule.id: rc.count for rc, _ in response.context["counts"]}
    assert [counts["R04"], counts["N02"], counts["AP03"], counts["P01"]] == [2, 1, 1, 0]
    assert (response.context["errors"], response.context["queries"]) == (4, 0)
    listed = [(f.rule_id, f.child_reference) for f in response.context["page"].object_list]
    assert ("R04", mine.child.reference) in listed
    assert ("R04", other.child.reference) in listed
    assert len(listed) == 4
    assert f'href="{reverse("cases:child-detail", args=[mine.child_id])}"' in page
    assert "Whole council" in page


def test_a_rule_link_lists_only_that_rules_records(manager_client: Client) -> None:
    request = no_source()
    PlanFactory.create()

    response = manager_client.get(URL, {"rule": "R04", "year": "2026"})

    failures_shown = response.context["page"].object_list
    assert [(f.rule_id, f.record_id) for f in failures_shown] == [("R04", str(request.pk))]
    assert "Records failing R04" in response.content.decode()


def test_caseworkers_see_the_failures_in_their_own_caseload(
    caseworker_client: Client, caseworker: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user("colleague", Role.CASEWORKER)
    mine = no_source(caseworker)
    no_source(colleague)
    no_source()

    response = caseworker_client.get(URL)

    assert response.status_code == 200
    assert [f.record_id for f in response.context["page"].object_list] == [str(mine.pk)]
    assert {rc.rule.id: rc.count for rc, _ in response.context["counts"]}["R04"] == 1
    assert response.context["history"] == []


def test_a_caseworker_fixes_a_childs_details_on_the_edit_page_a_manager_views_the_case(
    caseworker_client: Client, manager_client: Client, caseworker: User
) -> None:
    child = requested(child=ChildFactory.create(caseworker=caseworker, first_name="")).child

    fix = caseworker_client.get(URL, {"rule": "P01"}).context["page"].object_list[0].fix_url
    view = manager_client.get(URL, {"rule": "P01"}).context["page"].object_list[0].fix_url

    assert fix == reverse("cases:child-edit", args=[child.pk])
    assert view == reverse("cases:child-detail", args=[child.pk])


def test_panel_members_are_refused(panel_member_client: Client) -> None:
    assert panel_member_client.get(URL).status_code == 403


def test_administrators_see_the_whole_council(admin_client_: Client) -> None:
    no_source()

    response = admin_client_.get(URL)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_an_unknown_rule_is_not_found(manager_client: Client) -> None:
    assert manager_client.get(URL, {"rule": "Z01"}).status_code == 404


def test_reading_the_list_is_audited(manager_client: Client, manager: User) -> None:
    no_source()
    no_source()

    manager_client.get(URL, {"rule": "R04"})

    event = AuditEvent.objects.get(action="sen2.data_quality.view")
    assert event.actor == manager
    assert event.changes == {
        "year": 2026,
        "rule": "R04",
        "rows": 2,
        "scope": "Whole council",
        "output": "page",
    }


def test_the_failures_download_as_csv(manager_client: Client, caseworker: User) -> None:
    request = no_source(caseworker)

    response = manager_client.get(URL, {"download": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Rule",
        "Severity",
        "Problem",
        "Reference",
        "Name",
        "Caseworker",
        "Record",
        "Where to fix it",
    ]
    assert rows[1] == [
        "R04",
        "Error",
        BY_ID["R04"].message,
        request.child.reference,
        request.child.full_name,
        "Sam Okafor",
        "Request received 8 Sep 2025",
        reverse("cases:child-detail", args=[request.child_id]),
    ]
    assert len(rows) == 2
    assert AuditEvent.objects.get(action="sen2.data_quality.view").changes["output"] == "csv"


def test_the_list_is_paged_50_at_a_time(manager_client: Client) -> None:
    made = [no_source() for _ in range(51)]

    first = manager_client.get(URL, {"rule": "R04"})
    second = manager_client.get(URL, {"rule": "R04", "page": "2"})

    assert len(first.context["page"].object_list) == 50
    assert [f.record_id for f in second.context["page"].object_list] == [
        str(max(made, key=lambda r: r.child.reference).pk)
    ]
    assert "Showing 51 to 51 of 51 records" in second.content.decode()


def test_the_page_runs_the_same_queries_for_1_or_20_failing_records(
    manager_client: Client,
) -> None:
    def queries(count: int) -> int:
        for _ in range(count):
            no_source()
            PlanFactory.create()
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(URL).status_code == 200
        return len(captured)

    assert queries(1) == queries(20)


# --- counts, the dashboard's figures and the nightly task ---------------------------------------
def test_the_dashboard_summary_is_errors_and_queries() -> None:
    no_source()
    refused(decided_on=D(2025, 10, 21))  # R08: 43 days

    assert data_quality_summary() == (1, 1)
    assert data_quality_summary(year=2026) == (1, 1)
    assert error_count(year=2026) == 1


def test_the_nightly_task_stores_each_rules_count_once_a_day(
    manager_client: Client,
) -> None:
    no_source()

    assert record_validation_counts() == 1
    no_source()
    assert record_validation_counts() == 2  # the same day again: replaced, not added

    rows = Sen2ValidationCount.objects.filter(counted_on=D(2026, 2, 10), year=2026)
    assert rows.count() == len(RULES)
    assert rows.get(rule_id="R04").failures == 2
    assert rows.get(rule_id="R04").severity == "error"
    assert rows.get(rule_id="P01").failures == 0
    history = manager_client.get(URL).context["history"]
    assert [(n.day, n.errors, n.queries) for n in history] == [(D(2026, 2, 10), 2, 0)]


def test_the_nightly_task_is_scheduled_by_name() -> None:
    from send_cms.celery import app

    entries = {e["task"] for e in app.conf.beat_schedule.values()}
    assert "reporting.sen2.validation_tasks.record_validation_counts" in entries
    assert "reporting.sen2.validation_tasks.record_validation_counts" in app.tasks


def test_failures_are_the_live_records(caseworker: User) -> None:
    request = no_source(caseworker)
    assert validation.failures(year=2026, rule="R04").count() == 1

    AssessmentRequest.objects.filter(pk=request.pk).update(source="school")

    assert validation.failures(year=2026, rule="R04").count() == 0
    assert Child.objects.count() == 1
