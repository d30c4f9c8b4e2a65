"""The disagreement-resolution figures of reporting.md (`mediations`, `appeals_registered` by
type, `appeal_outcomes`, `orders_overdue`), defined once as data, Q objects and expressions.

The tribunal pages count with these, and the reporting app imports the same names, so a page and
a published figure cannot disagree. Every condition is judged from dates, never from today's
statuses, so a past month end can be reproduced exactly.

Decisions:
- An appeal counts as registered on the day the tribunal received it (`lodged_on`) when the
  council recorded it, else the day the council received it (`received_by_la_on`): the same
  date the appeal's own deadlines treat as the lodging.
- Appeal type groups: refusal to reassess is "Other", not "Refusal to assess", so the refusal to
  assess group matches the refusals to assess of DfE's appeal rate; refusal to amend after a
  review is a contents appeal (it names sections B, F or I, see codes.SECTION_APPEALS).
- Outcome groups: struck out counts with withdrawn ("Withdrawn or struck out"), as the outcomes
  page has always shown them: both end an appeal without the tribunal deciding it.
"""

import datetime as dt
from collections.abc import Mapping

from django.db import models
from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from tribunals.codes import (
    ALTERNATIVE_RULES,
    CONDITIONAL_RULES,
    SECTION_APPEALS,
    UPHELD_OUTCOMES,
    AppealType,
    Outcome,
)
from tribunals.models import ComplianceStep


# --- appeal types -----------------------------------------------------------------------------
class AppealTypeGroup(models.TextChoices):
    """The reporting groups of appeal types (reporting.md `appeals_registered` by type)."""

    REFUSAL_TO_ASSESS = "refusal_to_assess", "Refusal to assess"
    REFUSAL_TO_ISSUE = "refusal_to_issue", "Refusal to issue a plan"
    CONTENTS = "contents", "Contents of the plan (sections B, F, I)"
    CEASE = "cease", "Decision to cease the plan"
    OTHER = "other", "Other"


#: Each group's appeal types: every AppealType is in exactly one group.
APPEAL_TYPE_GROUPS: Mapping[str, tuple[str, ...]] = {
    AppealTypeGroup.REFUSAL_TO_ASSESS: (AppealType.REFUSAL_TO_ASSESS,),
    AppealTypeGroup.REFUSAL_TO_ISSUE: (AppealType.REFUSAL_TO_ISSUE,),
    AppealTypeGroup.CONTENTS: tuple(SECTION_APPEALS),
    AppealTypeGroup.CEASE: (AppealType.CEASE,),
    AppealTypeGroup.OTHER: (AppealType.REFUSAL_TO_REASSESS,),
}


# --- outcomes ---------------------------------------------------------------------------------
class OutcomeGroup(models.TextChoices):
    """The reporting groups of appeal outcomes (reporting.md `appeal_outcomes`)."""

    UPHELD = "upheld", "Upheld in full or in part"
    DISMISSED = "dismissed", "Dismissed"
    CONCEDED = "conceded", "Conceded by the council"
    WITHDRAWN = "withdrawn", "Withdrawn or struck out"


#: Each group's outcomes: every Outcome is in exactly one group.
OUTCOME_GROUPS: Mapping[str, tuple[str, ...]] = {
    OutcomeGroup.UPHELD: tuple(UPHELD_OUTCOMES),
    OutcomeGroup.DISMISSED: (Outcome.DISMISSED,),
    OutcomeGroup.CONCEDED: (Outcome.CONCEDED,),
    OutcomeGroup.WITHDRAWN: (Outcome.WITHDRAWN, Outcome.STRUCK_OUT),
}
#: The tribunal's own decisions: upheld (in full or part) and dismissed. The upheld rate's
#: denominator; conceded, withdrawn and struck-out appeals are never in it.
DECIDED_BY_TRIBUNAL: tuple[str, ...] = (
    *OUTCOME_GROUPS[OutcomeGroup.UPHELD],
    *OUTCOME_GROUPS[OutcomeGroup.DISMISSED],
)


