"""The dashboard points managers at the work behind the figures: the at-risk list and the SEN2
errors to fix before the return, with the live counts."""

import pytest

from reporting.sen2.validation import data_quality_summary

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_sen2_error_and_query_counts(manager_client):
    errors, queries = data_quality_summary()

    page = manager_client.get("/reporting/").content.decode()

    assert 'href="/reporting/data-quality/"' in page
    assert 'href="/reporting/at-risk/"' in page
    assert f"{errors} error" in page
    assert "to resolve before the return" in page
    assert str(queries) in page
