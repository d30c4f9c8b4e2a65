"""The casework API (api.md): exact bodies for 201/400/403/409, role permissions, filters, the
deadlines on a request, and a constant number of queries on every list."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases import services, workflow
from cases.models import AssessmentRequest, Child, Placement, Plan, TimescaleException
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
    PlacementFactory,
    PlanFactory,
    TimescaleExceptionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

FORBIDDEN = {"detail": "You need the caseworker or administrator role for this."}


def url(path: str) -> str:
    return f"/api/v1/{path}"


def child_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Ava",
        "last_name": "Okoro",
        "date_of_birth": "2015-03-01",
        "sex": "F",
        "upn_unknown": "UN5",
    }
    body.update(fields)
    return body


# --- children ------------------------------------------------------------------------------------


def test_a_caseworker_creates_and_reads_a_child(
    caseworker_api: APIClient, caseworker: User
) -> None:
    response = caseworker_api.post(
        url("children/"), child_body(caseworker=caseworker.pk, upn="H801200001001", upn_unknown="")
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"] == "999-2026-00001"
    assert body["upn"] == "H801200001001"
    assert body["caseworker"] == caseworker.pk
    got = caseworker_api.get(url(f"children/{body['id']}/"))
    assert got.status_code == 200
    assert got.json()["first_name"] == "Ava"
    viewed = AuditEvent.objects.get(action="child.viewed")
    assert (str(viewed.child_id), viewed.actor) == (body["id"], caseworker)


def test_a_possible_duplicate_is_refused_with_the_matches(caseworker_api: APIClient) -> None:
    first = caseworker_api.post(url("children/"), child_body()).json()
    response = caseworker_api.post(url("children/"), child_body(first_name="AVA"))
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [services.DUPLICATE_CHILD],
        "matches": [
            {
                "id": first["id"],
                "reference": first["reference"],
                "first_name": "Ava",
                "last_name": "Okoro",
                "date_of_birth": "2015-03-01",
                "upn": "",
            }
        ],
    }
    confirmed = caseworker_api.post(
        url("children/"), child_body(first_name="AVA", confirm_not_duplicate=True)
    )
    assert confirmed.status_code == 201


def test_a_child_with_a_wrong_upn_is_refused_field_by_field(caseworker_api: APIClient) -> None:
    response = caseworker_api.post(
        url("children/"), child_body(upn="Z801200001001", upn_unknown="", sex="X")
    )
    assert response.status_code == 400
    assert response.json() == {"sex": ['"X" is not a valid choice.']}
    response = caseworker_api.post(
        url("children/"), child_body(upn="Z801200001001", upn_unknown="")
    )
    assert response.json() == {
        "upn": ["The UPN's check letter is wrong: check the UPN has been copied correctly"]
    }


def test_a_child_is_updated_with_only_the_fields_given(
    caseworker_api: APIClient, caseworker: User, other_caseworker: User
) -> None:
    child = ChildFactory.create(caseworker=caseworker)
    response = caseworker_api.patch(
        url(f"children/{child.pk}/"), {"postcode": "ZZ9 9ZZ", "caseworker": other_caseworker.pk}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["postcode"], response.json()["caseworker"]) == (
        "ZZ9 9ZZ",
        other_caseworker.pk,
    )
    child.refresh_from_db()
    assert child.first_name.startswith("Ava")
    assert child.allocations.count() == 1
    assert not AuditEvent.objects.filter(action="child.viewed").exists()


def test_children_filter_by_name_reference_upn_and_caseworker(
    manager_api: APIClient, caseworker: User
) -> None:
    mine = ChildFactory.create(first_name="Zara", last_name="Hughes", caseworker=caseworker)
    ChildFactory.create(first_name="Ben", last_name="Ng", upn="H801200001001", upn_unknown="")
    names = lambda params: [  # noqa: E731
        c["first_name"] for c in manager_api.get(url("children/"), params).json()["results"]
    ]
    assert names({"q": "hugh"}) == ["Zara"]
    assert names({"q": mine.reference}) == ["Zara"]
    assert names({"q": "h801200001001"}) == ["Ben"]
    assert names({"caseworker": caseworker.pk}) == ["Zara"]


@pytest.mark.parametrize("who", ["manager_api", "panel_member_api"])
def test_only_caseworkers_and_administrators_write(
    who: str, request: pytest.FixtureRequest
) -> None:
    client: APIClient = request.getfixturevalue(who)
    response = client.post(url("children/"), child_body())
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    child = ChildFactory.create()
    assert client.patch(url(f"children/{child.pk}/"), {"postcode": "X"}).json() == FORBIDDEN
    request_ = AssessmentRequestFactory.create()
    decision = client.post(
        url(f"assessment-requests/{request_.pk}/decision/"),
        {"decision": "assess", "decided_on": "2025-10-13"},
    )
    assert (decision.status_code, decision.json()) == (403, FORBIDDEN)


def test_an_administrator_writes(admin_api: APIClient) -> None:
    assert admin_api.post(url("children/"), child_body()).status_code == 201


def test_a_user_without_a_role_is_refused(roleless_user: User) -> None:
    client = APIClient()
    client.force_authenticate(roleless_user)
    response = client.get(url("children/"))
    assert response.status_code == 403
    assert response.json() == {"detail": "Your account has no role that may use this endpoint."}


def test_a_manager_reads_every_child(manager_api: APIClient) -> None:
    ChildFactory.create_batch(3)
    assert manager_api.get(url("children/")).json()["count"] == 3


def test_a_panel_member_reads_only_the_children_on_their_agendas(
    panel_member_api: APIClient, panel_member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_agenda, other = ChildFactory.create(), ChildFactory.create()
    plan = PlanFactory.create(child=on_agenda)
    AssessmentRequestFactory.create(child=other)
    assert panel_member_api.get(url("children/")).json()["count"] == 0
    assert panel_member_api.get(url(f"children/{on_agenda.pk}/")).status_code == 404

    def agenda(user: Any) -> set[Any]:
        return {on_agenda.pk} if user == panel_member else set()

    monkeypatch.setattr("cases.selectors.children.panel_member_child_ids", agenda)
    listed = panel_member_api.get(url("children/")).json()
    assert [c["id"] for c in listed["results"]] == [str(on_agenda.pk)]
    assert panel_member_api.get(url(f"children/{on_agenda.pk}/")).status_code == 200
    assert panel_member_api.get(url(f"children/{other.pk}/")).status_code == 404
    assert panel_member_api.get(url("assessment-requests/")).json()["count"] == 1
    assert panel_member_api.get(url(f"plans/{plan.pk}/")).status_code == 200
    assert panel_member_api.get(url("advice-requests/")).json()["count"] == 0


# --- assessment requests -------------------------------------------------------------------------


@pytest.fixture
def child(caseworker: User) -> Child:
    return ChildFactory.create(caseworker=caseworker, first_name="Zed", last_name="Quill")


def post(client: APIClient, path: str, body: dict[str, Any]) -> Any:
    return client.post(url(path), body, format="json")


def test_a_request_is_created_from_its_received_date(
    caseworker_api: APIClient,
    child: Child,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            caseworker_api,
            "assessment-requests/",
            {"child": str(child.pk), "received_on": "2025-09-08", "source": "school"},
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["received_on"], body["plan"]) == ("received", "2025-09-08", None)
    assert body["allowed_actions"] == workflow.allowed_actions("received")
    assert body["exceptions"] == []
    # The stored deadlines are recomputed once the request is committed.
    body = caseworker_api.get(url(f"assessment-requests/{body['id']}/")).json()
    deadlines = {d["rule"]: d for d in body["deadlines"]}
    assert deadlines["decision_to_assess"]["due"] == "2025-10-20"
    assert deadlines["final_plan"]["due"] == "2026-01-26"
    assert deadlines["final_plan"]["status"] == "overdue"
    assert set(deadlines["final_plan"]) >= {"rule", "title", "due", "met_on", "status"}


def test_a_request_by_time_derives_the_legal_date(caseworker_api: APIClient, child: Child) -> None:
    response = post(
        caseworker_api,
        "assessment-requests/",
        {
            "child": str(child.pk),
            "received_at": "2025-09-12T17:30:00+01:00",
            "channel": "email",
            "source": "parent_or_young_person",
        },
    )
    assert response.status_code == 201
    assert response.json()["received_on"] == "2025-09-15"


def test_request_creation_errors(caseworker_api: APIClient, child: Child) -> None:
    missing = post(
        caseworker_api, "assessment-requests/", {"child": str(child.pk), "source": "school"}
    )
    assert missing.status_code == 400
    assert missing.json() == {
        "received_on": [
            "Give the date the request was received (received_on) or the time it arrived "
            "(received_at)."
        ]
    }
    saturday = post(
        caseworker_api,
        "assessment-requests/",
        {"child": str(child.pk), "received_on": "2025-09-13", "source": "school"},
    )
    assert saturday.json() == {
        "received_on": [
            "A request received by email on 13 Sep 2025 counts as received on 15 Sep 2025: "
            "enter 15 Sep 2025, or the time it arrived."
        ]
    }
    AssessmentRequestFactory.create(child=child)
    second = post(
        caseworker_api,
        "assessment-requests/",
        {"child": str(child.pk), "received_on": "2025-09-15", "source": "school"},
    )
    assert second.json() == {
        "child": [
            services.SECOND_OPEN_REQUEST.format(name=child.full_name, received_on="8 Sep 2025")
        ]
    }


def test_the_decision_and_its_refusals(caseworker_api: APIClient, child: Child) -> None:
    found = AssessmentRequestFactory.create(child=child)
    path = f"assessment-requests/{found.pk}/decision/"
    early = post(caseworker_api, path, {"decision": "assess", "decided_on": "2025-09-07"})
    assert early.status_code == 400
    assert early.json() == {
        "decided_on": ["The decision cannot be before the request was received on 8 Sep 2025."]
    }
    future = post(caseworker_api, path, {"decision": "assess", "decided_on": "2026-03-03"})
    assert future.json() == {"decided_on": ["The date of the decision cannot be in the future."]}
    done = post(caseworker_api, path, {"decision": "assess", "decided_on": "2025-10-13"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["decided_on"]) == ("assessing", "2025-10-13")
    again = post(caseworker_api, path, {"decision": "not_assess", "decided_on": "2025-10-13"})
    assert again.status_code == 409
    assert again.json() == {"detail": workflow.DECISION_ALREADY_MADE}


def test_the_whole_journey_through_the_api(caseworker_api: APIClient, child: Child) -> None:
    school = EstablishmentFactory.create(name="Oak Hill Primary")
    found = AssessmentRequestFactory.create(child=child)
    base = f"assessment-requests/{found.pk}/"
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("decision/", {"decision": "assess", "decided_on": "2025-10-13"}, "assessing"),
        ("advice-requests/", {"kind": "psychological", "requested_on": "2025-10-14"}, "assessing"),
        (
            "exceptions/",
            {"reason": "personal_circumstances", "starts_on": "2025-11-03", "note": "In hospital"},
            "assessing",
        ),
        ("issue-decision/", {"decision": "issue", "decided_on": "2025-12-01"}, "issuing"),
        (
            "draft-plan/",
            {"issued_on": "2025-12-08", "preferred_setting": str(school.pk)},
            "draft_issued",
        ),
        (
            "final-plan/",
            {"issued_on": "2026-01-12", "primary_need": "ASD", "placement": str(school.pk)},
            "final_issued",
        ),
    ]
    for path, body, expected in steps:
        response = post(caseworker_api, base + path, body)
        assert response.status_code == 200, (path, response.json())
        assert response.json()["status"] == expected
    body = response.json()
    plan = Plan.objects.get(request=found)
    assert body["plan"] == str(plan.pk)
    assert body["advice_requests"][0]["kind"] == "psychological"
    assert body["advice_requests"][0]["due"] == "2025-11-25"
    assert body["exceptions"] == [
        {
            "id": str(TimescaleException.objects.get().pk),
            "reason": "personal_circumstances",
            "rule": "final_plan",
            "starts_on": "2025-11-03",
            "ends_on": None,
            "note": "In hospital",
            "advice_request": None,
            "applied_by": child.caseworker_id,
            "approved_by": None,
            "family_told_on": None,
        }
    ]
    placement = Placement.objects.get(plan=plan)
    assert (placement.establishment, placement.starts_on, placement.rank) == (
        school,
        dt.date(2026, 1, 12),
        1,
    )
    assert plan.named_settings.get().establishment == school


def test_the_final_plan_refusals(caseworker_api: APIClient, child: Child) -> None:
    assessing = AssessmentRequestFactory.create(child=child, assessing=True)
    early = post(
        caseworker_api,
        f"assessment-requests/{assessing.pk}/final-plan/",
        {"issued_on": "2026-01-12", "primary_need": "ASD"},
    )
    assert early.status_code == 409
    assert early.json() == {
        "detail": "The final plan cannot be issued before a decision to issue a plan."
    }
    other = ChildFactory.create()
    drafted = AssessmentRequestFactory.create(child=other, draft_issued=True)
    inside = post(
        caseworker_api,
        f"assessment-requests/{drafted.pk}/final-plan/",
        {"issued_on": "2025-12-22", "primary_need": "ASD"},
    )
    assert inside.status_code == 400
    assert inside.json() == {
        "issued_on": [
            "The final plan cannot be issued before 23 Dec 2025: the family have 15 days from "
            "the draft (served 8 Dec 2025) to comment."
        ]
    }


def test_an_exception_the_law_does_not_allow(caseworker_api: APIClient, child: Child) -> None:
    found = AssessmentRequestFactory.create(child=child, assessing=True)
    path = f"assessment-requests/{found.pk}/exceptions/"
    wrong = post(
        caseworker_api,
        path,
        {"reason": "missed_appointment", "starts_on": "2025-11-03", "rule": "final_plan"},
    )
    assert wrong.status_code == 400
    assert wrong.json() == {
        "reason": ["Missed appointment cannot excuse the time limit: Final EHC plan due."]
    }
    no_advice = post(
        caseworker_api, path, {"reason": "missed_appointment", "starts_on": "2025-11-03"}
    )
    assert no_advice.json() == {"advice_request": [services.EXCEPTION_NEEDS_ADVICE_REQUEST]}
    advice = AdviceRequestFactory.create(request=found)
    ok = post(
        caseworker_api,
        path,
        {
            "reason": "missed_appointment",
            "starts_on": "2025-11-03",
            "advice_request": str(advice.pk),
        },
    )
    assert ok.status_code == 200
    assert ok.json()["exceptions"][0]["rule"] == "advice"


def test_withdrawal_and_transfer(caseworker_api: APIClient, child: Child) -> None:
    found = AssessmentRequestFactory.create(child=child, assessing=True)
    bad = post(
        caseworker_api, f"assessment-requests/{found.pk}/withdraw/", {"withdrawn_on": "2025-11-01"}
    )
    assert bad.json() == {"reason": ["This field is required."]}
    done = post(
        caseworker_api,
        f"assessment-requests/{found.pk}/withdraw/",
        {"withdrawn_on": "2025-11-01", "reason": "Moved to independent provision"},
    )
    assert done.json()["status"] == "withdrawn"
    again = post(
        caseworker_api,
        f"assessment-requests/{found.pk}/transfer-out/",
        {"transferred_on": "2025-11-02", "new_la_code": "201"},
    )
    assert again.status_code == 409
    assert again.json() == {"detail": "Nothing more can be recorded on this request: withdrawn."}


def test_requests_filter_by_status_caseworker_and_search(
    manager_api: APIClient, caseworker: User, child: Child
) -> None:
    AssessmentRequestFactory.create(child=child, assessing=True)
    AssessmentRequestFactory.create(withdrawn=True)
    ids = lambda params: manager_api.get(url("assessment-requests/"), params).json()["count"]  # noqa: E731
    assert ids({"status": "assessing"}) == 1
    assert ids({"open": "true"}) == 1
    assert ids({"open": "false"}) == 1
    assert ids({"caseworker": caseworker.pk}) == 1
    assert ids({"q": "quill"}) == 1


# --- advice, plans, placements, establishments ---------------------------------------------------


def test_advice_is_received_once(caseworker_api: APIClient) -> None:
    advice = AdviceRequestFactory.create()
    listed = caseworker_api.get(url("advice-requests/"), {"outstanding": "true"}).json()
    assert listed["results"][0]["due"] == "2025-11-25"
    assert listed["results"][0]["status"] == "requested"
    assert listed["results"][0]["deadline_status"] == "overdue"
    early = post(
        caseworker_api, f"advice-requests/{advice.pk}/received/", {"received_on": "2025-10-13"}
    )
    assert early.json() == {
        "received_on": ["The advice cannot be received before it was requested on 14 Oct 2025."]
    }
    done = post(
        caseworker_api, f"advice-requests/{advice.pk}/received/", {"received_on": "2025-11-20"}
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["deadline_status"]) == ("received", "met")
    again = post(
        caseworker_api, f"advice-requests/{advice.pk}/received/", {"received_on": "2025-11-21"}
    )
    assert (again.status_code, again.json()) == (409, {"detail": workflow.ADVICE_ALREADY_RECEIVED})
    returned = post(
        caseworker_api, f"advice-requests/{advice.pk}/returned/", {"returned_on": "2025-11-21"}
    )
    assert returned.json()["status"] == "returned_for_quality"
    back = post(
        caseworker_api, f"advice-requests/{advice.pk}/re-received/", {"received_on": "2025-11-28"}
    )
    assert back.json()["status"] == "re_received"


def test_a_plan_and_its_ceasing(caseworker_api: APIClient) -> None:
    plan = PlanFactory.create()
    PlacementFactory.create(plan=plan)
    listed = caseworker_api.get(url("plans/")).json()["results"]
    assert listed[0]["id"] == str(plan.pk)
    assert len(listed[0]["placements"]) == 1
    assert set(listed[0]) >= {
        "child", "request", "issued_on", "status", "primary_need", "secondary_need",
        "placements", "next_review_due", "ceased_on", "cease_reason",
    }  # fmt: skip
    refused = post(
        caseworker_api, f"plans/{plan.pk}/cease/", {"ceased_on": "2026-02-27", "reason": 2}
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "ceased_on": [
            "The plan must stay in force until the family's appeal deadline (27 Apr 2026) has "
            "passed: it can cease from 28 Apr 2026, or earlier only once an appeal has been "
            "decided."
        ]
    }
    ceased = post(
        caseworker_api,
        f"plans/{plan.pk}/cease/",
        {"ceased_on": "2026-02-27", "reason": 2, "appeal_decided": True},
    )
    assert ceased.status_code == 200
    assert (ceased.json()["status"], ceased.json()["cease_reason"]) == ("ceased", 2)
    again = post(
        caseworker_api, f"plans/{plan.pk}/cease/", {"ceased_on": "2026-02-28", "reason": 8}
    )
    assert (again.status_code, again.json()) == (409, {"detail": services.PLAN_CEASED})


def test_a_placement_is_created(caseworker_api: APIClient) -> None:
    plan = PlanFactory.create()
    school = EstablishmentFactory.create()
    both = post(
        caseworker_api,
        "placements/",
        {
            "plan": str(plan.pk),
            "establishment": str(school.pk),
            "sen_setting": "EHE",
            "starts_on": "2026-02-02",
        },
    )
    assert both.json() == {"establishment": [services.SETTING_ONE_KIND]}
    created = post(
        caseworker_api,
        "placements/",
        {
            "plan": str(plan.pk),
            "establishment": str(school.pk),
            "starts_on": "2026-02-02",
            "band": "B2",
        },
    )
    assert created.status_code == 201
    assert created.json()["band"] == "B2"
    assert caseworker_api.get(url("placements/"), {"plan": str(plan.pk)}).json()["count"] == 1


def test_establishments(caseworker_api: APIClient, manager_api: APIClient) -> None:
    created = post(
        caseworker_api,
        "establishments/",
        {"urn": "123456", "name": "Oak Hill Primary", "kind": "mainstream", "la_code": "999"},
    )
    assert created.status_code == 201
    again = post(
        caseworker_api, "establishments/", {"urn": "123456", "name": "X", "kind": "special"}
    )
    assert again.json() == {"urn": ["An establishment with this URN is already on the system."]}
    bad = post(
        caseworker_api, "establishments/", {"urn": "12345", "name": "X", "kind": "spaceship"}
    )
    assert set(bad.json()) == {"urn", "kind"}
    assert manager_api.get(url("establishments/"), {"q": "oak"}).json()["count"] == 1
    assert (
        manager_api.post(url("establishments/"), {"name": "X", "kind": "other"}).status_code == 403
    )


# --- a constant number of queries on every list --------------------------------------------------


def _queries(client: APIClient, path: str) -> int:
    client.get(url(path))  # warm up: the user's roles are loaded once per user
    with CaptureQueriesContext(connection) as context:
        response = client.get(url(path))
    assert response.status_code == 200
    return len(context.captured_queries)


def _rows(n: int, caseworker: User) -> None:
    for _ in range(n):
        plan = PlanFactory.create(child__caseworker=caseworker)
        PlacementFactory.create(plan=plan)
        AdviceRequestFactory.create(request=plan.request)
        EstablishmentFactory.create()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # Each list of children's records also writes one audit row (who read which children).
        ("children/", 3),  # count, page, audit
        ("assessment-requests/", 3),  # count, page (with the plan's id), audit
        ("advice-requests/", 4),  # count, page, the council's closure days (for `due`), audit
        ("plans/", 4),  # count, page (with next_review_due), placements, audit
        ("placements/", 3),
        ("establishments/", 2),  # not personal data: not audited
    ],
)
def test_lists_run_a_constant_number_of_queries(
    manager_api: APIClient, caseworker: User, path: str, expected: int
) -> None:
    _rows(1, caseworker)
    one = _queries(manager_api, path)
    _rows(19, caseworker)
    twenty = _queries(manager_api, path)
    assert manager_api.get(url(path)).json()["count"] >= 20
    assert (one, twenty) == (expected, expected)


def test_retrieving_a_request_runs_a_constant_number_of_queries(
    manager_api: APIClient, caseworker: User
) -> None:
    found = AssessmentRequestFactory.create(assessing=True)
    advice = AdviceRequestFactory.create(request=found)
    TimescaleExceptionFactory.create(
        request=found, advice_request=advice, rule="advice", kind="missed_appointment"
    )
    one = _queries(manager_api, f"assessment-requests/{found.pk}/")
    for day, kind in enumerate(("health", "social_care", "educational", "other"), start=4):
        AdviceRequestFactory.create(request=found, kind=kind)
        TimescaleExceptionFactory.create(request=found, starts_on=dt.date(2025, 11, day))
    # The request, its advice, exceptions (and their advice request), consultations, the audit
    # of the read, the stored deadlines and the council's closure days.
    assert _queries(manager_api, f"assessment-requests/{found.pk}/") == one == 8
    assert AssessmentRequest.objects.count() == 1
