"""Planning, attendance, starting and closing a meeting through the pages (no JavaScript)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from panels.models import ItemKind, MeetingStatus, PanelMeeting, ProfessionalRole
from panels.services import ITEMS_UNDECIDED, NOT_ON_PANEL
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


def test_a_caseworker_plans_a_meeting(caseworker_client) -> None:
    panel = f.panel_type("needs-assessment")
    people = f.quorate_members(panel)
    stranger = f.panel_user("stranger", ProfessionalRole.HEALTH, [f.panel_type("cease")])
    url = reverse("panels:meeting-create")
    body = {
        "panel": str(panel.pk),
        "held_on_day": "16",
        "held_on_month": "3",
        "held_on_year": "2026",
        "chair": str(people[0].pk),
        "members": [str(people[1].pk), str(stranger.pk)],
    }
    refused = caseworker_client.post(url, body)
    assert refused.status_code == 200
    assert NOT_ON_PANEL.format(user=stranger, panel=panel.name) in refused.content.decode()
    body["members"] = [str(p.pk) for p in people[1:]]
    response = caseworker_client.post(url, body)
    meeting = PanelMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("panels:meeting-detail", args=[meeting.pk])
    assert meeting.memberships.count() == 3
    assert meeting.status == MeetingStatus.PLANNED


def test_the_chair_records_attendance_starts_and_cannot_close_with_undecided_items(
    panel_member, panel_member_client
) -> None:
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    meeting = f.meeting(chair=chair, status=MeetingStatus.PLANNED)
    f.item(meeting, ItemKind.PLACEMENT)
    ep = meeting.memberships.get(user__username="ep").user
    attendance = reverse("panels:meeting-attendance", args=[meeting.pk])
    assert panel_member_client.post(attendance, {"present": [str(ep.pk)]}).status_code == 200
    response = panel_member_client.post(attendance, {"present": [str(chair.pk), str(ep.pk)]})
    assert response.status_code == 302
    assert not meeting.memberships.get(user__username="head").present
    detail = panel_member_client.get(reverse("panels:meeting-detail", args=[meeting.pk]))
    assert (
        "Not known until the meeting starts: 2 of the 3 members needed are expected"
        in detail.content.decode()
    )

    start = panel_member_client.post(reverse("panels:meeting-start", args=[meeting.pk]))
    assert start.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_SESSION
    detail = panel_member_client.get(reverse("panels:meeting-detail", args=[meeting.pk]))
    assert "Not quorate: 2 of the 3 members needed are present" in detail.content.decode()
    close = panel_member_client.post(reverse("panels:meeting-close", args=[meeting.pk]))
    assert close.status_code == 200
    assert ITEMS_UNDECIDED.format(count=1) in close.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_SESSION


def _attendance(html: str) -> list[tuple[str, str]]:
    """(name, attendance) for each row of the members table."""
    table = html.split("Members of the meeting", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [(" ".join(c[0].split()), c[3].strip()) for c in cells]


def test_before_a_meeting_starts_its_members_are_expected_and_quorum_is_not_known(
    caseworker_client,
) -> None:
    meeting = f.meeting(status=MeetingStatus.PLANNED)
    url = reverse("panels:meeting-detail", args=[meeting.pk])
    html = caseworker_client.get(url).content.decode()
    assert "Not known until the meeting starts: 3 members expected (3 needed)" in html
    assert "Quorate" not in html
    assert {attendance for _, attendance in _attendance(html)} == {"Expected"}

    meeting.status = MeetingStatus.IN_SESSION
    meeting.save()
    html = caseworker_client.get(url).content.decode()
    assert "Quorate: 3 members present (3 needed)" in html
    assert {attendance for _, attendance in _attendance(html)} == {"Present"}


def test_another_member_cannot_start_or_close_the_meeting(panel_member, panel_member_client):
    f.panel_user(panel_member.username, ProfessionalRole.HEAD_TEACHER, [f.panel_type()])
    meeting = f.meeting(members=[*f.quorate_members(f.panel_type()), panel_member])
    assert (
        panel_member_client.get(reverse("panels:meeting-close", args=[meeting.pk])).status_code
        == 403
    )
    assert (
        panel_member_client.post(reverse("panels:meeting-close", args=[meeting.pk])).status_code
        == 403
    )


def test_a_caseworker_adds_an_item_by_reference(caseworker_client) -> None:
    meeting = f.meeting(f.panel_type("needs-assessment"), status=MeetingStatus.PLANNED)
    request = f.assessment_request(received_on=dt.date(2026, 1, 26))
    url = reverse("panels:item-create", args=[meeting.pk])
    page = caseworker_client.get(url)
    assert request.child.reference in page.content.decode()  # suggested: due 9 Mar 2026
    unknown = caseworker_client.post(url, {"kind": "decision_to_assess", "reference": "NOPE"})
    assert "No child or young person matches &quot;NOPE&quot;" in unknown.content.decode()
    added = caseworker_client.post(
        url,
        {"kind": "decision_to_assess", "reference": request.child.reference, "summary": "Due"},
    )
    assert added.status_code == 302
    assert meeting.items.get().request == request
