"""A plan proposed to cease stays in force until the family's appeal deadline has passed, or an
appeal is decided: the casework cease rule reads this app's appeals and mediation certificates
(timescales.md, `appeal_deadline`), without casework importing this app."""

import ast
import datetime as dt
import inspect
import re

import pytest
from django.core.exceptions import ValidationError

from cases import services as casework
from cases.services import ceasing
from cases.services.plans import cease as plan_cease_rules
from tribunals import messages as msg
from tribunals import services
from tribunals.selectors import cease_appeal_pending, cease_appeals_for

from .factories import make_child, plan_for, record_mediation, register_appeal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = dt.date
NEEDS_MET = 2  # SEN2 CeaseReason: needs met without a plan
MOVED_LA = 5
DECEASED = 8


def _cease(caseworker, plan, *, decided_on, ceased_on, reason=NEEDS_MET, appeal_decided=False):
    return casework.plan_cease(
        actor=caseworker,
        plan=plan,
        decided_on=decided_on,
        ceased_on=ceased_on,
        reason=reason,
        appeal_decided=appeal_decided,
    )


def _refused(caseworker, plan, **kwargs):
    with pytest.raises(ValidationError) as caught:
        _cease(caseworker, plan, **kwargs)
    plan.refresh_from_db()
    assert plan.status == "active"
    return caught.value.message_dict


def _deadline_message(deadline, earliest):
    return casework.CEASE_BEFORE_APPEAL_DEADLINE.format(deadline=deadline, earliest=earliest)


NOTICE = D(2026, 6, 10)  # the appeal deadline is Tue 1 Sep 2026 (10 Aug is in August)
RECEIVED = D(2026, 6, 22)


def _cease_appeal(caseworker, plan, *, notice=NOTICE, received=RECEIVED):
    return register_appeal(
        caseworker,
        child=plan.child,
        appeal_type="cease",
        plan=plan,
        decision_notice_on=notice,
        received_by_la_on=received,
    )


@pytest.fixture
def plan(caseworker):
    plan = plan_for(make_child(), issued_on=D(2024, 9, 2))
    casework.plan_cease_propose(actor=caseworker, plan=plan, proposed_on=D(2025, 10, 1))
    return plan


@pytest.mark.parametrize("module", [plan_cease_rules, ceasing])
def test_casework_does_not_import_this_app(module):
    tree = ast.parse(inspect.getsource(module))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] == "tribunals"}


def test_an_open_appeal_against_ceasing_keeps_the_plan_in_force_whatever_the_dates(
    caseworker, plan
):
    # Notice Wed 10 Jun 2026: the appeal deadline is Tue 1 Sep 2026 (10 Aug is in August).
    appeal = _cease_appeal(caseworker, plan)
    assert cease_appeal_pending(plan)
    pending = msg.CEASE_APPEAL_PENDING.format(received="22 Jun 2026")
    # After the deadline, and even when the caller says an appeal was decided: the record wins.
    for appeal_decided in (False, True):
        assert _refused(
            caseworker,
            plan,
            decided_on=D(2026, 6, 10),
            ceased_on=D(2026, 9, 2),
            appeal_decided=appeal_decided,
        ) == {"ceased_on": [pending]}
    # Still open once the council has responded and the hearing is listed.
    services.appeal_submit_response(actor=caseworker, appeal=appeal, submitted_on=D(2026, 7, 6))
    services.appeal_list_hearing(actor=caseworker, appeal=appeal, hearing_on=D(2026, 9, 8))
    assert _refused(caseworker, plan, decided_on=D(2026, 6, 10), ceased_on=D(2026, 9, 9)) == {
        "ceased_on": [pending]
    }


def test_the_plan_can_cease_once_the_tribunal_dismisses_the_appeal_before_the_deadline(
    caseworker, plan
):
    appeal = _cease_appeal(caseworker, plan)
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="dismissed", decided_on=D(2026, 8, 20)
    )
    assert not cease_appeal_pending(plan)
    assert cease_appeals_for(plan, D(2026, 6, 10)).decided
    # 21 Aug 2026 is before the 1 Sep deadline: the decided appeal is on record, so no waiting.
    _cease(caseworker, plan, decided_on=D(2026, 6, 10), ceased_on=D(2026, 8, 21))
    plan.refresh_from_db()
    assert (plan.status, plan.ceased_on) == ("ceased", D(2026, 8, 21))


@pytest.mark.parametrize(
    ("outcome", "said"),
    [
        ("upheld", "upheld by the tribunal"),
        ("conceded", "conceded by the council"),
    ],
)
def test_an_upheld_or_conceded_appeal_overturns_the_decision_to_cease(
    caseworker, plan, outcome, said
):
    appeal = _cease_appeal(caseworker, plan)
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome=outcome, decided_on=D(2026, 7, 15)
    )
    overturned = msg.CEASE_OVERTURNED.format(outcome=said, on="15 Jul 2026")
    assert _refused(
        caseworker, plan, decided_on=D(2026, 6, 10), ceased_on=D(2026, 9, 9), appeal_decided=True
    ) == {"ceased_on": [overturned]}
    # A new decision to cease, after the tribunal's, has its own appeal deadline.
    assert _refused(caseworker, plan, decided_on=D(2026, 7, 20), ceased_on=D(2026, 9, 9)) == {
        "ceased_on": [_deadline_message("21 Sep 2026", "22 Sep 2026")]
    }


