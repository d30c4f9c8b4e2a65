"""Panels tests run on a frozen day, Monday 2 March 2026, with the council's default panels and
example bands in place (re-made by the data migration's own function if a transactional test
elsewhere emptied the tables)."""

import datetime as dt

import pytest

from tests.panels.factories import install_defaults

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def panel_defaults(db: None) -> None:
    install_defaults()


@pytest.fixture
def frozen_at() -> dt.datetime:
    return dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_today(today: dt.date) -> None:
    """Every panels test runs on `today` (tests/conftest.py), at 11:00."""
