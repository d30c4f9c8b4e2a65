"""Plans after issue: placements over time, amended versions, and ceasing after the appeal
deadline."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases import services
from cases.models import Establishment, Placement, Plan, PlanVersion, TimelineEntry
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.common.exceptions import TransitionNotAllowed
from tests.factories import EstablishmentFactory, PlacementFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_2026() -> Iterator[dt.date]:
    """Tue 1 Dec 2026: the appeal deadlines of the worked examples have passed."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), tick=False):
        yield dt.date(2026, 12, 1)


@pytest.fixture
def plan(late_2026: dt.date) -> Plan:
    """Issued Mon 12 Jan 2026."""
    return PlanFactory.create()


@pytest.fixture
def school() -> Establishment:
    return EstablishmentFactory.create(name="Oak Hill Primary")


def test_a_new_placement_ends_the_previous_one_of_its_rank(
    caseworker: User, plan: Plan, school: Establishment
) -> None:
    first = services.placement_create(
        actor=caseworker, plan=plan, starts_on=dt.date(2026, 1, 12), establishment=school, band="B2"
    )
    special = EstablishmentFactory.create(name="Brook Special School", kind="special")
    second = services.placement_create(
        actor=caseworker,
        plan=plan,
        starts_on=dt.date(2026, 9, 2),
        establishment=special,
        band="C1",
        annual_cost=Decimal("24000.00"),
    )
    first.refresh_from_db()
    assert first.ends_on == dt.date(2026, 9, 1)
    assert second.ends_on is None
    titles = list(
        TimelineEntry.objects.filter(plan=plan)
        .order_by("occurred_on")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Placement at Oak Hill Primary from 12 Jan 2026",
        "Placement at Brook Special School from 2 Sep 2026",
    ]
    assert AuditEvent.objects.filter(action="placement.ended").count() == 1


def test_a_rank_2_placement_leaves_rank_1_open(
    caseworker: User, plan: Plan, school: Establishment
) -> None:
    first = services.placement_create(
        actor=caseworker, plan=plan, starts_on=dt.date(2026, 1, 12), establishment=school
    )
    services.placement_create(
        actor=caseworker, plan=plan, starts_on=dt.date(2026, 2, 1), sen_setting="OLA", rank=2
    )
    first.refresh_from_db()
    assert first.ends_on is None


def test_a_placement_cannot_start_before_the_current_one(
    caseworker: User, plan: Plan, school: Establishment
) -> None:
    services.placement_create(
        actor=caseworker, plan=plan, starts_on=dt.date(2026, 1, 12), establishment=school
    )
    with pytest.raises(ValidationError) as caught:
        services.placement_create(
            actor=caseworker, plan=plan, starts_on=dt.date(2026, 1, 12), sen_setting="EHE"
        )
    assert caught.value.message_dict == {
        "starts_on": [
            services.PLACEMENT_BEFORE_PREVIOUS.format(previous_start="12 Jan 2026", rank=1)
        ]
    }


