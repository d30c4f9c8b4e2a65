"""Backlog ageing, timeliness by team, the phase-transfer cohort and term lists."""

import datetime as dt

import pytest
import time_machine

from reviews import selectors, services
from reviews.terms import Term
from send_cms.accounts.models import User
from tests.reviews.factories import EstablishmentFactory, PlanFactory, PlanVersionFactory

D = dt.date
pytestmark = pytest.mark.django_db


def _at(day: dt.date):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC), tick=False
    )


def _review(issued_on: dt.date, **child):
    actor, _ = User.objects.get_or_create(username="review-opener")
    return services.annual_review_open_first(
        plan=PlanFactory.create(
            issued_on=issued_on, **{f"child__{k}": v for k, v in child.items()}
        ),
        actor=actor,
    )


# --- backlog ----------------------------------------------------------------------------------
@pytest.fixture
def backlog_cases(db, make_user, frozen):
    north = make_user("north", first_name="Nia", last_name="North", team="North team")
    south = make_user("south", first_name="Sol", last_name="South", team="South team")
    school = EstablishmentFactory.create(name="Oakfield Primary School")
    cases = {
        "recent": _review(D(2025, 3, 10), caseworker=north, current_setting=school),  # due 9 Mar 26
        "nine_months": _review(D(2024, 9, 1), caseworker=north),  # due 31 Aug 2025
        "fifteen_months": _review(D(2024, 3, 1), caseworker=south),  # due 28 Feb 2025
        "years": _review(D(2023, 1, 1), caseworker=south, current_setting=school),  # 31 Dec 2023
        "no_decision": _review(D(2025, 6, 1), caseworker=north),  # due 31 May 2026
        "waiting": _review(D(2025, 7, 1), caseworker=north),  # due 30 Jun 2026
        "not_due": _review(D(2025, 9, 1), caseworker=north),  # due 31 Aug 2026
        "decided": _review(D(2024, 12, 1), caseworker=south),  # due 30 Nov 2025
    }
    services.review_meeting_record(actor=north, review=cases["no_decision"], held_on=D(2026, 4, 1))
    services.review_meeting_record(actor=north, review=cases["waiting"], held_on=D(2026, 5, 20))
    decided = services.review_meeting_record(
        actor=south, review=cases["decided"], held_on=D(2025, 11, 1)
    )
    services.review_decision_issue(
        actor=south, review=decided, decision="maintain", issued_on=D(2025, 11, 20)
    )
    return cases


def test_the_backlog_ages_overdue_reviews(backlog_cases, caseworker, frozen) -> None:
    backlog = selectors.backlog(user=caseworker, today=frozen)
    found = {row.review.pk: (row.reason, row.overdue_from, row.band) for row in backlog.rows}
    c = backlog_cases
    assert found == {
        c["recent"].pk: (selectors.REASON_NO_MEETING, D(2026, 3, 9), "0-6 months"),
        c["nine_months"].pk: (selectors.REASON_NO_MEETING, D(2025, 8, 31), "6-12 months"),
        c["fifteen_months"].pk: (selectors.REASON_NO_MEETING, D(2025, 2, 28), "12-24 months"),
        c["years"].pk: (selectors.REASON_NO_MEETING, D(2023, 12, 31), "24 months or more"),
        c["no_decision"].pk: (selectors.REASON_NO_DECISION, D(2026, 4, 29), "0-6 months"),
    }
    assert backlog.bands == {
        "0-6 months": 2,
        "6-12 months": 1,
        "12-24 months": 1,
        "24 months or more": 1,
    }
    assert [(g.name, g.total) for g in backlog.by_caseworker] == [
        ("Nia North", 3),
        ("Sol South", 2),
    ]
    by_setting = {g.name: g.bands for g in backlog.by_setting}
    oakfield = next(name for name in by_setting if name.startswith("Oakfield Primary School"))
    assert by_setting[oakfield]["0-6 months"] == 1
    assert by_setting[oakfield]["24 months or more"] == 1


