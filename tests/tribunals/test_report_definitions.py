"""The disagreement-resolution figures of reporting.md as the reporting app imports them
(tribunals.selectors.reporting), each against hand-built rows on its boundary days."""

import datetime as dt
import uuid
from collections import Counter
from typing import Any

import pytest
from django.db.models import Count, QuerySet

from tribunals import services
from tribunals.codes import AppealType, Outcome
from tribunals.models import Appeal, ComplianceStep, Mediation, Order
from tribunals.selectors import (
    APPEAL_TYPE_GROUPS,
    OUTCOME_GROUPS,
    AppealTypeGroup,
    OutcomeGroup,
    appeal_closed_in,
    appeal_registered_in,
    appeal_registered_on,
    appeal_type_group,
    compliance_overdue_q,
    group_of,
    mediations_held_in,
    order_is_overdue,
    orders_overdue_q,
    outcome_group,
    overdue_orders,
)
from tribunals.selectors.rulings import outcomes_view

from .factories import make_child, record_mediation, register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = dt.date
START, END = D(2026, 1, 1), D(2026, 3, 31)


def _pks(queryset: QuerySet[Any]) -> set[uuid.UUID]:
    return set(queryset.values_list("pk", flat=True))


# --- the groups, as data ----------------------------------------------------------------------
def test_every_appeal_type_is_in_exactly_one_group() -> None:
    grouped = Counter(t for types in APPEAL_TYPE_GROUPS.values() for t in types)
    assert grouped == Counter(AppealType.values)
    assert list(APPEAL_TYPE_GROUPS) == AppealTypeGroup.values
    assert group_of(APPEAL_TYPE_GROUPS, "refusal_to_amend") == "contents"  # names B, F or I
    assert group_of(APPEAL_TYPE_GROUPS, "refusal_to_reassess") == "other"


def test_every_outcome_is_in_exactly_one_group() -> None:
    grouped = Counter(o for outcomes in OUTCOME_GROUPS.values() for o in outcomes)
    assert grouped == Counter(Outcome.values)
    assert list(OUTCOME_GROUPS) == OutcomeGroup.values
    assert group_of(OUTCOME_GROUPS, "upheld_in_part") == "upheld"
    assert group_of(OUTCOME_GROUPS, "struck_out") == "withdrawn"


# --- appeals registered -----------------------------------------------------------------------
def _registered(caseworker, *, received: dt.date, lodged: dt.date | None = None, **kw) -> Appeal:
    return register_appeal(
        caseworker,
        decision_notice_on=D(2025, 11, 3),
        received_by_la_on=received,
        lodged_on=lodged,
        **kw,
    )


def test_an_appeal_is_registered_when_the_tribunal_received_it_else_the_council(caseworker):
    lodged = _registered(caseworker, received=D(2026, 1, 5), lodged=D(2025, 12, 30))
    unlodged = _registered(caseworker, received=D(2026, 1, 5))
    days = dict(Appeal.objects.annotate(on=appeal_registered_on()).values_list("pk", "on"))
    assert days == {lodged.pk: D(2025, 12, 30), unlodged.pk: D(2026, 1, 5)}
    assert _pks(Appeal.objects.filter(appeal_registered_in(start=START, end=END))) == {unlodged.pk}


def test_appeals_registered_include_both_ends_of_the_period(caseworker) -> None:
    first = _registered(caseworker, received=D(2026, 1, 9), lodged=START)
    last = _registered(caseworker, received=END)
    _registered(caseworker, received=D(2026, 1, 2), lodged=START - dt.timedelta(days=1))
    _registered(caseworker, received=END + dt.timedelta(days=1))
    assert _pks(Appeal.objects.filter(appeal_registered_in(start=START, end=END))) == {
        first.pk,
        last.pk,
    }


