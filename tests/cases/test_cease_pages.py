"""Ceasing a plan in the browser (issue 13, item 10): propose it and tell the family, record the
decision notice, and end the plan after the family's appeal window, with their letters.

The rules are the casework services' and the tribunals app's (through its registered hook): the
pages only take the dates and show where the decision stands.
"""

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from cases import messages as msg
from cases import services
from cases.document_forms import LETTER_NOT_OFFERED
from cases.models import Contact, Letter, Placement, Plan, TimelineEntry
from cases.services.ceasing import plan_cease_decide
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.common.exceptions import TransitionNotAllowed
from tests.factories import EstablishmentFactory, PlacementFactory, PlanFactory
from tests.tribunals.factories import register_appeal
from tribunals import messages as tribunal_messages

pytestmark = pytest.mark.django_db

D = dt.date
PROPOSED = D(2026, 2, 2)
DECIDED = D(2026, 2, 16)  # Mon: 2 months on is Thu 16 Apr 2026, a working day
APPEAL_DEADLINE = "16 Apr 2026"
EARLIEST = "17 Apr 2026"


def travel(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with travel(D(2026, 3, 2)):
        yield


@pytest.fixture
def plan(caseworker: User) -> Plan:
    """A plan issued 12 Jan 2026, with a placement and a parent to write to."""
    found = PlanFactory.create(child__caseworker=caseworker, child__first_name="Noah")
    PlacementFactory.create(plan=found, establishment=EstablishmentFactory.create())
    Contact.objects.create(
        child=found.child, name="Grace Baker", relationship="Mother", address="1 Oak Road"
    )
    return found


def url(name: str, plan: Plan, *args: str) -> str:
    return reverse(f"cases:{name}", args=[plan.pk, *args])


def day(name: str, value: dt.date) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: three boxes."""
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def banner(client: Client, response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    found: list[str] = re.findall(r'govuk-notification-banner__heading">(.*?)</p>', page)
    assert found, "no success banner"
    return html.unescape(found[-1])


def error_summary(response: Any) -> list[str]:
    assert response.status_code == 200
    text = response.content.decode()
    body = text.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in body.split("<li>")[1:]]


def letter_url(plan: Plan, kind: str) -> str:
    """The link the Plan tab gives to make the family's letter."""
    page = reverse("cases:child-letter-create", args=[plan.child_id])
    return f"{page}?letter={kind}:{plan.pk}"


def make_letter(client: Client, plan: Plan, kind: str) -> Any:
    """Make the family's letter (the form the Plan tab links to) and download it."""
    made = client.post(
        reverse("cases:child-letter-create", args=[plan.child_id]),
        {"kind": f"{kind}:{plan.pk}", "notes": ""},
    )
    assert made.status_code == 302, made.content.decode()
    letter = Letter.objects.filter(plan=plan, kind=kind).latest("created_at")
    return client.get(reverse("cases:letter-file", args=[letter.pk]))


def pdf_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(str(page.extract_text() or "").split()) for page in reader.pages)


def propose(client: Client, plan: Plan) -> Any:
    return client.post(
        url("plan-cease-propose", plan),
        {**day("proposed_on", PROPOSED), "reasons": "Noah's needs are now met at SEN support."},
    )


def decide(client: Client, plan: Plan) -> Any:
    return client.post(
        url("plan-cease-decide", plan),
        {**day("decided_on", DECIDED), "reasons": "The school meets Noah's needs without a plan."},
    )


def test_the_plan_tab_offers_each_step_in_turn(caseworker_client: Client, plan: Plan) -> None:
    def page() -> str:
        return caseworker_client.get(
            reverse("cases:child-plan", args=[plan.child_id])
        ).content.decode()

    assert "Propose to cease the plan" in page()
    propose(caseworker_client, plan)
    assert "Record the decision to cease" in page()
    assert html.escape(letter_url(plan, "cease_proposal")) in page()
    decide(caseworker_client, plan)
    after = page()
    assert "Record that the plan has ceased" in after
    assert html.escape(letter_url(plan, "cease_decision")) in after
    assert (
        f"The family can contact a mediation adviser by {APPEAL_DEADLINE} and appeal until "
        f"{APPEAL_DEADLINE}: the plan can cease from {EARLIEST}."
    ) in html.unescape(after)


