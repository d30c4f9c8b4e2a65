"""Reads: scoped to the user, audited for a child's record, the caseload sorted by the next
deadline from the stored deadline table, in a constant number of queries."""

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from cases import selectors
from cases.models import Child
from send_cms.accounts.models import User
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def deadline(
    child: Child, subject: Any, rule: str, due_on: dt.date, status: str, **extra: Any
) -> Deadline:
    row = Deadline.objects.create(
        child_id=child.pk,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        rule=rule,
        title=f"{rule} due",
        regulation="",
        trigger_on=dt.date(2025, 9, 8),
        due_on=due_on,
        practical_target_on=due_on,
        status=status,
        explanation="",
        **extra,
    )
    store_next_deadlines([child.pk])  # as the recompute does, in its transaction
    return row


def test_the_caseload_is_open_cases_by_next_deadline(caseworker: User) -> None:
    late = AssessmentRequestFactory.create(assessing=True, child__caseworker=caseworker)
    soon = AssessmentRequestFactory.create(child__caseworker=caseworker)
    plan = PlanFactory.create(child__caseworker=caseworker)
    no_deadline = AssessmentRequestFactory.create(issuing=True, child__caseworker=caseworker)
    closed = AssessmentRequestFactory.create(withdrawn=True, child__caseworker=caseworker)
    deadline(
        late.child,
        late,
        "decision_to_assess",
        dt.date(2025, 10, 20),
        "met",
        met_on=dt.date(2025, 10, 13),
    )
    deadline(late.child, late, "final_plan", dt.date(2026, 1, 26), "overdue")
    deadline(soon.child, soon, "decision_to_assess", dt.date(2026, 3, 5), "due_soon")
    deadline(soon.child, soon, "final_plan", dt.date(2026, 6, 1), "upcoming")
    deadline(plan.child, plan, "annual_review", dt.date(2027, 1, 11), "upcoming")
    deadline(
        closed.child, closed, "final_plan", dt.date(2026, 1, 26), "not_applicable", case_open=False
    )

    rows: list[Any] = list(selectors.caseload(user=caseworker))  # annotated rows
    assert [c.pk for c in rows] == [
        late.child_id,
        soon.child_id,
        plan.child_id,
        no_deadline.child_id,
    ]
    first = rows[0]
    assert (first.next_due_on, first.next_deadline_title, first.next_deadline_status) == (
        dt.date(2026, 1, 26),
        "final_plan due",
        "overdue",
    )
    assert (first.open_request_id, first.open_request_status) == (late.pk, "assessing")
    assert rows[2].primary_need == "ASD"
    assert rows[3].next_due_on is None


def test_caseload_filters(caseworker: User, other_caseworker: User) -> None:
    special = EstablishmentFactory.create(kind="special")
    mine = AssessmentRequestFactory.create(
        assessing=True,
        child__caseworker=caseworker,
        child__first_name="Zara",
        child__current_setting=special,
    )
    theirs = AssessmentRequestFactory.create(child__caseworker=other_caseworker)
    plan = PlanFactory.create(child__caseworker=caseworker, primary_need="SEMH")
    deadline(mine.child, mine, "final_plan", dt.date(2026, 1, 26), "overdue")
    deadline(theirs.child, theirs, "decision_to_assess", dt.date(2026, 3, 5), "due_soon")

    def ids(**filters: Any) -> set[Any]:
        return {c.pk for c in selectors.caseload(user=caseworker, **filters)}

    assert ids(caseworker=caseworker) == {mine.child_id, plan.child_id}
    assert ids(caseworker=other_caseworker.pk) == {theirs.child_id}
    assert ids(stage="assessing") == {mine.child_id}
    assert ids(stage="plan") == {plan.child_id}
    assert ids(deadline_status="overdue") == {mine.child_id}
    assert ids(deadline_status="due_soon") == {theirs.child_id}
    assert ids(setting=special) == ids(setting=str(special.pk)) == ids(setting="special")
    assert ids(setting="special") == {mine.child_id}
    assert ids(need="SEMH") == {plan.child_id}
    assert ids(q="zara") == {mine.child_id}
    assert ids(q=mine.child.reference.lower()) == {mine.child_id}
    counts = selectors.caseload_counts(selectors.caseload(user=caseworker))
    assert counts == {"total": 3, "overdue": 1, "due_soon": 1}


