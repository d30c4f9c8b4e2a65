"""Trajectory and scenarios (reporting.md section 5): a cohort model of EHC plans by DSG placement
category and age band, stepped a year at a time, with each year's annual cost.

Each year, in this order, from the plans in force at the year's start:

1. Ceasing: each age band loses its cessation rate (plans ceasing for any reason but the maximum
   age; reaching it is step 2).
2. Ageing: 1/width of each band moves up a band (a band of five ages sends a fifth a year); the
   20 to 25 band's fifth of six ages out at 25, which is a cessation too.
3. Step-down: a share of a category's plans moves to another (special to resourced provision),
   as far as the other's places allow; the rest stay.
4. New plans: requests x (1 + change)^year x (1 + population growth)^year x the agree-to-assess
   rate x the issue rate, plus transfers in, split by the age mix of new plans and the placement
   mix (with its shifts, in points). A category with a capacity takes what its places allow and
   sends the rest to its overflow category (and on, if that is full too). Plans already placed
   are never moved by a cap.
5. Cost: plans in force at the year's end x each category's unit cost, which changes by its
   percentage each year (compounding).

Counts are expected values (fractions of plans), rounded only for display. Pure Python: no
Django, no database; reporting.selectors.trajectory fits the defaults and reads the start.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    first_age: int
    last_age: int

    @property
    def width(self) -> int:
        """How many ages (on 31 August) the band holds: 1/width of it moves up each year."""
        return self.last_age - self.first_age + 1


#: DSG age bands (age on 31 August before the school year), as reporting.metrics.engine's.
AGE_BANDS: tuple[Band, ...] = (
    Band("under_5", "Under 5", 0, 4),
    Band("5_10", "5 to 10", 5, 10),
    Band("11_15", "11 to 15", 11, 15),
    Band("16_19", "16 to 19", 16, 19),
    Band("20_25", "20 to 25", 20, 25),
)
BAND_KEYS: tuple[str, ...] = tuple(band.key for band in AGE_BANDS)
MAX_YEARS = 10


def band_of_age(age: int) -> str:
    """The band of an age on 31 August: under 0 is under 5, over 25 is 20 to 25 (the census's)."""
    for band in AGE_BANDS[:-1]:
        if age <= band.last_age:
            return band.key
    return AGE_BANDS[-1].key


# --- what goes in -------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepDown:
    """`pct` per cent of the plans in `source` at that point of the year move to `target`."""

    source: str
    target: str
    pct: float


@dataclass(frozen=True)
class Capacity:
    """At most `places` plans in the category at a year's end; new plans past that go to
    `overflow_to`."""

    places: float
    overflow_to: str


@dataclass(frozen=True)
class Assumptions:
    """A scenario's parameters (or the fitted "do nothing" ones). Percentages are per cent;
    shares (`new_plan_ages`, `placement_mix_pct`) need not add up exactly: they are normalised."""

    requests_per_year: float
    agree_to_assess_pct: float
    issue_pct: float
    cessation_pct: Mapping[str, float]
    new_plan_ages: Mapping[str, float]
    placement_mix_pct: Mapping[str, float]
    unit_cost: Mapping[str, float]
    transfers_in_per_year: float = 0.0
    request_change_pct: float = 0.0
    population_growth_pct: float = 0.0
    mix_shift_pts: Mapping[str, float] = field(default_factory=dict)
    step_downs: tuple[StepDown, ...] = ()
    unit_cost_change_pct: Mapping[str, float] = field(default_factory=dict)
    capacity: Mapping[str, Capacity] = field(default_factory=dict)

    def requests_in(self, year: int) -> float:
        """Requests in year `year` (1 = the first projected year)."""
        growth = (1 + self.request_change_pct / 100) * (1 + self.population_growth_pct / 100)
        return self.requests_per_year * growth**year

    def new_plans_in(self, year: int) -> float:
        rates = (self.agree_to_assess_pct / 100) * (self.issue_pct / 100)
        return self.requests_in(year) * rates + self.transfers_in_per_year

    def unit_cost_in(self, category: str, year: int) -> float:
        change = self.unit_cost_change_pct.get(category, 0.0) / 100
        return self.unit_cost.get(category, 0.0) * (1 + change) ** year

    def mix(self, categories: Sequence[str]) -> dict[str, float]:
        """The placement mix of new plans with its shifts, as shares adding up to 1 (a shift
        below nothing counts as nothing)."""
        shifted = {
            c: max(0.0, self.placement_mix_pct.get(c, 0.0) + self.mix_shift_pts.get(c, 0.0))
            for c in categories
        }
        total = sum(shifted.values())
        return {c: (v / total if total else 0.0) for c, v in shifted.items()}

    def ages(self) -> dict[str, float]:
        total = sum(max(0.0, self.new_plan_ages.get(b, 0.0)) for b in BAND_KEYS)
        if not total:
            return {b: (1.0 if b == BAND_KEYS[1] else 0.0) for b in BAND_KEYS}
        return {b: max(0.0, self.new_plan_ages.get(b, 0.0)) / total for b in BAND_KEYS}


#: Plans in force by (category, age band).
Stock = dict[str, list[float]]


@dataclass(frozen=True)
class Position:
    """Plans in force at the start, by (category, age band key)."""

    plans: Mapping[tuple[str, str], float]


# --- what comes out -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CategoryYear:
    category: str
    by_age_band: tuple[float, ...]  # in AGE_BANDS order
    unit_cost: float
    new_plans: float = 0.0  # placed here this year (after any overflow)
    turned_away: float = 0.0  # new plans this category had no place for (sent to its overflow)

    @property
    def plans(self) -> float:
        return sum(self.by_age_band)

    @property
    def annual_cost(self) -> float:
        return self.plans * self.unit_cost


@dataclass(frozen=True)
class Year:
    """The position at the end of projected year `year` (0: the start), and the year's flows."""

    year: int
    categories: tuple[CategoryYear, ...]
    requests: float = 0.0
    new_plans: float = 0.0
    ceased: float = 0.0  # including those ageing out at 25
    aged_out: float = 0.0
    stepped_down: float = 0.0

    @property
    def open_plans(self) -> float:
        return sum(c.plans for c in self.categories)

    @property
    def annual_cost(self) -> float:
        return sum(c.annual_cost for c in self.categories)

    @property
    def by_age_band(self) -> tuple[float, ...]:
        return tuple(sum(c.by_age_band[i] for c in self.categories) for i in range(len(AGE_BANDS)))

    def category(self, key: str) -> CategoryYear:
        for line in self.categories:
            if line.category == key:
                return line
        raise KeyError(key)


@dataclass(frozen=True)
class Projection:
    start: Year
    years: tuple[Year, ...]


@dataclass(frozen=True)
class Comparison:
    """A scenario against "do nothing", year by year: cost avoided = do nothing - scenario."""

    scenario: Projection
    do_nothing: Projection

    @property
    def cost_avoided_by_year(self) -> tuple[float, ...]:
        return tuple(
            d.annual_cost - s.annual_cost
            for s, d in zip(self.scenario.years, self.do_nothing.years, strict=True)
        )

    @property
    def cost_avoided(self) -> float:
        return sum(self.cost_avoided_by_year)

    @property
    def plans_avoided_by_year(self) -> tuple[float, ...]:
        return tuple(
            d.open_plans - s.open_plans
            for s, d in zip(self.scenario.years, self.do_nothing.years, strict=True)
        )


# --- the model ----------------------------------------------------------------------------------
def project(
    *,
    start: Position,
    assumptions: Assumptions,
    years: int,
    categories: Sequence[str],
) -> Projection:
    """The plans and cost at the end of each of `years` years from the start position.

    `categories` are every category the model may use, in display order; start plans, mix,
    costs and capacities in others are ignored. Raises ValueError for years outside 1..10.
    """
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must be 1 to {MAX_YEARS}")
    order = list(categories)
    stock: Stock = {c: [0.0] * len(AGE_BANDS) for c in order}
    for (category, band), plans in start.plans.items():
        if category in stock and band in BAND_KEYS:
            stock[category][BAND_KEYS.index(band)] += plans
    first = Year(0, _lines(stock, assumptions, 0, order))
    out = []
    for year in range(1, years + 1):
        stock, flows = _step(stock, assumptions, year, order)
        out.append(
            Year(
                year,
                _lines(stock, assumptions, year, order, flows.placed, flows.turned_away),
                requests=assumptions.requests_in(year),
                new_plans=flows.new_plans,
                ceased=flows.ceased,
                aged_out=flows.aged_out,
                stepped_down=flows.stepped_down,
            )
        )
    return Projection(first, tuple(out))


def compare(
    *,
    start: Position,
    scenario: Assumptions,
    do_nothing: Assumptions,
    years: int,
    categories: Sequence[str],
) -> Comparison:
    return Comparison(
        scenario=project(start=start, assumptions=scenario, years=years, categories=categories),
        do_nothing=project(start=start, assumptions=do_nothing, years=years, categories=categories),
    )


@dataclass
class _Flows:
    new_plans: float = 0.0
    ceased: float = 0.0
    aged_out: float = 0.0
    stepped_down: float = 0.0
    placed: dict[str, float] = field(default_factory=dict)
    turned_away: dict[str, float] = field(default_factory=dict)


def _lines(
    stock: Stock,
    assumptions: Assumptions,
    year: int,
    order: Sequence[str],
    placed: Mapping[str, float] | None = None,
    turned_away: Mapping[str, float] | None = None,
) -> tuple[CategoryYear, ...]:
    return tuple(
        CategoryYear(
            category=c,
            by_age_band=tuple(stock[c]),
            unit_cost=assumptions.unit_cost_in(c, year),
            new_plans=(placed or {}).get(c, 0.0),
            turned_away=(turned_away or {}).get(c, 0.0),
        )
        for c in order
    )


def _step(
    stock: Stock, assumptions: Assumptions, year: int, order: Sequence[str]
) -> tuple[Stock, _Flows]:
    flows = _Flows()
    last = len(AGE_BANDS) - 1
    after: Stock = {}
    for category, bands in stock.items():
        kept = [0.0] * len(AGE_BANDS)
        for i, band in enumerate(AGE_BANDS):
            rate = min(max(assumptions.cessation_pct.get(band.key, 0.0), 0.0), 100.0) / 100
            ceasing = bands[i] * rate
            staying = bands[i] - ceasing
            moving = staying / band.width
            flows.ceased += ceasing
            kept[i] += staying - moving
            if i == last:
                flows.aged_out += moving
            else:
                kept[i + 1] += moving
        after[category] = kept
    flows.ceased += flows.aged_out

    for step in assumptions.step_downs:
        if step.source not in after or step.target not in after or step.source == step.target:
            continue
        share = min(max(step.pct, 0.0), 100.0) / 100
        moved = [plans * share for plans in after[step.source]]
        wanted = sum(moved)
        room = _room(after, assumptions, step.target)
        if wanted > room:
            moved = [plans * room / wanted for plans in moved] if wanted else moved
        for i, plans in enumerate(moved):
            after[step.source][i] -= plans
            after[step.target][i] += plans
        flows.stepped_down += sum(moved)

    new = assumptions.new_plans_in(year)
    flows.new_plans = new
    ages = assumptions.ages()
    for category, share in assumptions.mix(order).items():
        if share:
            _place(after, assumptions, category, [new * share * ages[b] for b in BAND_KEYS], flows)
    return after, flows


def _room(stock: Stock, assumptions: Assumptions, category: str) -> float:
    capacity = assumptions.capacity.get(category)
    if capacity is None:
        return float("inf")
    return max(0.0, capacity.places - sum(stock[category]))


def _place(
    stock: Stock,
    assumptions: Assumptions,
    category: str,
    plans: list[float],
    flows: _Flows,
) -> None:
    """New plans into `category` as far as its places allow; the rest go down its overflow
    chain. A chain that comes back on itself, or leaves the model, ends where it is."""
    seen: set[str] = set()
    while True:
        seen.add(category)
        wanted = sum(plans)
        room = _room(stock, assumptions, category)
        capacity = assumptions.capacity.get(category)
        onward = capacity.overflow_to if capacity is not None else ""
        if wanted <= room or onward in seen or onward not in stock:
            taken, rest = plans, [0.0] * len(plans)
        else:
            fraction = room / wanted if wanted else 0.0
            taken = [p * fraction for p in plans]
            rest = [p - t for p, t in zip(plans, taken, strict=True)]
        for i, p in enumerate(taken):
            stock[category][i] += p
        flows.placed[category] = flows.placed.get(category, 0.0) + sum(taken)
        if not any(rest):
            return
        flows.turned_away[category] = flows.turned_away.get(category, 0.0) + sum(rest)
        category, plans = onward, rest
