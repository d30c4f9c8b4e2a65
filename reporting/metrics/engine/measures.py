"""Measures: a population or a combination of them, and the figures of a metric for
many periods.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reporting.metrics.engine.breakdowns import AGE_BANDS, NONE_CATEGORY, NOT_KNOWN
from reporting.metrics.engine.figures import BreakdownRow, CaseRow, Figure, Number, Style, value_of
from reporting.metrics.engine.populations import Population, Within
from reporting.periods import Period


# --- measures -----------------------------------------------------------------------------------
class Measure(Protocol):
    @property
    def style(self) -> str: ...

    def total(self, period: Period, within: Within = None) -> tuple[Number, int | None]: ...

    def series(
        self, months: Sequence[Period], within: Within = None
    ) -> list[tuple[Number, int | None]]: ...

    def breakdowns(self) -> tuple[str, ...]: ...

    def grouped(
        self, name: str, period: Period, within: Within = None
    ) -> dict[str, tuple[str, Number, int | None]]: ...

    def cases(self, period: Period, within: Within = None) -> list[CaseRow]: ...


@dataclass(frozen=True)
class Part:
    label: str
    population: Population
    sign: int = 1


@dataclass(frozen=True)
class Combination:
    """Signed counts of several populations: a count (`denominator` empty) or a percentage of
    `numerator` parts over `denominator` parts (the appeal rate)."""

    numerator: tuple[Part, ...]
    denominator: tuple[Part, ...] = ()

    @property
    def style(self) -> str:
        return Style.PERCENT if self.denominator else Style.COUNT

    def _sum(self, parts: Iterable[Part], period: Period, within: Within) -> int:
        return sum(part.sign * int(part.population.total(period, within)[0]) for part in parts)

    def total(self, period: Period, within: Within = None) -> tuple[Number, int | None]:
        numerator = self._sum(self.numerator, period, within)
        if not self.denominator:
            return numerator, None
        return numerator, self._sum(self.denominator, period, within)

    def series(
        self, months: Sequence[Period], within: Within = None
    ) -> list[tuple[Number, int | None]]:
        def summed(parts: Iterable[Part]) -> list[int]:
            totals = [0] * len(months)
            for part in parts:
                for i, (count, _) in enumerate(part.population.series(months, within)):
                    totals[i] += part.sign * int(count)
            return totals

        numerators = summed(self.numerator)
        if not self.denominator:
            return [(n, None) for n in numerators]
        return list(zip(numerators, summed(self.denominator), strict=True))

    def breakdowns(self) -> tuple[str, ...]:
        shared = set.intersection(
            *(set(p.population.breakdowns()) for p in (*self.numerator, *self.denominator))
        )
        return tuple(n for n in self.numerator[0].population.breakdowns() if n in shared)

    def grouped(
        self, name: str, period: Period, within: Within = None
    ) -> dict[str, tuple[str, Number, int | None]]:
        out: dict[str, tuple[str, Number, int | None]] = {}
        for side, parts in (("n", self.numerator), ("d", self.denominator)):
            for part in parts:
                groups = part.population.grouped(name, period, within)
                for key, (label, count, _) in groups.items():
                    old_label, n, d = out.get(key, (label, 0, 0 if self.denominator else None))
                    if side == "n":
                        n = int(n) + part.sign * int(count)
                    else:
                        d = (d or 0) + part.sign * int(count)
                    out[key] = (old_label or label, n, d)
        return out

    def cases(self, period: Period, within: Within = None) -> list[CaseRow]:
        rows: list[CaseRow] = []
        for part in (*self.numerator, *self.denominator):
            for row in part.population.cases(period, within, counted=part.label):
                rows.append(_signed(row, part.sign))
        return rows


def _signed(row: CaseRow, sign: int) -> CaseRow:
    return CaseRow(**{**row.__dict__, "sign": sign})


def figure(
    *,
    metric_id: str,
    measure: Measure,
    period: Period,
    breakdown: str | None = None,
    within: Within = None,
) -> Figure:
    numerator, denominator = measure.total(period, within)
    rows: tuple[BreakdownRow, ...] | None = None
    if breakdown:
        groups = measure.grouped(breakdown, period, within)
        rows = tuple(
            BreakdownRow(
                key=key,
                label=label,
                value=value_of(measure.style, n, d),
                numerator=n,
                denominator=d,
            )
            for key, (label, n, d) in sorted(groups.items(), key=lambda kv: _order(breakdown, kv))
        )
    return Figure(
        metric_id=metric_id,
        period=period,
        value=value_of(measure.style, numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        breakdown=rows,
    )


def figures(
    *, metric_id: str, measure: Measure, months: Sequence[Period], within: Within = None
) -> list[Figure]:
    """The metric for each of consecutive months (trend lines, the scorecard's columns)."""
    return [
        Figure(metric_id, month, value_of(measure.style, n, d), n, d)
        for month, (n, d) in zip(months, measure.series(months, within), strict=True)
    ]


def _order(breakdown: str, item: tuple[str, tuple[str, Number, int | None]]) -> tuple[Any, ...]:
    key, (label, _, _) = item
    if breakdown == "age_band":
        keys = [k for k, _, _, _ in AGE_BANDS]
        return (keys.index(key) if key in keys else len(keys), label)
    return (key in (NOT_KNOWN, NONE_CATEGORY), label.lower())
