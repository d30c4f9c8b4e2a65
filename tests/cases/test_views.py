"""The casework pages as each role sees them: caseload, case page, advice tracker.

Rows are made with the shared factories; stored deadlines are written directly (the deadlines
app recomputes them in production), so each test says exactly which deadline a case has.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases.models import AssessmentRequest, Child, TimelineEntry
from send_cms.accounts.models import User
from send_cms.accounts.roles import Role
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline
from send_cms.deadlines.services import store_next_deadlines
from tests.factories import (
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 2, 2)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def deadline(
    request: AssessmentRequest,
    *,
    due_on: dt.date,
    status: str,
    rule: str = "final_plan",
    title: str = "Final EHC plan due",
    met_on: dt.date | None = None,
    subject: Any = None,
) -> Deadline:
    subject = subject or request
    row = Deadline.objects.create(
        child_id=request.child_id,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        rule=rule,
        title=title,
        regulation="SEND Regulations 2014, regulation 13(2)",
        trigger_on=request.received_on,
        due_on=due_on,
        practical_target_on=due_on,
        met_on=met_on,
        status=status,
        explanation=f"20 weeks from the request received on {request.received_on:%-d %b %Y}, "
        "regulation 13(2)",
        owner=request.child.caseworker,
    )
    store_next_deadlines([request.child_id])  # as the recompute does, in its transaction
    return row


def open_case(caseworker: User | None, *, due_on: dt.date, status: str, **child: Any) -> Child:
    fields = {f"child__{name}": value for name, value in child.items()}
    request = AssessmentRequestFactory.create(
        assessing=True, child__caseworker=caseworker, **fields
    )
    deadline(request, due_on=due_on, status=status)
    return request.child


def rows(html: str) -> list[str]:
    """The caseload table's rows, as the text of each row."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("</tr>")][
        :-1
    ]


def advice_rows(html: str) -> list[str]:
    """The advice tracker's rows (the table after the counts by kind)."""
    return rows(html.split('<table class="govuk-table" id="advice">', 1)[1])


# --- who may open what ---------------------------------------------------------------------------
def test_a_caseworker_sees_their_caseload(caseworker_client: Client, caseworker: User) -> None:
    open_case(caseworker, due_on=dt.date(2026, 2, 20), status="upcoming", first_name="Maya")
    response = caseworker_client.get(reverse("cases:caseload"))
    assert response.status_code == 200
    assert "My caseload" in response.content.decode()
    assert "Maya" in rows(response.content.decode())[0]


def test_a_panel_member_and_a_user_without_a_role_are_refused(
    panel_member_client: Client, roleless_client: Client
) -> None:
    for url in (reverse("cases:caseload"), reverse("cases:advice-tracker")):
        assert panel_member_client.get(url).status_code == 403
        assert roleless_client.get(url).status_code == 403


def test_a_manager_reads_a_case_but_cannot_record_a_step(
    manager_client: Client, caseworker: User
) -> None:
    request = AssessmentRequestFactory.create(child__caseworker=caseworker)
    page = manager_client.get(reverse("cases:child-detail", args=[request.child_id]))
    assert page.status_code == 200
    assert "Record the decision to assess" not in page.content.decode()
    assert "Reallocate the case" in page.content.decode()
    step = reverse("cases:request-decision", args=[request.pk])
    assert manager_client.get(step).status_code == 403
    assert manager_client.post(step, {}).status_code == 403


def test_a_caseworker_cannot_reallocate(caseworker_client: Client, caseworker: User) -> None:
    child = ChildFactory.create(caseworker=caseworker)
    assert (
        caseworker_client.get(reverse("cases:child-reallocate", args=[child.pk])).status_code == 403
    )


def test_a_missing_case_is_404(caseworker_client: Client) -> None:
    url = reverse("cases:child-detail", args=["00000000-0000-0000-0000-000000000009"])
    assert caseworker_client.get(url).status_code == 404


