"""High needs: what finance enters. Return periods, place funding rates, and each period's
figures, safety-valve conditions, pressures and mitigations: versioned (a new entry supersedes,
the old is kept and shown in the history), audited, and never overwritten unseen."""

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from reporting.demo import seed
from reporting.high_needs.periods import (
    ReturnPeriod,
    ReturnPeriodError,
    parse_return_period,
    return_period_of,
)
from reporting.models import (
    ENTRY_IS_FINAL,
    ConditionUpdate,
    HighNeedsFigure,
    PlaceFunding,
    PressureEntry,
    SafetyValveCondition,
)
from reporting.selectors.high_needs import figures_version, return_entries, return_history
from reporting.services.high_needs import (
    CHANGED_MEANWHILE,
    NARRATIVE_REQUIRED,
    RAG_REQUIRED,
    VALUE_NEGATIVE,
    FigureInput,
    condition_update_enter,
    high_needs_figures_enter,
    place_funding_set,
    pressure_enter,
    safety_valve_condition_add,
)
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
D = dt.date
Q2 = ReturnPeriod(2025, 2)


def enter(actor: User, **amounts: str) -> list[HighNeedsFigure]:
    return high_needs_figures_enter(
        actor=actor,
        period=Q2,
        figures={
            item: FigureInput(Decimal(value), "From the ledger") for item, value in amounts.items()
        },
    )


# --- return periods -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("FY2025-Q1", D(2025, 4, 1), D(2025, 6, 30)),
        ("fy2025-q2", D(2025, 7, 1), D(2025, 9, 30)),
        ("FY2025-Q3", D(2025, 10, 1), D(2025, 12, 31)),
        ("FY2025-Q4", D(2026, 1, 1), D(2026, 3, 31)),
    ],
)
def test_a_return_period_is_a_financial_year_quarter(
    key: str, start: dt.date, end: dt.date
) -> None:
    period = parse_return_period(key)

    assert (period.key, period.start, period.end) == (key.upper(), start, end)
    assert return_period_of(start) == period == return_period_of(end)


def test_quarters_run_on_across_the_financial_year_end() -> None:
    assert ReturnPeriod(2025, 4).next() == ReturnPeriod(2026, 1)
    assert ReturnPeriod(2026, 1).previous() == ReturnPeriod(2025, 4)
    assert ReturnPeriod(2025, 2).label == "July to September 2025 (quarter 2 of 2025 to 2026)"


@pytest.mark.parametrize("key", ["2025-Q2", "FY2025-Q5", "FY25-Q1", ""])
def test_anything_else_is_not_a_return_period(key: str) -> None:
    with pytest.raises(ReturnPeriodError):
        parse_return_period(key)


# --- place funding ------------------------------------------------------------------------------
def test_a_new_place_funding_rate_ends_the_one_before(manager: User) -> None:
    first = place_funding_set(
        actor=manager, kind="special", annual_value=Decimal("10000"), effective_from=D(2023, 4, 1)
    )
    place_funding_set(
        actor=manager, kind="special", annual_value=Decimal("10500"), effective_from=D(2026, 4, 1)
    )
    # A correction of the first rate changes it in place: the same day, a new value.
    place_funding_set(
        actor=manager, kind="special", annual_value=Decimal("9800"), effective_from=D(2023, 4, 1)
    )

    rates = list(
        PlaceFunding.objects.order_by("effective_from").values_list(
            "annual_value", "effective_from", "effective_to"
        )
    )
    assert rates == [
        (Decimal("9800.00"), D(2023, 4, 1), D(2026, 3, 31)),
        (Decimal("10500.00"), D(2026, 4, 1), None),
    ]
    events = AuditEvent.objects.filter(
        action="high_needs.place_funding.set", object_id=str(first.pk)
    )
    assert [e.changes["before"] for e in events.order_by("occurred_at")] == [
        None,
        {"annual_value": "10000.00", "note": ""},
    ]


