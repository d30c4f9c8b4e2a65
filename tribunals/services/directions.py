"""What the tribunal asks of the council along the way: directions, each with its own due date,
and health or social care recommendations, which the council answers within 5 weeks."""

import datetime as dt

from django.db import transaction

from send_cms.accounts.actor import Actor
from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.common.services import fmt, locked, today
from tribunals import messages as msg
from tribunals.models import Appeal, Direction, Recommendation
from tribunals.services.common import (
    ON_APPEAL,
    RECEIVED,
    Errors,
    appeal_locked,
    appeal_move,
    appeal_step,
    check_order,
    check_past,
    raise_if,
)
from tribunals.workflow import AppealStep


@transaction.atomic
def appeal_direction_add(
    *,
    actor: Actor,
    appeal: Appeal,
    description: str,
    due_on: dt.date,
    made_on: dt.date | None = None,
) -> Direction:
    """A direction from the tribunal with its own due date."""
    appeal = appeal_locked(appeal)
    appeal_move(appeal, AppealStep.DIRECTION)
    errors: Errors = {}
    check_past(errors, "made_on", made_on, "Date of the direction")
    check_order(errors, "due_on", due_on, "Due date", made_on, "the date of the direction")
    raise_if(errors)
    direction = Direction(appeal=appeal, description=description, due_on=due_on, made_on=made_on)
    direction.full_clean()
    direction.save()
    appeal_step(
        actor=actor,
        appeal=appeal,
        action="appeal.direction_added",
        event="appeal.direction",
        obj=direction,
        changes={"description": description, "due_on": due_on, "made_on": made_on},
        title=f"Tribunal direction, due {fmt(due_on)}",
        detail=description,
        occurred_on=made_on or today(),
    )
    return direction


@transaction.atomic
def direction_complied(*, actor: Actor, direction: Direction, complied_on: dt.date) -> Direction:
    direction = locked(direction, "appeal__child")
    if direction.complied_on is not None:
        raise TransitionNotAllowed(msg.DIRECTION_DONE.format(on=fmt(direction.complied_on)))
    errors: Errors = {}
    check_past(errors, "complied_on", complied_on, "Date complied")
    check_order(
        errors, "complied_on", complied_on, "Date complied", direction.made_on, "the direction"
    )
    raise_if(errors)
    direction.complied_on = complied_on
    direction.full_clean()
    direction.save()
    appeal_step(
        actor=actor,
        appeal=direction.appeal,
        action="appeal.direction_complied",
        event="appeal.direction_complied",
        obj=direction,
        changes={"complied_on": complied_on},
        title="Tribunal direction complied with",
        detail=direction.description,
        occurred_on=complied_on,
    )
    return direction


@transaction.atomic
def recommendation_add(
    *, actor: Actor, appeal: Appeal, kind: str, made_on: dt.date, summary: str
) -> Recommendation:
    """A health or social care recommendation: the council responds within 5 weeks."""
    appeal = appeal_locked(appeal)
    appeal_move(appeal, AppealStep.RECOMMENDATION)
    errors: Errors = {}
    check_past(errors, "made_on", made_on, "Date of the recommendation")
    check_order(
        errors, "made_on", made_on, "Date of the recommendation", appeal.received_by_la_on, RECEIVED
    )
    raise_if(errors)
    recommendation = Recommendation(appeal=appeal, kind=kind, made_on=made_on, summary=summary)
    recommendation.full_clean()
    recommendation.save()
    appeal_step(
        actor=actor,
        appeal=appeal,
        action="appeal.recommendation_added",
        event="appeal.recommendation",
        obj=recommendation,
        changes={"kind": kind, "made_on": made_on},
        title=f"Tribunal recommendation: {recommendation.get_kind_display().lower()}",
        detail=summary,
        occurred_on=made_on,
    )
    return recommendation


@transaction.atomic
def recommendation_respond(
    *, actor: Actor, recommendation: Recommendation, responded_on: dt.date, response: str = ""
) -> Recommendation:
    recommendation = locked(recommendation, *ON_APPEAL)
    if recommendation.responded_on is not None:
        raise TransitionNotAllowed(
            msg.RECOMMENDATION_DONE.format(on=fmt(recommendation.responded_on))
        )
    errors: Errors = {}
    check_past(errors, "responded_on", responded_on, "Date of the response")
    check_order(
        errors,
        "responded_on",
        responded_on,
        "Date of the response",
        recommendation.made_on,
        "the recommendation",
    )
    raise_if(errors)
    recommendation.responded_on = responded_on
    recommendation.response = response
    recommendation.full_clean()
    recommendation.save()
    appeal_step(
        actor=actor,
        appeal=recommendation.appeal,
        action="appeal.recommendation_responded",
        event="appeal.recommendation_response",
        obj=recommendation,
        changes={"responded_on": responded_on},
        title=f"Council responded to the {recommendation.get_kind_display().lower()} "
        "recommendation",
        detail=response,
        occurred_on=responded_on,
    )
    return recommendation
