"""The mediation and appeals API (api.md): bodies, 400s keyed by field, 409s for a step the
state does not allow, role checks, filters and a constant number of queries per list."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tribunals import messages as msg
from tribunals import services
from tribunals.workflow import TRANSITIONS, AppealStep

from .factories import make_child, plan_for, record_mediation, refused_request, register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = dt.date

APPEAL_FIELDS = {
    "child",
    "request",
    "plan",
    "appeal_type",
    "sections",
    "decision_notice_on",
    "certificate_issued_on",
    "received_by_la_on",
    "response_due_on",
    "response_submitted_on",
    "hearing_on",
    "outcome",
    "decided_on",
    "orders",
    "deadlines",
}
MEDIATION_FIELDS = {
    "child",
    "request",
    "plan",
    "decision_type",
    "decision_notice_on",
    "family_contacted_on",
    "mediation_wanted",
    "held_on",
    "certificate_issued_on",
    "outcome",
    "deadlines",
}


def test_register_an_appeal_and_read_it_back(caseworker_api):
    child = make_child()
    plan = plan_for(child)
    response = caseworker_api.post(
        "/api/v1/appeals/",
        {
            "child": str(child.pk),
            "plan": str(plan.pk),
            "appeal_type": "contents",
            "sections": ["B", "I"],
            "decision_notice_on": "2025-10-27",
            "certificate_issued_on": "2025-12-04",
            "received_by_la_on": "2025-12-01",
            "setting_kind_sought": "independent_special",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= APPEAL_FIELDS
    assert body["sections"] == ["B", "I"]
    assert body["status"] == "registered"
    assert body["response_due_on"] is None
    deadlines = {d["rule"]: d for d in body["deadlines"]}
    assert deadlines["appeal_deadline"]["due"] == "2026-01-05"
    assert deadlines["tribunal_response"] == {
        "rule": "tribunal_response",
        "title": "Response to the appeal due",
        "due": "2026-01-20",
        "met_on": None,
        "status": "overdue",
        "explanation": "30 tribunal working days from the appeal received on 1 Dec 2025 "
        "(weekends, bank holidays, 25 December to 1 January and August not counted), rule 21.",
        "regulation": "Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008, rule 21",
        "subject": "",
        "overridden": False,
    }
    assert body["allowed_actions"] == [
        "response",
        "decide",
        "concede",
        "withdraw",
        "strike_out",
        "direction",
    ]
    fetched = caseworker_api.get(f"/api/v1/appeals/{body['id']}/")
    assert fetched.status_code == 200
    assert fetched.json()["id"] == body["id"]


def test_a_rule_failure_is_a_400_keyed_by_field(caseworker_api):
    child = make_child()
    response = caseworker_api.post(
        "/api/v1/appeals/",
        {
            "child": str(child.pk),
            "plan": str(plan_for(child).pk),
            "appeal_type": "contents",
            "decision_notice_on": "2025-10-27",
            "received_by_la_on": "2025-10-01",
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "sections": [msg.SECTIONS_NEEDED],
        "received_by_la_on": [
            "Date the council received the appeal must be on or after the decision notice "
            "(27 Oct 2025)"
        ],
    }
    shape = caseworker_api.post(
        "/api/v1/appeals/", {"child": str(child.pk), "appeal_type": "nonsense"}
    )
    assert shape.status_code == 400
    assert set(shape.json()) == {"appeal_type", "decision_notice_on", "received_by_la_on"}


def test_a_step_the_state_does_not_allow_is_a_409_saying_why(caseworker, caseworker_api):
    appeal = register_appeal(caseworker)
    first = caseworker_api.post(
        f"/api/v1/appeals/{appeal.pk}/response/", {"submitted_on": "2026-01-12"}
    )
    assert first.status_code == 200
    assert first.json()["status"] == "response_submitted"
    assert first.json()["response_submitted_on"] == "2026-01-12"
    again = caseworker_api.post(
        f"/api/v1/appeals/{appeal.pk}/response/", {"submitted_on": "2026-01-13"}
    )
    assert again.status_code == 409
    assert again.json() == {"detail": TRANSITIONS[AppealStep.RESPONSE].refusal}
    order = caseworker_api.post(f"/api/v1/appeals/{appeal.pk}/orders/", {"kind": "assess"})
    assert order.status_code == 409
    assert order.json() == {"detail": TRANSITIONS[AppealStep.ORDER].refusal}


def test_outcome_order_and_complied_through_the_api(caseworker, caseworker_api):
    appeal = register_appeal(caseworker, appeal_type="refusal_to_issue")
    outcome = caseworker_api.post(
        f"/api/v1/appeals/{appeal.pk}/outcome/", {"outcome": "conceded", "decided_on": "2025-12-10"}
    )
    assert outcome.status_code == 200
    assert (outcome.json()["outcome"], outcome.json()["unopposed"]) == ("conceded", True)
    created = caseworker_api.post(f"/api/v1/appeals/{appeal.pk}/orders/", {"kind": "make_plan"})
    assert created.status_code == 201
    order_id = created.json()["id"]
    assert created.json()["status"] == "overdue"  # draft due 14 Jan 2026; today is 10 Sep 2026
    unknown = caseworker_api.post(
        f"/api/v1/orders/{order_id}/complied/", {"complied_on": "2026-01-10", "step": "order_amend"}
    )
    assert unknown.status_code == 400
    assert unknown.json() == {
        "step": [
            "This has no step order_amend. Its steps are: order_make_plan_draft, "
            "order_make_plan_final."
        ]
    }
    draft = caseworker_api.post(
        f"/api/v1/orders/{order_id}/complied/", {"complied_on": "2026-01-10"}
    )
    assert draft.status_code == 200
    final = caseworker_api.post(
        f"/api/v1/orders/{order_id}/complied/",
        {"complied_on": "2026-02-20", "step": "order_make_plan_final"},
    )
    body = final.json()
    assert body["status"] == "complied"
    assert [(d["rule"], d["status"], d["met_on"]) for d in body["deadlines"]] == [
        ("order_make_plan_draft", "met", "2026-01-10"),
        ("order_make_plan_final", "met", "2026-02-20"),
    ]
    done = caseworker_api.post(
        f"/api/v1/orders/{order_id}/complied/", {"complied_on": "2026-02-21"}
    )
    assert done.status_code == 409
    assert done.json() == {"detail": msg.STEPS_ALL_DONE}
    listed = caseworker_api.get("/api/v1/orders/", {"appeal": str(appeal.pk), "status": "complied"})
    assert [o["id"] for o in listed.json()["results"]] == [order_id]
    assert caseworker_api.get("/api/v1/orders/", {"status": "overdue"}).json()["count"] == 0


def test_mediation_create_and_steps_through_the_api(caseworker_api):
    child = make_child()
    request = refused_request(child)
    created = caseworker_api.post(
        "/api/v1/mediations/",
        {
            "child": str(child.pk),
            "request": str(request.pk),
            "decision_type": "refusal_to_assess",
            "decision_notice_on": "2025-12-01",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert set(body) >= MEDIATION_FIELDS
    assert body["appeal_deadline"]["due"] == "2026-02-02"  # Sun 1 Feb 2026 -> Mon 2 Feb
    contact = caseworker_api.post(
        f"/api/v1/mediations/{body['id']}/contact/",
        {"family_contacted_on": "2025-12-23", "mediation_wanted": False},
    )
    assert contact.json()["outcome"] == "declined"
    certificate = caseworker_api.post(
        f"/api/v1/mediations/{body['id']}/certificate/", {"issued_on": "2025-12-30"}
    )
    assert certificate.json()["certificate_kind"] == "declined"
    assert {d["rule"]: d["status"] for d in certificate.json()["deadlines"]}[
        "mediation_certificate"
    ] == "met"
    held = caseworker_api.post(
        f"/api/v1/mediations/{body['id']}/held/", {"held_on": "2026-01-05", "outcome": "agreement"}
    )
    assert held.status_code == 409
    assert held.json() == {
        "detail": "The family does not want mediation, so a mediation meeting cannot be recorded."
    }


def test_filters_by_type_and_status(caseworker, caseworker_api):
    register_appeal(caseworker)
    register_appeal(caseworker, appeal_type="cease")
    assert caseworker_api.get("/api/v1/appeals/", {"appeal_type": "cease"}).json()["count"] == 1
    assert caseworker_api.get("/api/v1/appeals/", {"status": "registered"}).json()["count"] == 2
    assert caseworker_api.get("/api/v1/appeals/", {"status": "decided"}).json()["count"] == 0


# --- roles ------------------------------------------------------------------------------------
def test_managers_read_but_cannot_write(caseworker, manager_api):
    appeal = register_appeal(caseworker)
    assert manager_api.get("/api/v1/appeals/").status_code == 200
    assert manager_api.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 200
    refused = manager_api.post(
        f"/api/v1/appeals/{appeal.pk}/response/", {"submitted_on": "2026-01-12"}
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You need the caseworker or administrator role for this."}
    assert manager_api.post("/api/v1/mediations/", {}).status_code == 403


def test_appeals_and_mediation_are_not_a_panel_members(caseworker, panel_member_api):
    register_appeal(caseworker)
    for path in ("/api/v1/appeals/", "/api/v1/mediations/"):
        refused = panel_member_api.get(path)
        assert refused.status_code == 403
        assert refused.json() == {
            "detail": "You need the caseworker, manager or administrator role for this."
        }


def test_admins_write(admin_api, admin_user):
    appeal = register_appeal(admin_user)
    assert (
        admin_api.post(
            f"/api/v1/appeals/{appeal.pk}/response/", {"submitted_on": "2026-01-12"}
        ).status_code
        == 200
    )


def test_no_role_and_no_sign_in_are_refused(roleless_user):
    client = APIClient()
    assert client.get("/api/v1/appeals/").status_code == 401
    client.force_authenticate(roleless_user)
    for url in ("/api/v1/appeals/", "/api/v1/mediations/", "/api/v1/orders/"):
        assert client.get(url).status_code == 403


# --- constant queries -------------------------------------------------------------------------
def _busy_appeal(caseworker):
    appeal = register_appeal(caseworker)
    services.appeal_direction_add(
        actor=caseworker, appeal=appeal, description="Bundle", due_on=D(2026, 2, 6)
    )
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 1, 12))
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2026, 3, 2)
    )
    services.appeal_order_add(
        actor=caseworker, appeal=appeal, kind="assess", made_on=D(2026, 3, 2), sent_on=D(2026, 3, 3)
    )
    services.recommendation_add(
        actor=caseworker, appeal=appeal, kind="health", made_on=D(2026, 3, 2), summary="OT"
    )
    return appeal


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/appeals/", _busy_appeal),
        ("/api/v1/orders/", _busy_appeal),
        (
            "/api/v1/mediations/",
            lambda cw: record_mediation(
                cw, family_contacted_on=D(2025, 11, 10), mediation_wanted=True
            ),
        ),
    ],
)
def test_lists_take_the_same_queries_for_1_and_21_rows(
    caseworker, caseworker_api, django_assert_num_queries, url, make
):
    make(caseworker)
    caseworker_api.get(url)  # warm: the user's roles are read once per user object
    with CaptureQueriesContext(connection) as one:
        assert caseworker_api.get(url).json()["count"] == 1
    for _ in range(20):
        make(caseworker)
    with django_assert_num_queries(len(one.captured_queries)):
        assert caseworker_api.get(url, {"page_size": 50}).json()["count"] == 21