def test_one_caseworkers_caseload_reads_the_same_as_everyones(
    caseworker: User, other_caseworker: User
) -> None:
    """One caseworker's caseload reads each case's stored next deadline by its key, every
    caseload joins them: the same rows, order, annotations and counts."""
    late = AssessmentRequestFactory.create(assessing=True, child__caseworker=caseworker)
    deadline(late.child, late, "final_plan", dt.date(2026, 1, 26), "overdue")
    soon = AssessmentRequestFactory.create(child__caseworker=caseworker)
    deadline(soon.child, soon, "decision_to_assess", dt.date(2026, 3, 5), "due_soon")
    PlanFactory.create(child__caseworker=caseworker, primary_need="SLCN")
    theirs = AssessmentRequestFactory.create(child__caseworker=other_caseworker)
    deadline(theirs.child, theirs, "decision_to_assess", dt.date(2026, 1, 5), "overdue")
    fields = (
        "pk",
        "next_due_on",
        "next_deadline_title",
        "next_deadline_status",
        "next_deadline_rule",
        "open_request_status",
        "primary_need",
        "has_active_plan",
    )

    def read(children: Any) -> list[tuple[Any, ...]]:
        return [tuple(getattr(child, name) for name in fields) for child in children]

    mine = selectors.caseload(user=caseworker, caseworker=caseworker)
    everyone = selectors.caseload(user=caseworker)
    assert read(mine) == [row for row in read(everyone) if row[0] != theirs.child_id]
    assert len(read(mine)) == 3
    assert selectors.caseload_counts(mine) == {"total": 3, "overdue": 1, "due_soon": 1}
    overdue = selectors.caseload(user=caseworker, caseworker=caseworker, deadline_status="overdue")
    assert [child.pk for child in overdue] == [late.child_id]


def test_the_caseload_offers_the_settings_of_its_cases(
    caseworker: User, other_caseworker: User, manager: User
) -> None:
    mine = EstablishmentFactory.create(name="Mine School")
    theirs = EstablishmentFactory.create(name="Their School")
    closed_case = EstablishmentFactory.create(name="Closed Case School")
    EstablishmentFactory.create(name="Nobody's School")
    AssessmentRequestFactory.create(child__caseworker=caseworker, child__current_setting=mine)
    AssessmentRequestFactory.create(
        child__caseworker=other_caseworker, child__current_setting=theirs
    )
    AssessmentRequestFactory.create(
        withdrawn=True, child__caseworker=caseworker, child__current_setting=closed_case
    )

    caseload = selectors.caseload(user=caseworker, caseworker=caseworker)
    offered = selectors.caseload_settings(user=caseworker, caseload=caseload)
    assert [s.name for s in offered] == ["Mine School"]
    # Every caseload: the settings of every child the user may see, by name.
    every = selectors.caseload_settings(user=manager, caseload=None)
    assert [s.name for s in every] == ["Closed Case School", "Mine School", "Their School"]


def test_every_caseloads_counts_are_the_caseloads_counts(manager: User) -> None:
    overdue = AssessmentRequestFactory.create(assessing=True)
    deadline(overdue.child, overdue, "final_plan", dt.date(2026, 1, 26), "overdue")
    soon = AssessmentRequestFactory.create(assessing=True)
    deadline(soon.child, soon, "final_plan", dt.date(2026, 3, 5), "due_soon")
    # A plan in force and a reassessment under way: one open case, not two.
    both = PlanFactory.create()
    reassessment = AssessmentRequestFactory.create(child=both.child)
    deadline(both.child, reassessment, "decision_to_assess", dt.date(2026, 2, 20), "overdue")
    PlanFactory.create()  # a plan in force with nothing due
    # An overdue deadline on a case no longer open is not a case's.
    closed = AssessmentRequestFactory.create(withdrawn=True)
    deadline(closed.child, closed, "final_plan", dt.date(2026, 1, 26), "overdue")

    counts = selectors.every_caseload_counts(user=manager)

    assert counts == selectors.caseload_counts(selectors.caseload(user=manager))
    assert counts == {"total": 4, "overdue": 2, "due_soon": 1}


