"""Two administrators change one panel or funding band from the same read: the second, sent
with the first read's ETag in If-Match, is refused with 412 and changes nothing."""

import datetime as dt
import html
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from panels.models import FundingBand, PanelType
from panels.services import funding_band_create, funding_band_update
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin_api(make_user: Callable[..., User]) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user("admin2", Role.ADMIN, first_name="Jo", last_name="Reid"))
    return client


def test_a_panel_changed_since_it_was_read_is_not_changed_again(
    admin_api: APIClient, other_admin_api: APIClient
) -> None:
    panel = PanelType.objects.get(slug="cease")
    url = f"/api/v1/panels/{panel.pk}/"
    etag = admin_api.get(url)["ETag"]
    assert etag == f'"{panel.version}"'

    first = admin_api.patch(url, {"quorum_minimum": 4}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] == f'"{panel.version + 1}"'
    stale = other_admin_api.patch(url, {"quorum_minimum": 5}, HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    assert stale.json()["etag"] == first["ETag"]
    panel.refresh_from_db()
    assert panel.quorum_minimum == 4


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_band_corrected_since_it_was_read_is_not_corrected_again(
    admin_api: APIClient, other_admin_api: APIClient, admin_user: User, method: str
) -> None:
    band = funding_band_create(
        actor=admin_user,
        kind="special",
        code="X1",
        name="Extra",
        annual_value=Decimal("100.00"),
        effective_from=dt.date(2025, 4, 1),
    )
    url = f"/api/v1/funding-bands/{band.pk}/"
    etag = admin_api.get(url)["ETag"]
    body = {
        "kind": "special",
        "code": "X1",
        "name": "Extra",
        "effective_from": "2025-04-01",
    }

    first = getattr(admin_api, method)(url, {**body, "annual_value": "120.00"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    stale = getattr(other_admin_api, method)(
        url, {**body, "annual_value": "130.00"}, HTTP_IF_MATCH=etag
    )

    assert stale.status_code == 412
    band = FundingBand.objects.get(pk=band.pk)
    assert band.annual_value == Decimal("120.00")
    again = getattr(other_admin_api, method)(
        url, {**body, "annual_value": "130.00"}, HTTP_IF_MATCH=first["ETag"]
    )
    assert again.status_code == 200


def test_a_band_changed_since_its_admin_page_opened_is_refused_there(
    admin_client_: Client, admin_user: User, make_user: Callable[..., User]
) -> None:
    band = funding_band_create(
        actor=admin_user,
        kind="special",
        code="X1",
        name="Extra",
        annual_value=Decimal("100.00"),
        effective_from=dt.date(2025, 4, 1),
    )
    url = f"/admin/panels/fundingband/{band.pk}/change/"
    page = admin_client_.get(url).content.decode()
    assert 'name="version" value="1"' in page
    other = make_user("admin2", Role.ADMIN, first_name="Jo", last_name="Reid")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        funding_band_update(actor=other, band=band, annual_value=Decimal("120.00"))
    form = {
        "kind": "special",
        "code": "X1",
        "name": "Extra",
        "annual_value": "130.00",
        "effective_from": "2025-04-01",
        "version": "1",
    }

    refused = admin_client_.post(url, form)

    assert refused.status_code == 200
    text = html.unescape(refused.content.decode())
    assert "Jo Reid changed this record at 11:05 on " in text
    assert "Annual value: 120.00 (you entered 130.00)." in text
    assert 'name="version" value="2"' in text
    assert FundingBand.objects.get(pk=band.pk).annual_value == Decimal("120.00")
    assert admin_client_.post(url, {**form, "version": "2"}).status_code == 302
    assert FundingBand.objects.get(pk=band.pk).annual_value == Decimal("130.00")


def test_a_panels_admin_page_carries_its_version(admin_client_: Client) -> None:
    panel = PanelType.objects.get(slug="cease")
    page = admin_client_.get(f"/admin/panels/paneltype/{panel.pk}/change/").content.decode()
    assert f'name="version" value="{panel.version}"' in page
    add = admin_client_.get("/admin/panels/paneltype/add/")
    assert add.status_code == 200