def test_backlog_ages_move_on_with_time(backlog_cases, caseworker) -> None:
    recent = backlog_cases["recent"]

    def band_on(day: dt.date) -> str | None:
        with _at(day):
            rows = selectors.backlog(user=caseworker, today=day).rows
        return next((r.band for r in rows if r.review.pk == recent.pk), None)

    assert band_on(D(2026, 3, 9)) is None  # due today: not yet overdue
    assert band_on(D(2026, 3, 10)) == "0-6 months"
    assert band_on(D(2026, 9, 8)) == "0-6 months"
    assert band_on(D(2026, 9, 9)) == "6-12 months"
    assert band_on(D(2027, 3, 9)) == "12-24 months"
    assert band_on(D(2028, 3, 9)) == "24 months or more"


def test_a_meeting_after_the_due_date_stays_in_the_backlog_until_decided(caseworker, frozen):
    review = _review(D(2025, 3, 10))
    review = services.review_meeting_record(actor=caseworker, review=review, held_on=D(2026, 5, 1))
    rows = selectors.backlog(user=caseworker, today=frozen).rows
    assert [(r.review.pk, r.reason) for r in rows] == [(review.pk, selectors.REASON_NO_MEETING)]
    services.review_decision_issue(
        actor=caseworker, review=review, decision="maintain", issued_on=D(2026, 5, 10)
    )
    assert selectors.backlog(user=caseworker, today=frozen).rows == []


def test_a_panel_member_sees_no_reviews(backlog_cases, panel_member, frozen) -> None:
    assert selectors.backlog(user=panel_member, today=frozen).total == 0
    assert list(selectors.review_list(user=panel_member)) == []


# --- timeliness ---------------------------------------------------------------------------------
def test_timeliness_by_team(db, make_user, frozen, caseworker) -> None:
    north = make_user("north", team="North team")
    south = make_user("south", team="South team")

    def decide(caseworker_, issued, meeting, decision_on):
        review = _review(issued, caseworker=caseworker_)
        review = services.review_meeting_record(actor=caseworker_, review=review, held_on=meeting)
        services.review_decision_issue(
            actor=caseworker_, review=review, decision="maintain", issued_on=decision_on
        )

    decide(north, D(2025, 3, 10), D(2026, 1, 29), D(2026, 2, 26))  # 4 weeks exactly: in time
    decide(north, D(2025, 3, 10), D(2026, 1, 29), D(2026, 2, 27))  # a day late
    decide(south, D(2025, 1, 10), D(2026, 1, 20), D(2026, 1, 30))  # meeting after due 9 Jan
    decide(south, D(2025, 2, 1), D(2026, 1, 5), D(2026, 1, 19))  # in time
    decide(south, D(2024, 2, 1), D(2024, 12, 1), D(2024, 12, 10))  # outside the period
    teams, total = selectors.timeliness_by_team(
        user=caseworker,
        start=D(2026, 1, 1),
        end=D(2026, 5, 31),
        backlog_today=selectors.backlog(user=caseworker, today=frozen),
    )
    assert [(t.team, t.decisions, t.in_timescale, t.pct) for t in teams] == [
        ("North team", 2, 1, 50.0),
        ("South team", 2, 1, 50.0),
    ]
    assert (total.decisions, total.in_timescale) == (4, 2)