# --- my caseload ---------------------------------------------------------------------------------
def test_the_caseload_lists_open_cases_by_next_deadline_with_tags_and_counts(
    caseworker_client: Client, caseworker: User, make_user: Callable[..., User]
) -> None:
    open_case(caseworker, due_on=dt.date(2026, 3, 30), status="upcoming", first_name="Cleo")
    open_case(caseworker, due_on=dt.date(2026, 1, 26), status="overdue", first_name="Amir")
    open_case(caseworker, due_on=dt.date(2026, 2, 5), status="due_soon", first_name="Beth")
    other = make_user("other", Role.CASEWORKER)
    open_case(other, due_on=dt.date(2026, 1, 1), status="overdue", first_name="Zed")
    AssessmentRequestFactory.create(
        withdrawn=True, child__caseworker=caseworker, child__first_name="Gone"
    )

    html = caseworker_client.get(reverse("cases:caseload")).content.decode()

    found = rows(html)
    assert [r.split()[0] for r in found] == ["Amir", "Beth", "Cleo"]
    assert "26 Jan 2026 Overdue" in found[0]
    assert "5 Feb 2026 Due soon" in found[1]
    assert "30 Mar 2026 Upcoming" in found[2]
    assert 'class="govuk-tag govuk-tag--red">Overdue' in html
    assert 'class="govuk-tag govuk-tag--yellow">Due soon' in html
    assert 'class="govuk-tag govuk-tag--grey">Upcoming' in html
    assert re.search(r'id="count-open">3<', html)
    assert re.search(r'id="count-overdue">1<', html)
    assert re.search(r'id="count-due-soon">1<', html)
    assert "Zed" not in html
    assert "Gone" not in html


def test_the_caseload_filters_by_stage_deadline_status_setting_need_and_search(
    caseworker_client: Client, caseworker: User
) -> None:
    school = EstablishmentFactory.create(name="Oak Hill Primary")
    ava = AssessmentRequestFactory.create(
        child__caseworker=caseworker, child__first_name="Ava", child__current_setting=school
    )
    deadline(ava, due_on=dt.date(2026, 1, 20), status="overdue", rule="decision_to_assess")
    ben = AssessmentRequestFactory.create(
        draft_issued=True,
        child__caseworker=caseworker,
        child__first_name="Ben",
        child__upn="A123456789012",
        child__upn_unknown="",
    )
    deadline(ben, due_on=dt.date(2026, 2, 4), status="due_soon")
    plan = PlanFactory.create(
        child__caseworker=caseworker, child__first_name="Cat", primary_need="SEMH"
    )

    def names(query: dict[str, str]) -> list[str]:
        html = caseworker_client.get(reverse("cases:caseload"), query).content.decode()
        return [r.split()[0] for r in rows(html)]

    assert names({}) == ["Ava", "Ben", "Cat"]
    everyone = rows(caseworker_client.get(reverse("cases:caseload")).content.decode())
    assert "Awaiting decision to assess" in everyone[0]
    assert "Draft plan issued" in everyone[1]
    assert "Plan in force" in everyone[2]  # the Stage column uses the filter's words
    assert names({"stage": "received"}) == ["Ava"]
    assert names({"stage": "draft_issued"}) == ["Ben"]
    assert names({"stage": "plan"}) == ["Cat"]
    assert names({"deadline_status": "overdue"}) == ["Ava"]
    assert names({"deadline_status": "due_soon"}) == ["Ben"]
    assert names({"setting": str(school.pk)}) == ["Ava"]
    assert names({"setting": "mainstream"}) == ["Ava"]
    assert names({"need": "SEMH"}) == ["Cat"]
    assert names({"q": "ben"}) == ["Ben"]
    assert names({"q": "A123456789012"}) == ["Ben"]
    assert names({"q": plan.child.reference}) == ["Cat"]


def test_a_chosen_filter_shows_as_a_removable_tag(
    caseworker_client: Client, caseworker: User
) -> None:
    html = caseworker_client.get(
        reverse("cases:caseload"), {"stage": "assessing", "q": "ava"}
    ).content.decode()
    assert "Selected filters" in html
    assert (
        'href="?q=ava"><span class="govuk-visually-hidden">Remove this filter</span> Assessing'
        in html
    )
    assert (
        'href="?stage=assessing"><span class="govuk-visually-hidden">Remove this filter</span> ava'
        in html
    )


