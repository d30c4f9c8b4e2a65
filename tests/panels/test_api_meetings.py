"""The panel-meetings and panel-items resources: bodies, roles, 400/403/409, query counts."""

import datetime as dt

import pytest

from panels.models import Decision, ItemKind, MeetingStatus, ProfessionalRole
from panels.services import (
    CONFLICT_CANNOT_DECIDE,
    INQUORATE,
    NOT_ON_PANEL,
    ONLY_MEMBERS_PRESENT_DECIDE,
    REASONS_REQUIRED,
    declaration_add,
)
from tests.panels import factories as f

pytestmark = pytest.mark.django_db

MEETING_FIELDS = {
    "id",
    "panel",
    "panel_slug",
    "held_on",
    "chair",
    "location",
    "members",
    "invited",
    "status",
    "started_at",
    "closed_at",
    "items",
}


def test_a_caseworker_plans_a_meeting_by_panel_slug(caseworker_api, manager_api) -> None:
    panel = f.panel_type("needs-assessment")
    people = f.quorate_members(panel)
    body = {
        "panel": "needs-assessment",
        "held_on": "2026-03-16",
        "chair": people[0].pk,
        "members": [p.pk for p in people],
    }
    assert manager_api.post("/api/v1/panel-meetings/", body).status_code == 403
    response = caseworker_api.post("/api/v1/panel-meetings/", body)
    assert response.status_code == 201
    data = response.json()
    assert set(data) == MEETING_FIELDS
    assert data["panel"] == str(panel.pk)
    assert data["status"] == "planned"
    assert sorted(data["members"]) == sorted(p.pk for p in people)
    assert data["items"] == []


