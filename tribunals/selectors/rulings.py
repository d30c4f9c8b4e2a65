"""Learning from rulings: the council's own past outcomes for appeals like this one, and the
manager's view of outcomes and costs. Every figure is a count the page shows the rows behind.

What is counted, exactly:
- *Similar*: another appeal of the same type, decided (or closed) on or after 1 January
  `YEARS_BACK` years before this one; with at least one plan section in common when this appeal
  names sections; the same kind of setting sought when this appeal names one; the same primary
  need (of the plan, or of the plan the request led to) when this appeal's is known. A criterion
  this appeal has no value for is not compared, and the page says so.
- *Decided*: the tribunal's own decisions (upheld, upheld in part, dismissed). The headline is
  "k of n similar appeals since YYYY were upheld", where upheld means upheld in full or in part.
- Concessions, withdrawals and strike-outs are listed and counted separately, never in k or n.
- The outcome groups (upheld, dismissed, conceded, withdrawn or struck out) and "closed in the
  period" are reporting.md's, from tribunals.selectors.reporting: the same the reports count.
- The estimate is the Beta(1, 1) posterior mean (k + 1) / (n + 2) with a 90% credible interval
  (see tribunals.stats), shown only from `MINIMUM_DECIDED` similar decided appeals, always with
  that count beside it.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.codes import EstablishmentKind, SenType
from send_cms.accounts.actor import Actor
from tribunals.codes import OPEN_APPEAL_STATUSES, AppealType, Representation
from tribunals.models import Appeal
from tribunals.selectors import _child_scope
from tribunals.selectors.reporting import (
    DECIDED_BY_TRIBUNAL,
    OUTCOME_GROUPS,
    OutcomeGroup,
    appeal_closed_in,
)
from tribunals.stats import BetaEstimate, beta_estimate

#: How far back similar rulings are looked for: from 1 January this many years ago.
YEARS_BACK = 3
#: The fewest similar decided appeals an estimate is shown for. Below 10 the even-chance prior
#: carries more than a sixth of the weight and the 90% interval is half the scale or wider
#: (22-70% at 4 of 9, 5-95% with none): a figure that looks like knowledge but is mostly the
#: assumption. At 10 it is 27-73% at worst. The counts themselves are always shown.
MINIMUM_DECIDED = 10
NOT_RECORDED = "Not recorded"


def since_for(today: dt.date) -> dt.date:
    return dt.date(today.year - YEARS_BACK, 1, 1)


def primary_need_of(appeal: Appeal) -> str:
    """The plan's primary need, or that of the plan the request led to ("" if none yet)."""
    if appeal.plan is not None:
        return appeal.plan.primary_need
    request = appeal.request
    plan = getattr(request, "plan", None) if request is not None else None
    return plan.primary_need if plan is not None else ""


@dataclass(frozen=True)
class Criterion:
    label: str
    value: str
    compared: bool


@dataclass(frozen=True)
class SimilarAppeals:
    """The similar appeals behind the headline, and the estimate drawn from them."""

    since: dt.date
    criteria: list[Criterion]
    decided: list[Appeal]
    upheld: int
    conceded: list[Appeal]
    other_closed: list[Appeal]
    estimate: BetaEstimate | None
    minimum: int = MINIMUM_DECIDED

    @property
    def trials(self) -> int:
        return len(self.decided)

    @property
    def estimate_text(self) -> str:
        """The estimate with the count it rests on, or why there is none."""
        noun = "appeal" if self.trials == 1 else "appeals"
        if self.estimate is None:
            return (
                f"No estimate: it needs at least {self.minimum} similar appeals decided by the "
                f"tribunal, and there {'is' if self.trials == 1 else 'are'} {self.trials}"
            )
        return (
            f"Estimated chance this appeal is upheld: {self.estimate.describe()}, "
            f"from {self.trials} similar decided {noun}"
        )

    @property
    def headline(self) -> str:
        noun = "appeal" if self.trials == 1 else "appeals"
        verb = "was" if self.trials == 1 else "were"
        if self.trials == 0:
            return f"No similar appeals since {self.since.year} have been decided by the tribunal"
        return (
            f"{self.upheld} of {self.trials} similar {noun} since {self.since.year} {verb} upheld"
        )

    @property
    def listed(self) -> list[Appeal]:
        rows = [*self.decided, *self.conceded, *self.other_closed]
        return sorted(rows, key=lambda a: a.decided_on or dt.date.min, reverse=True)


