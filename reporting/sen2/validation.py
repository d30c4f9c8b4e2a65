"""SEN2 validation all year: the records failing each rule and their counts.

The rules and their checks are in `validation_rules`; this module runs them. All the checks of a
listing run as one UNION query (and all the counts as another), so a page costs the same few
queries however many records fail. The export refuses to build while `error_count(year=...)` is
above 0; managers see every child, a caseworker their own caseload. The nightly record of the
counts is `validation_counts`.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Count, DateField, F, QuerySet, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from reporting.selectors import Scope, scope_for
from reporting.sen2.validation_rules import BY_ID, RULES
from reporting.sen2.validation_rules.base import (
    ERROR,
    QUERY,
    Check,
    Fix,
    Rule,
    Sen2Year,
    current_year,
    sen2_year,
)
from send_cms.accounts.permissions import user_roles
from send_cms.accounts.roles import CASEWORK_WRITE, Role
from send_cms.audit.services import record

VIEWED = "sen2.data_quality.view"
COUNCIL_SETTINGS = "Council settings"
NOT_ALLOCATED = "Not allocated"


class UnknownRule(ValueError):
    """No validation rule has this id."""


@dataclass(frozen=True)
class Failure:
    """One record failing one rule, with the page where a caseworker fixes it."""

    rule_id: str
    severity: str
    message: str
    child_id: uuid.UUID | None
    child_reference: str
    child_name: str
    caseworker: str
    record: str
    record_type: str
    record_id: str
    fix_url: str


@dataclass(frozen=True)
class RuleCount:
    rule: Rule
    count: int


# --- whose records --------------------------------------------------------------------------------
def validation_scope(user: Any) -> Scope | None:
    """None (the whole council) for no user, a manager or an administrator; otherwise the
    caseworker's own caseload: the records they can fix."""
    if user is None or user_roles(user) & {Role.MANAGER, Role.ADMIN}:
        return None
    return scope_for(user, mine=True)


def _whole_council(scope: Scope | None) -> bool:
    return scope is None or scope.whole_council


# --- one query for the failing rows of many checks ------------------------------------------------
_COLUMNS = (
    "dq_rule",
    "dq_check",
    "dq_id",
    "dq_child",
    "dq_ref",
    "dq_first",
    "dq_last",
    "dq_cw_first",
    "dq_cw_last",
    "dq_cw_user",
    "dq_date",
)


def _rule_index(rule: Rule) -> int:
    return RULES.index(rule)


def _scoped(check: Check, c: Sen2Year, scope: Scope | None) -> QuerySet[Any]:
    queryset = check.failing(c)
    if scope is not None and scope.caseworkers is not None:
        child = f"{check.child}__" if check.child else ""
        queryset = queryset.filter(**{f"{child}caseworker_id__in": sorted(scope.caseworkers)})
    return queryset.order_by()


class _Checks:
    """The checks' failing records for one return and scope, each queryset built once: building
    the ORM trees costs more than the database's work, and the page needs them twice (counted,
    and listed)."""

    def __init__(self, c: Sen2Year, scope: Scope | None) -> None:
        self.c = c
        self.scope = scope
        self._built: dict[tuple[str, int], QuerySet[Any]] = {}

    def failing(self, rule: Rule, index: int) -> QuerySet[Any]:
        key = (rule.id, index)
        if key not in self._built:
            self._built[key] = _scoped(rule.checks[index], self.c, self.scope)
        return self._built[key]


def _check_rows(checks: _Checks, rule: Rule, index: int) -> QuerySet[Any]:
    check = rule.checks[index]
    child = f"{check.child}__" if check.child else ""
    no_date = Cast(Value(None), output_field=DateField())
    rows: QuerySet[Any] = (
        checks.failing(rule, index)
        .annotate(
            dq_rule=Value(_rule_index(rule)),
            dq_check=Value(index),
            dq_id=F("pk"),
            dq_child=F(f"{child}pk"),
            dq_ref=F(f"{child}reference"),
            dq_first=F(f"{child}first_name"),
            dq_last=F(f"{child}last_name"),
            dq_cw_first=F(f"{child}caseworker__first_name"),
            dq_cw_last=F(f"{child}caseworker__last_name"),
            dq_cw_user=F(f"{child}caseworker__username"),
            dq_date=F(check.date) if check.date else no_date,
        )
        .values(*_COLUMNS)
    )
    return rows