def test_place_funding_is_never_negative(manager: User) -> None:
    with pytest.raises(ValidationError) as refused:
        place_funding_set(
            actor=manager, kind="special", annual_value=Decimal("-1"), effective_from=D(2025, 4, 1)
        )

    assert refused.value.message_dict == {"annual_value": [VALUE_NEGATIVE]}


# --- figures ------------------------------------------------------------------------------------
def test_a_new_figure_supersedes_the_old_which_is_kept(manager: User, admin_user: User) -> None:
    enter(manager, hnb_allocation="108000000", in_year_balance="-3600000")
    enter(admin_user, in_year_balance="-6100000")

    entries = return_entries(period=Q2)
    assert entries.figures["in_year_balance"].amount == Decimal("-6100000.00")
    assert entries.figures["in_year_balance"].author == admin_user
    assert entries.figures["hnb_allocation"].amount == Decimal("108000000.00")
    rows = [
        (r.what, r.value, r.author, r.current)
        for r in return_history(period=Q2)
        if r.what == "In-year DSG balance"
    ]
    assert rows == [
        ("In-year DSG balance", "£-6,100,000.00", "Alex Morgan", True),
        ("In-year DSG balance", "£-3,600,000.00", "Chris Evans", False),
    ]
    assert HighNeedsFigure.objects.count() == 3


def test_the_same_amount_again_is_no_new_version(manager: User) -> None:
    enter(manager, hnb_allocation="108000000")

    assert enter(manager, hnb_allocation="108000000.00") == []
    assert HighNeedsFigure.objects.count() == 1


def test_each_figure_entered_is_audited_with_what_it_replaced(manager: User) -> None:
    first = enter(manager, forecast_outturn="111600000")[0]
    second = enter(manager, forecast_outturn="114100000")[0]

    event = AuditEvent.objects.get(action="high_needs.figure.enter", object_id=str(second.pk))
    assert event.changes["supersedes"] == str(first.pk)
    assert event.changes["before"] == "111600000.00"
    assert event.changes["amount"] == "114100000.00"
    assert event.actor == manager


def test_figures_entered_from_an_out_of_date_page_are_refused(
    manager: User, admin_user: User
) -> None:
    seen = figures_version(period=Q2)
    enter(admin_user, hnb_allocation="108000000")

    with pytest.raises(ValidationError) as refused:
        high_needs_figures_enter(
            actor=manager,
            period=Q2,
            figures={"hnb_allocation": FigureInput(Decimal("100"))},
            seen_version=seen,
        )

    assert refused.value.messages == [CHANGED_MEANWHILE]
    assert return_entries(period=Q2).figures["hnb_allocation"].amount == Decimal("108000000.00")


def test_an_entry_is_never_changed_in_place(manager: User) -> None:
    figure = enter(manager, hnb_allocation="1")[0]
    figure.amount = Decimal("2")

    with pytest.raises(ValueError, match=ENTRY_IS_FINAL):
        figure.save()
    with pytest.raises(ValueError, match=ENTRY_IS_FINAL):
        figure.delete()


def test_the_variance_against_the_agreed_profile(manager: User) -> None:
    enter(manager, in_year_balance="-6100000", in_year_profile="-2500000")

    entries = return_entries(period=Q2)

    assert entries.in_year_variance == Decimal("-3600000.00")
    assert entries.cumulative_variance is None


