"""What follows a final (or amended) plan in the same transaction: the first annual review, the
placement at the setting named in section I, and the child's current setting."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cases import messages as msg
from cases import services
from cases.models import AssessmentRequest, Child, Establishment, Placement, Plan
from reviews.models import AnnualReview
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.deadlines.models import Deadline
from tests.cases.conftest import FINAL_ON
from tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

Stage = Callable[[str], AssessmentRequest]


@pytest.fixture
def brook() -> Establishment:
    return EstablishmentFactory.create(urn="222222", name="Brook Special School", kind="special")


def _issue(actor: User, request: AssessmentRequest, **fields: Any) -> Plan:
    return services.final_plan_issue(
        actor=actor, request=request, issued_on=FINAL_ON, primary_need="ASD", **fields
    )


# --- 1: the first annual review opens with the final plan ---------------------------------------
def test_the_final_plan_opens_its_first_annual_review_in_the_same_transaction(
    caseworker: User, at_stage: Stage
) -> None:
    request = at_stage("draft_issued")
    plan = _issue(caseworker, request)
    review = AnnualReview.objects.get(plan=plan)
    # 12 months from the issue on Mon 12 Jan 2026, less a day: Mon 11 Jan 2027.
    assert (review.sequence, review.cycle_start_on, review.due_on) == (
        1,
        FINAL_ON,
        dt.date(2027, 1, 11),
    )
    assert plan.timeline.filter(event="annual_review.opened").count() == 1


def test_a_refused_final_plan_leaves_no_review(caseworker: User, at_stage: Stage) -> None:
    request = at_stage("draft_issued")
    with pytest.raises(ValidationError):
        services.final_plan_issue(
            actor=caseworker, request=request, issued_on=FINAL_ON, primary_need=""
        )
    assert not AnnualReview.objects.exists()


def test_the_case_shows_the_annual_review_due_the_moment_the_plan_is_issued(
    caseworker_client: Client,
    caseworker: User,
    at_stage: Stage,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = at_stage("draft_issued")
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(
            reverse("cases:request-final-plan", args=[request.pk]),
            {
                "issued_on_day": "12",
                "issued_on_month": "1",
                "issued_on_year": "2026",
                "primary_need": "ASD",
            },
        )
    assert response.status_code == 302
    due = Deadline.objects.get(child_id=request.child_id, rule="annual_review")
    assert due.due_on == dt.date(2027, 1, 11)
    page = caseworker_client.get(reverse("cases:child-deadlines", args=[request.child_id]))
    assert "11 Jan 2027" in page.content.decode()


# --- 3: the placement and the current setting follow section I ----------------------------------
def test_naming_a_setting_places_the_child_and_makes_it_their_current_setting(
    caseworker: User, at_stage: Stage, brook: Establishment
) -> None:
    request = at_stage("draft_issued")
    plan = _issue(caseworker, request, named_settings=[{"establishment": brook, "rank": 1}])
    placement = Placement.objects.get(plan=plan)
    assert (placement.establishment, placement.rank, placement.starts_on, placement.ends_on) == (
        brook,
        1,
        FINAL_ON,
        None,
    )
    child = Child.objects.get(pk=request.child_id)
    assert child.current_setting == brook
    changed = AuditEvent.objects.get(action="child.updated", child_id=child.pk)
    assert changed.actor == caseworker


def test_a_later_start_places_the_child_from_that_day(
    caseworker: User, at_stage: Stage, brook: Establishment, school: Establishment
) -> None:
    request = at_stage("draft_issued")
    Child.objects.filter(pk=request.child_id).update(current_setting=school)
    september = dt.date(2026, 9, 2)
    plan = _issue(
        caseworker,
        request,
        named_settings=[{"establishment": brook, "rank": 1}],
        starts_on=september,
    )
    assert Placement.objects.get(plan=plan).starts_on == september
    child = Child.objects.get(pk=request.child_id)
    assert child.current_setting == school  # still at the old school until September
    assert services.current_settings_follow_placements(on=dt.date(2026, 9, 1)) == 0
    assert services.current_settings_follow_placements(on=september) == 1
    child.refresh_from_db()
    assert child.current_setting == brook
    assert services.current_settings_follow_placements(on=september) == 0  # safe to run twice


def test_a_start_before_the_plan_or_without_a_setting_is_refused(
    caseworker: User, at_stage: Stage, brook: Establishment
) -> None:
    request = at_stage("draft_issued")
    with pytest.raises(ValidationError) as early:
        _issue(
            caseworker,
            request,
            named_settings=[{"establishment": brook, "rank": 1}],
            starts_on=dt.date(2026, 1, 5),
        )
    assert early.value.message_dict == {
        "starts_on": [msg.STARTS_BEFORE_PLAN.format(issued_on="12 Jan 2026")]
    }
    with pytest.raises(ValidationError) as alone:
        _issue(caseworker, request, starts_on=dt.date(2026, 9, 2))
    assert alone.value.message_dict == {"starts_on": [msg.STARTS_WITHOUT_SETTING]}


def test_a_type_of_setting_without_an_establishment_leaves_no_current_school(
    caseworker: User, at_stage: Stage, school: Establishment
) -> None:
    request = at_stage("draft_issued")
    Child.objects.filter(pk=request.child_id).update(current_setting=school)
    plan = _issue(caseworker, request, named_settings=[{"sen_setting": "EHE", "rank": 1}])
    assert Placement.objects.get(plan=plan).sen_setting == "EHE"
    assert Child.objects.get(pk=request.child_id).current_setting is None


def test_an_amended_plan_naming_a_new_setting_moves_the_placement(
    caseworker: User, at_stage: Stage, brook: Establishment, school: Establishment
) -> None:
    request = at_stage("draft_issued")
    plan = _issue(caseworker, request, named_settings=[{"establishment": school, "rank": 1}])
    services.plan_version_issue(
        actor=caseworker,
        plan=plan,
        issued_on=dt.date(2026, 2, 16),
        changes="Section I names Brook Special School.",
        named_settings=[{"establishment": brook, "rank": 1}],
    )
    placements = list(Placement.objects.filter(plan=plan).order_by("starts_on"))
    assert [(p.establishment, p.starts_on, p.ends_on) for p in placements] == [
        (school, FINAL_ON, dt.date(2026, 2, 15)),
        (brook, dt.date(2026, 2, 16), None),
    ]
    assert [n.establishment for n in plan.named_settings.all()] == [brook]
    assert Child.objects.get(pk=request.child_id).current_setting == brook
    # An amended plan that names the same setting again leaves the placement alone.
    services.plan_version_issue(
        actor=caseworker,
        plan=plan,
        issued_on=dt.date(2026, 2, 23),
        changes="Section F updated.",
        named_settings=[{"establishment": brook, "rank": 1}],
    )
    assert Placement.objects.filter(plan=plan).count() == 2


def test_the_final_plan_page_places_the_child_from_the_start_date_given(
    caseworker_client: Client, caseworker: User, at_stage: Stage, brook: Establishment
) -> None:
    request = at_stage("draft_issued")
    response = caseworker_client.post(
        reverse("cases:request-final-plan", args=[request.pk]),
        {
            "issued_on_day": "12",
            "issued_on_month": "1",
            "issued_on_year": "2026",
            "primary_need": "ASD",
            "establishment": "222222",
            "starts_on_day": "23",
            "starts_on_month": "2",
            "starts_on_year": "2026",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(plan__request=request)
    assert (placement.establishment, placement.starts_on) == (brook, dt.date(2026, 2, 23))