def test_the_caseload_is_paginated_keeping_the_filters(
    caseworker_client: Client, caseworker: User
) -> None:
    for n in range(30):
        open_case(
            caseworker,
            due_on=dt.date(2026, 3, 1) + dt.timedelta(days=n),
            status="upcoming",
            first_name=f"Child{n:02d}",
        )
    first = caseworker_client.get(reverse("cases:caseload"), {"deadline_status": "upcoming"})
    html = first.content.decode()
    assert len(rows(html)) == 25
    assert "Showing 1 to 25 of 30 cases" in html
    assert 'href="?deadline_status=upcoming&amp;page=2" rel="next"' in html
    second = caseworker_client.get(
        reverse("cases:caseload"), {"deadline_status": "upcoming", "page": "2"}
    ).content.decode()
    assert [r.split()[0] for r in rows(second)] == [f"Child{n}" for n in range(25, 30)]
    assert 'aria-current="page">2<' in second.replace("\n", "").replace("  ", "")
    assert "Showing 26 to 30 of 30 cases" in second


def test_every_caseload_pages_by_key_with_previous_and_next(
    manager_client: Client, caseworker: User
) -> None:
    for n in range(27):
        open_case(
            caseworker,
            due_on=dt.date(2026, 3, 1) + dt.timedelta(days=n),
            status="upcoming",
            first_name=f"Child{n:02d}",
        )
    for name in ("Zara", "Xena", "Yusuf"):  # plans in force with nothing due: last, by name
        PlanFactory.create(
            child__caseworker=caseworker, child__first_name=name, child__last_name="Plan"
        )

    def names(html: str) -> list[str]:
        return [r.split()[0] for r in rows(html)]

    def link(html: str, rel: str) -> str:
        found = re.search(rf'href="(\?[^"]+)" rel="{rel}"', html)
        assert found, rel
        return reverse("cases:caseload") + found.group(1).replace("&amp;", "&")

    first = manager_client.get(reverse("cases:caseload")).content.decode()
    assert names(first) == [f"Child{n:02d}" for n in range(25)]
    assert "Showing 1 to 25 of 30 cases" in first
    assert 'rel="prev"' not in first
    assert "govuk-pagination__list" not in first  # no page numbers: they would need an offset

    earlier = list(AuditEvent.objects.values_list("id", flat=True))
    second = manager_client.get(link(first, "next")).content.decode()
    assert names(second) == ["Child25", "Child26", "Xena", "Yusuf", "Zara"]
    assert "Showing 26 to 30 of 30 cases" in second
    assert 'rel="next"' not in second
    read = AuditEvent.objects.exclude(id__in=earlier).get(action="list.viewed")
    assert read.changes["rows"] == 30
    assert len(read.changes["children"]) == 5

    back = manager_client.get(link(second, "prev")).content.decode()
    assert names(back) == names(first)
    assert "Showing 1 to 25 of 30 cases" in back
    assert 'rel="prev"' not in back
    # A key that is not one shows the first page.
    broken = manager_client.get(reverse("cases:caseload"), {"after": "not-a-key"})
    assert names(broken.content.decode()) == names(first)


def test_a_manager_chooses_whose_caseload_to_see(
    manager_client: Client, caseworker: User, make_user: Callable[..., User]
) -> None:
    other = make_user("other", Role.CASEWORKER, first_name="Olu", last_name="Ade")
    open_case(caseworker, due_on=dt.date(2026, 3, 1), status="upcoming", first_name="Mine")
    open_case(other, due_on=dt.date(2026, 3, 2), status="upcoming", first_name="Theirs")

    everyone = manager_client.get(reverse("cases:caseload")).content.decode()
    assert [r.split()[0] for r in rows(everyone)] == ["Mine", "Theirs"]
    assert f'<option value="{other.pk}">Olu Ade</option>' in everyone
    one = manager_client.get(reverse("cases:caseload"), {"caseworker": other.pk}).content.decode()
    assert [r.split()[0] for r in rows(one)] == ["Theirs"]
    assert re.search(r'id="count-open">1<', one)


