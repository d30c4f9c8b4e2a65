"""The tribunal pages: the register, the appeal page with its steps as plain forms (no
JavaScript), orders overdue, mediation, the manager's outcomes view, and who may use each."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from send_cms.audit.models import AuditEvent
from tribunals import services
from tribunals.models import Appeal, Mediation

from .factories import make_child, plan_for, record_mediation, refused_request, register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = dt.date


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_register_lists_open_appeals_by_next_deadline_with_filters(caseworker, caseworker_client):
    later = register_appeal(caseworker, received_by_la_on=D(2026, 7, 1))  # response 10 Sep 2026
    sooner = register_appeal(caseworker, appeal_type="cease", received_by_la_on=D(2026, 6, 1))
    closed = register_appeal(caseworker, appeal_type="refusal_to_issue")
    services.appeal_record_outcome(
        actor=caseworker, appeal=closed, outcome="withdrawn", decided_on=D(2026, 1, 5)
    )
    response = caseworker_client.get("/tribunals/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(sooner.child.full_name) < html.index(later.child.full_name)
    assert closed.child.full_name not in html
    assert "2 appeals" in _text(response)
    filtered = caseworker_client.get("/tribunals/", {"appeal_type": "cease"})
    assert sooner.child.full_name in filtered.content.decode()
    assert later.child.full_name not in filtered.content.decode()
    by_stage = caseworker_client.get("/tribunals/", {"stage": "hearing_listed"})
    assert "0 appeals" in _text(by_stage)


def test_register_and_lists_take_the_same_queries_for_1_and_21_rows(
    caseworker, caseworker_client, django_assert_num_queries
):
    def make():
        appeal = register_appeal(caseworker)
        services.appeal_direction_add(
            actor=caseworker, appeal=appeal, description="Bundle", due_on=D(2026, 9, 30)
        )
        services.appeal_record_outcome(
            actor=caseworker, appeal=appeal, outcome="conceded", decided_on=D(2025, 12, 10)
        )
        services.appeal_order_add(actor=caseworker, appeal=appeal, kind="assess")
        record_mediation(caseworker, family_contacted_on=D(2025, 11, 10), mediation_wanted=True)

    make()
    counts = {}
    for url in ("/tribunals/", "/tribunals/orders/overdue/", "/tribunals/mediations/?show=all"):
        caseworker_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert caseworker_client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    for _ in range(20):
        make()
    for url, count in counts.items():
        with django_assert_num_queries(count):
            response = caseworker_client.get(url)
        assert response.content.decode().count("/tribunals/appeals/") >= 21 or "mediations" in url


def test_a_caseworker_registers_an_appeal_without_javascript(caseworker, caseworker_client):
    child = make_child(reference="LA-0042")
    request = refused_request(child)
    start = caseworker_client.post("/tribunals/appeals/new/", {"reference": "la-0042"})
    assert start.status_code == 302
    assert start["Location"] == f"/tribunals/children/{child.pk}/appeals/new/"
    form = caseworker_client.get(start["Location"])
    assert form.status_code == 200
    assert "Register an appeal" in form.content.decode()
    missing = caseworker_client.post(
        start["Location"], {"appeal_type": "refusal_to_assess", "appellant_kind": "parent"}
    )
    assert missing.status_code == 200
    text = _text(missing)
    assert "There is a problem" in text
    assert "Enter date the decision notice was sent" in text
    data = {
        "request": str(request.pk),
        "appeal_type": "refusal_to_assess",
        "appellant_kind": "parent",
        "appellant_name": "Ms Parent",
        **_date("decision_notice_on", D(2025, 10, 1)),
        **_date("received_by_la_on", D(2025, 12, 1)),
    }
    done = caseworker_client.post(start["Location"], data)
    appeal = Appeal.objects.get(child=child)
    assert done.status_code == 302
    assert done["Location"] == f"/tribunals/appeals/{appeal.pk}/"
    page = caseworker_client.get(done["Location"])
    text = _text(page)
    assert "Appeal registered" in text
    assert "Response to the appeal due" in text
    assert "30 tribunal working days from the appeal received on 1 Dec 2025" in text
    assert "No similar appeals since 2023 have been decided by the tribunal" in text
    assert "No estimate: it needs at least 10 similar appeals" in text
    assert "50%" not in text


def test_an_unknown_reference_is_a_form_error(caseworker_client):
    response = caseworker_client.post("/tribunals/appeals/new/", {"reference": "NOPE"})
    assert "No child or young person matches &quot;NOPE&quot;" in _text(response)


def test_step_pages_record_each_step_and_show_refusals_on_the_form(caseworker, caseworker_client):
    appeal = register_appeal(caseworker)
    url = f"/tribunals/appeals/{appeal.pk}/"
    early = caseworker_client.post(url + "hearing/", _date("hearing_on", D(2026, 4, 20)))
    assert early.status_code == 200
    assert (
        "A hearing date can only be recorded after the council&#x27;s response"
        in early.content.decode()
    )
    done = caseworker_client.post(url + "response/", _date("submitted_on", D(2026, 1, 12)))
    assert done.status_code == 302
    assert done["Location"] == url
    follow = caseworker_client.get(url)
    assert "Response recorded" in follow.content.decode()
    future = caseworker_client.post(
        url + "outcome/", {"outcome": "upheld", **_date("decided_on", D(2026, 9, 11))}
    )
    assert "Date of the outcome cannot be in the future" in _text(future)
    caseworker_client.post(
        url + "outcome/", {"outcome": "upheld", **_date("decided_on", D(2026, 3, 2))}
    )
    caseworker_client.post(
        url + "orders/new/",
        {"kind": "assess", **_date("made_on", D(2026, 3, 2)), **_date("sent_on", D(2026, 3, 3))},
    )
    order = appeal.orders.get()
    page = caseworker_client.get(f"/tribunals/orders/{order.pk}/complied/")
    assert "Tell the family the assessment will go ahead (order) (due 17 Mar 2026)" in _text(page)
    complied = caseworker_client.post(
        f"/tribunals/orders/{order.pk}/complied/",
        {"step": "order_assess_notify", **_date("complied_on", D(2026, 3, 16))},
    )
    assert complied.status_code == 302
    text = _text(caseworker_client.get(url))
    assert "Order complied with: Tell the family the assessment will go ahead (order)" in text


def test_overdue_orders_stand_out(caseworker, caseworker_client):
    appeal = register_appeal(caseworker)
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="conceded", decided_on=D(2025, 12, 10)
    )
    services.appeal_order_add(actor=caseworker, appeal=appeal, kind="assess")
    response = caseworker_client.get("/tribunals/orders/overdue/")
    text = _text(response)
    assert "1 order overdue" in text
    assert "Tell the family the assessment will go ahead (order): due 24 Dec 2025" in text
    assert 'govuk-tag govuk-tag--red">Overdue' in response.content.decode()
    page = caseworker_client.get(f"/tribunals/appeals/{appeal.pk}/").content.decode()
    assert 'govuk-tag govuk-tag--red">Overdue' in page


def test_the_appeal_page_shows_the_similar_appeals_figure_and_its_list(
    caseworker, caseworker_client
):
    for outcome in ("upheld", "dismissed", "conceded"):
        old = register_appeal(caseworker, tribunal_reference=f"EH/{outcome}")
        services.appeal_record_outcome(
            actor=caseworker, appeal=old, outcome=outcome, decided_on=D(2026, 1, 5)
        )
    appeal = register_appeal(
        caseworker, decision_notice_on=D(2026, 6, 1), received_by_la_on=D(2026, 7, 1)
    )
    text = _text(caseworker_client.get(f"/tribunals/appeals/{appeal.pk}/"))
    assert "1 of 2 similar appeals since 2023 were upheld" in text
    assert (
        "No estimate: it needs at least 10 similar appeals decided by the tribunal, and there"
        " are 2." in text
    )
    assert "Estimated chance" not in text
    assert "EH/conceded Conceded by the council No" in text
    assert "Appeals the council conceded (1)" in text


def test_viewing_an_appeal_is_audited(caseworker, caseworker_client):
    appeal = register_appeal(caseworker)
    caseworker_client.get(f"/tribunals/appeals/{appeal.pk}/")
    assert AuditEvent.objects.filter(action="child.viewed", child_id=appeal.child_id).exists()


def test_a_mediation_is_recorded_and_moved_on_through_its_pages(caseworker, caseworker_client):
    child = make_child(reference="LA-0077")
    plan = plan_for(child)
    start = caseworker_client.post("/tribunals/mediations/new/", {"reference": "LA-0077"})
    created = caseworker_client.post(
        start["Location"],
        {
            "plan": str(plan.pk),
            "decision_type": "plan_contents",
            **_date("decision_notice_on", D(2026, 3, 2)),
        },
    )
    mediation = Mediation.objects.get(child=child)
    assert created["Location"] == f"/tribunals/mediations/{mediation.pk}/"
    url = created["Location"]
    caseworker_client.post(
        url + "contact/",
        {
            "mediation_wanted": "yes",
            **_date("family_contacted_on", D(2026, 3, 20)),
            **_date("la_informed_on", D(2026, 3, 23)),
        },
    )
    caseworker_client.post(
        url + "held/", {"outcome": "agreement", **_date("held_on", D(2026, 4, 15))}
    )
    caseworker_client.post(
        url + "actions/new/", {"matter": "other", "description": "Short breaks review"}
    )
    caseworker_client.post(url + "certificate/", _date("issued_on", D(2026, 4, 17)))
    text = _text(caseworker_client.get(url))
    assert "Held 15 Apr 2026" in text
    assert "17 Apr 2026: issued after mediation" in text
    assert "mediation_agreement_other: due 29 Apr 2026" in text
    assert "The family can appeal to the tribunal until 18 May 2026" in text
    register = _text(caseworker_client.get("/tribunals/mediations/?show=all"))
    assert "Certificate issued 17 Apr 2026" in register


def test_the_managers_outcomes_view(caseworker, manager_client):
    appeal = register_appeal(caseworker, la_representation="counsel")
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="upheld", decided_on=D(2026, 1, 5)
    )
    text = _text(manager_client.get("/tribunals/outcomes/"))
    assert "Appeals closed from 1 Jan 2023 to 10 Sep 2026: 1." in text
    assert "Counsel (barrister) 1 1 0 0 0 0 1 of 1 (100%)" in text


# --- roles ------------------------------------------------------------------------------------
def test_managers_read_but_the_step_pages_are_for_caseworkers(
    caseworker, panel_member_client, manager_client, roleless_client
):
    appeal = register_appeal(caseworker)
    assert manager_client.get("/tribunals/").status_code == 200
    assert manager_client.get("/tribunals/mediations/").status_code == 200
    assert manager_client.get("/tribunals/orders/overdue/").status_code == 200
    assert manager_client.get(f"/tribunals/appeals/{appeal.pk}/response/").status_code == 403
    assert (
        manager_client.post(
            f"/tribunals/appeals/{appeal.pk}/response/", _date("submitted_on", D(2026, 1, 12))
        ).status_code
        == 403
    )
    assert manager_client.get("/tribunals/appeals/new/").status_code == 403
    assert manager_client.get(f"/tribunals/appeals/{appeal.pk}/").status_code == 200
    # Appeals and mediation are casework: no tribunal page is a panel member's.
    for path in (
        "/tribunals/",
        "/tribunals/mediations/",
        "/tribunals/orders/overdue/",
        f"/tribunals/appeals/{appeal.pk}/",
        "/tribunals/outcomes/",
    ):
        assert panel_member_client.get(path).status_code == 403, path
    assert roleless_client.get("/tribunals/").status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).response_submitted_on is None


def test_caseworkers_do_not_see_the_managers_view(caseworker_client):
    assert caseworker_client.get("/tribunals/outcomes/").status_code == 403