def test_the_caseload_is_one_query_whatever_its_size(
    caseworker: User, django_assert_num_queries: Any
) -> None:
    def make(n: int) -> None:
        for _ in range(n):
            request = AssessmentRequestFactory.create(assessing=True, child__caseworker=caseworker)
            deadline(request.child, request, "final_plan", dt.date(2026, 1, 26), "overdue")

    make(1)
    caseworker.roles  # noqa: B018 - load the roles once, as a request does
    with django_assert_num_queries(1):
        assert len(list(selectors.caseload(user=caseworker))) == 1
    make(49)
    with django_assert_num_queries(1):
        rows = list(selectors.caseload(user=caseworker))
        assert len(rows) == 50
        assert {str(r.caseworker) for r in rows} == {"Sam Okafor"}


def test_reading_a_child_is_audited_and_scoped(
    caseworker: User, panel_member: User, roleless_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = ChildFactory.create()
    assert selectors.child_get(user=caseworker, pk=child.pk) == child
    event = AuditEvent.objects.get(action="child.viewed")
    assert (event.actor, event.child_id, event.object_type) == (caseworker, child.pk, "cases.child")
    for user in (panel_member, roleless_user):
        with pytest.raises(Http404):
            selectors.child_get(user=user, pk=child.pk)
        assert not selectors.child_list(user=user).exists()
    monkeypatch.setattr("cases.selectors.children.panel_member_child_ids", lambda user: {child.pk})
    assert selectors.child_get(user=panel_member, pk=child.pk) == child
    with pytest.raises(Http404):
        selectors.child_get(user=roleless_user, pk=child.pk)
    assert AuditEvent.objects.filter(action="child.viewed").count() == 2


def test_reading_a_request_or_a_plan_is_a_read_of_the_childs_record(caseworker: User) -> None:
    plan = PlanFactory.create()
    selectors.request_get(user=caseworker, pk=plan.request_id)
    selectors.plan_get(user=caseworker, pk=plan.pk)
    selectors.plan_get(user=caseworker, pk=plan.pk, audit=False)
    assert sorted(
        AuditEvent.objects.filter(action="child.viewed").values_list("object_type", "child_id")
    ) == [("cases.assessmentrequest", plan.child_id), ("cases.plan", plan.child_id)]


def test_the_panels_rule_gives_no_child_until_the_panels_app_says_so(
    panel_member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cases import rules

    child = ChildFactory.create()
    assert list(rules.panel_member_child_ids(panel_member)) == []  # on no agenda of theirs
    monkeypatch.setattr(rules, "_panel_member_children", [])
    assert list(rules.panel_member_child_ids(panel_member)) == []
    rules.register_panel_member_children(
        lambda _user: Child.objects.filter(pk=child.pk).values("pk")
    )
    assert list(rules.panel_member_child_ids(panel_member)) == [child.pk]


def test_outstanding_advice_oldest_first(caseworker: User) -> None:
    newer = AdviceRequestFactory.create(requested_on=dt.date(2025, 11, 1))
    older = AdviceRequestFactory.create(requested_on=dt.date(2025, 10, 14), kind="health")
    AdviceRequestFactory.create(received_on=dt.date(2025, 11, 20))
    returned = AdviceRequestFactory.create(
        received_on=dt.date(2025, 11, 20), returned_for_quality_on=dt.date(2025, 11, 21)
    )
    AdviceRequestFactory.create(request__withdrawn=True)
    # By date requested, then kind: returned advice is awaited again.
    assert list(selectors.outstanding_advice(user=caseworker)) == [older, returned, newer]


def test_the_timeline_newest_first(caseworker: User, child: Child) -> None:
    from cases import services

    services.timeline_record(
        actor=caseworker, child=child, event="x.old", title="Old", occurred_on=dt.date(2025, 1, 1)
    )
    services.timeline_record(
        actor=None, child=child, event="panel.decision", title="Panel agreed to assess",
        occurred_on=dt.date(2025, 10, 13), detail="Needs evidence", to_status="",
    )  # fmt: skip
    titles = [e.title for e in selectors.timeline_for(child=child)]
    assert titles == ["Case opened", "Panel agreed to assess", "Old"]
    system = selectors.timeline_for(child=child).get(event="panel.decision")
    assert (system.recorded_by, system.recorded_by_name) == (None, "system (scheduled task)")


def test_allowed_actions_come_from_the_table() -> None:
    request = AssessmentRequestFactory.create(draft_issued=True)
    assert selectors.request_allowed_actions(request) == [
        "add_exception",
        "consult",
        "issue_final",
        "withdraw",
        "transfer_out",
    ]
    assert selectors.request_allowed_steps(request) == [
        "exception",
        "consultation",
        "final_plan",
        "withdraw",
        "transfer_out",
    ]
