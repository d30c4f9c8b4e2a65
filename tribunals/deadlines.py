"""Mediation and appeal steps, mapped from their dates to the timescales engine's rules.

`mediation_steps` and `appeal_steps` are the single mapping. The deadlines app stores their
output for caseloads (through the provider `steps_for_children`, registered in apps.py); the
pages and the API compute the same steps live with `deadline_rows`, so both always agree.
No date here is counted by hand: every due date comes from `send_cms.timescales.compute`.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from send_cms.deadlines.models import Deadline
from send_cms.deadlines.registry import Step
from send_cms.timescales import (
    DeadlineStatus,
    Due,
    compute,
    deadline_status,
    default_calendar,
    format_date,
    get_rule,
)
from tribunals.codes import ALTERNATIVE_RULES, CONDITIONAL_RULES, CertificateKind
from tribunals.models import (
    Appeal,
    ComplianceStep,
    Mediation,
    MediationAction,
    Order,
)

#: Shown beside a family's deadline: the council does not meet it, the family does.
FAMILY_STEPS = frozenset({"mediation_contact", "appeal_deadline"})
OVERRIDE_NOTE = "Date set by the tribunal in its letter, replacing the computed {computed}"
ROUTE_NOT_TAKEN = (
    "No decision not to issue was sent within 10 weeks, so the council is issuing a plan: "
    "the 14-week final plan deadline applies."
)
CONTACT_WINDOW_CLOSED = "The family did not contact the mediation adviser in time."
ALTERNATIVE_MET = "Not applicable: the council took the other route ({other})."


def compute_due(rule: str, start: dt.date, **params: dt.date | None) -> Due:
    """The one call into the timescales engine for this app."""
    return compute(rule, start, default_calendar(), **params)


def appeal_deadline(decision_notice_on: dt.date, certificate_on: dt.date | None) -> Due:
    """When the tribunal must receive an appeal (rules 20 and 12), with the certificate rule."""
    return compute_due("appeal_deadline", decision_notice_on, certificate=certificate_on)


def response_due_on(appeal: Appeal) -> dt.date:
    """The council's response date: the registration letter's date, else 30 tribunal days."""
    if appeal.response_due_on is not None:
        return appeal.response_due_on
    return compute_due("tribunal_response", appeal.received_by_la_on).due


def concession_is_unopposed(appeal: Appeal, conceded_on: dt.date) -> bool:
    """Regulation 45: conceded before the response was due (and before it was sent)."""
    return appeal.response_submitted_on is None and conceded_on <= response_due_on(appeal)


def order_rule_starts(runs_from: dt.date, rules: Sequence[str]) -> list[tuple[str, dt.date]]:
    """Each rule's due date from the day the order periods run from."""
    return [(rule, compute_due(rule, runs_from).due) for rule in rules]


# --- the mapping ------------------------------------------------------------------------------


def _step_applicable(
    step: ComplianceStep, siblings: Iterable[ComplianceStep], today: dt.date
) -> bool:
    """Applicable unless switched off, or a conditional step whose route was not taken."""
    if not step.applicable:
        return False
    if step.rule in CONDITIONAL_RULES and step.complied_on is None and today > step.due_on:
        other = ALTERNATIVE_RULES[step.rule]
        return any(s.rule == other and s.complied_on is not None for s in siblings)
    return True


def compliance_steps(
    parent: Order | MediationAction,
    steps: Sequence[ComplianceStep],
    *,
    child_id: uuid.UUID,
    start: dt.date,
    owner_id: int | None,
    today: dt.date,
) -> list[Step]:
    """The steps of one order or agreement action (needs its `steps` prefetched)."""
    case_open = any(s.applicable and s.complied_on is None for s in steps)
    return [
        Step(
            child_id=child_id,
            subject=parent,
            rule=s.rule,
            start=start,
            met_on=s.complied_on,
            applicable=_step_applicable(s, steps, today),
            owner_id=owner_id,
            case_open=case_open,
        )
        for s in steps
    ]