def _union(querysets: list[QuerySet[Any]]) -> QuerySet[Any] | None:
    if not querysets:
        return None
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def _date_label(day: dt.date | None) -> str:
    return f"{day:%-d %b %Y}" if day else "(no date)"


class _Presenter:
    """Turns a row of the UNION into a Failure: the record's words and its fix page's URL."""

    def __init__(self, *, may_write: bool) -> None:
        self.may_write = may_write

    def url(self, fix: Fix, child_id: uuid.UUID, record_id: Any) -> str:
        if fix is Fix.CHILD_EDIT and self.may_write:
            return reverse("cases:child-edit", args=[child_id])
        if fix is Fix.PLAN:
            return reverse("cases:child-plan", args=[child_id])
        if fix is Fix.PLACEMENTS:
            return reverse("cases:child-placements", args=[child_id])
        if fix is Fix.REVIEW:
            return reverse("reviews:review-detail", args=[record_id])
        return reverse("cases:child-detail", args=[child_id])

    def failure(self, row: dict[str, Any]) -> Failure:
        rule = RULES[row["dq_rule"]]
        check = rule.checks[row["dq_check"]]
        caseworker = " ".join(n for n in (row["dq_cw_first"], row["dq_cw_last"]) if n)
        return Failure(
            rule_id=rule.id,
            severity=rule.severity,
            message=check.message or rule.message,
            child_id=row["dq_child"],
            child_reference=row["dq_ref"],
            child_name=f"{row['dq_first']} {row['dq_last']}",
            caseworker=caseworker or row["dq_cw_user"] or NOT_ALLOCATED,
            record=check.record.format(date=_date_label(row["dq_date"])),
            record_type=check.model._meta.label_lower,
            record_id=str(row["dq_id"]),
            fix_url=self.url(check.fix, row["dq_child"], row["dq_id"]),
        )


def _header_failures(rules: Sequence[Rule], c: Sen2Year) -> list[Failure]:
    return [
        Failure(
            rule_id=rule.id,
            severity=rule.severity,
            message=problem,
            child_id=None,
            child_reference="",
            child_name="",
            caseworker="",
            record=COUNCIL_SETTINGS,
            record_type="settings",
            record_id="",
            fix_url="",
        )
        for rule in rules
        if rule.header is not None
        for problem in rule.header(c)
    ]