def test_appeals_registered_by_type_group_in_one_query(caseworker, django_assert_num_queries):
    for appeal_type in ("refusal_to_assess", "refusal_to_reassess", "contents", "cease"):
        _registered(caseworker, received=D(2026, 2, 2), appeal_type=appeal_type)
    _registered(caseworker, received=D(2026, 2, 2), appeal_type="refusal_to_amend", sections=["I"])
    with django_assert_num_queries(1):
        counts = dict(
            Appeal.objects.filter(appeal_registered_in(start=START, end=END))
            .values_list(appeal_type_group())
            .annotate(n=Count("pk"))
            .order_by()
        )
    assert counts == {"refusal_to_assess": 1, "other": 1, "contents": 2, "cease": 1}


# --- outcomes ---------------------------------------------------------------------------------
def _closed(caseworker, outcome: str, decided_on: dt.date) -> Appeal:
    appeal = _registered(caseworker, received=D(2025, 12, 1))
    return services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome=outcome, decided_on=decided_on
    )


def test_outcomes_in_the_period_by_group(caseworker, manager) -> None:
    _closed(caseworker, "upheld", START)
    _closed(caseworker, "upheld_in_part", END)
    _closed(caseworker, "dismissed", D(2026, 2, 1))
    _closed(caseworker, "conceded", D(2026, 2, 1))
    _closed(caseworker, "withdrawn", D(2026, 2, 1))
    _closed(caseworker, "struck_out", D(2026, 2, 1))
    _closed(caseworker, "upheld", END + dt.timedelta(days=1))
    _closed(caseworker, "dismissed", START - dt.timedelta(days=1))
    _registered(caseworker, received=D(2026, 2, 1))  # still open: no outcome
    counts = dict(
        Appeal.objects.filter(appeal_closed_in(start=START, end=END))
        .values_list(outcome_group())
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert counts == {"upheld": 2, "dismissed": 1, "conceded": 1, "withdrawn": 2}
    # The managers' outcomes page counts the same appeals in the same groups.
    view = outcomes_view(user=manager, since=START, until=END)
    (row,) = view.groups["Appeal type"]
    assert (row.closed, row.upheld, row.decided, row.other_closed) == (6, 2, 3, 2)
    assert {g: row.group(g) for g in OutcomeGroup.values} == counts


# --- mediations -------------------------------------------------------------------------------
def _held(caseworker, held_on: dt.date, outcome: str = "no_agreement") -> Mediation:
    mediation = record_mediation(
        caseworker,
        decision_notice_on=D(2025, 11, 3),
        family_contacted_on=D(2025, 11, 10),
        mediation_wanted=True,
        la_informed_on=D(2025, 11, 11),
    )
    return services.mediation_record_held(
        actor=caseworker, mediation=mediation, held_on=held_on, outcome=outcome
    )


def test_mediations_held_include_both_ends_of_the_period(caseworker) -> None:
    first = _held(caseworker, START)
    last = _held(caseworker, END)
    _held(caseworker, START - dt.timedelta(days=1))
    _held(caseworker, END + dt.timedelta(days=1))
    record_mediation(caseworker)  # not held
    assert _pks(Mediation.objects.filter(mediations_held_in(start=START, end=END))) == {
        first.pk,
        last.pk,
    }


# --- orders overdue ---------------------------------------------------------------------------
SENT_ON = D(2025, 12, 10)
NOTIFY_DUE = D(2025, 12, 24)  # 2 weeks
NO_PLAN_DUE = D(2026, 2, 18)  # 10 weeks: only if the council takes that route
FINAL_DUE = D(2026, 3, 18)  # 14 weeks


def _assess_order(caseworker) -> Order:
    child = make_child()
    appeal = register_appeal(
        caseworker,
        child=child,
        decision_notice_on=D(2025, 6, 2),
        received_by_la_on=D(2025, 9, 1),
    )
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2025, 10, 1))
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2025, 12, 9)
    )
    return services.appeal_order_add(
        actor=caseworker, appeal=appeal, kind="assess", made_on=D(2025, 12, 9), sent_on=SENT_ON
    )


def _overdue_rules(order: Order, on: dt.date) -> set[str]:
    steps = ComplianceStep.objects.filter(orders_overdue_q(on=on), order=order)
    return set(steps.values_list("rule", flat=True))