def mediation_steps(mediation: Mediation, *, today: dt.date | None = None) -> list[Step]:
    """Every statutory step of one mediation (needs its child and actions with steps)."""
    today = today or timezone.localdate()
    child_id: uuid.UUID = mediation.child_id
    owner_id = mediation.child.caseworker_id
    actions = list(mediation.actions.all())
    open_ = mediation.certificate_issued_on is None or any(
        s.applicable and s.complied_on is None for a in actions for s in a.steps.all()
    )

    def step(rule: str, start: dt.date | None, met_on: dt.date | None, **kw: bool) -> Step:
        return Step(
            child_id=child_id,
            subject=mediation,
            rule=rule,
            start=start,
            met_on=met_on,
            applicable=kw.get("applicable", True),
            owner_id=None if rule in FAMILY_STEPS else owner_id,
            case_open=open_,
        )

    contact_due = compute_due("mediation_contact", mediation.decision_notice_on).due
    steps = [
        step(
            "mediation_contact",
            mediation.decision_notice_on,
            mediation.family_contacted_on,
            # The family's own window: once it has closed without contact it is not overdue.
            applicable=mediation.family_contacted_on is not None or today <= contact_due,
        )
    ]
    if mediation.mediation_wanted and mediation.la_informed_on is not None:
        steps.append(
            step(
                "mediation_held",
                mediation.la_informed_on,
                mediation.held_on,
                applicable=mediation.not_arranged_on is None or mediation.held_on is not None,
            )
        )
    certificate_trigger = certificate_trigger_on(mediation)
    if certificate_trigger is not None:
        steps.append(
            step("mediation_certificate", certificate_trigger, mediation.certificate_issued_on)
        )
    for action in actions:
        steps.extend(
            compliance_steps(
                action,
                list(action.steps.all()),
                child_id=child_id,
                start=action.agreed_on,
                owner_id=owner_id,
                today=today,
            )
        )
    return steps


def certificate_trigger_on(mediation: Mediation) -> dt.date | None:
    """The event the 3 working days for the certificate run from, if it has happened."""
    if mediation.mediation_wanted is False:
        return mediation.family_contacted_on
    if mediation.held_on is not None:
        return mediation.held_on
    if mediation.not_arranged_on is not None:
        return mediation.not_arranged_on
    return None


def certificate_kind_for(mediation: Mediation) -> str:
    """Which certificate the record supports now (blank: none yet)."""
    if mediation.mediation_wanted is False and mediation.family_contacted_on is not None:
        return CertificateKind.DECLINED
    if mediation.held_on is not None:
        return CertificateKind.AFTER_MEDIATION
    if mediation.not_arranged_on is not None:
        return CertificateKind.DEEMED
    return ""


def appeal_steps(appeal: Appeal, *, today: dt.date | None = None) -> list[Step]:
    """Every statutory step of one appeal, its recommendations and its orders (needs the child,
    recommendations and orders with their steps prefetched)."""
    today = today or timezone.localdate()
    child_id: uuid.UUID = appeal.child_id
    owner_id = appeal.child.caseworker_id
    responded = appeal.response_submitted_on is not None
    closed_without_response = not appeal.is_open and not responded

    steps = [
        Step(
            child_id=child_id,
            subject=appeal,
            rule="appeal_deadline",
            start=appeal.decision_notice_on,
            met_on=appeal.lodged_on or appeal.received_by_la_on,
            params={"certificate": appeal.certificate_issued_on}
            if appeal.certificate_issued_on
            else {},
            owner_id=None,
            case_open=appeal.is_open,
        ),
        Step(
            child_id=child_id,
            subject=appeal,
            rule="tribunal_response",
            start=appeal.received_by_la_on,
            met_on=appeal.response_submitted_on,
            applicable=not closed_without_response,
            owner_id=owner_id,
            due_override=appeal.response_due_on,
            case_open=appeal.is_open,
        ),
    ]
    for recommendation in appeal.recommendations.all():
        steps.append(
            Step(
                child_id=child_id,
                subject=recommendation,
                rule="recommendation_response",
                start=recommendation.made_on,
                met_on=recommendation.responded_on,
                owner_id=owner_id,
                case_open=recommendation.responded_on is None,
            )
        )
    for order in appeal.orders.all():
        steps.extend(
            compliance_steps(
                order,
                list(order.steps.all()),
                child_id=child_id,
                start=order.runs_from,
                owner_id=owner_id,
                today=today,
            )
        )
    return steps


def steps_for_children(child_ids: Sequence[uuid.UUID]) -> Iterator[Step]:
    """The provider registered with the deadlines app: a constant number of queries."""
    today = timezone.localdate()
    step_qs = ComplianceStep.objects.order_by("position")
    mediations = (
        Mediation.objects.filter(child_id__in=child_ids)
        .select_related("child")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=MediationAction.objects.prefetch_related(
                    Prefetch("steps", queryset=step_qs)
                ),
            )
        )
    )
    for mediation in mediations:
        yield from mediation_steps(mediation, today=today)
    for appeal in appeals_with_steps(Appeal.objects.filter(child_id__in=child_ids)):
        yield from appeal_steps(appeal, today=today)


#: Steps that stop applying when their day passes unmet: the family's window to contact the
#: mediation adviser, and an ordered assessment's decision not to issue (the council is then
#: issuing a plan). The nightly status refresh reads only dates and would call them overdue, so
#: their children are recomputed from source once the day has passed (tasks.py).
LAPSING_RULES = frozenset({"mediation_contact", *CONDITIONAL_RULES})
_SETTLED = (DeadlineStatus.not_applicable, DeadlineStatus.met, DeadlineStatus.met_late)