def test_the_filter_is_a_plain_get_form_that_needs_no_javascript(
    caseworker_client: Client,
) -> None:
    html = caseworker_client.get(reverse("cases:caseload")).content.decode()
    assert f'<form method="get" action="{reverse("cases:caseload")}" novalidate>' in html
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button">Apply filters'
        in html
    )
    assert 'name="stage"' in html
    assert 'name="q"' in html


@pytest.mark.parametrize("cases", [1, 50])
def test_the_caseload_runs_a_constant_number_of_queries(
    caseworker_client: Client,
    caseworker: User,
    cases: int,
    django_assert_num_queries: Any,
) -> None:
    for n in range(cases):
        open_case(
            caseworker,
            due_on=dt.date(2026, 2, 1) + dt.timedelta(days=n),
            status="upcoming",
            current_setting=EstablishmentFactory.create(),
        )
    # session, user, roles, settings for the filter, counts (the page's total too), page rows,
    # audit row
    with django_assert_num_queries(7):
        response = caseworker_client.get(reverse("cases:caseload"))
    html = response.content.decode()
    assert len(rows(html)) == min(cases, 25)
    shown = f"Showing 1 to {min(cases, 25)} of {cases} {'case' if cases == 1 else 'cases'}"
    assert shown in " ".join(html.split())
    # A filter lists other rows than the counts: the page counts them itself.
    with django_assert_num_queries(8):
        response = caseworker_client.get(reverse("cases:caseload"), {"deadline_status": "upcoming"})
    assert len(rows(response.content.decode())) == min(cases, 25)


@pytest.mark.parametrize("cases", [1, 50])
def test_a_managers_caseload_runs_a_constant_number_of_queries(
    manager_client: Client,
    caseworker: User,
    cases: int,
    django_assert_num_queries: Any,
) -> None:
    for n in range(cases):
        open_case(caseworker, due_on=dt.date(2026, 2, 1) + dt.timedelta(days=n), status="upcoming")
    # ... the caseworkers for the select, two for the page's rows (those with a next deadline,
    # then those without) in place of the page count and the rows, and three for the counts
    # (open requests, plans of children without one, the next deadlines overdue or due soon)
    with django_assert_num_queries(11):
        response = manager_client.get(reverse("cases:caseload"))
    assert len(rows(response.content.decode())) == min(cases, 25)


# --- the case page -------------------------------------------------------------------------------
def test_the_case_page_shows_the_summary_card_timeline_deadlines_and_allowed_steps(
    caseworker_client: Client, caseworker: User
) -> None:
    school = EstablishmentFactory.create(name="Oak Hill Primary", urn="123456")
    request = AssessmentRequestFactory.create(
        assessing=True,
        child__caseworker=caseworker,
        child__first_name="Ava",
        child__last_name="Okoro",
        child__date_of_birth=dt.date(2015, 3, 1),
        child__current_setting=school,
    )
    child = request.child
    child.contacts.create(name="Grace Okoro", relationship="Mother", email="g@example.com")
    TimelineEntry.objects.create(
        child=child,
        request=request,
        event="assessment_request.decided",
        title="Decided to assess",
        detail="Needs not met at SEN support",
        occurred_on=dt.date(2025, 10, 13),
        recorded_by=caseworker,
        recorded_by_name="Sam Okafor",
    )
    deadline(request, due_on=dt.date(2026, 1, 26), status="overdue")
    deadline(
        request,
        due_on=dt.date(2025, 10, 20),
        status="met",
        met_on=dt.date(2025, 10, 13),
        rule="decision_to_assess",
        title="Decision whether to assess due",
    )

    html = caseworker_client.get(reverse("cases:child-detail", args=[child.pk])).content.decode()

    assert "Ava Okoro" in html
    assert "1 Mar 2015 (age 10)" in html
    assert child.reference in html
    assert "Oak Hill Primary (123456)" in html
    assert "Sam Okafor" in html
    assert "Grace Okoro" in html
    assert 'class="moj-sub-navigation__link" aria-current="page"' in html
    assert "Decided to assess" in html
    assert "Needs not met at SEN support" in html
    assert "20 weeks from the request received on 8 Sep 2025, regulation 13(2)" in html
    assert 'govuk-tag--red">Overdue' in html
    # The overview lists the deadlines still to meet; the met one is on the Deadlines tab.
    assert "Decision whether to assess due" not in html
    for label in ("Request advice", "Record the decision to issue a plan", "Withdraw the request"):
        assert label in html
    assert "Record the decision to assess" not in html
    assert AuditEvent.objects.filter(action="child.viewed", child_id=child.pk).count() == 1

    tab = caseworker_client.get(reverse("cases:child-deadlines", args=[child.pk])).content.decode()
    assert "Decision whether to assess due" in tab
    assert 'govuk-tag--green">Met' in tab