def test_a_placement_is_one_kind_of_setting(
    caseworker: User, plan: Plan, school: Establishment
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.placement_create(
            actor=caseworker,
            plan=plan,
            starts_on=dt.date(2026, 1, 12),
            establishment=school,
            sen_setting="EHE",
        )
    assert caught.value.message_dict == {"establishment": [services.SETTING_ONE_KIND]}
    with pytest.raises(ValidationError) as caught:
        services.placement_create(actor=caseworker, plan=plan, rank=3)
    assert caught.value.message_dict == {
        "rank": [services.RANK_INVALID],
        "establishment": [services.SETTING_NEEDED],
        "starts_on": [services.PLACEMENT_START_NEEDED],
    }


def test_awaiting_a_placement_ends_when_one_is_found(
    caseworker: User, plan: Plan, school: Establishment
) -> None:
    waiting = services.placement_create(actor=caseworker, plan=plan, awaiting_placement=True)
    assert (waiting.starts_on, waiting.establishment) == (None, None)
    services.placement_create(
        actor=caseworker, plan=plan, starts_on=dt.date(2026, 3, 2), establishment=school
    )
    waiting.refresh_from_db()
    assert (waiting.starts_on, waiting.ends_on) == (dt.date(2026, 3, 1), dt.date(2026, 3, 1))


def test_ending_a_placement_once_and_not_before_it_started(caseworker: User, plan: Plan) -> None:
    placement = PlacementFactory.create(plan=plan)
    with pytest.raises(ValidationError) as caught:
        services.placement_end(actor=caseworker, placement=placement, ends_on=dt.date(2026, 1, 11))
    assert caught.value.message_dict == {
        "ends_on": [services.PLACEMENT_ENDS_BEFORE_START.format(starts_on="12 Jan 2026")]
    }
    services.placement_end(actor=caseworker, placement=placement, ends_on=dt.date(2026, 7, 22))
    with pytest.raises(TransitionNotAllowed) as again:
        services.placement_end(actor=caseworker, placement=placement, ends_on=dt.date(2026, 7, 23))
    assert again.value.message == services.PLACEMENT_ALREADY_ENDED


def test_each_amended_version_is_kept(caseworker: User, plan: Plan) -> None:
    version = services.plan_version_issue(
        actor=caseworker, plan=plan, issued_on=dt.date(2026, 6, 1), changes="Section I: new school"
    )
    assert (version.number, version.kind, version.issued_by) == (2, "amended", caseworker)
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]
    assert TimelineEntry.objects.get(event="plan.version_issued").title == (
        "Amended EHC plan issued (version 2)"
    )
    with pytest.raises(ValidationError) as caught:
        services.plan_version_issue(
            actor=caseworker, plan=plan, issued_on=dt.date(2026, 5, 1), changes=""
        )
    assert caught.value.message_dict == {
        "changes": [services.VERSION_NEEDS_CHANGES],
        "issued_on": [services.VERSION_BEFORE_PREVIOUS.format(number=2, issued_on="1 Jun 2026")],
    }
    by_the_system = services.plan_version_issue(
        actor=None, plan=plan, issued_on=dt.date(2026, 7, 1), changes="Phase transfer"
    )
    assert (by_the_system.number, by_the_system.issued_by) == (3, None)


def test_ceasing_is_proposed_once(caseworker: User, plan: Plan) -> None:
    with pytest.raises(ValidationError) as caught:
        services.plan_cease_propose(actor=caseworker, plan=plan, proposed_on=dt.date(2026, 1, 11))
    assert caught.value.message_dict == {
        "proposed_on": [services.CEASE_PROPOSED_BEFORE_ISSUE.format(issued_on="12 Jan 2026")]
    }
    services.plan_cease_propose(actor=caseworker, plan=plan, proposed_on=dt.date(2026, 5, 1))
    plan.refresh_from_db()
    assert (plan.status, plan.cease_proposed_on) == ("active", dt.date(2026, 5, 1))
    with pytest.raises(TransitionNotAllowed) as again:
        services.plan_cease_propose(actor=caseworker, plan=plan, proposed_on=dt.date(2026, 5, 2))
    assert again.value.message == services.CEASE_ALREADY_PROPOSED.format(proposed_on="1 May 2026")


def test_the_plan_stays_in_force_until_the_appeal_deadline_has_passed(
    caseworker: User, plan: Plan
) -> None:
    """Decision notice Wed 10 Jun 2026: 10 Aug falls in August, so the family can appeal until
    Tue 1 Sep 2026 (31 Aug is a bank holiday); the plan can cease from Wed 2 Sep."""
    services.plan_cease_propose(actor=caseworker, plan=plan, proposed_on=dt.date(2026, 5, 1))
    assert services.appeal_deadline_for(dt.date(2026, 6, 10)) == dt.date(2026, 9, 1)
    with pytest.raises(ValidationError) as caught:
        services.plan_cease(
            actor=caseworker,
            plan=plan,
            decided_on=dt.date(2026, 6, 10),
            ceased_on=dt.date(2026, 9, 1),
            reason=2,
        )
    assert caught.value.message_dict == {
        "ceased_on": [
            "The plan must stay in force until the family's appeal deadline (1 Sep 2026) has "
            "passed: it can cease from 2 Sep 2026, or earlier only once an appeal has been decided."
        ]
    }
    plan.refresh_from_db()
    assert plan.status == "active"
    services.plan_cease(
        actor=caseworker,
        plan=plan,
        decided_on=dt.date(2026, 6, 10),
        ceased_on=dt.date(2026, 9, 2),
        reason=2,
    )
    plan.refresh_from_db()
    assert (plan.status, plan.ceased_on, plan.cease_decided_on, plan.cease_reason) == (
        "ceased",
        dt.date(2026, 9, 2),
        dt.date(2026, 6, 10),
        2,
    )
    entry = TimelineEntry.objects.get(event="plan.ceased")
    assert (entry.title, entry.detail, entry.to_status) == (
        "EHC plan ceased",
        "Needs met without a plan",
        "ceased",
    )


