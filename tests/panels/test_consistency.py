"""The managers' consistency view: outcomes by panel, kind, need and setting; agree rates;
average band and cost of approved placements; items deferred more than once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from panels.models import ItemKind, Outcome
from panels.selectors import OutcomeRow, consistency
from panels.services import decision_record, meeting_close, meeting_create
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    needs = f.meeting(f.panel_type("needs-assessment"), held_on=dt.date(2026, 2, 16))
    for outcome in (Outcome.AGREE, Outcome.AGREE, Outcome.DECLINE):
        item = f.item(needs, ItemKind.DECISION_TO_ASSESS)
        decision_record(actor=needs.chair, item=item, outcome=outcome, reasons="Reasons given")
    deferred = f.item(needs, ItemKind.DECISION_TO_ASSESS)
    decision_record(actor=needs.chair, item=deferred, outcome=Outcome.DEFER, reasons="EP view")
    people = [m.user for m in needs.memberships.all()]
    again = meeting_create(
        actor=None,
        panel=needs.panel,
        held_on=dt.date(2026, 2, 23),
        chair=needs.chair,
        members=people,
    )
    meeting_close(actor=needs.chair, meeting=needs)
    again.status = "in_session"
    again.save()
    carried = again.items.get()
    decision_record(actor=needs.chair, item=carried, outcome=Outcome.DEFER, reasons="Still no EP")
    meeting_close(actor=needs.chair, meeting=again)

    provision = f.meeting(chair=needs.chair, held_on=dt.date(2026, 3, 2))
    school = f.establishment(kind="mainstream")
    for cost in (None, Decimal("9000")):
        item = f.item(
            provision,
            ItemKind.PLACEMENT,
            plan=f.plan(primary_need="SEMH"),
            proposed_establishment=school,
        )
        decision_record(
            actor=provision.chair,
            item=item,
            outcome=Outcome.AGREE,
            reasons="Agreed",
            band="M2",
            annual_cost=cost,
            cost_reason="Full-time 1:1" if cost else "",
        )
    meeting_close(actor=provision.chair, meeting=provision)
    return carried


def test_the_consistency_figures(decided) -> None:
    report = consistency(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 3, 31))
    assert report.by_panel == [
        OutcomeRow("Needs assessment panel", 5, 2, 1, 2),
        OutcomeRow("Provision and placement panel", 2, 2, 0, 0),
    ]
    assert report.by_panel[0].agree_rate == pytest.approx(2 / 3)
    assert report.by_kind == [
        OutcomeRow("Decision to assess", 5, 2, 1, 2),
        OutcomeRow("Placement and funding band", 2, 2, 0, 0),
    ]
    assert OutcomeRow("Social, emotional and mental health", 2, 2, 0, 0) in report.by_need
    assert OutcomeRow("Not yet known (no plan)", 5, 2, 1, 2) in report.by_need
    assert OutcomeRow("Mainstream school or academy", 2, 2, 0, 0) in report.by_setting_kind
    [costs] = report.costs
    assert (costs.label, costs.placements, costs.individual_costs) == (
        "Mainstream school or academy",
        2,
        1,
    )
    assert costs.average_band_value == Decimal("3100")
    assert costs.average_cost == Decimal("6050")
    assert report.deferred_repeatedly == [decided]

    earlier = consistency(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 1, 31))
    assert earlier.by_panel == []
    assert earlier.deferred_repeatedly == []


def test_the_consistency_page_for_managers(decided, manager_client) -> None:
    response = manager_client.get(
        reverse("panels:consistency"),
        {
            "date_from_day": "1",
            "date_from_month": "2",
            "date_from_year": "2026",
            "date_to_day": "31",
            "date_to_month": "3",
            "date_to_year": "2026",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 Feb 2026 to 31 Mar 2026" in html
    assert "66.7%" in html
    assert "£6,050.00" in html
    assert decided.child.full_name in html
