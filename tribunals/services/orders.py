"""Orders: what the tribunal ordered (or the council conceded), their regulation 44 deadlines,
and each step complied with."""

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from send_cms.accounts.actor import Actor
from send_cms.common.services import fmt, locked
from send_cms.timescales import get_rule
from tribunals import messages as msg
from tribunals.codes import (
    CEASE_APPEAL_ORDERS,
    ORDER_RULES,
    AppealType,
    OrderKind,
    Outcome,
)
from tribunals.models import Appeal, ComplianceStep, Order
from tribunals.services.common import (
    ON_APPEAL,
    Errors,
    add_error,
    appeal_locked,
    appeal_move,
    appeal_step,
    check_order,
    check_past,
    raise_if,
)
from tribunals.services.compliance import comply, create_steps
from tribunals.workflow import AppealStep


def _check_kind(appeal: Appeal, kind: str, errors: Errors) -> None:
    if kind not in OrderKind.values:
        add_error(errors, "kind", f"Choose a valid order: {', '.join(OrderKind.values)}")
        return
    if kind in CEASE_APPEAL_ORDERS and appeal.appeal_type != AppealType.CEASE:
        add_error(errors, "kind", msg.ORDER_ONLY_ON_CEASE_APPEAL)
    elif appeal.outcome == Outcome.DISMISSED and kind != OrderKind.CEASE:
        add_error(errors, "kind", msg.ORDER_DISMISSED_ONLY_CEASE)
    elif appeal.outcome != Outcome.DISMISSED and kind == OrderKind.CEASE:
        add_error(errors, "kind", msg.ORDER_NO_CEASE_WHEN_UPHELD)
    elif appeal.orders.filter(kind=kind).exists():
        add_error(
            errors,
            NON_FIELD_ERRORS,
            msg.ORDER_DUPLICATE.format(kind=OrderKind(kind).label.lower()),
        )


@transaction.atomic
def appeal_order_add(
    *,
    actor: Actor,
    appeal: Appeal,
    kind: str,
    made_on: dt.date | None = None,
    sent_on: dt.date | None = None,
    wording: str = "",
) -> Order:
    """Record an order. Time runs from the day it was sent; for an unopposed appeal, from the
    day the council told the tribunal (regulation 45), and the dates default to that day."""
    appeal = appeal_locked(appeal)
    appeal_move(appeal, AppealStep.ORDER)
    errors: Errors = {}
    _check_kind(appeal, kind, errors)
    if appeal.unopposed:
        made_on = made_on or appeal.decided_on
        sent_on = sent_on or made_on
    if made_on is None:
        add_error(errors, "made_on", msg.REQUIRED.format(label="the date the order was made"))
    if sent_on is None:
        add_error(errors, "sent_on", msg.REQUIRED.format(label="the date the order was sent"))
    check_past(errors, "made_on", made_on, "Date the order was made")
    check_past(errors, "sent_on", sent_on, "Date the order was sent")
    check_order(
        errors, "made_on", made_on, "Date the order was made", appeal.decided_on, "the outcome"
    )
    check_order(
        errors, "sent_on", sent_on, "Date the order was sent", made_on, "the day it was made"
    )
    raise_if(errors)
    assert made_on is not None
    assert sent_on is not None
    assert appeal.decided_on is not None
    runs_from = appeal.decided_on if appeal.unopposed else sent_on
    order = Order(
        appeal=appeal,
        kind=kind,
        made_on=made_on,
        sent_on=sent_on,
        runs_from=runs_from,
        wording=wording,
    )
    order.full_clean()
    order.save()
    steps = create_steps(parent=order, rules=ORDER_RULES[kind], runs_from=runs_from)
    source = "Unopposed appeal" if appeal.unopposed else "Tribunal order"
    appeal_step(
        actor=actor,
        appeal=appeal,
        action="order.recorded",
        event="order.recorded",
        obj=order,
        changes={
            "kind": kind,
            "made_on": made_on,
            "sent_on": sent_on,
            "runs_from": runs_from,
            "due": {s.rule: s.due_on for s in steps},
        },
        title=f"{source}: {OrderKind(kind).label.lower()} (time runs from {fmt(runs_from)})",
        detail=wording,
        occurred_on=sent_on,
    )
    return order


@transaction.atomic
def order_complied(
    *, actor: Actor, order: Order, complied_on: dt.date, step: str | None = None
) -> ComplianceStep:
    """One step of an order met; `step` names the rule (e.g. order_assess_notify)."""
    order = locked(order, *ON_APPEAL)
    steps = list(order.steps.order_by("position"))
    done = comply(
        steps=steps,
        rule=step,
        complied_on=complied_on,
        earliest=order.made_on,
        earliest_label="the day the order was made",
    )
    appeal = order.appeal
    late = done.complied_on is not None and done.complied_on > done.due_on
    appeal_step(
        actor=actor,
        appeal=appeal,
        action="order.complied",
        event="order.complied",
        obj=order,
        changes={"rule": done.rule, "complied_on": complied_on, "due_on": done.due_on},
        title=f"Order complied with: {get_rule(done.rule).title}"
        + (f" (late: due {fmt(done.due_on)})" if late else ""),
        occurred_on=complied_on,
    )
    return done
