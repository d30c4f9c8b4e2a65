"""Fixtures for the casework tests: requests taken to each stage through the services themselves
(so the audit trail and the timeline are the real ones). "Today" is tests/conftest.py's `today`:
Mon 2 Mar 2026, noon."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from cases import services
from cases.models import AssessmentRequest, Child, Establishment
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role

#: Mon 2 Mar 2026, noon: every date of the default journey is in the past.
TODAY = dt.date(2026, 3, 2)

# The default journey: received Mon 8 Sep 2025 (the worked example of timescales.md).
RECEIVED_AT = dt.datetime(2025, 9, 8, 9, 30, tzinfo=dt.UTC)
RECEIVED_ON = dt.date(2025, 9, 8)
DECIDED_ON = dt.date(2025, 10, 13)
ADVICE_ON = dt.date(2025, 10, 14)
ADVICE_BACK_ON = dt.date(2025, 11, 20)
ISSUE_DECIDED_ON = dt.date(2025, 12, 1)
DRAFT_ON = dt.date(2025, 12, 8)
FINAL_ON = dt.date(2026, 1, 12)

STAGES = ("received", "assessing", "issuing", "draft_issued", "final_issued")


@pytest.fixture
def other_caseworker(make_user: Callable[..., User]) -> User:
    return make_user("caseworker2", Role.CASEWORKER, first_name="Olu", last_name="Ade")


@pytest.fixture
def new_child(caseworker: User) -> Callable[..., Child]:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Child:
        n = next(counter)
        values: dict[str, Any] = {
            "first_name": f"Ava{n}",
            "last_name": "Okoro",
            "date_of_birth": dt.date(2015, 3, 1),
            "sex": "F",
            "upn_unknown": "UN5",
            "caseworker": caseworker,
        }
        values.update(fields)
        return services.child_create(actor=caseworker, **values)

    return make


@pytest.fixture
def child(new_child: Callable[..., Child]) -> Child:
    return new_child(first_name="Ava")


@pytest.fixture
def school(db: None) -> Establishment:
    return Establishment.objects.create(
        urn="123456", name="Oak Hill Primary", kind="mainstream", la_code="999"
    )


def take_to(stage: str, *, actor: Any, child: Child) -> AssessmentRequest:
    """A request taken through the services to `stage` with the default journey's dates."""
    request = services.assessment_request_create(
        actor=actor, child=child, received_at=RECEIVED_AT, channel="email", source="school"
    )
    if stage == "received":
        return request
    services.assessment_request_decide(
        actor=actor, request=request, decision="assess", decided_on=DECIDED_ON
    )
    if stage == "assessing":
        return request
    services.assessment_request_decide_issue(
        actor=actor, request=request, decision="issue", decided_on=ISSUE_DECIDED_ON
    )
    if stage == "issuing":
        return request
    services.draft_plan_issue(actor=actor, request=request, issued_on=DRAFT_ON)
    if stage == "draft_issued":
        return request
    services.final_plan_issue(actor=actor, request=request, issued_on=FINAL_ON, primary_need="ASD")
    return request


@pytest.fixture
def at_stage(today: dt.date, caseworker: User, child: Child) -> Callable[[str], AssessmentRequest]:
    def make(stage: str) -> AssessmentRequest:
        return take_to(stage, actor=caseworker, child=child)

    return make
