"""What managers enter beside the figures: a target and floor that fit the metric's polarity,
comparators one per area and period, and a month's commentary; each write audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reporting.models import Commentary, Comparator, MetricTarget
from reporting.rag import target_problem
from reporting.services.targets import (
    COMMENTARY_MONTH,
    COMMENTARY_REQUIRED,
    COMMENTARY_TOO_LONG,
    UNKNOWN_METRIC,
    commentary_save,
    comparator_add,
    comparator_delete,
    metric_target_set,
)
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_a_target_is_set_then_changed_in_one_row_each_change_audited(manager: User) -> None:
    metric_target_set(
        actor=manager, metric_id="decision_6wk_pct", target=Decimal(90), floor=Decimal(60)
    )
    metric_target_set(
        actor=manager, metric_id="decision_6wk_pct", target=Decimal(95), floor=Decimal(80)
    )

    row = MetricTarget.objects.get()
    assert (row.target, row.floor, row.set_by) == (Decimal(95), Decimal(80), manager)
    events = AuditEvent.objects.filter(action="report.target.set").order_by("occurred_at")
    assert [e.changes["target"] for e in events] == ["90", "95"]
    assert events[1].changes["before"] == {"target": "90.00", "floor": "60.00"}
    assert events[1].actor == manager


def test_a_floor_above_the_target_is_refused_when_higher_is_better(manager: User) -> None:
    with pytest.raises(ValidationError) as error:
        metric_target_set(
            actor=manager, metric_id="decision_6wk_pct", target=Decimal(60), floor=Decimal(90)
        )

    assert refusal(error) == {
        "floor": ["The floor must be at or below the target: higher is better for this figure."]
    }
    assert not MetricTarget.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_floor_below_the_target_is_refused_when_lower_is_better(manager: User) -> None:
    with pytest.raises(ValidationError) as error:
        metric_target_set(
            actor=manager, metric_id="waiting_over_30wk", target=Decimal(10), floor=Decimal(5)
        )
    metric_target_set(
        actor=manager, metric_id="waiting_over_30wk", target=Decimal(10), floor=Decimal(25)
    )

    assert refusal(error)["floor"] == [
        target_problem(target=Decimal(10), floor=Decimal(5), polarity="lower_better")
    ]
    assert MetricTarget.objects.get().floor == Decimal(25)


def test_a_neutral_figure_takes_no_target(manager: User) -> None:
    with pytest.raises(ValidationError) as error:
        metric_target_set(
            actor=manager, metric_id="requests_received", target=Decimal(10), floor=Decimal(5)
        )

    assert refusal(error) == {
        "target": ["This figure has no better or worse direction, so it takes no target."]
    }


def test_an_unknown_metric_is_refused(manager: User) -> None:
    with pytest.raises(ValidationError) as error:
        metric_target_set(actor=manager, metric_id="nope", target=Decimal(1), floor=Decimal(1))

    assert refusal(error) == {"metric_id": [UNKNOWN_METRIC]}


def test_comparators_are_one_per_area_and_period_and_deletes_are_audited(manager: User) -> None:
    first = comparator_add(
        actor=manager,
        metric_id="final_20wk_exc_exc_pct",
        area="england",
        value=Decimal("46.4"),
        period_label=" 2024 ",
        source="DfE SEN2 2024",
    )
    with pytest.raises(ValidationError) as duplicate:
        comparator_add(
            actor=manager,
            metric_id="final_20wk_exc_exc_pct",
            area="england",
            value=Decimal("50"),
            period_label="2024",
            source="DfE",
        )
    with pytest.raises(ValidationError) as bad:
        comparator_add(
            actor=manager,
            metric_id="final_20wk_exc_exc_pct",
            area="world",
            value=Decimal("50"),
            period_label="",
            source=" ",
        )

    assert first.period_label == "2024"
    assert refusal(duplicate) == {
        "period_label": [
            "There is already a England figure for 2024: delete it before entering a new one."
        ]
    }
    assert set(refusal(bad)) == {"area", "period_label", "source"}
    assert Comparator.objects.count() == 1

    comparator_delete(actor=manager, comparator_id=first.pk)

    assert not Comparator.objects.exists()
    deleted = AuditEvent.objects.get(action="report.comparator.delete")
    assert deleted.changes == {
        "metric": "final_20wk_exc_exc_pct",
        "area": "england",
        "value": "46.40",
        "period": "2024",
        "source": "DfE SEN2 2024",
    }
    assert AuditEvent.objects.filter(action="report.comparator.add").count() == 1


def test_commentary_is_written_then_replaced_for_the_same_month(
    manager: User, admin_user: User
) -> None:
    commentary_save(
        actor=manager, metric_id="decision_6wk_pct", period="2025-10", text=" First words. "
    )
    commentary_save(
        actor=admin_user, metric_id="decision_6wk_pct", period="2025-10", text="Second words."
    )
    commentary_save(
        actor=manager, metric_id="decision_6wk_pct", period="2025-11", text="Another month."
    )

    october = Commentary.objects.get(period="2025-10")
    assert (october.text, october.author) == ("Second words.", admin_user)
    assert Commentary.objects.count() == 2
    events = AuditEvent.objects.filter(action="report.commentary.save").order_by("occurred_at")
    assert [e.changes["before"] for e in events] == [None, "First words.", None]


@pytest.mark.parametrize(
    ("period", "text", "expected"),
    [
        ("2025-10", "   ", {"text": [COMMENTARY_REQUIRED]}),
        ("2025-10", "x" * 3001, {"text": [COMMENTARY_TOO_LONG]}),
        ("2025-Q3", "Words.", {"period": [COMMENTARY_MONTH]}),
    ],
)
def test_commentary_is_refused_without_words_past_3000_characters_or_for_a_quarter(
    manager: User, period: str, text: str, expected: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        commentary_save(actor=manager, metric_id="decision_6wk_pct", period=period, text=text)

    assert refusal(error) == expected
    assert not Commentary.objects.exists()


def test_commentary_of_exactly_3000_characters_is_accepted(manager: User) -> None:
    saved = commentary_save(
        actor=manager, metric_id="decision_6wk_pct", period="2025-10", text="x" * 3000
    )

    assert len(saved.text) == 3000
