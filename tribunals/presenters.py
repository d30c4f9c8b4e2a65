"""Display values for the tribunal pages: tag colours, order status from prefetched steps, money.

Nothing here reads the database: views hand in what selectors returned.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from send_cms.deadlines import display
from send_cms.timescales import DeadlineStatus
from tribunals.codes import CONDITIONAL_RULES, AppealStatus, OrderStatus, Outcome
from tribunals.models import Order

#: The deadline status tags, the same on every page.
DEADLINE_TAG: Mapping[str, str] = display.STATUS_TAGS
APPEAL_TAG: Mapping[str, str] = {
    AppealStatus.REGISTERED: "",  # the plain tag is blue
    AppealStatus.RESPONSE_SUBMITTED: "govuk-tag--teal",
    AppealStatus.HEARING_LISTED: "govuk-tag--purple",
    AppealStatus.DECIDED: "govuk-tag--grey",
    AppealStatus.CONCEDED: "govuk-tag--grey",
    AppealStatus.WITHDRAWN: "govuk-tag--grey",
    AppealStatus.STRUCK_OUT: "govuk-tag--grey",
}
OUTCOME_TAG: Mapping[str, str] = {
    Outcome.UPHELD: "govuk-tag--red",
    Outcome.UPHELD_IN_PART: "govuk-tag--orange",
    Outcome.DISMISSED: "govuk-tag--green",
    Outcome.CONCEDED: "govuk-tag--yellow",
    Outcome.WITHDRAWN: "govuk-tag--grey",
    Outcome.STRUCK_OUT: "govuk-tag--grey",
}
ORDER_TAG: Mapping[str, str] = {
    OrderStatus.OVERDUE: "govuk-tag--red",
    OrderStatus.OPEN: "",  # the plain tag is blue
    OrderStatus.COMPLIED: "govuk-tag--green",
}


def deadline_tag(status: str) -> str:
    return display.status_tag(status)


def order_status(order: Order, today: dt.date | None = None) -> str:
    """Open, overdue or complied, from the order's prefetched steps (the same rule the
    selector's annotation applies in SQL)."""
    today = today or timezone.localdate()
    pending = [s for s in order.steps.all() if s.applicable and s.complied_on is None]
    if not pending:
        return OrderStatus.COMPLIED.value
    live = [s for s in pending if not (s.rule in CONDITIONAL_RULES and s.due_on < today)]
    if any(s.due_on < today for s in live):
        return OrderStatus.OVERDUE.value
    return OrderStatus.OPEN.value


def money(amount: Decimal) -> str:
    """£1,234.50"""
    return f"£{amount:,.2f}"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def status_label(status: str) -> str:
    if status in DeadlineStatus.__members__:
        return display.status_label(status)
    if status in OrderStatus.values:
        return str(OrderStatus(status).label)
    return status.replace("_", " ").capitalize()