class FailureList:
    """The failing records, lazily: slicing runs one query for that page of the UNION, and the
    count one more (kept), so a Paginator pages it without loading the caseload. (Not a
    `Sequence`: its `count()` is Django's, the number of rows.)"""

    def __init__(
        self,
        *,
        header: list[Failure],
        rows: QuerySet[Any] | None,
        present: Callable[[dict[str, Any]], Failure],
    ) -> None:
        self._header = header
        self._rows = rows
        self._present = present
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = len(self._header) + (self._rows.count() if self._rows is not None else 0)
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Failure: ...

    @overload
    def __getitem__(self, index: slice) -> list[Failure]: ...

    def __getitem__(self, index: int | slice) -> Failure | list[Failure]:
        if isinstance(index, int):
            position = index + len(self) if index < 0 else index
            found = self[position : position + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
            return list(self)[index]
        start, stop = index.start or 0, index.stop
        head = self._header[start:stop]
        skip = len(self._header)
        rest_start = max(start - skip, 0)
        rest_stop = None if stop is None else max(stop - skip, 0)
        if self._rows is None or (rest_stop is not None and rest_stop <= rest_start):
            return head
        return head + [self._present(row) for row in self._rows[rest_start:rest_stop]]

    def __iter__(self) -> Iterator[Failure]:
        yield from self._header
        if self._rows is not None:
            yield from (self._present(row) for row in self._rows)


def _rules(rule: str | None) -> tuple[Rule, ...]:
    if rule is None:
        return RULES
    if rule not in BY_ID:
        raise UnknownRule(rule)
    return (BY_ID[rule],)


def _year(year: int | None) -> Sen2Year:
    return sen2_year(current_year(timezone.localdate()) if year is None else year)


def failures(*, year: int | None = None, rule: str | None = None, user: Any = None) -> FailureList:
    """The records failing the rules (or one rule) for a year's return (None: the return being
    prepared), in rule order then child reference, each with its fix page. `user` narrows a
    caseworker to their own caseload; header rules (the council's settings) only show for the
    whole council."""
    return _failures(_Checks(_year(year), validation_scope(user)), _rules(rule), user)


def _failures(checks: _Checks, rules: Sequence[Rule], user: Any) -> FailureList:
    rows = _union([_check_rows(checks, r, i) for r in rules for i in range(len(r.checks))])
    if rows is not None:
        rows = rows.order_by("dq_rule", "dq_check", "dq_ref", "dq_id")
    header = _header_failures(rules, checks.c) if _whole_council(checks.scope) else []
    may_write = user is None or bool(user_roles(user) & CASEWORK_WRITE)
    return FailureList(header=header, rows=rows, present=_Presenter(may_write=may_write).failure)


def counts_by_rule(*, year: int | None = None, user: Any = None) -> list[RuleCount]:
    """Every rule with its number of failing records, in rule order: one query for them all."""
    return _counts(_Checks(_year(year), validation_scope(user)))


def _counts(checks: _Checks) -> list[RuleCount]:
    counts = _union(
        [
            checks.failing(rule, index)
            .annotate(dq_rule=Value(_rule_index(rule)))
            .values("dq_rule")
            .annotate(dq_n=Count("pk"))
            .values("dq_rule", "dq_n")
            for rule in RULES
            for index in range(len(rule.checks))
        ]
    )
    found: dict[int, int] = {}
    for row in counts if counts is not None else ():
        found[row["dq_rule"]] = found.get(row["dq_rule"], 0) + row["dq_n"]
    whole = _whole_council(checks.scope)
    return [
        RuleCount(
            rule,
            len(rule.header(checks.c))
            if rule.header is not None and whole
            else found.get(index, 0),
        )
        for index, rule in enumerate(RULES)
    ]


def count_totals(counts: Sequence[RuleCount]) -> tuple[int, int]:
    errors = sum(rc.count for rc in counts if rc.rule.severity == ERROR)
    queries = sum(rc.count for rc in counts if rc.rule.severity == QUERY)
    return errors, queries


def error_count(*, year: int) -> int:
    """The council's errors for the year's return: the export builds only when this is 0."""
    return count_totals(counts_by_rule(year=year))[0]


def data_quality_summary(*, year: int | None = None, user: Any = None) -> tuple[int, int]:
    """(errors, queries) in the return being prepared, live: for the manager's dashboard."""
    return count_totals(counts_by_rule(year=year, user=user))


@dataclass(frozen=True)
class DataQuality:
    """What the data-quality page shows: every rule's count and the failing records listed."""

    year: Sen2Year
    counts: list[RuleCount]
    failures: FailureList
    scope: Scope | None

    @property
    def errors(self) -> int:
        return count_totals(self.counts)[0]

    @property
    def queries(self) -> int:
        return count_totals(self.counts)[1]

    @property
    def scope_label(self) -> str:
        return "Whole council" if self.scope is None else self.scope.label


def data_quality_read(
    *, user: Any, year: int | None = None, rule: str | None = None, output: str = "page"
) -> DataQuality:
    """The counts and the failing records (of one rule, or all) for a person reading them (the
    page, a download). Reading the list reads children's records, so it is audited. The list's
    length comes from the counts, so the page runs one counting query, not two."""
    c = _year(year)
    scope = validation_scope(user)
    checks = _Checks(c, scope)
    counts = _counts(checks)
    found = _failures(checks, _rules(rule), user)
    found._count = sum(rc.count for rc in counts if rule is None or rc.rule.id == rule)
    page = DataQuality(year=c, counts=counts, failures=found, scope=scope)
    record(
        actor=user,
        action=VIEWED,
        changes={
            "year": c.year,
            "rule": rule or "all",
            "rows": found.count(),
            "scope": page.scope_label,
            "output": output,
        },
    )
    return page
