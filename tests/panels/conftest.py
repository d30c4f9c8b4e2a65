"""Panels tests run on a frozen day, Monday 2 March 2026, with the council's default panels and
example bands in place (re-made by the data migration's own function if a transactional test
elsewhere emptied the tables)."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from tests.panels.factories import install_defaults

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def panel_defaults(db: None) -> None:
    install_defaults()


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC), tick=False):
        yield
