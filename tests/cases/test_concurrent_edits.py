"""Two people change one child from the same starting version: the second is refused, shown both
versions, and loses nothing, on the page and in the API (ETag and If-Match, 412)."""

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases import services
from cases.models import Child
from cases.sen2_import import sen2_import
from send_cms.accounts.models import User
from send_cms.common import messages as msg
from send_cms.common.versioning import StaleVersion
from tests.edit_pages import conflict_rows, form_data, summary
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

#: Mon 2 Feb 2026, 10:00 in London (GMT).
NOW = dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC)
REFUSED = msg.STALE_FORM.format(name="Sam Okafor", when="10:00 on 2 Feb 2026")


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(caseworker: User) -> Child:
    return ChildFactory.create(
        caseworker=caseworker, first_name="Ava", last_name="Okoro", postcode="", upn_unknown="UN5"
    )


@pytest.fixture
def other_client(other_caseworker: User) -> Client:
    client = Client()
    client.force_login(other_caseworker)
    return client


def edit_url(child: Child) -> str:
    return reverse("cases:child-edit", args=[child.pk])


# --- pages ---------------------------------------------------------------------------------------


def test_the_second_of_two_edits_from_one_version_is_refused_and_loses_nothing(
    caseworker_client: Client, other_client: Client, child: Child
) -> None:
    first = form_data(caseworker_client.get(edit_url(child)).content.decode())
    second = form_data(other_client.get(edit_url(child)).content.decode())
    assert first["version"] == second["version"] == "1"

    saved = caseworker_client.post(edit_url(child), {**first, "first_name": "Eva"})
    assert saved.status_code == 302

    typed = {**second, "last_name": "Okoro-Bello", "postcode": "SW1A 1AA"}
    refused = other_client.post(edit_url(child), typed)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert summary(page) == [REFUSED]
    assert '<a href="#version-conflict">' in page
    assert conflict_rows(page) == [
        ["First name", "Eva", "Ava"],
        ["Last name", "Okoro", "Okoro-Bello"],
        ["Postcode", "Not entered", "SW1A 1AA"],
    ]
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.postcode, child.version) == (
        "Eva",
        "Okoro",
        "",
        2,
    )
    # What they typed is still in the form, now carrying the version they have been shown.
    kept = form_data(page)
    assert (kept["last_name"], kept["postcode"], kept["version"]) == (
        "Okoro-Bello",
        "SW1A 1AA",
        "2",
    )

    again = other_client.post(edit_url(child), kept)
    assert again.status_code == 302
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.postcode, child.version) == (
        "Ava",
        "Okoro-Bello",
        "SW1A 1AA",
        3,
    )


def test_a_reallocation_since_the_page_opened_counts_as_a_change(
    caseworker_client: Client, manager: User, other_caseworker: User, child: Child
) -> None:
    opened = form_data(caseworker_client.get(edit_url(child)).content.decode())
    services.child_reallocate(actor=manager, child=child, caseworker=other_caseworker)

    refused = caseworker_client.post(edit_url(child), {**opened, "first_name": "Eva"})

    assert summary(refused.content.decode()) == [
        msg.STALE_FORM.format(name="Chris Evans", when="10:00 on 2 Feb 2026")
    ]
    child.refresh_from_db()
    assert child.first_name == "Ava"


def test_a_post_without_a_version_is_saved_as_before(
    caseworker_client: Client, child: Child
) -> None:
    data = form_data(caseworker_client.get(edit_url(child)).content.decode())
    del data["version"]
    Child.objects.filter(pk=child.pk).update(version=5)

    assert caseworker_client.post(edit_url(child), {**data, "first_name": "Eva"}).status_code == 302
    child.refresh_from_db()
    assert (child.first_name, child.version) == ("Eva", 6)


# --- the service ---------------------------------------------------------------------------------


def test_the_service_refuses_an_older_version_whoever_calls_it(
    caseworker: User, other_caseworker: User, child: Child
) -> None:
    services.child_update(actor=caseworker, child=child, expected_version=1, first_name="Eva")

    with pytest.raises(StaleVersion) as refused:
        services.child_update(
            actor=other_caseworker, child=child, expected_version=1, last_name="Bello"
        )

    assert (refused.value.expected, refused.value.current) == (1, 2)
    assert refused.value.change.by == "Sam Okafor"
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.version) == ("Eva", "Okoro", 2)


def test_every_save_raises_the_version(caseworker: User, child: Child) -> None:
    child.postcode = "SW1A 1AA"
    child.save(update_fields=["postcode"])
    child.refresh_from_db()
    assert child.version == 2


# --- the API -------------------------------------------------------------------------------------


def child_api_url(child: Child) -> str:
    return f"/api/v1/children/{child.pk}/"


@pytest.fixture
def other_api(other_caseworker: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(other_caseworker)
    return client


def test_a_child_read_carries_its_etag(caseworker_api: APIClient, child: Child) -> None:
    response = caseworker_api.get(child_api_url(child))
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_change_from_a_stale_etag_is_refused_with_412(
    caseworker_api: APIClient, other_api: APIClient, child: Child, method: str
) -> None:
    etag = caseworker_api.get(child_api_url(child))["ETag"]
    assert other_api.get(child_api_url(child))["ETag"] == etag

    send: Callable[..., Any] = getattr(caseworker_api, method)
    first = send(child_api_url(child), {"first_name": "Eva"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    assert first["ETag"] == '"2"'

    second = getattr(other_api, method)(
        child_api_url(child), {"last_name": "Bello"}, HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    assert second["ETag"] == '"2"'
    assert second.json() == {
        "detail": msg.STALE_API.format(
            name="Sam Okafor", when="10:00 on 2 Feb 2026", version=2, etag='"2"'
        ),
        "version": 2,
        "etag": '"2"',
    }
    child.refresh_from_db()
    assert (child.first_name, child.last_name) == ("Eva", "Okoro")

    fresh = other_api.get(child_api_url(child))["ETag"]
    third = getattr(other_api, method)(
        child_api_url(child), {"last_name": "Bello"}, HTTP_IF_MATCH=fresh
    )
    assert third.status_code == 200
    assert third["ETag"] == '"3"'
    assert (third.json()["first_name"], third.json()["last_name"]) == ("Eva", "Bello")


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        (None, 200),  # If-Match is recommended, not required
        ("*", 200),
        ('"7", "1"', 200),  # any of the tags may match
        ('W/"1"', 412),  # a weak tag never matches If-Match
        ("not-an-etag", 412),
        ('"0"', 412),
    ],
)
def test_if_match_values(
    caseworker_api: APIClient, child: Child, if_match: str | None, status: int
) -> None:
    headers: dict[str, Any] = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    response = caseworker_api.patch(child_api_url(child), {"first_name": "Eva"}, **headers)
    assert response.status_code == status
    child.refresh_from_db()
    assert child.first_name == ("Eva" if status == 200 else "Ava")


def test_a_child_the_sen2_import_changes_has_a_new_version(today: dt.date) -> None:
    held = ChildFactory.create(
        first_name=" tom ", last_name="EVANS", date_of_birth=dt.date(2008, 9, 30), postcode=""
    )
    files = Path(__file__).parent / "sen2_files"

    sen2_import(actor=None, source=files / "sen2_2025.xml", file_name="sen2_2025.xml")

    held.refresh_from_db()
    assert held.postcode  # filled in from the file
    assert held.version == 2