def children_with_lapsed_steps(today: dt.date) -> list[uuid.UUID]:
    """Children whose stored lapsing step is past its day, unmet and not yet settled."""
    return list(
        Deadline.objects.filter(
            subject_type__startswith="tribunals.",
            rule__in=LAPSING_RULES,
            met_on__isnull=True,
            due_on__lt=today,
        )
        .exclude(status__in=[s.value for s in _SETTLED])
        .order_by()
        .values_list("child_id", flat=True)
        .distinct()
    )


def appeals_with_steps(queryset: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """What `appeal_steps` reads, prefetched."""
    return queryset.select_related("child").prefetch_related(
        "recommendations",
        Prefetch(
            "orders",
            queryset=Order.objects.prefetch_related(
                Prefetch("steps", queryset=ComplianceStep.objects.order_by("position"))
            ),
        ),
    )


# --- live rows for pages and the API -------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline as a caseworker sees it."""

    rule: str
    title: str
    regulation: str
    trigger_on: dt.date
    due: dt.date
    met_on: dt.date | None
    status: DeadlineStatus
    explanation: str
    overridden: bool
    subject_label: str
    family_step: bool

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def is_open(self) -> bool:
        return self.status in (
            DeadlineStatus.upcoming,
            DeadlineStatus.due_soon,
            DeadlineStatus.overdue,
        )


def _subject_label(step: Step) -> str:
    subject = step.subject
    if isinstance(subject, Order):
        return f"Order: {subject.get_kind_display()}"
    if isinstance(subject, MediationAction):
        return f"Mediation agreement: {subject.get_matter_display()}"
    if isinstance(subject, Appeal | Mediation):
        return ""
    return str(subject)


def _not_applicable_note(step: Step, siblings: Sequence[Step]) -> str:
    other = ALTERNATIVE_RULES.get(step.rule)
    if other is None:
        return ""
    for sibling in siblings:
        if sibling.subject is step.subject and sibling.rule == other and sibling.met_on:
            return ALTERNATIVE_MET.format(other=get_rule(other).title)
    return ROUTE_NOT_TAKEN


def deadline_rows(steps: Sequence[Step], *, today: dt.date | None = None) -> list[DeadlineRow]:
    """The steps with their due dates, statuses and explanations, in due-date order."""
    today = today or timezone.localdate()
    rows = []
    for step in steps:
        if step.start is None:
            continue
        due = compute_due(step.rule, step.start, **step.params)
        explanation = due.explanation
        due_on = due.due
        if step.due_override is not None:
            due_on = step.due_override
            explanation = (
                f"{OVERRIDE_NOTE.format(computed=format_date(due.due))} ({due.explanation})"
            )
        status = deadline_status(
            due=due_on, met_on=step.met_on, today=today, applicable=step.applicable
        )
        if status is DeadlineStatus.not_applicable and step.rule in ALTERNATIVE_RULES:
            explanation = f"{_not_applicable_note(step, steps)} {explanation}"
        elif status is DeadlineStatus.not_applicable and step.rule == "mediation_contact":
            explanation = f"{CONTACT_WINDOW_CLOSED} {explanation}"
        rows.append(
            DeadlineRow(
                rule=step.rule,
                title=due.title,
                regulation=due.regulation,
                trigger_on=step.start,
                due=due_on,
                met_on=step.met_on,
                status=status,
                explanation=explanation,
                overridden=step.due_override is not None,
                subject_label=_subject_label(step),
                family_step=step.rule in FAMILY_STEPS,
            )
        )
    rows.sort(key=lambda r: (r.due, r.rule))
    return rows


def appeal_deadline_rows(appeal: Appeal, *, today: dt.date | None = None) -> list[DeadlineRow]:
    return deadline_rows(appeal_steps(appeal, today=today), today=today)


def mediation_deadline_rows(
    mediation: Mediation, *, today: dt.date | None = None
) -> list[DeadlineRow]:
    return deadline_rows(mediation_steps(mediation, today=today), today=today)


def order_deadline_rows(order: Order, *, today: dt.date | None = None) -> list[DeadlineRow]:
    """One order's steps (needs `order.appeal.child` and `order.steps`)."""
    today = today or timezone.localdate()
    steps = compliance_steps(
        order,
        list(order.steps.all()),
        child_id=order.appeal.child_id,
        start=order.runs_from,
        owner_id=None,
        today=today,
    )
    return deadline_rows(steps, today=today)


def next_open_row(rows: Iterable[DeadlineRow]) -> DeadlineRow | None:
    """The earliest deadline still to meet (the family's own deadlines are not the council's)."""
    open_rows = [r for r in rows if r.is_open and not r.family_step]
    return min(open_rows, key=lambda r: r.due) if open_rows else None