# --- the phase-transfer cohort ----------------------------------------------------------------
def test_the_cohort_for_september_2026(db, caseworker, frozen) -> None:
    infant = EstablishmentFactory.create(name="Brook Infant School", phase="Infant")
    secondary = PlanFactory.create(
        issued_on=D(2025, 3, 10), child__date_of_birth=D(2015, 1, 10), child__last_name="Adams"
    )
    post16 = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=D(2010, 5, 5))
    junior = PlanFactory.create(
        issued_on=D(2025, 3, 10),
        child__date_of_birth=D(2019, 1, 10),
        child__current_setting=infant,
        child__last_name="Baker",
    )
    PlanFactory.create(
        issued_on=D(2025, 3, 10), child__date_of_birth=D(2019, 2, 10)
    )  # year 2, primary
    PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=D(2017, 2, 10))  # year 4
    college = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=D(2008, 5, 5))
    all_through = PlanFactory.create(issued_on=D(2025, 3, 10), child__date_of_birth=D(2015, 2, 1))
    services.ensure_reviews_for_new_plans(actor=caseworker)
    services.review_phase_transfer_set(
        actor=caseworker,
        review=college.annual_reviews.get(),
        automatic=False,
        infant_school=False,
        phase_transfer=True,
        kind="post16_other",
        transfer_on=D(2026, 7, 31),
    )
    services.review_phase_transfer_set(
        actor=caseworker,
        review=all_through.annual_reviews.get(),
        automatic=False,
        infant_school=False,
    )
    PlanVersionFactory.create(plan=secondary, issued_on=D(2026, 2, 14))
    PlanVersionFactory.create(plan=post16, issued_on=D(2026, 4, 1))
    rows = selectors.phase_transfer_cohort(user=caseworker, year=2026, today=frozen)
    found = [(r.plan, r.transfer.label, r.due, r.amended_on, r.status) for r in rows]
    assert found == [
        (secondary, "Primary to secondary school (year 7)", D(2026, 2, 14), D(2026, 2, 14), "met"),
        (junior, "Infant to junior school (year 3)", D(2026, 2, 14), None, "overdue"),
        (
            college,
            "Post-16 transfer at another time (5 months before)",
            D(2026, 2, 28),
            None,
            "overdue",
        ),
        (
            post16,
            "Secondary school to post-16 (year 12)",
            D(2026, 3, 30),
            D(2026, 4, 1),
            "met_late",
        ),
    ]
    summary = selectors.cohort_summary(rows)
    assert summary["total"] == 4
    assert summary["on_time_pct"] == 50.0


def test_next_september() -> None:
    assert selectors.next_september(D(2026, 6, 1)) == 2026
    assert selectors.next_september(D(2026, 9, 1)) == 2026
    assert selectors.next_september(D(2026, 9, 2)) == 2027


# --- term lists and under-5s ----------------------------------------------------------------------
def test_reviews_due_in_a_term_by_setting(db, caseworker, frozen) -> None:
    oak = EstablishmentFactory.create(name="Oakfield Primary School")
    ash = EstablishmentFactory.create(name="Ash Grove Academy")
    a = _review(D(2025, 9, 10), current_setting=oak)  # due 9 Sep 2026: autumn 2026
    b = _review(D(2025, 12, 1), current_setting=ash)  # due 30 Nov 2026
    c = _review(D(2025, 10, 1), current_setting=None)  # due 30 Sep 2026
    _review(D(2026, 1, 1), current_setting=oak)  # due 31 Dec 2026: still autumn
    _review(D(2026, 1, 2), current_setting=oak)  # due 1 Jan 2027: spring
    groups = selectors.reviews_due_in_term(user=caseworker, term=Term("autumn", 2026))
    assert [(g.name, [r.due_on for r in g.reviews]) for g in groups] == [
        (str(ash), [b.due_on]),
        (str(oak), [a.due_on, D(2026, 12, 31)]),
        (selectors.NO_SETTING, [c.due_on]),
    ]
    only_oak = selectors.reviews_due_in_term(
        user=caseworker, term=Term("autumn", 2026), setting=oak.pk
    )
    assert [g.name for g in only_oak] == [str(oak)]


def test_under_5_checks_every_6_months_until_the_fifth_birthday(db, frozen, settings) -> None:
    review = _review(D(2025, 3, 10), date_of_birth=D(2021, 1, 15))  # 5 on 15 Jan 2026
    assert selectors.under_5_checks(review) == [D(2025, 9, 10)]
    settings.REVIEW_UNDER_5_MONTHS = 3
    assert selectors.under_5_checks(review) == [D(2025, 6, 10), D(2025, 9, 10), D(2025, 12, 10)]
    older = _review(D(2025, 3, 10), date_of_birth=D(2015, 1, 15))
    assert selectors.under_5_checks(older) == []