def test_a_decided_appeal_lets_the_plan_cease_sooner(caseworker: User, plan: Plan) -> None:
    services.plan_cease(
        actor=caseworker,
        plan=plan,
        decided_on=dt.date(2026, 6, 10),
        ceased_on=dt.date(2026, 7, 1),
        reason=2,
        appeal_decided=True,
    )
    plan.refresh_from_db()
    assert plan.status == "ceased"


@pytest.mark.parametrize("reason", [5, 8])
def test_no_appeal_to_wait_for_when_the_child_moved_la_or_died(
    caseworker: User, plan: Plan, reason: int
) -> None:
    services.plan_cease(
        actor=caseworker,
        plan=plan,
        decided_on=dt.date(2026, 6, 10),
        ceased_on=dt.date(2026, 6, 10),
        reason=reason,
    )
    plan.refresh_from_db()
    assert plan.status == "ceased"


def test_ceasing_ends_the_open_placements_and_then_nothing_more(
    caseworker: User, plan: Plan, school: Establishment
) -> None:
    placement = services.placement_create(
        actor=caseworker, plan=plan, starts_on=dt.date(2026, 1, 12), establishment=school
    )
    services.plan_cease(
        actor=caseworker,
        plan=plan,
        decided_on=dt.date(2026, 6, 10),
        ceased_on=dt.date(2026, 9, 2),
        reason=4,
    )
    placement.refresh_from_db()
    assert placement.ends_on == dt.date(2026, 9, 2)
    for step in (
        lambda: services.plan_cease_propose(
            actor=caseworker, plan=plan, proposed_on=dt.date(2026, 9, 3)
        ),
        lambda: services.plan_version_issue(
            actor=caseworker, plan=plan, issued_on=dt.date(2026, 9, 3), changes="x"
        ),
        lambda: services.placement_create(
            actor=caseworker, plan=plan, starts_on=dt.date(2026, 9, 3), sen_setting="EHE"
        ),
        lambda: services.plan_cease(
            actor=caseworker,
            plan=plan,
            decided_on=dt.date(2026, 9, 3),
            ceased_on=dt.date(2026, 9, 3),
            reason=8,
        ),
    ):
        with pytest.raises(TransitionNotAllowed) as caught:
            step()
        assert caught.value.message == services.PLAN_CEASED
    assert Placement.objects.filter(plan=plan).count() == 1


def test_cease_dates_in_order(caseworker: User, plan: Plan) -> None:
    services.plan_cease_propose(actor=caseworker, plan=plan, proposed_on=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError) as caught:
        services.plan_cease(
            actor=caseworker,
            plan=plan,
            decided_on=dt.date(2026, 4, 30),
            ceased_on=dt.date(2026, 4, 29),
            reason=10,
        )
    assert caught.value.message_dict == {
        "reason": [services.CEASE_REASON_INVALID],
        "decided_on": [services.CEASE_DECIDED_BEFORE_PROPOSAL.format(proposed_on="1 May 2026")],
        "ceased_on": [services.CEASED_BEFORE_DECISION.format(decided_on="30 Apr 2026")],
    }
    with pytest.raises(ValidationError) as caught:
        services.plan_cease(
            actor=caseworker,
            plan=plan,
            decided_on=dt.date(2026, 12, 2),
            ceased_on=dt.date(2026, 12, 2),
            reason=8,
        )
    assert caught.value.message_dict == {
        "decided_on": ["The date of the decision cannot be in the future."],
        "ceased_on": ["The date the plan ceased cannot be in the future."],
    }