def group_of(groups: Mapping[str, tuple[str, ...]], value: str) -> str:
    """The group a value belongs to: `group_of(OUTCOME_GROUPS, "struck_out") == "withdrawn"`."""
    for group, values in groups.items():
        if value in values:
            return group
    raise KeyError(value)


def _group_case(field: str, groups: Mapping[str, tuple[str, ...]]) -> Case:
    return Case(
        *(When(**{f"{field}__in": values}, then=Value(group)) for group, values in groups.items()),
        default=Value(""),
        output_field=CharField(),
    )


def appeal_type_group() -> Case:
    """An Appeal's AppealTypeGroup, for `annotate` and `values` (grouping in one query)."""
    return _group_case("appeal_type", APPEAL_TYPE_GROUPS)


def outcome_group() -> Case:
    """An Appeal's OutcomeGroup ("" while the appeal is open), for `annotate` and `values`."""
    return _group_case("outcome", OUTCOME_GROUPS)


# --- appeals in a period ----------------------------------------------------------------------
def appeal_registered_on() -> Coalesce:
    """The day an Appeal counts as registered: the tribunal's receipt, else the council's."""
    return Coalesce(F("lodged_on"), F("received_by_la_on"), output_field=DateField())


def appeal_registered_in(*, start: dt.date, end: dt.date) -> Q:
    """`appeals_registered`: the appeal was registered in the period (inclusive dates)."""
    return Q(
        GreaterThanOrEqual(appeal_registered_on(), start),
        LessThanOrEqual(appeal_registered_on(), end),
    )


def appeal_closed_in(*, start: dt.date, end: dt.date) -> Q:
    """`appeal_outcomes`: the appeal ended with an outcome in the period (inclusive dates).

    `decided_on` is the tribunal's decision, or the day of the concession or withdrawal.
    """
    return ~Q(outcome="") & Q(decided_on__gte=start, decided_on__lte=end)


def mediations_held_in(*, start: dt.date, end: dt.date) -> Q:
    """`mediations`: a Mediation whose meeting was held in the period (inclusive dates)."""
    return Q(held_on__gte=start, held_on__lte=end)


# --- orders -----------------------------------------------------------------------------------
def _applicable_on_q(*, on: dt.date) -> Q:
    """The step applied at the end of `on`: it still applies, or it stopped applying only when
    the other ending of an ordered assessment was met, after `on`."""
    applicable = Q(applicable=True)
    for rule, other in ALTERNATIVE_RULES.items():
        met_later = ComplianceStep.objects.filter(rule=other, complied_on__gt=on).filter(
            Q(order__isnull=False, order_id=OuterRef("order_id"))
            | Q(action__isnull=False, action_id=OuterRef("action_id"))
        )
        applicable |= Q(rule=rule) & Q(Exists(met_later))
    return applicable


def compliance_overdue_q(*, on: dt.date) -> Q:
    """A ComplianceStep (of an order or of a mediation agreement action) overdue at the end of
    `on`: it applied, was due before `on` and was not complied with by `on`. A conditional step
    (the decision not to issue after an ordered assessment) is never overdue on its own."""
    return (
        _applicable_on_q(on=on)
        & Q(due_on__lt=on)
        & (Q(complied_on__isnull=True) | Q(complied_on__gt=on))
        & ~Q(rule__in=CONDITIONAL_RULES)
    )


def orders_overdue_q(*, on: dt.date) -> Q:
    """`orders_overdue`, over ComplianceStep: a step of a tribunal order overdue at `on`."""
    return Q(order__isnull=False) & compliance_overdue_q(on=on)


def order_is_overdue(*, on: dt.date) -> Exists:
    """Over Order: at least one of its steps is overdue at the end of `on`. Count orders with
    `Order.objects.filter(order_is_overdue(on=day)).count()`."""
    return Exists(ComplianceStep.objects.filter(orders_overdue_q(on=on), order=OuterRef("pk")))
