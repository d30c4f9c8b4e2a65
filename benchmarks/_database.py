"""The throwaway database every benchmark runs in (not a benchmark itself: run.py skips `_` files).

It is named apart from the test suite's (`benchmark_<name>`, or `benchmark-db.sqlite3`), so a
benchmark never drops the database a test run is using, and it never touches real data.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.test.utils import setup_test_environment


@contextmanager
def throwaway_database() -> Iterator[None]:
    """Create a fresh benchmark database, run the block in it, and drop it afterwards."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings.BASE_DIR / "benchmark-db.sqlite3")
    else:
        name = f"benchmark_{database['NAME']}"
    database.setdefault("TEST", {})["NAME"] = name
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