def test_a_withdrawn_appeal_decides_nothing_so_the_deadline_still_applies(caseworker, plan):
    appeal = _cease_appeal(caseworker, plan)
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome="withdrawn", decided_on=D(2026, 7, 1)
    )
    assert not cease_appeals_for(plan, D(2026, 6, 10)).decided
    assert _refused(caseworker, plan, decided_on=D(2026, 6, 10), ceased_on=D(2026, 8, 21)) == {
        "ceased_on": [_deadline_message("1 Sep 2026", "2 Sep 2026")]
    }
    _cease(caseworker, plan, decided_on=D(2026, 6, 10), ceased_on=D(2026, 9, 2))
    plan.refresh_from_db()
    assert plan.status == "ceased"


def test_a_mediation_certificate_about_ceasing_moves_the_deadline(caseworker, plan):
    # timescales.md: notice Mon 27 Oct 2025 with a certificate Thu 4 Dec 2025 -> later of
    # Fri 2 Jan 2026 and Mon 5 Jan 2026 = Mon 5 Jan 2026.
    record_mediation(
        caseworker,
        child=plan.child,
        plan=plan,
        decision_type="cease",
        decision_notice_on=D(2025, 10, 27),
        family_contacted_on=D(2025, 11, 20),
        mediation_wanted=False,
        certificate_issued_on=D(2025, 12, 4),
    )
    assert cease_appeals_for(plan, D(2025, 10, 27)).certificate_on == D(2025, 12, 4)
    # Sat 3 Jan 2026 would be past the deadline without the certificate (Fri 2 Jan).
    assert _refused(caseworker, plan, decided_on=D(2025, 10, 27), ceased_on=D(2026, 1, 3)) == {
        "ceased_on": [_deadline_message("5 Jan 2026", "6 Jan 2026")]
    }
    _cease(caseworker, plan, decided_on=D(2025, 10, 27), ceased_on=D(2026, 1, 6))
    plan.refresh_from_db()
    assert plan.status == "ceased"


def test_a_certificate_from_before_the_decision_is_about_an_earlier_one(caseworker, plan):
    record_mediation(
        caseworker,
        child=plan.child,
        plan=plan,
        decision_type="cease",
        decision_notice_on=D(2025, 10, 27),
        family_contacted_on=D(2025, 11, 20),
        mediation_wanted=False,
        certificate_issued_on=D(2025, 12, 4),
    )
    assert cease_appeals_for(plan, D(2026, 6, 10)).certificate_on is None


@pytest.mark.parametrize("reason", [MOVED_LA, DECEASED])
def test_a_plan_that_ends_by_operation_of_law_is_not_held_by_an_open_appeal(
    caseworker, plan, reason
):
    _cease_appeal(caseworker, plan)
    _cease(caseworker, plan, decided_on=D(2026, 7, 1), ceased_on=D(2026, 7, 1), reason=reason)
    plan.refresh_from_db()
    assert plan.status == "ceased"


def test_the_plans_api_refuses_to_cease_while_an_appeal_is_open(caseworker, caseworker_api, plan):
    _cease_appeal(caseworker, plan)
    response = caseworker_api.post(
        f"/api/v1/plans/{plan.pk}/cease/",
        {
            "decided_on": "2026-06-10",
            "ceased_on": "2026-09-09",
            "reason": 2,
            "appeal_decided": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "ceased_on": [msg.CEASE_APPEAL_PENDING.format(received="22 Jun 2026")]
    }


def test_the_cease_appeal_page_counts_the_deadline_from_the_decision_notice(
    caseworker, caseworker_client, plan
):
    # Ceasing was proposed on 1 Oct 2025; the decision notice came on Mon 27 Oct 2025. The family
    # can appeal until Fri 2 Jan 2026 (Sat 27 Dec is in the Christmas break), not from the
    # proposal.
    appeal = _cease_appeal(caseworker, plan, notice=D(2025, 10, 27), received=D(2025, 12, 1))
    page = caseworker_client.get(f"/tribunals/appeals/{appeal.pk}/").content.decode()
    assert "it cannot cease while the appeal is open" in page
    assert "The appeal deadline for the decision to cease is 2 Jan 2026" in page


def _inset(response):
    html = response.content.decode()
    start = html.index('id="cease-position"')
    inset = html[start : html.index("</div>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inset.split(">", 1)[1])).strip()


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (
            "dismissed",
            "The tribunal dismissed this appeal: the plan can cease without waiting for the "
            "appeal deadline.",
        ),
        (
            "upheld",
            msg.CEASE_OVERTURNED.format(outcome="upheld by the tribunal", on="20 Aug 2026"),
        ),
        (
            "withdrawn",
            "This appeal is closed (withdrawn) without a decision: the plan stays in force until "
            "the family's appeal deadline has passed, and can cease from 2 Sep 2026.",
        ),
    ],
)
def test_the_cease_appeal_page_says_what_the_cease_rule_will_say(
    caseworker, caseworker_client, plan, outcome, expected
):
    appeal = _cease_appeal(caseworker, plan)
    services.appeal_record_outcome(
        actor=caseworker, appeal=appeal, outcome=outcome, decided_on=D(2026, 8, 20)
    )
    inset = _inset(caseworker_client.get(f"/tribunals/appeals/{appeal.pk}/"))
    assert inset.startswith(expected)
    assert "The appeal deadline for the decision to cease is 1 Sep 2026" in inset
