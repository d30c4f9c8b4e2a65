"""Mediation and appeal steps, mapped from their dates to the timescales engine's rules.

`mediation_steps` and `appeal_steps` are the single mapping. The deadlines app stores their
output for caseloads (through the provider `steps_for_children`, registered in apps.py); the
pages and the API compute the same steps live with `deadline_rows`, so both always agree.
No date here is counted by hand: every due date comes from `send_cms.timescales.compute`.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from send_cms.deadlines.calendar import council_calendar
from send_cms.deadlines.display import DeadlineRow, step_row
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.registry import Step, SubjectSteps
from send_cms.timescales import (
    DeadlineStatus,
    Due,
    WorkingCalendar,
    compute,
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
OVERRIDE_NOTE = (
    "Date set by the tribunal in its letter, replacing the computed {computed} ({computed_text})"
)
ROUTE_NOT_TAKEN = (
    "No decision not to issue was sent within 10 weeks, so the council is issuing a plan: "
    "the 14-week final plan deadline applies."
)
CONTACT_WINDOW_CLOSED = "The family did not contact the mediation adviser in time."
ALTERNATIVE_MET = "Not applicable: the council took the other route ({other})."


def compute_due(
    rule: str,
    start: dt.date,
    *,
    calendar: WorkingCalendar | None = None,
    **params: dt.date | None,
) -> Due:
    """The one call into the timescales engine for this app, on the council's calendar (pass
    `calendar` where many are computed, to read the closure days once)."""
    return compute(rule, start, calendar or council_calendar(), **params)


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
    owner_id: int | None,
    today: dt.date,
) -> list[Step]:
    """The steps of one order or agreement action (needs its `steps` prefetched), from the day
    the order's periods run from or the day the action was agreed."""
    start = parent.runs_from if isinstance(parent, Order) else parent.agreed_on
    case_open = any(s.applicable and s.complied_on is None for s in steps)
    of = SubjectSteps(child_id=child_id, subject=parent, owner_id=owner_id, case_open=case_open)
    return [
        of.step(s.rule, start, s.complied_on, applicable=_step_applicable(s, steps, today))
        for s in steps
    ]


def _all_compliance_steps(
    parents: Iterable[Order | MediationAction],
    *,
    child_id: uuid.UUID,
    owner_id: int | None,
    today: dt.date,
) -> list[Step]:
    """The steps of every order of an appeal, or every action of a mediation agreement."""
    return [
        step
        for parent in parents
        for step in compliance_steps(
            parent, list(parent.steps.all()), child_id=child_id, owner_id=owner_id, today=today
        )
    ]


def mediation_steps(
    mediation: Mediation,
    *,
    today: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Step]:
    """Every statutory step of one mediation (needs its child and actions with steps)."""
    today = today or timezone.localdate()
    owner_id = mediation.child.caseworker_id
    actions = list(mediation.actions.all())
    open_ = mediation.certificate_issued_on is None or any(
        s.applicable and s.complied_on is None for a in actions for s in a.steps.all()
    )
    council = SubjectSteps(
        child_id=mediation.child_id, subject=mediation, owner_id=owner_id, case_open=open_
    )
    family = replace(council, owner_id=None)

    contact_due = compute_due(
        "mediation_contact", mediation.decision_notice_on, calendar=calendar
    ).due
    steps = [
        family.step(
            "mediation_contact",
            mediation.decision_notice_on,
            mediation.family_contacted_on,
            # The family's own window: once it has closed without contact it is not overdue.
            applicable=mediation.family_contacted_on is not None or today <= contact_due,
        )
    ]
    if mediation.mediation_wanted and mediation.la_informed_on is not None:
        steps.append(
            council.step(
                "mediation_held",
                mediation.la_informed_on,
                mediation.held_on,
                applicable=mediation.not_arranged_on is None or mediation.held_on is not None,
            )
        )
    certificate_trigger = certificate_trigger_on(mediation)
    if certificate_trigger is not None:
        steps.append(
            council.step(
                "mediation_certificate", certificate_trigger, mediation.certificate_issued_on
            )
        )
    steps.extend(
        _all_compliance_steps(actions, child_id=mediation.child_id, owner_id=owner_id, today=today)
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
    council = SubjectSteps(
        child_id=child_id, subject=appeal, owner_id=owner_id, case_open=appeal.is_open
    )
    certificate = appeal.certificate_issued_on
    steps = [
        replace(council, owner_id=None).step(
            "appeal_deadline",
            appeal.decision_notice_on,
            appeal.lodged_on or appeal.received_by_la_on,
            params={"certificate": certificate} if certificate else None,
        ),
        council.step(
            "tribunal_response",
            appeal.received_by_la_on,
            appeal.response_submitted_on,
            applicable=appeal.is_open or responded,
            due_override=appeal.response_due_on,
        ),
    ]
    steps.extend(
        SubjectSteps(
            child_id=child_id,
            subject=recommendation,
            owner_id=owner_id,
            case_open=recommendation.responded_on is None,
        ).step("recommendation_response", recommendation.made_on, recommendation.responded_on)
        for recommendation in appeal.recommendations.all()
    )
    steps.extend(
        _all_compliance_steps(
            appeal.orders.all(), child_id=child_id, owner_id=owner_id, today=today
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
    calendar = council_calendar()
    for mediation in mediations:
        yield from mediation_steps(mediation, today=today, calendar=calendar)
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


def deadline_rows(
    steps: Sequence[Step],
    *,
    today: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[DeadlineRow]:
    """The steps with their due dates, statuses and explanations, in due-date order."""
    today = today or timezone.localdate()
    calendar = calendar or council_calendar()
    rows = []
    for step in steps:
        if step.start is None:
            continue
        row = step_row(
            step,
            calendar,
            today=today,
            override_note=OVERRIDE_NOTE,
            subject_label=_subject_label(step),
            family_step=step.rule in FAMILY_STEPS,
        )
        if row.status is DeadlineStatus.not_applicable and step.rule in ALTERNATIVE_RULES:
            row = replace(row, explanation=f"{_not_applicable_note(step, steps)} {row.explanation}")
        elif row.status is DeadlineStatus.not_applicable and step.rule == "mediation_contact":
            row = replace(row, explanation=f"{CONTACT_WINDOW_CLOSED} {row.explanation}")
        rows.append(row)
    rows.sort(key=lambda r: (r.due or dt.date.min, r.rule))
    return rows


def appeal_deadline_rows(
    appeal: Appeal, *, today: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> list[DeadlineRow]:
    return deadline_rows(appeal_steps(appeal, today=today), today=today, calendar=calendar)


def mediation_deadline_rows(
    mediation: Mediation, *, today: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> list[DeadlineRow]:
    calendar = calendar or council_calendar()
    steps = mediation_steps(mediation, today=today, calendar=calendar)
    return deadline_rows(steps, today=today, calendar=calendar)


def order_deadline_rows(
    order: Order, *, today: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> list[DeadlineRow]:
    """One order's steps (needs `order.appeal.child` and `order.steps`)."""
    today = today or timezone.localdate()
    steps = compliance_steps(
        order, list(order.steps.all()), child_id=order.appeal.child_id, owner_id=None, today=today
    )
    return deadline_rows(steps, today=today, calendar=calendar)


def next_open_row(rows: Iterable[DeadlineRow]) -> DeadlineRow | None:
    """The earliest deadline still to meet (the family's own deadlines are not the council's)."""
    open_rows = [r for r in rows if r.is_open and not r.family_step and r.due is not None]
    return min(open_rows, key=lambda r: r.due or dt.date.min) if open_rows else None
