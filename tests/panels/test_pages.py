"""Panel pages: who sees which meetings and cases, the decision form, query counts."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from cases.rules import panel_member_child_ids
from cases.selectors import child_get
from panels.models import Decision, ItemKind, MeetingStatus, Outcome, ProfessionalRole
from panels.services import CONFLICT_CANNOT_DECIDE, REASONS_REQUIRED, declaration_add
from send_cms.audit.models import AuditEvent
from tests.panels import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_meeting(panel_member):
    """A meeting in session chaired by the signed-in panel member."""
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    meeting = f.meeting(chair=chair)
    school = f.establishment(name="Oak Primary School")
    item = f.item(meeting, ItemKind.PLACEMENT, proposed_establishment=school, proposed_band="M2")
    return meeting, item


@pytest.fixture
def other_meeting():
    """A meeting the signed-in panel member is not a member of."""
    chair = f.panel_user("otherchair", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    meeting = f.meeting(chair=chair, members=[chair])
    return meeting, f.item(meeting, ItemKind.PLACEMENT, summary="Not your case")


def test_a_panel_member_sees_only_their_own_meetings(
    panel_member_client, my_meeting, other_meeting
) -> None:
    response = panel_member_client.get(reverse("panels:meeting-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "My upcoming meetings" in html
    assert reverse("panels:meeting-detail", args=[my_meeting[0].pk]) in html
    assert reverse("panels:meeting-detail", args=[other_meeting[0].pk]) not in html
    for url in (
        reverse("panels:meeting-detail", args=[other_meeting[0].pk]),
        reverse("panels:item-detail", args=[other_meeting[1].pk]),
        reverse("panels:meeting-papers", args=[other_meeting[0].pk]),
    ):
        assert panel_member_client.get(url).status_code == 404


def test_the_agenda_shows_each_item_with_its_papers_and_audits_the_read(
    panel_member_client, my_meeting
) -> None:
    meeting, item = my_meeting
    response = panel_member_client.get(reverse("panels:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert item.child.full_name in html
    assert "Quorate: 3 members present (3 needed)" in html
    page = panel_member_client.get(reverse("panels:item-detail", args=[item.pk]))
    html = page.content.decode()
    assert "Needs a specialist setting." in html
    assert "Oak Primary School" in html
    assert "Record the decision" in html
    assert AuditEvent.objects.filter(action="child.viewed", child_id=item.child_id).exists()


def test_a_panel_member_only_sees_the_cases_on_their_agendas(
    panel_member, my_meeting, other_meeting
) -> None:
    mine, theirs = my_meeting[1].child, other_meeting[1].child
    assert set(panel_member_child_ids(panel_member)) == {mine.pk}
    assert child_get(user=panel_member, pk=mine.pk) == mine
    with pytest.raises(Http404):
        child_get(user=panel_member, pk=theirs.pk)


def test_a_caseworker_cannot_decide(caseworker_client, caseworker_api, my_meeting) -> None:
    _, item = my_meeting
    url = reverse("panels:item-decide", args=[item.pk])
    assert caseworker_client.get(url).status_code == 403
    assert caseworker_client.post(url, {"outcome": "agree", "reasons": "x"}).status_code == 403
    api = caseworker_api.post(
        f"/api/v1/panel-items/{item.pk}/decision/", {"outcome": "defer", "reasons": "x"}
    )
    assert api.status_code == 403
    assert not Decision.objects.exists()


def test_the_decision_form_refuses_a_decision_without_reasons(
    panel_member_client, my_meeting
) -> None:
    _, item = my_meeting
    url = reverse("panels:item-decide", args=[item.pk])
    form = panel_member_client.get(url)
    assert form.status_code == 200
    assert 'value="M2" selected' in form.content.decode() or "M2: Mainstream band 2" in (
        form.content.decode()
    )
    response = panel_member_client.post(url, {"outcome": "decline", "reasons": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert REASONS_REQUIRED in html
    assert not Decision.objects.exists()


def test_a_panel_member_approves_a_placement_with_a_band(panel_member_client, my_meeting) -> None:
    _, item = my_meeting
    url = reverse("panels:item-decide", args=[item.pk])
    response = panel_member_client.post(
        url,
        {
            "outcome": "agree",
            "reasons": "Band 2 meets the needs in the EP advice.",
            "establishment": str(item.proposed_establishment_id),
            "band": "M2",
            "starts_on_day": "9",
            "starts_on_month": "3",
            "starts_on_year": "2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("panels:item-detail", args=[item.pk])
    page = panel_member_client.get(response["Location"]).content.decode()
    assert "Decision recorded" in page
    assert "£3,100.00" in page
    assert "Sent to the case when the chair closes the meeting" in page


def test_a_member_with_a_declared_interest_is_refused_the_form(
    panel_member, panel_member_client, my_meeting
) -> None:
    _, item = my_meeting
    declaration_add(actor=panel_member, item=item, member=panel_member, interest="My school")
    response = panel_member_client.get(reverse("panels:item-decide", args=[item.pk]))
    assert response.status_code == 403
    assert CONFLICT_CANNOT_DECIDE in response.content.decode()


def test_a_declaration_through_the_page(panel_member_client, my_meeting) -> None:
    _, item = my_meeting
    url = reverse("panels:declaration-create", args=[item.pk])
    empty = panel_member_client.post(url, {"member": str(item.meeting.chair_id), "interest": ""})
    assert "Enter the interest being declared" in empty.content.decode()
    done = panel_member_client.post(
        url, {"member": str(item.meeting.chair_id), "interest": "Governor at Oak Primary"}
    )
    assert done.status_code == 302
    assert item.declarations.get().interest == "Governor at Oak Primary"


@pytest.mark.parametrize("extra", [0, 22])
def test_the_meeting_list_runs_a_fixed_number_of_queries(
    manager_client, django_assert_num_queries, extra
) -> None:
    chair = f.panel_user("chair", ProfessionalRole.LA_OFFICER, [f.panel_type()])
    f.meeting(chair=chair, members=[chair], status=MeetingStatus.PLANNED)
    for n in range(extra):
        f.meeting(
            chair=chair,
            members=[chair],
            status=MeetingStatus.PLANNED,
            held_on=dt.date(2026, 4, 1) + dt.timedelta(days=n),
        )
    manager_client.get(reverse("panels:meeting-list"))
    with django_assert_num_queries(6):
        response = manager_client.get(reverse("panels:meeting-list"))
    assert response.status_code == 200
    assert (
        response.content.decode().count('<strong class="govuk-tag">Planned</strong>') == extra + 1
    )


def test_pages_answer_each_role(
    manager_client, caseworker_client, admin_client_, panel_member_client
) -> None:
    for client in (manager_client, caseworker_client, admin_client_):
        assert client.get(reverse("panels:meeting-list")).status_code == 200
        assert client.get(reverse("panels:decision-list")).status_code == 200
        assert client.get(reverse("panels:band-list")).status_code == 200
    assert manager_client.get(reverse("panels:consistency")).status_code == 200
    assert caseworker_client.get(reverse("panels:consistency")).status_code == 403
    assert panel_member_client.get(reverse("panels:decision-list")).status_code == 403
    assert panel_member_client.get(reverse("panels:band-list")).status_code == 200
    assert caseworker_client.get(reverse("panels:meeting-create")).status_code == 200
    assert manager_client.get(reverse("panels:meeting-create")).status_code == 403
    assert Outcome.AGREE  # outcomes are imported for the form's values
