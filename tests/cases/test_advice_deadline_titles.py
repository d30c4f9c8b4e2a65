"""Advice deadlines name their kind and adviser wherever deadlines are listed (issue 13, item 6).

The title is set once, on the stored row, by the casework provider: the case page, the deadlines
tab, the panel papers and the morning digest all read that row.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import AdviceRequest
from panels.models import ItemKind, ProfessionalRole
from send_cms.accounts.models import User
from send_cms.deadlines.digests import send_digests
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import recompute_for_children
from tests.factories import AdviceRequestFactory, AssessmentRequestFactory, ChildFactory
from tests.panels import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
EP_TITLE = "Educational psychology advice due (Demo EP Service)"


def _advice_title(advice: AdviceRequest) -> str:
    return Deadline.objects.get(subject_id=advice.pk, rule="advice").title


@pytest.fixture
def advice(caseworker: User) -> AdviceRequest:
    """Educational psychology advice requested Tue 14 Oct 2025, due Tue 25 Nov 2025."""
    request = AssessmentRequestFactory.create(
        assessing=True, child=ChildFactory.create(caseworker=caseworker)
    )
    found = AdviceRequestFactory.create(request=request, provider="Demo EP Service")
    recompute_for_children([request.child_id], today=D(2025, 11, 20))
    return found


def test_each_advice_deadline_is_stored_with_its_kind_and_adviser(advice: AdviceRequest) -> None:
    health = AdviceRequestFactory.create(request=advice.request, kind="health", provider="")
    long_name = AdviceRequestFactory.create(
        request=advice.request, kind="social_care", provider=("Children's services " * 20)[:200]
    )
    recompute_for_children([advice.request.child_id], today=D(2025, 11, 20))

    assert _advice_title(advice) == EP_TITLE
    assert _advice_title(health) == "Health advice due"
    shortened = _advice_title(long_name)
    assert len(shortened) == 200
    assert shortened.startswith("Social care advice due (Children's services Children's")
    assert shortened.endswith("\u2026)")


def test_the_case_page_and_the_deadlines_tab_name_the_adviser(
    caseworker_client, advice: AdviceRequest
) -> None:
    child = advice.request.child
    for name in ("cases:child-detail", "cases:child-deadlines"):
        html = caseworker_client.get(reverse(name, args=[child.pk])).content.decode()
        assert f"<strong>{EP_TITLE}</strong>" in html
        assert "<strong>Advice due</strong>" not in html


def test_the_panel_papers_name_the_adviser(panel_member_client, panel_member, advice) -> None:
    chair = f.panel_user(panel_member.username, ProfessionalRole.LA_OFFICER, [f.panel_type()])
    meeting = f.meeting(chair=chair)
    item = f.item(meeting, ItemKind.ISSUE_DECISION, request=advice.request)

    html = panel_member_client.get(reverse("panels:item-detail", args=[item.pk])).content.decode()

    assert f"<strong>{EP_TITLE}</strong>" in html


def test_the_digest_names_the_adviser(caseworker: User, advice: AdviceRequest) -> None:
    caseworker.email = "sam@council.example"
    caseworker.save()

    assert send_digests(today=D(2025, 11, 20)) == 1

    assert f"- {EP_TITLE}: Tuesday 25 Nov 2025" in mail.outbox[0].body
