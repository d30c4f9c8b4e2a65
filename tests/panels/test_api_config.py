"""The panels and funding-bands resources of api.md: bodies, roles, errors, query counts."""

import datetime as dt
from decimal import Decimal

import pytest

from panels.models import FundingBand, PanelType
from panels.services import QUORUM_TOO_SMALL, funding_band_create

pytestmark = pytest.mark.django_db

PANEL_FIELDS = {
    "id",
    "slug",
    "name",
    "purpose",
    "decision_kinds",
    "quorum_minimum",
    "quorum_roles",
    "cost_threshold",
    "version",
}


def test_every_role_lists_the_default_panels(panel_member_api, caseworker_api) -> None:
    for client in (panel_member_api, caseworker_api):
        response = client.get("/api/v1/panels/")
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 4
        by_slug = {p["slug"]: p for p in body["results"]}
        assert set(by_slug) == {
            "needs-assessment",
            "provision-and-placement",
            "high-cost-placement",
            "cease",
        }
        assert set(by_slug["needs-assessment"]) == PANEL_FIELDS
        assert by_slug["needs-assessment"]["decision_kinds"] == ["decision_to_assess"]
        assert by_slug["needs-assessment"]["quorum_roles"] == [
            "educational_psychologist",
            "la_officer",
        ]
        assert by_slug["high-cost-placement"]["cost_threshold"] == "25000.00"


def test_only_an_administrator_changes_the_quorum_rule(admin_api, manager_api) -> None:
    panel = PanelType.objects.get(slug="cease")
    url = f"/api/v1/panels/{panel.pk}/"
    assert manager_api.patch(url, {"quorum_minimum": 4}).status_code == 403
    response = admin_api.patch(
        url, {"quorum_minimum": 4, "quorum_roles": ["la_officer", "social_care"]}
    )
    assert response.status_code == 200
    assert response.json()["quorum_minimum"] == 4
    assert response.json()["quorum_roles"] == ["la_officer", "social_care"]
    panel.refresh_from_db()
    assert panel.quorum_roles == ["la_officer", "social_care"]
    assert admin_api.put(url, {"quorum_minimum": 4}).status_code == 405


def test_a_bad_quorum_rule_is_a_field_keyed_400(admin_api) -> None:
    panel = PanelType.objects.get(slug="cease")
    url = f"/api/v1/panels/{panel.pk}/"
    response = admin_api.patch(url, {"quorum_minimum": 0})
    assert response.status_code == 400
    assert response.json() == {
        "quorum_minimum": ["Ensure this value is greater than or equal to 1."]
    }
    response = admin_api.patch(url, {"quorum_roles": ["wizard"]})
    assert response.status_code == 400
    assert response.json() == {"quorum_roles": {"0": ['"wizard" is not a valid choice.']}}
    assert QUORUM_TOO_SMALL  # the service's own words back up the serializer


def test_funding_bands_filter_by_kind_and_date(caseworker_api) -> None:
    response = caseworker_api.get("/api/v1/funding-bands/", {"kind": "special"})
    assert response.status_code == 200
    assert [b["code"] for b in response.json()["results"]] == ["S1", "S2"]
    assert response.json()["results"][0] == {
        "id": response.json()["results"][0]["id"],
        "kind": "special",
        "code": "S1",
        "name": "Special school top-up, lower band",
        "annual_value": "11412.00",
        "effective_from": "2023-04-01",
        "effective_to": None,
        "version": 1,
    }
    before = caseworker_api.get("/api/v1/funding-bands/", {"on": "2023-03-31"})
    assert before.json()["count"] == 0


def test_only_administrators_create_and_update_bands(admin_api, caseworker_api) -> None:
    body = {
        "kind": "mainstream",
        "code": "M2",
        "name": "Mainstream band 2",
        "annual_value": "3255.00",
        "effective_from": "2026-04-01",
    }
    assert caseworker_api.post("/api/v1/funding-bands/", body).status_code == 403
    created = admin_api.post("/api/v1/funding-bands/", body)
    assert created.status_code == 201
    assert created.json()["effective_to"] is None
    overlap = admin_api.post(
        "/api/v1/funding-bands/",
        {**body, "effective_from": "2026-03-01", "effective_to": "2026-06-30"},
    )
    assert overlap.status_code == 400
    assert overlap.json() == {
        "effective_from": [
            "M2 for this kind of setting already has a value from 1 Apr 2023 to 31 Mar 2026: "
            "periods cannot overlap"
        ]
    }
    url = f"/api/v1/funding-bands/{created.json()['id']}/"
    assert caseworker_api.patch(url, {"annual_value": "1"}).status_code == 403
    patched = admin_api.patch(url, {"annual_value": "3260.00"})
    assert patched.status_code == 200
    assert patched.json()["annual_value"] == "3260.00"


def test_the_band_list_runs_a_fixed_number_of_queries(
    caseworker_api, admin_user, django_assert_num_queries
) -> None:
    caseworker_api.get("/api/v1/funding-bands/")  # warm the per-process caches
    with django_assert_num_queries(2):
        assert caseworker_api.get("/api/v1/funding-bands/").json()["count"] == 5
    for n in range(25):
        funding_band_create(
            actor=admin_user,
            kind="special",
            code=f"X{n}",
            name=f"Extra {n}",
            annual_value=Decimal(n),
            effective_from=dt.date(2025, 4, 1),
        )
    assert FundingBand.objects.count() == 30
    with django_assert_num_queries(2):
        assert caseworker_api.get("/api/v1/funding-bands/").json()["count"] == 30