def _sections_q(appeal: Appeal) -> Q:
    q = Q()
    for letter in appeal.sections:
        q |= Q(**{f"section_{letter.lower()}": True})
    return q


def similar_appeals(
    appeal: Appeal, *, today: dt.date | None = None, scope: Q | None = None
) -> SimilarAppeals:
    """The council's own closed appeals like this one (one query), counted as the module says."""
    today = today or timezone.localdate()
    since = since_for(today)
    criteria = [Criterion("Appeal type", appeal.get_appeal_type_display(), True)]
    queryset = Appeal.objects.exclude(pk=appeal.pk).exclude(status__in=OPEN_APPEAL_STATUSES)
    if scope is not None:
        queryset = queryset.filter(scope)
    queryset = queryset.filter(appeal_type=appeal.appeal_type, decided_on__gte=since)
    if appeal.sections:
        queryset = queryset.filter(_sections_q(appeal))
        criteria.append(
            Criterion("Sections (at least one in common)", ", ".join(appeal.sections), True)
        )
    else:
        criteria.append(Criterion("Sections", "none named", False))
    if appeal.setting_kind_sought:
        queryset = queryset.filter(setting_kind_sought=appeal.setting_kind_sought)
        criteria.append(
            Criterion("Kind of setting sought", appeal.get_setting_kind_sought_display(), True)
        )
    else:
        criteria.append(Criterion("Kind of setting sought", NOT_RECORDED, False))
    need = primary_need_of(appeal)
    if need:
        queryset = queryset.filter(Q(plan__primary_need=need) | Q(request__plan__primary_need=need))
        criteria.append(Criterion("Primary need", SenType(need).label, True))
    else:
        criteria.append(Criterion("Primary need", "no plan yet", False))
    rows = list(queryset.select_related("plan", "request").order_by("-decided_on"))
    decided = [a for a in rows if a.outcome in DECIDED_BY_TRIBUNAL]
    upheld = sum(1 for a in decided if a.outcome in OUTCOME_GROUPS[OutcomeGroup.UPHELD])
    return SimilarAppeals(
        since=since,
        criteria=criteria,
        decided=decided,
        upheld=upheld,
        conceded=[a for a in rows if a.outcome in OUTCOME_GROUPS[OutcomeGroup.CONCEDED]],
        other_closed=[a for a in rows if a.outcome in OUTCOME_GROUPS[OutcomeGroup.WITHDRAWN]],
        estimate=beta_estimate(upheld, len(decided)) if len(decided) >= MINIMUM_DECIDED else None,
    )


def similar_for_user(
    appeal: Appeal, *, user: Actor, today: dt.date | None = None
) -> SimilarAppeals:
    """As `similar_appeals`, over the appeals this user may read (all of them for staff)."""
    scope = _child_scope(user)
    return similar_appeals(appeal, today=today, scope=scope if scope is not None else Q(pk=None))


# --- the manager's view -----------------------------------------------------------------------
@dataclass
class OutcomeRow:
    """Outcomes of the closed appeals in one group."""

    label: str
    counts: Counter[str] = field(default_factory=Counter)
    costs: Decimal = Decimal("0")

    @property
    def closed(self) -> int:
        return sum(self.counts.values())

    @property
    def decided(self) -> int:
        return sum(self.counts[o] for o in DECIDED_BY_TRIBUNAL)

    @property
    def upheld(self) -> int:
        return self.group(OutcomeGroup.UPHELD)

    @property
    def upheld_text(self) -> str:
        if not self.decided:
            return "none decided"
        return f"{self.upheld} of {self.decided} ({round(100 * self.upheld / self.decided)}%)"

    @property
    def other_closed(self) -> int:
        return self.group(OutcomeGroup.WITHDRAWN)

    def count(self, outcome: str) -> int:
        return self.counts[outcome]

    def group(self, group: str) -> int:
        """How many closed with an outcome of this reporting group (OutcomeGroup)."""
        return sum(self.counts[o] for o in OUTCOME_GROUPS[group])