def test_proposing_records_the_date_and_reasons_and_the_letter_tells_the_family(
    caseworker_client: Client, plan: Plan
) -> None:
    response = propose(caseworker_client, plan)

    assert (
        banner(caseworker_client, response)
        == "Proposal to cease recorded: make the family's letter under Documents and letters"
    )
    plan.refresh_from_db()
    assert plan.cease_proposed_on == PROPOSED
    assert plan.cease_proposal_reasons == "Noah's needs are now met at SEN support."
    entry = TimelineEntry.objects.get(plan=plan, event="plan.cease_proposed")
    assert (entry.title, entry.occurred_on) == ("Proposed to cease the EHC plan", PROPOSED)

    letter = pdf_text(make_letter(caseworker_client, plan, "cease_proposal"))
    assert "We are considering ceasing to maintain Noah's EHC plan" in letter
    assert "Grace Baker" in letter
    assert "Noah's needs are now met at SEN support." in letter
    assert AuditEvent.objects.filter(
        action="file.downloaded", child_id=plan.child_id, changes__format="pdf"
    ).exists()


def test_the_decision_needs_a_proposal_first(caseworker_client: Client, plan: Plan) -> None:
    assert error_summary(decide(caseworker_client, plan)) == [msg.CEASE_NOT_PROPOSED]
    plan.refresh_from_db()
    assert plan.cease_decided_on is None


def test_the_decision_letter_gives_the_familys_rights_and_dates(
    caseworker_client: Client, plan: Plan
) -> None:
    propose(caseworker_client, plan)

    response = decide(caseworker_client, plan)

    assert banner(caseworker_client, response) == (
        f"Decision to cease recorded: the family can appeal until {APPEAL_DEADLINE}"
    )
    plan.refresh_from_db()
    assert (plan.status, plan.cease_decided_on) == ("active", DECIDED)
    letter = pdf_text(make_letter(caseworker_client, plan, "cease_decision"))
    assert "Our decision: to cease to maintain Noah's EHC plan" in letter
    assert "The school meets Noah's needs without a plan." in letter
    assert f"Contact the adviser by {APPEAL_DEADLINE}" in letter
    assert f"Appeal deadline: {APPEAL_DEADLINE}." in letter
    assert f"it will cease no earlier than {EARLIEST}" in letter


def test_no_decision_letter_before_the_decision(caseworker_client: Client, plan: Plan) -> None:
    propose(caseworker_client, plan)

    response = caseworker_client.post(
        reverse("cases:child-letter-create", args=[plan.child_id]),
        {"kind": f"cease_decision:{plan.pk}", "notes": ""},
    )
    assert response.status_code == 200
    assert LETTER_NOT_OFFERED in html.unescape(response.content.decode())
    assert not Letter.objects.filter(kind="cease_decision").exists()


def test_the_plan_cannot_cease_within_the_appeal_window(
    caseworker_client: Client, plan: Plan
) -> None:
    propose(caseworker_client, plan)
    decide(caseworker_client, plan)

    page = caseworker_client.get(url("plan-cease", plan)).content.decode()
    assert f"the plan can cease from {EARLIEST}" in html.unescape(page)
    response = caseworker_client.post(
        url("plan-cease", plan), {**day("ceased_on", D(2026, 3, 2)), "reason": "2"}
    )

    assert error_summary(response) == [
        msg.CEASE_BEFORE_APPEAL_DEADLINE.format(deadline=APPEAL_DEADLINE, earliest=EARLIEST)
    ]
    plan.refresh_from_db()
    assert plan.status == "active"


def test_the_plan_ceases_the_day_after_the_window_and_its_placement_ends(
    caseworker_client: Client, caseworker: User, plan: Plan
) -> None:
    propose(caseworker_client, plan)
    decide(caseworker_client, plan)

    with travel(D(2026, 4, 20)):
        caseworker_client.force_login(caseworker)  # a new day's sign-in
        response = caseworker_client.post(
            url("plan-cease", plan), {**day("ceased_on", D(2026, 4, 17)), "reason": "2"}
        )
        assert banner(caseworker_client, response) == "EHC plan ceased on 17 Apr 2026"

    plan.refresh_from_db()
    assert (plan.status, plan.ceased_on, plan.cease_reason) == ("ceased", D(2026, 4, 17), 2)
    assert plan.cease_decided_on == DECIDED
    assert Placement.objects.get(plan=plan).ends_on == D(2026, 4, 17)


