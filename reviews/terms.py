"""The three English school terms, defined simply so that every date belongs to exactly one.

Autumn runs 1 September to 31 December, spring 1 January to 31 March (Easter moves, so the
spring term here ends with March) and summer 1 April to 31 August. Councils send each setting
its list of reviews due in a term before that term starts; the exact term dates of each school
do not change which list a review belongs on.
"""

import datetime as dt
from dataclasses import dataclass

AUTUMN, SPRING, SUMMER = "autumn", "spring", "summer"
SEASONS = (SPRING, SUMMER, AUTUMN)  # in calendar order within a year
_BOUNDS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    SPRING: ((1, 1), (3, 31)),
    SUMMER: ((4, 1), (8, 31)),
    AUTUMN: ((9, 1), (12, 31)),
}

YEAR_DIGITS = 4
UNKNOWN_TERM = "Choose a term from the list"


@dataclass(frozen=True)
class Term:
    season: str
    year: int

    @property
    def starts_on(self) -> dt.date:
        (month, day), _ = _BOUNDS[self.season]
        return dt.date(self.year, month, day)

    @property
    def ends_on(self) -> dt.date:
        _, (month, day) = _BOUNDS[self.season]
        return dt.date(self.year, month, day)

    @property
    def slug(self) -> str:
        return f"{self.season}-{self.year}"

    @property
    def name(self) -> str:
        return f"{self.season.capitalize()} term {self.year}"

    def __str__(self) -> str:
        return self.name

    def next(self) -> "Term":
        index = SEASONS.index(self.season)
        if index == len(SEASONS) - 1:
            return Term(SEASONS[0], self.year + 1)
        return Term(SEASONS[index + 1], self.year)

    def previous(self) -> "Term":
        index = SEASONS.index(self.season)
        if index == 0:
            return Term(SEASONS[-1], self.year - 1)
        return Term(SEASONS[index - 1], self.year)


def term_for(day: dt.date) -> Term:
    for season in SEASONS:
        term = Term(season, day.year)
        if term.starts_on <= day <= term.ends_on:
            return term
    raise AssertionError(f"no term contains {day}")  # pragma: no cover - the terms tile a year


def parse_term(slug: str) -> Term:
    """'autumn-2025' -> Term; ValueError with UNKNOWN_TERM for anything else."""
    season, _, year = slug.partition("-")
    if season not in _BOUNDS or not (year.isdigit() and len(year) == YEAR_DIGITS):
        raise ValueError(UNKNOWN_TERM)
    return Term(season, int(year))


def term_choices(today: dt.date, *, before: int = 3, after: int = 3) -> list[Term]:
    """The current term with a few either side, for a drop-down."""
    current = term_for(today)
    terms = [current]
    for _ in range(before):
        terms.insert(0, terms[0].previous())
    for _ in range(after):
        terms.append(terms[-1].next())
    return terms