def test_a_member_not_on_the_panel_is_a_field_keyed_400(caseworker_api) -> None:
    panel = f.panel_type("needs-assessment")
    people = f.quorate_members(panel)
    stranger = f.panel_user("stranger", ProfessionalRole.HEALTH, [f.panel_type("cease")])
    response = caseworker_api.post(
        "/api/v1/panel-meetings/",
        {
            "panel": str(panel.pk),
            "held_on": "2026-03-16",
            "chair": people[0].pk,
            "members": [people[1].pk, stranger.pk],
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "members": [NOT_ON_PANEL.format(user=stranger, panel="Needs assessment panel")]
    }
    unknown = caseworker_api.post(
        "/api/v1/panel-meetings/",
        {"panel": "no-such", "held_on": "2026-03-16", "chair": people[0].pk, "members": []},
    )
    assert unknown.json() == {"panel": ["There is no panel no-such."]}


def test_a_panel_member_lists_only_their_meetings_and_decides(panel_member, panel_member_api):
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    mine = f.meeting(chair=chair)
    item = f.item(mine, ItemKind.PLACEMENT, proposed_establishment=f.establishment())
    other_chair = f.panel_user("other", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    other = f.meeting(chair=other_chair, members=[other_chair])
    listed = panel_member_api.get("/api/v1/panel-meetings/").json()
    assert [m["id"] for m in listed["results"]] == [str(mine.pk)]
    assert panel_member_api.get(f"/api/v1/panel-meetings/{other.pk}/").status_code == 404

    url = f"/api/v1/panel-items/{item.pk}/decision/"
    blank = panel_member_api.post(url, {"outcome": "agree", "reasons": ""})
    assert blank.status_code == 400
    assert blank.json() == {"reasons": [REASONS_REQUIRED]}
    no_band = panel_member_api.post(url, {"outcome": "agree", "reasons": "Agreed"})
    assert no_band.status_code == 400
    assert no_band.json() == {
        "placement": {
            "band": ["Choose a funding band, or enter an individual annual cost with a reason"]
        }
    }
    body = {"outcome": "agree", "reasons": "Agreed", "placement": {"band": "M1"}}
    created = panel_member_api.post(url, body, format="json")
    assert created.status_code == 201
    decision = created.json()
    assert decision["placement"] == {
        "establishment": str(item.proposed_establishment_id),
        "band": "M1",
        "annual_cost": "1600.00",
        "cost_reason": "",
        "starts_on": "2026-03-02",
    }
    assert decision["applied_at"] is None
    retried = panel_member_api.post(url, body, format="json")
    assert retried.status_code == 200
    assert retried.json()["id"] == decision["id"]
    assert Decision.objects.count() == 1
    shown = panel_member_api.get(f"/api/v1/panel-meetings/{mine.pk}/").json()
    assert shown["items"][0]["decision"]["id"] == decision["id"]


def test_decisions_refused_for_absence_conflict_and_quorum(panel_member, panel_member_api):
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    meeting = f.meeting(chair=chair)
    item = f.item(meeting, ItemKind.PLACEMENT)
    url = f"/api/v1/panel-items/{item.pk}/decision/"
    declaration_add(actor=panel_member, item=item, member=panel_member, interest="My school")
    conflict = panel_member_api.post(url, {"outcome": "defer", "reasons": "Later"})
    assert conflict.status_code == 403
    assert conflict.json() == {"detail": CONFLICT_CANNOT_DECIDE}

    small = f.meeting(chair=chair, members=[chair], held_on=dt.date(2026, 2, 23))
    lonely = f.item(small, ItemKind.PLACEMENT)
    inquorate = panel_member_api.post(
        f"/api/v1/panel-items/{lonely.pk}/decision/", {"outcome": "defer", "reasons": "Later"}
    )
    assert inquorate.status_code == 409
    assert inquorate.json() == {
        "detail": INQUORATE.format(
            detail="1 of the 3 members needed are present; no educational psychologist is present"
        )
    }
    other_chair = f.panel_user("other", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    elsewhere = f.meeting(chair=other_chair, members=[other_chair, chair])
    elsewhere.memberships.filter(user=chair).update(present=False)
    absent = f.item(elsewhere, ItemKind.PLACEMENT)
    refused = panel_member_api.post(
        f"/api/v1/panel-items/{absent.pk}/decision/", {"outcome": "defer", "reasons": "Later"}
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": ONLY_MEMBERS_PRESENT_DECIDE}


@pytest.mark.parametrize("extra", [0, 21])
def test_the_meeting_list_runs_a_fixed_number_of_queries(
    manager_api, django_assert_num_queries, extra
) -> None:
    chair = f.panel_user("chair", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    for n in range(extra + 1):
        meeting = f.meeting(
            chair=chair,
            members=[chair],
            status=MeetingStatus.PLANNED,
            held_on=dt.date(2026, 4, 1) + dt.timedelta(days=n),
        )
        f.item(meeting, ItemKind.PLACEMENT)
        f.item(meeting, ItemKind.CEASE)
    manager_api.get("/api/v1/panel-meetings/")
    with django_assert_num_queries(7):  # with the audit row of the list read
        response = manager_api.get("/api/v1/panel-meetings/")
    assert response.json()["count"] == extra + 1
    assert all(len(m["items"]) == 2 for m in response.json()["results"])


@pytest.mark.parametrize("extra", [0, 24])
def test_the_item_list_runs_a_fixed_number_of_queries(
    caseworker_api, django_assert_num_queries, extra
) -> None:
    meeting = f.meeting()
    for _ in range(extra + 1):
        item = f.item(meeting, ItemKind.PLACEMENT)
        f.decision_for(item)
    caseworker_api.get("/api/v1/panel-items/")
    with django_assert_num_queries(7):  # with the audit row of the list read
        response = caseworker_api.get("/api/v1/panel-items/")
    assert response.json()["count"] == extra + 1
    assert all(i["decision"]["outcome"] == "defer" for i in response.json()["results"])


def test_a_member_declares_an_interest_through_the_api(panel_member, panel_member_api) -> None:
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    item = f.item(f.meeting(chair=chair), ItemKind.PLACEMENT)
    url = f"/api/v1/panel-items/{item.pk}/declarations/"
    empty = panel_member_api.post(url, {"interest": ""})
    assert empty.status_code == 400
    assert empty.json() == {"interest": ["Enter the interest being declared"]}
    response = panel_member_api.post(url, {"interest": "Governor of the proposed school"})
    assert response.status_code == 201
    assert response.json()["declarations"] == [
        {"member": panel_member.pk, "interest": "Governor of the proposed school"}
    ]