def test_an_open_appeal_against_ceasing_keeps_the_plan(
    caseworker_client: Client, caseworker: User, plan: Plan
) -> None:
    propose(caseworker_client, plan)
    decide(caseworker_client, plan)
    register_appeal(
        caseworker,
        child=plan.child,
        appeal_type="cease",
        plan=plan,
        decision_notice_on=DECIDED,
        received_by_la_on=D(2026, 2, 27),
    )

    with travel(D(2026, 4, 20)):
        caseworker_client.force_login(caseworker)  # a new day's sign-in
        page = html.unescape(caseworker_client.get(url("plan-cease", plan)).content.decode())
        response = caseworker_client.post(
            url("plan-cease", plan), {**day("ceased_on", D(2026, 4, 17)), "reason": "2"}
        )

    refusal = tribunal_messages.CEASE_APPEAL_PENDING.format(received="27 Feb 2026")
    assert refusal in page
    assert error_summary(response) == [refusal]
    plan.refresh_from_db()
    assert plan.status == "active"


@pytest.mark.parametrize(
    ("reason", "ceased"),
    [("2", False), ("5", True)],  # needs met: a decision first; moved to another LA: by law
)
def test_without_a_decision_only_a_plan_ended_by_law_ceases(
    caseworker_client: Client, plan: Plan, reason: str, ceased: bool
) -> None:
    response = caseworker_client.post(
        url("plan-cease", plan), {**day("ceased_on", D(2026, 2, 20)), "reason": reason}
    )

    plan.refresh_from_db()
    assert (plan.status == "ceased") is ceased
    if not ceased:
        assert error_summary(response) == [msg.CEASE_NEEDS_DECISION]


def test_the_reasons_are_required(caseworker_client: Client, plan: Plan) -> None:
    response = caseworker_client.post(url("plan-cease-propose", plan), day("proposed_on", PROPOSED))

    assert error_summary(response) == ["Enter why the council is considering ceasing the plan"]


@pytest.mark.parametrize("name", ["plan-cease-propose", "plan-cease-decide", "plan-cease"])
def test_only_those_who_write_casework_take_the_steps(
    manager_client: Client, panel_member_client: Client, plan: Plan, name: str
) -> None:
    assert manager_client.get(url(name, plan)).status_code == 403
    assert panel_member_client.get(url(name, plan)).status_code == 403


def test_a_manager_reads_the_letters_and_a_panel_member_does_not(
    caseworker_client: Client,
    manager_client: Client,
    panel_member_client: Client,
    plan: Plan,
) -> None:
    propose(caseworker_client, plan)

    response = make_letter(caseworker_client, plan, "cease_proposal")
    letter = reverse("cases:letter-file", args=[Letter.objects.get().pk])
    assert response.status_code == 200
    assert manager_client.get(letter).status_code == 200
    assert panel_member_client.get(letter).status_code == 403


def test_the_decision_is_recorded_once_and_not_before_the_proposal(
    caseworker: User, plan: Plan
) -> None:
    services.plan_cease_propose(actor=caseworker, plan=plan, proposed_on=PROPOSED, reasons="r")

    with pytest.raises(ValidationError) as early:
        plan_cease_decide(actor=caseworker, plan=plan, decided_on=D(2026, 2, 1), reasons="r")
    assert early.value.message_dict == {
        "decided_on": [msg.CEASE_DECIDED_BEFORE_PROPOSAL.format(proposed_on="2 Feb 2026")]
    }
    plan_cease_decide(actor=caseworker, plan=plan, decided_on=DECIDED, reasons="Needs met.")
    with pytest.raises(TransitionNotAllowed) as twice:
        plan_cease_decide(actor=caseworker, plan=plan, decided_on=DECIDED, reasons="Again.")
    assert twice.value.message == msg.CEASE_ALREADY_DECIDED.format(decided_on="16 Feb 2026")
    event = AuditEvent.objects.get(action="plan.cease_decided")
    assert event.changes["appeal_deadline"] == "2026-04-16"
