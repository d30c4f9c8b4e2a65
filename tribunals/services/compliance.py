"""The steps of an order or a mediation agreement action: creating them from the timescale rules
and recording each one met. Shared by orders and mediation agreements, which run the same
regulation 44 periods."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from send_cms.common.exceptions import TransitionNotAllowed
from send_cms.timescales import format_date, get_rule
from tribunals import messages as msg
from tribunals.codes import ALTERNATIVE_RULES
from tribunals.deadlines import compute_due
from tribunals.models import ComplianceStep, MediationAction, Order
from tribunals.services.common import Errors, check_order, check_past, raise_if


def create_steps(
    *, parent: Order | MediationAction, rules: Sequence[str], runs_from: dt.date
) -> list[ComplianceStep]:
    """One row per rule, each due date from the timescales engine."""
    created = []
    for position, rule in enumerate(rules, start=1):
        step = ComplianceStep(
            order=parent if isinstance(parent, Order) else None,
            action=parent if isinstance(parent, MediationAction) else None,
            rule=rule,
            position=position,
            due_on=compute_due(rule, runs_from).due,
        )
        step.full_clean()
        step.save()
        created.append(step)
    return created


def _describe(step: ComplianceStep) -> str:
    return f"{step.rule} ({get_rule(step.rule).title})"


def choose_step(steps: Sequence[ComplianceStep], rule: str | None) -> ComplianceStep:
    """The step named by `rule`, or the one next step when there is no doubt."""
    if rule:
        for step in steps:
            if step.rule == rule:
                return step
        raise ValidationError(
            {"step": [msg.STEP_UNKNOWN.format(step=rule, steps=", ".join(s.rule for s in steps))]}
        )
    pending = [s for s in steps if s.applicable and s.complied_on is None]
    if not pending:
        raise TransitionNotAllowed(msg.STEPS_ALL_DONE)
    first = pending[0]
    alternative = ALTERNATIVE_RULES.get(first.rule)
    if alternative is not None and any(s.rule == alternative for s in pending):
        choices = " or ".join(_describe(s) for s in pending if s.rule in (first.rule, alternative))
        raise ValidationError({"step": [msg.STEP_CHOOSE.format(choices=choices)]})
    return first


def comply(
    *,
    steps: Sequence[ComplianceStep],
    rule: str | None,
    complied_on: dt.date,
    earliest: dt.date,
    earliest_label: str,
) -> ComplianceStep:
    """Record one step met; the other ending of an ordered assessment stops applying."""
    step = choose_step(steps, rule)
    if step.complied_on is not None:
        raise TransitionNotAllowed(msg.STEP_ALREADY.format(on=format_date(step.complied_on)))
    if not step.applicable:
        raise TransitionNotAllowed(msg.STEP_NOT_APPLICABLE)
    alternative = ALTERNATIVE_RULES.get(step.rule)
    earlier = [
        s for s in steps if s.position < step.position and s.applicable and s.rule != alternative
    ]
    for previous in earlier:
        if previous.complied_on is None:
            raise TransitionNotAllowed(
                msg.STEP_EARLIER_FIRST.format(title=get_rule(previous.rule).title)
            )
    errors: Errors = {}
    check_past(errors, "complied_on", complied_on, "Date complied")
    check_order(errors, "complied_on", complied_on, "Date complied", earliest, earliest_label)
    latest_earlier = max((s.complied_on for s in earlier if s.complied_on), default=None)
    check_order(
        errors, "complied_on", complied_on, "Date complied", latest_earlier, "the earlier step"
    )
    raise_if(errors)
    step.complied_on = complied_on
    step.full_clean()
    step.save(update_fields=["complied_on", "updated_at"])
    if alternative is not None:
        for other in steps:
            if other.rule == alternative and other.complied_on is None:
                other.applicable = False
                other.save(update_fields=["applicable", "updated_at"])
    return step
