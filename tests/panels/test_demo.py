"""The demo seeder makes meetings through the services, and running it again changes nothing."""

import datetime as dt
import io
import random

import pytest

from cases.models import RequestStatus
from panels.demo import seed
from panels.models import Decision, MeetingStatus, PanelMeeting, PanelMember
from send_cms.accounts.roles import Role
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_seeder_is_idempotent(make_user) -> None:
    users = {
        "caseworker": make_user("caseworker", Role.CASEWORKER),
        "panel": make_user("panel", Role.PANEL_MEMBER),
        "panel2": make_user("panel2", Role.PANEL_MEMBER),
        "panel3": make_user("panel3", Role.PANEL_MEMBER),
    }
    requests = [f.assessment_request(received_on=dt.date(2026, 1, 5)) for _ in range(6)]
    f.placement(establishment=None, starts_on=None, awaiting_placement=True)

    def run() -> str:
        rng = random.Random(1)  # noqa: S311 - the seeders take a seeded random; not security
        return seed(rng=rng, users=users, children=10, stdout=io.StringIO())

    assert run() == "panels: 3 meetings, 4 decisions sent to cases"
    assert run() == "panels: demo meetings already made"
    assert PanelMember.objects.count() == 3
    statuses = sorted(PanelMeeting.objects.values_list("status", flat=True))
    assert statuses == [MeetingStatus.CLOSED, MeetingStatus.IN_SESSION, MeetingStatus.PLANNED]
    assert Decision.objects.filter(applied_at__isnull=False).count() == 4
    for request in requests:
        request.refresh_from_db()
    assert sorted(r.status for r in requests).count(RequestStatus.ASSESSING) == 2
    upcoming = PanelMeeting.objects.get(status=MeetingStatus.PLANNED)
    assert upcoming.items.filter(carried_from__isnull=False).count() == 1