@dataclass(frozen=True)
class CostTotals:
    appeals: int
    with_costs: int
    legal: Decimal
    counsel: Decimal
    experts: Decimal

    @property
    def total(self) -> Decimal:
        return self.legal + self.counsel + self.experts

    def average(self, amount: Decimal) -> Decimal:
        if not self.with_costs:
            return Decimal("0.00")
        return (amount / self.with_costs).quantize(Decimal("0.01"))

    @property
    def average_total(self) -> Decimal:
        return self.average(self.total)


@dataclass(frozen=True)
class OutcomesView:
    since: dt.date
    until: dt.date
    appeals: list[Appeal]
    groups: dict[str, list[OutcomeRow]]
    costs: CostTotals
    costs_by_type: list[tuple[str, CostTotals]]


def _group(appeals: Sequence[Appeal], keys: Callable[[Appeal], Iterable[str]]) -> list[OutcomeRow]:
    rows: dict[str, OutcomeRow] = {}
    for appeal in appeals:
        for key in keys(appeal):
            row = rows.setdefault(key, OutcomeRow(label=key))
            row.counts[appeal.outcome] += 1
            row.costs += appeal.total_costs
    return sorted(rows.values(), key=lambda r: (-r.closed, r.label))


def _costs(appeals: Sequence[Appeal]) -> CostTotals:
    return CostTotals(
        appeals=len(appeals),
        with_costs=sum(1 for a in appeals if a.total_costs > 0),
        legal=sum((a.legal_costs for a in appeals), Decimal("0")),
        counsel=sum((a.counsel_costs for a in appeals), Decimal("0")),
        experts=sum((a.expert_costs for a in appeals), Decimal("0")),
    )


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value else NOT_RECORDED


def outcomes_view(
    *, user: Actor, since: dt.date | None = None, until: dt.date | None = None
) -> OutcomesView:
    """Closed appeals decided in the period, grouped five ways, and their costs (one query).

    An appeal about sections B and F counts once under each section it names.
    """
    today = timezone.localdate()
    since = since or since_for(today)
    until = until or today
    scope = _child_scope(user)
    queryset: QuerySet[Appeal] = Appeal.objects.none()
    if scope is not None:
        queryset = (
            Appeal.objects.filter(scope)
            .filter(appeal_closed_in(start=since, end=until))
            .select_related("plan", "request__plan", "la_representative")
            .order_by("-decided_on")
        )
    appeals = list(queryset)
    groups = {
        "Appeal type": _group(appeals, lambda a: [a.get_appeal_type_display()]),
        "Section of the plan": _group(
            appeals, lambda a: [f"Section {s}" for s in a.sections] or ["No section named"]
        ),
        "Kind of setting sought": _group(
            appeals, lambda a: [_label(EstablishmentKind, a.setting_kind_sought)]
        ),
        "Primary need": _group(appeals, lambda a: [_label(SenType, primary_need_of(a))]),
        "Council represented by": _group(
            appeals, lambda a: [_label(Representation, a.la_representation)]
        ),
    }
    by_type: dict[str, list[Appeal]] = defaultdict(list)
    for appeal in appeals:
        by_type[appeal.get_appeal_type_display()].append(appeal)
    costs_by_type = [
        (str(t.label), _costs(by_type[str(t.label)])) for t in AppealType if by_type[str(t.label)]
    ]
    return OutcomesView(
        since=since,
        until=until,
        appeals=appeals,
        groups=groups,
        costs=_costs(appeals),
        costs_by_type=costs_by_type,
    )