def test_each_section_of_the_case_page_opens(caseworker_client: Client, caseworker: User) -> None:
    plan = PlanFactory.create(child__caseworker=caseworker, primary_need="ASD")
    AdviceRequestFactory.create(request=plan.request, received_on=dt.date(2025, 11, 20))
    for name, text in (
        ("cases:child-timeline", "Timeline"),
        ("cases:child-deadlines", "Every deadline on the case"),
        ("cases:child-advice", "Educational psychology"),
        ("cases:child-plan", "Autistic spectrum disorder"),
        ("cases:child-placements", "No placements recorded"),
    ):
        response = caseworker_client.get(reverse(name, args=[plan.child_id]))
        assert response.status_code == 200, name
        assert text in response.content.decode(), name


# --- the advice tracker --------------------------------------------------------------------------
def test_the_advice_tracker_lists_awaited_advice_overdue_first(
    caseworker_client: Client, caseworker: User, make_user: Callable[..., User]
) -> None:
    late = AdviceRequestFactory.create(
        request__child__caseworker=caseworker,
        request__child__first_name="Late",
        requested_on=dt.date(2025, 12, 1),
    )
    AdviceRequestFactory.create(
        request__child__caseworker=caseworker,
        request__child__first_name="Soon",
        kind="health",
        requested_on=dt.date(2025, 12, 29),
    )
    AdviceRequestFactory.create(
        request__child__caseworker=caseworker,
        request__child__first_name="Done",
        received_on=dt.date(2026, 1, 5),
    )
    other = make_user("other", Role.CASEWORKER)
    AdviceRequestFactory.create(
        request__child__caseworker=other, request__child__first_name="Elsewhere"
    )

    html = caseworker_client.get(reverse("cases:advice-tracker")).content.decode()

    found = advice_rows(html)
    assert [r.split()[0] for r in found] == ["Late", "Soon"]
    assert "12 Jan 2026 Overdue" in found[0]  # 1 Dec 2025 + 6 weeks
    assert "9 Feb 2026 Due soon" in found[1]
    assert "Done" not in html
    assert "Elsewhere" not in html
    assert late.request.child.reference in html
    only_health = caseworker_client.get(reverse("cases:advice-tracker"), {"kind": "health"})
    assert [r.split()[0] for r in advice_rows(only_health.content.decode())] == ["Soon"]


def test_managers_see_advice_on_every_caseload(manager_client: Client, caseworker: User) -> None:
    AdviceRequestFactory.create(
        request__child__caseworker=caseworker, request__child__first_name="Ava"
    )
    html = manager_client.get(reverse("cases:advice-tracker")).content.decode()
    assert [r.split()[0] for r in advice_rows(html)] == ["Ava"]
    assert "Sam Okafor" in html


@pytest.mark.parametrize("advice", [1, 50])
def test_the_advice_tracker_runs_a_constant_number_of_queries(
    caseworker_client: Client, caseworker: User, advice: int, django_assert_num_queries: Any
) -> None:
    for n in range(advice):
        AdviceRequestFactory.create(
            request__child__caseworker=caseworker,
            requested_on=dt.date(2025, 12, 1) + dt.timedelta(days=n % 30),
        )
    # session, user, roles, counts by kind, page count, page rows, audit row
    with django_assert_num_queries(7):
        response = caseworker_client.get(reverse("cases:advice-tracker"))
    assert len(advice_rows(response.content.decode())) == advice
