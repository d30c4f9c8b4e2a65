"""The plan's content, sections A to K: written per edition, carried into the next, fixed once
issued; the quality check on good and bad plans; the differences between editions."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import AssessmentRequest, Child, Plan
from cases.plan_content import messages as msg
from cases.plan_content.checks import quality_checks, vague_phrases, year_group
from cases.plan_content.differences import changed_sections, plan_differences
from cases.plan_content.models import PlanContent
from cases.plan_content.sections import (
    plan_content_list_advice_received,
    plan_content_section_save,
)
from cases.plan_content.services import (
    plan_content_start,
    plan_content_update,
)
from cases.services.documents import document_upload
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent
from send_cms.common.exceptions import TransitionNotAllowed
from tests.cases.conftest import ADVICE_BACK_ON, ADVICE_ON, DRAFT_ON, FINAL_ON
from tests.cases.documents_files import PDF, media, upload  # noqa: F401 - media is a fixture

pytestmark = pytest.mark.django_db


def receive_advice(actor: User, request: AssessmentRequest) -> None:
    for kind, provider in (
        ("psychological", "Dr Amara Osei, EP"),
        ("health", "Dr Lee, paediatrics"),
    ):
        advice = services.advice_request_create(
            actor=actor, request=request, kind=kind, requested_on=ADVICE_ON, provider=provider
        )
        services.advice_request_receive(actor=actor, advice=advice, received_on=ADVICE_BACK_ON)


def write_good_plan(actor: User, content: PlanContent) -> None:
    """A plan that passes every check: each need has an outcome with quantified provision."""
    plan_content_update(
        actor=actor,
        content=content,
        views="I like drawing and I want a quiet place to work.",
        interests="Trains, drawing, swimming.",
        aspirations="To go to college and work with animals.",
        placement="Mainstream primary school",
    )
    (need,) = plan_content_section_save(
        actor=actor,
        content=content,
        section="B",
        items=[{"need": "ASD", "description": "Finds changes of routine hard to manage."}],
    )
    (health,) = plan_content_section_save(
        actor=actor,
        content=content,
        section="C",
        items=[{"description": "Sleeps poorly, which affects concentration."}],
    )
    (outcome,) = plan_content_section_save(
        actor=actor,
        content=content,
        section="E",
        items=[
            {
                "description": "By the end of year 6 Ava moves between lessons calmly.",
                "achieve_by": "July 2027",
                "needs": [need.key, health.key],
            }
        ],
    )
    plan_content_section_save(
        actor=actor,
        content=content,
        section="F",
        items=[
            {
                "description": "Individual visual timetable, taught 1:1",
                "frequency": "3 sessions of 20 minutes a week",
                "duration": "Until the annual review",
                "provider": "Teaching assistant trained by the autism team",
                "outcomes": [outcome.key],
            }
        ],
    )
    plan_content_list_advice_received(actor=actor, content=content)


@pytest.fixture
def drafting(
    today: dt.date, caseworker: User, at_stage: Callable[[str], AssessmentRequest]
) -> AssessmentRequest:
    request = at_stage("assessing")
    receive_advice(caseworker, request)
    services.assessment_request_decide_issue(
        actor=caseworker, request=request, decision="issue", decided_on=dt.date(2025, 12, 1)
    )
    return request


def test_the_draft_is_written_issued_and_carried_into_the_final_plan(
    caseworker: User, drafting: AssessmentRequest, child: Child
) -> None:
    draft = plan_content_start(actor=caseworker, child=child)
    assert draft.stage == "draft"
    assert plan_content_start(actor=caseworker, child=child) == draft  # a repeat: the same one
    write_good_plan(caseworker, draft)

    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    draft.refresh_from_db()
    assert draft.issued_on == DRAFT_ON
    with pytest.raises(TransitionNotAllowed, match="cannot change"):
        plan_content_update(actor=caseworker, content=draft, views="Changed")

    final = plan_content_start(actor=caseworker, child=child)
    assert (final.stage, final.based_on) == ("final", draft)
    assert final.views == draft.views
    assert [n.key for n in final.needs.all()] == [n.key for n in draft.needs.all()]
    outcome = final.outcomes.get()
    assert {n.content_id for n in outcome.needs.all()} == {final.pk}
    assert outcome.provision.get().content_id == final.pk
    assert final.advice.count() == 2

    plan_content_update(actor=caseworker, content=final, aspirations="To work with horses.")
    plan = services.final_plan_issue(
        actor=caseworker, request=drafting, issued_on=FINAL_ON, primary_need="ASD"
    )
    final.refresh_from_db()
    assert (final.issued_on, final.plan, final.version) == (FINAL_ON, plan, plan.versions.get())
    draft.refresh_from_db()
    assert draft.aspirations == "To go to college and work with animals."  # the draft as issued
    assert AuditEvent.objects.filter(action="plan_content.issued", object_id=str(final.pk)).exists()


def test_an_amended_plan_starts_from_the_version_in_force_and_becomes_the_next_version(
    caseworker: User, drafting: AssessmentRequest, child: Child, school: Any
) -> None:
    write_good_plan(caseworker, plan_content_start(actor=caseworker, child=child))
    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    plan = services.final_plan_issue(
        actor=caseworker, request=drafting, issued_on=FINAL_ON, primary_need="ASD"
    )
    in_force = PlanContent.objects.get(version__plan=plan)
    assert in_force.based_on is not None  # copied from the draft: nothing written since

    amended = plan_content_start(actor=caseworker, child=child)
    assert (amended.stage, amended.plan, amended.based_on) == ("amended", plan, in_force)
    plan_content_update(actor=caseworker, content=amended, placement="")
    version = services.plan_version_issue(
        actor=caseworker,
        plan=plan,
        issued_on=dt.date(2026, 2, 20),
        changes="Section I names Oak Hill Primary.",
        named_settings=[{"establishment": school, "rank": 1}],
    )
    amended.refresh_from_db()
    assert (amended.version, amended.issued_on) == (version, dt.date(2026, 2, 20))
    assert amended.named_settings == [{"rank": 1, "name": str(school)}]
    differences = plan_differences(in_force, amended)
    assert changed_sections(differences) == ["I"]


def test_a_plan_issued_without_written_content_has_none(
    caseworker: User, at_stage: Callable[[str], AssessmentRequest]
) -> None:
    request = at_stage("final_issued")
    plan = Plan.objects.get(request=request)
    assert not PlanContent.objects.filter(plan=plan).exists()


def test_nothing_to_write_without_a_decision_or_a_plan(
    caseworker: User, at_stage: Callable[[str], AssessmentRequest], child: Child
) -> None:
    at_stage("received")
    with pytest.raises(ValidationError) as refused:
        plan_content_start(actor=caseworker, child=child)
    assert refused.value.message_dict["__all__"] == [
        msg.NOTHING_TO_WRITE.format(name=child.full_name)
    ]


def test_a_section_keeps_rows_by_key_and_refuses_bad_items(
    caseworker: User, drafting: AssessmentRequest, child: Child
) -> None:
    content = plan_content_start(actor=caseworker, child=child)
    first, second = plan_content_section_save(
        actor=caseworker,
        content=content,
        section="B",
        items=[{"need": "SLCN", "description": "Speech"}, {"need": "", "description": "Memory"}],
    )
    (outcome,) = plan_content_section_save(
        actor=caseworker,
        content=content,
        section="E",
        items=[{"description": "Speaks in class", "needs": [first.key]}],
    )
    # Reordered and the second changed: the first keeps its row, so the outcome's link stays.
    plan_content_section_save(
        actor=caseworker,
        content=content,
        section="B",
        items=[
            {"key": second.key, "description": "Working memory"},
            {"key": first.key, "need": "SLCN", "description": "Speech"},
        ],
    )
    assert [(n.position, n.description) for n in content.needs.order_by("position")] == [
        (1, "Working memory"),
        (2, "Speech"),
    ]
    assert list(outcome.needs.all()) == [first]
    with pytest.raises(ValidationError) as refused:
        plan_content_section_save(
            actor=caseworker,
            content=content,
            section="C",
            items=[{"need": "ASD", "description": ""}],
        )
    assert refused.value.message_dict == {
        "0.need": [msg.NEED_AREA_B_ONLY],
        "0.description": ["Enter the need"],
    }
    with pytest.raises(ValidationError) as refused:
        plan_content_section_save(
            actor=caseworker,
            content=content,
            section="F",
            items=[{"description": "Speech therapy", "outcomes": ["not-a-key"]}],
        )
    assert refused.value.message_dict == {"0.outcomes": ["Choose outcomes from this plan."]}
    assert (
        AuditEvent.objects.filter(
            action="plan_content.section_saved", object_id=str(content.pk)
        ).count()
        == 3
    )


def test_a_good_plan_passes_every_check(
    caseworker: User, drafting: AssessmentRequest, child: Child
) -> None:
    content = plan_content_start(actor=caseworker, child=child)
    write_good_plan(caseworker, content)
    checks = quality_checks(content)
    assert [(c.key, c.problems) for c in checks if not c.passed] == []
    assert "adulthood" not in [c.key for c in checks]  # year 5: not yet


def test_a_poor_plan_is_flagged_but_not_blocked(
    caseworker: User, drafting: AssessmentRequest, new_child: Callable[..., Child]
) -> None:
    child = drafting.child
    content = plan_content_start(actor=caseworker, child=child)
    need, orphan = plan_content_section_save(
        actor=caseworker,
        content=content,
        section="B",
        items=[
            {"need": "SEMH", "description": "Anxiety in busy places"},
            {"need": "SPLD", "description": "Dyslexia affects reading"},
        ],
    )
    plan_content_section_save(
        actor=caseworker,
        content=content,
        section="E",
        items=[
            {"description": "Joins a lunchtime club", "needs": [need.key]},
            {"description": "Reads at age level", "needs": [need.key]},
        ],
    )
    outcome = content.outcomes.get(position=1)
    plan_content_section_save(
        actor=caseworker,
        content=content,
        section="F",
        items=[
            {
                "description": "Access to regular support from an adult as appropriate",
                "frequency": "up to 2 hours",
                "outcomes": [outcome.key],
            }
        ],
    )
    problems = {c.key: c.problems for c in quality_checks(content)}
    assert problems["a"] == [
        "Section A has no views.",
        "Section A has no interests.",
        "Section A has no aspirations.",
    ]
    assert problems["needs_outcomes"] == [
        "B2 has no outcome in section E: Dyslexia affects reading"
    ]
    assert problems["outcomes_provision"] == [
        "E2 has no provision in section F, G or H: Reads at age level"
    ]
    assert problems["f_specific"] == [
        "F.1 does not say for how long.",
        "F.1 does not say who provides it.",
        'F.1 says "access to", "regular", "as appropriate", "up to": say exactly what, how much '
        "and how often.",
    ]
    assert problems["k"] == [
        "Section K does not list the health advice received on 20 Nov 2025.",
        "Section K does not list the educational psychology advice received on 20 Nov 2025.",
    ]
    # Never blocking: the draft is issued all the same.
    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    content.refresh_from_db()
    assert content.issued_on == DRAFT_ON
    assert orphan.pk


def test_preparing_for_adulthood_is_checked_from_year_9(
    caseworker: User, today: dt.date, new_child: Callable[..., Child]
) -> None:
    older = new_child(first_name="Sam", date_of_birth=dt.date(2012, 5, 1))
    assert year_group(older.date_of_birth, today) == 9
    from tests.cases.conftest import take_to

    take_to("issuing", actor=caseworker, child=older)
    content = plan_content_start(actor=caseworker, child=older)
    (check,) = [c for c in quality_checks(content) if c.key == "adulthood"]
    assert check.problems == [
        "Sam is in year 9: section E has no outcome about preparing for adulthood."
    ]
    plan_content_section_save(
        actor=caseworker,
        content=content,
        section="E",
        items=[{"description": "Travels to college alone", "adulthood": "independent_living"}],
    )
    (check,) = [c for c in quality_checks(content) if c.key == "adulthood"]
    assert check.passed


def test_vague_phrases_are_found_as_words_not_inside_them() -> None:
    assert vague_phrases("Regular access to a quiet room, as appropriate") == [
        "regular",
        "access to",
        "as appropriate",
    ]
    assert vague_phrases("Irregular verbs; setup topics") == []


def test_the_differences_between_draft_and_final_by_section(
    caseworker: User, drafting: AssessmentRequest, child: Child
) -> None:
    draft = plan_content_start(actor=caseworker, child=child)
    write_good_plan(caseworker, draft)
    services.draft_plan_issue(actor=caseworker, request=drafting, issued_on=DRAFT_ON)
    final = plan_content_start(actor=caseworker, child=child)
    assert changed_sections(plan_differences(draft, final)) == []

    plan_content_update(actor=caseworker, content=final, views="I want a quiet place to read.")
    provision = final.provision.get()
    plan_content_section_save(
        actor=caseworker,
        content=final,
        section="F",
        items=[
            {
                "key": provision.key,
                "description": provision.description,
                "frequency": "4 sessions of 20 minutes a week",
                "duration": provision.duration,
                "provider": provision.provider,
                "outcomes": [o.key for o in provision.outcomes.all()],
            },
            {"description": "Speech and language therapy", "frequency": "Weekly, 30 minutes"},
        ],
    )
    plan_content_section_save(actor=caseworker, content=final, section="C", items=[])
    differences = {d.section: d.changes for d in plan_differences(draft, final)}
    assert changed_sections(plan_differences(draft, final)) == ["A", "C", "E", "F"]
    (views,) = differences["A"]
    assert (views.field, views.after) == ("Views", "I want a quiet place to read.")
    assert [(c.kind, c.ref, c.field) for c in differences["C"]] == [("removed", "C1", "")]
    # The outcome no longer addresses the removed health need.
    assert [(c.kind, c.field, c.before, c.after) for c in differences["E"]] == [
        ("changed", "Needs it addresses", "B1, C1", "B1")
    ]
    assert [(c.kind, c.ref, c.field) for c in differences["F"]] == [
        ("changed", "F.1", "How much and how often"),
        ("added", "F.2", ""),
    ]


NOV_3 = dt.date(2025, 11, 3)


@pytest.mark.usefixtures("media")
def test_section_k_lists_the_documents_on_record_and_puts_a_report_on_its_advice(
    caseworker: User, drafting: AssessmentRequest, child: Child
) -> None:
    psychology = drafting.advice_requests.get(kind="psychological")
    document_upload(
        actor=caseworker,
        child=child,
        file=upload("ep-report.pdf", PDF),
        kind="advice",
        title="Educational psychology report",
        advice_request=psychology,
    )
    document_upload(
        actor=caseworker,
        child=child,
        file=upload("views.pdf", PDF),
        kind="family_views",
        title="All about me, from Ava and her mum",
        received_on=NOV_3,
    )
    content = plan_content_start(actor=caseworker, child=child)
    (check,) = [c for c in quality_checks(content) if c.key == "k"]
    assert "Section K does not list All about me, from Ava and her mum, on the child's record." in (
        check.problems
    )
    plan_content_list_advice_received(actor=caseworker, content=content)
    rows = [
        (a.description, a.document.title if a.document else None, a.dated)
        for a in content.advice.order_by("position")
    ]
    assert rows == [
        ("Health advice", None, ADVICE_BACK_ON),
        ("Educational psychology advice", "Educational psychology report", ADVICE_BACK_ON),
        (
            "All about me, from Ava and her mum",
            "All about me, from Ava and her mum",
            dt.date(2025, 11, 3),
        ),
    ]
    assert plan_content_list_advice_received(actor=caseworker, content=content) == []
    (check,) = [c for c in quality_checks(content) if c.key == "k"]
    assert check.passed
