"""Two people change one appeal's details from the same version: the second is refused and
shown both versions, on the page and in the API (412 with a stale If-Match)."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.common import messages as msg
from tests.edit_pages import conflict_rows, form_data, summary
from tribunals.models import Appeal

from .factories import register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

#: `today` is 10 Sep 2026, 10:00 in London.
WHEN = "10:00 on 10 Sep 2026"


@pytest.fixture
def other(make_user: Callable[..., User]) -> User:
    return make_user("caseworker2", Role.CASEWORKER, first_name="Olu", last_name="Ade")


@pytest.fixture
def appeal(caseworker: User) -> Appeal:
    return register_appeal(caseworker)


def test_the_second_change_of_an_appeals_details_is_refused_and_keeps_what_was_typed(
    caseworker_client: Client, other: User, appeal: Appeal
) -> None:
    other_client = Client()
    other_client.force_login(other)
    url = f"/tribunals/appeals/{appeal.pk}/details/"
    first = form_data(caseworker_client.get(url).content.decode())
    second = form_data(other_client.get(url).content.decode())

    assert caseworker_client.post(url, {**first, "legal_costs": "1200.00"}).status_code == 302
    refused = other_client.post(url, {**second, "legal_costs": "900.00"})

    page = refused.content.decode()
    assert summary(page) == [msg.STALE_FORM.format(name="Sam Okafor", when=WHEN)]
    assert conflict_rows(page) == [["Legal costs (£)", "1200.00", "900.00"]]
    assert form_data(page)["legal_costs"] == "900.00"
    appeal.refresh_from_db()
    assert str(appeal.legal_costs) == "1200.00"


def test_the_appeal_api_answers_a_stale_if_match_with_412(
    caseworker_api: APIClient, other: User, appeal: Appeal
) -> None:
    other_api = APIClient()
    other_api.force_authenticate(other)
    url = f"/api/v1/appeals/{appeal.pk}/"
    read = caseworker_api.get(url)
    etag = read["ETag"]
    assert etag == f'"{read.json()["version"]}"'

    first = caseworker_api.patch(url, {"legal_costs": "1200.00"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    assert first["ETag"] != etag

    stale = other_api.patch(url, {"legal_costs": "900.00"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["etag"] == first["ETag"] == stale["ETag"]
    appeal.refresh_from_db()
    assert str(appeal.legal_costs) == "1200.00"

    fresh = other_api.patch(url, {"legal_costs": "900.00"}, HTTP_IF_MATCH=first["ETag"])
    assert fresh.status_code == 200
    assert fresh.json()["legal_costs"] == "900.00"