def _order_overdue(order: Order, on: dt.date) -> bool:
    return Order.objects.filter(order_is_overdue(on=on), pk=order.pk).exists()


def test_a_step_due_yesterday_and_not_complied_is_overdue(caseworker) -> None:
    order = _assess_order(caseworker)
    assert tuple(order.steps.order_by("position").values_list("due_on", flat=True)) == (
        NOTIFY_DUE,
        NO_PLAN_DUE,
        FINAL_DUE,
    )
    assert _overdue_rules(order, NOTIFY_DUE) == set()  # due today: not yet
    assert _overdue_rules(order, NOTIFY_DUE + dt.timedelta(days=1)) == {"order_assess_notify"}
    assert _order_overdue(order, NOTIFY_DUE + dt.timedelta(days=1))
    assert not _order_overdue(order, NOTIFY_DUE)


def test_complied_on_the_day_clears_it_and_complied_later_does_not(caseworker) -> None:
    on = D(2025, 12, 29)
    on_the_day = _assess_order(caseworker)
    services.order_complied(actor=caseworker, order=on_the_day, complied_on=on)
    later = _assess_order(caseworker)
    services.order_complied(actor=caseworker, order=later, complied_on=on + dt.timedelta(days=1))
    assert _overdue_rules(on_the_day, on) == set()
    assert _overdue_rules(later, on) == {"order_assess_notify"}  # as at `on` it was overdue
    assert _overdue_rules(later, on + dt.timedelta(days=1)) == set()


def test_the_route_not_taken_is_not_applicable_and_never_overdue(caseworker) -> None:
    order = _assess_order(caseworker)
    services.order_complied(actor=caseworker, order=order, complied_on=D(2025, 12, 22))
    # 10 weeks without a decision not to issue is not overdue: the plan route still applies.
    assert _overdue_rules(order, NO_PLAN_DUE + dt.timedelta(days=10)) == set()
    services.order_complied(
        actor=caseworker, order=order, complied_on=D(2026, 2, 16), step="order_assess_no_plan"
    )
    final = order.steps.get(rule="order_assess_final")
    assert final.applicable is False
    assert _overdue_rules(order, D(2026, 6, 1)) == set()  # the final plan step no longer applies
    assert not _order_overdue(order, D(2026, 6, 1))


def test_a_step_switched_off_later_was_overdue_while_it_applied(caseworker) -> None:
    order = _assess_order(caseworker)
    services.order_complied(actor=caseworker, order=order, complied_on=D(2025, 12, 22))
    services.order_complied(
        actor=caseworker, order=order, complied_on=D(2026, 3, 25), step="order_assess_no_plan"
    )
    assert _overdue_rules(order, D(2026, 3, 20)) == {"order_assess_final"}
    assert _overdue_rules(order, D(2026, 3, 25)) == set()


def test_agreement_actions_are_compliance_steps_but_not_orders(caseworker) -> None:
    mediation = _held(caseworker, D(2025, 12, 1), outcome="agreement")
    action = services.mediation_action_add(
        actor=caseworker, mediation=mediation, matter="other", description="Short breaks"
    )
    (step,) = action.steps.all()
    day_after = step.due_on + dt.timedelta(days=1)
    assert _pks(ComplianceStep.objects.filter(compliance_overdue_q(on=day_after))) == {step.pk}
    assert not ComplianceStep.objects.filter(orders_overdue_q(on=day_after)).exists()


def test_the_overdue_orders_list_is_the_same_definition(caseworker) -> None:
    overdue = _assess_order(caseworker)
    on_time = _assess_order(caseworker)
    services.order_complied(actor=caseworker, order=on_time, complied_on=D(2025, 12, 20))
    today = D(2025, 12, 29)
    assert list(overdue_orders(user=caseworker, today=today)) == [overdue]
    assert _pks(Order.objects.filter(order_is_overdue(on=today))) == {overdue.pk}