# --- safety-valve conditions --------------------------------------------------------------------
def test_a_condition_update_supersedes_and_the_page_must_have_seen_the_last_one(
    manager: User, admin_user: User
) -> None:
    condition = safety_valve_condition_add(
        actor=manager, number=1, title="Improve decision making on awarding EHCPs."
    )
    first = condition_update_enter(
        actor=manager, condition=condition, period=Q2, rag="amber", narrative="Letters redrafted."
    )
    second = condition_update_enter(
        actor=admin_user,
        condition=condition,
        period=Q2,
        rag="green",
        narrative="Letters in use.",
        evidence="Panel minutes",
        replaces=first.pk,
    )

    with pytest.raises(ValidationError) as refused:
        condition_update_enter(
            actor=manager,
            condition=condition,
            period=Q2,
            rag="red",
            narrative="Stale page",
            replaces=first.pk,
        )

    assert refused.value.messages == [CHANGED_MEANWHILE]
    line = return_entries(period=Q2).conditions[0]
    assert (line.condition.number, line.update) == (1, second)
    assert ConditionUpdate.objects.count() == 2
    assert [r.value for r in return_history(period=Q2)] == ["Green: on track", "Amber: at risk"]


def test_a_condition_update_needs_a_rag_and_a_narrative(manager: User) -> None:
    condition = safety_valve_condition_add(actor=manager, number=2, title="Review the process.")

    with pytest.raises(ValidationError) as refused:
        condition_update_enter(actor=manager, condition=condition, period=Q2, rag="", narrative=" ")

    assert refused.value.message_dict == {"rag": [RAG_REQUIRED], "narrative": [NARRATIVE_REQUIRED]}


# --- pressures and mitigations ------------------------------------------------------------------
def test_a_pressure_changed_then_withdrawn_leaves_the_totals_but_not_the_history(
    manager: User,
) -> None:
    first = pressure_enter(
        actor=manager,
        period=Q2,
        kind="pressure",
        title="Placement inflation",
        amount=Decimal("2000000"),
    )
    pressure_enter(
        actor=manager,
        period=Q2,
        kind="mitigation",
        title="Local specialist places",
        amount=Decimal("1100000"),
    )
    second = pressure_enter(
        actor=manager,
        period=Q2,
        kind="pressure",
        title="Placement inflation",
        amount=Decimal("2400000"),
        replaces=first,
    )
    assert return_entries(period=Q2).pressures_total == Decimal("2400000.00")

    pressure_enter(
        actor=manager,
        period=Q2,
        kind="pressure",
        title="Placement inflation",
        amount=Decimal("2400000"),
        replaces=second,
        withdrawn=True,
    )

    entries = return_entries(period=Q2)
    assert entries.pressures == ()
    assert entries.mitigations_total == Decimal("1100000.00")
    assert [r.value for r in return_history(period=Q2) if r.what.startswith("Pressure")] == [
        "Withdrawn",
        "£2,400,000.00",
        "£2,000,000.00",
    ]
    with pytest.raises(ValidationError) as refused:
        pressure_enter(
            actor=manager,
            period=Q2,
            kind="pressure",
            title="Placement inflation",
            amount=Decimal("1"),
            replaces=first,
        )
    assert refused.value.messages == [CHANGED_MEANWHILE]
    assert PressureEntry.objects.count() == 4


# --- demo data ----------------------------------------------------------------------------------
def test_the_demo_holds_cambridgeshire_s_eight_conditions_and_runs_twice(
    manager: User, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC), tick=False)
    users = {"manager": manager}

    rng = random.Random(1)  # noqa: S311 - demo data, not secrets
    first = seed(rng=rng, users=users, children=0, stdout=io.StringIO())
    again = seed(rng=rng, users=users, children=0, stdout=io.StringIO())

    assert "8 safety-valve conditions" in first
    assert "return already entered" in again
    assert SafetyValveCondition.objects.count() == 8
    assert SafetyValveCondition.objects.get(number=6).title.startswith(
        "Strengthen processes around mediation and dispute resolution"
    )
    entries = return_entries(period=ReturnPeriod(2025, 3))
    assert all(line.update is not None for line in entries.conditions)
    assert len(entries.figures) == 8
    assert PlaceFunding.objects.count() == 5
    # Last quarter's forecast was revised: the first figures stay in its history.
    replaced = [r for r in return_history(period=ReturnPeriod(2025, 2)) if not r.current]
    assert sorted(r.value for r in replaced) == ["£-3,600,000.00", "£111,600,000.00"]
