"""The three school terms as the product defines them."""

import datetime as dt

import pytest

from reviews.terms import UNKNOWN_TERM, Term, parse_term, term_choices, term_for

D = dt.date


@pytest.mark.parametrize(
    ("day", "slug", "starts", "ends"),
    [
        (D(2025, 9, 1), "autumn-2025", D(2025, 9, 1), D(2025, 12, 31)),
        (D(2025, 12, 31), "autumn-2025", D(2025, 9, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), "spring-2026", D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), "summer-2026", D(2026, 4, 1), D(2026, 8, 31)),
        (D(2026, 8, 31), "summer-2026", D(2026, 4, 1), D(2026, 8, 31)),
    ],
)
def test_every_day_is_in_one_term(day, slug, starts, ends) -> None:
    term = term_for(day)
    assert (term.slug, term.starts_on, term.ends_on) == (slug, starts, ends)


def test_terms_follow_each_other_across_years() -> None:
    assert Term("autumn", 2025).next() == Term("spring", 2026)
    assert Term("spring", 2026).previous() == Term("autumn", 2025)
    assert Term("summer", 2026).name == "Summer term 2026"
    assert [t.slug for t in term_choices(D(2026, 1, 5), before=1, after=1)] == [
        "autumn-2025",
        "spring-2026",
        "summer-2026",
    ]


@pytest.mark.parametrize("slug", ["winter-2025", "autumn-25", "autumn", ""])
def test_unknown_terms_are_refused(slug) -> None:
    with pytest.raises(ValueError, match=UNKNOWN_TERM):
        parse_term(slug)
