"""Every rule the database can express fires in the database itself, bypassing the services.

Each case builds a valid row with the factories, then breaks one rule with a raw `update` (or
insert) that skips `full_clean`, and expects the database to refuse with an IntegrityError.
The suite runs on PostgreSQL and on SQLite: the draft window's date arithmetic is checked on
both, at the exact boundary.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cases.models import (
    AdviceRequest,
    AssessmentRequest,
    Child,
    DraftConsultation,
    Establishment,
    NamedSetting,
    Placement,
    Plan,
    PlanVersion,
    TimelineEntry,
    TimescaleException,
)
from tests.factories import (
    DECIDED_ON,
    DRAFT_ISSUED_ON,
    FINAL_ISSUED_ON,
    ISSUE_DECIDED_ON,
    AdviceRequestFactory,
    AssessmentRequestFactory,
    ChildFactory,
    EstablishmentFactory,
    PlacementFactory,
    PlanFactory,
    TimescaleExceptionFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _update(model: type[Any], obj: Any, **fields: Any) -> None:
    model.objects.filter(pk=obj.pk).update(**fields)


def second_open_request() -> None:
    first = AssessmentRequestFactory.create(assessing=True)
    AssessmentRequestFactory.create(child=first.child)


def decision_before_receipt() -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    _update(AssessmentRequest, request, decided_on=request.received_on - DAY)


def decision_without_date() -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    _update(AssessmentRequest, request, decided_on=None)


def date_without_decision() -> None:
    request = AssessmentRequestFactory.create()
    _update(AssessmentRequest, request, decided_on=request.received_on)


def issue_decision_without_date() -> None:
    request = AssessmentRequestFactory.create(issuing=True)
    _update(AssessmentRequest, request, issue_decided_on=None)


def issue_decision_without_assessment() -> None:
    request = AssessmentRequestFactory.create(issuing=True)
    _update(AssessmentRequest, request, decision="not_assess")


def issue_decision_before_decision() -> None:
    request = AssessmentRequestFactory.create(issuing=True)
    _update(AssessmentRequest, request, issue_decided_on=DECIDED_ON - DAY)


def draft_before_issue_decision() -> None:
    request = AssessmentRequestFactory.create(draft_issued=True)
    _update(AssessmentRequest, request, draft_issued_on=ISSUE_DECIDED_ON - DAY)


def draft_without_issue_decision() -> None:
    request = AssessmentRequestFactory.create(assessing=True)
    _update(AssessmentRequest, request, draft_issued_on=dt.date(2025, 12, 8))


def final_inside_draft_window() -> None:
    request = AssessmentRequestFactory.create(final_issued=True)
    # Draft served Mon 8 Dec 2025: the family's 15 days run to Mon 22 Dec inclusive.
    _update(AssessmentRequest, request, final_issued_on=dt.date(2025, 12, 22))


def final_without_draft() -> None:
    request = AssessmentRequestFactory.create(final_issued=True)
    _update(AssessmentRequest, request, draft_issued_on=None)


def final_after_decision_not_to_issue() -> None:
    request = AssessmentRequestFactory.create(final_issued=True)
    _update(AssessmentRequest, request, issue_decision="not_issue")


def withdrawal_before_receipt() -> None:
    request = AssessmentRequestFactory.create(withdrawn=True)
    _update(AssessmentRequest, request, withdrawn_on=request.received_on - DAY)


def advice_received_before_requested() -> None:
    advice = AdviceRequestFactory.create()
    _update(AdviceRequest, advice, received_on=advice.requested_on - DAY)


def advice_returned_before_received() -> None:
    advice = AdviceRequestFactory.create(received_on=dt.date(2025, 11, 20))
    _update(AdviceRequest, advice, returned_for_quality_on=dt.date(2025, 11, 19))


def advice_returned_never_received() -> None:
    advice = AdviceRequestFactory.create()
    _update(AdviceRequest, advice, returned_for_quality_on=dt.date(2025, 11, 19))


def advice_re_received_before_return() -> None:
    advice = AdviceRequestFactory.create(
        received_on=dt.date(2025, 11, 20), returned_for_quality_on=dt.date(2025, 11, 21)
    )
    _update(AdviceRequest, advice, re_received_on=dt.date(2025, 11, 20))


def exception_ends_before_start() -> None:
    exception = TimescaleExceptionFactory.create()
    _update(TimescaleException, exception, ends_on=exception.starts_on - DAY)


def exception_twice() -> None:
    exception = TimescaleExceptionFactory.create()
    TimescaleExceptionFactory.create(request=exception.request)


def missed_appointment_excusing_the_councils_20_weeks() -> None:
    exception = TimescaleExceptionFactory.create()
    _update(TimescaleException, exception, kind="missed_appointment")


def consultation_reply_before_sent() -> None:
    request = AssessmentRequestFactory.create(draft_issued=True)
    consultation = DraftConsultation.objects.create(
        request=request, establishment=EstablishmentFactory.create(), sent_on=DRAFT_ISSUED_ON
    )
    _update(
        DraftConsultation,
        consultation,
        replied_on=DRAFT_ISSUED_ON - DAY,
        reply="can_meet",
    )


def second_active_plan() -> None:
    plan = PlanFactory.create()
    PlanFactory.create(child=plan.child, request=None)


def secondary_need_same_as_primary() -> None:
    plan = PlanFactory.create()
    _update(Plan, plan, secondary_need="ASD")


def ceased_without_reason() -> None:
    plan = PlanFactory.create()
    _update(Plan, plan, status="ceased", ceased_on=dt.date(2026, 5, 1))


def active_with_cease_date() -> None:
    plan = PlanFactory.create()
    _update(Plan, plan, ceased_on=dt.date(2026, 5, 1), cease_reason=2)


def ceased_before_issue() -> None:
    plan = PlanFactory.create()
    _update(Plan, plan, status="ceased", ceased_on=plan.issued_on - DAY, cease_reason=2)


def version_number_twice() -> None:
    plan = PlanFactory.create()
    PlanVersion.objects.create(plan=plan, number=1, kind="amended", issued_on=plan.issued_on)


def named_setting_rank_twice() -> None:
    plan = PlanFactory.create()
    NamedSetting.objects.create(plan=plan, sen_setting="EHE", rank=1)
    NamedSetting.objects.create(plan=plan, sen_setting="OLA", rank=1)


def named_setting_both_kinds() -> None:
    NamedSetting.objects.create(
        plan=PlanFactory.create(),
        establishment=EstablishmentFactory.create(),
        sen_setting="EHE",
        rank=1,
    )


def named_setting_no_kind() -> None:
    NamedSetting.objects.create(plan=PlanFactory.create(), rank=1)


def placement_ends_before_start() -> None:
    placement = PlacementFactory.create()
    _update(Placement, placement, ends_on=FINAL_ISSUED_ON - DAY)


def placement_both_kinds() -> None:
    placement = PlacementFactory.create()
    _update(Placement, placement, sen_setting="EHE")


def placement_no_start() -> None:
    placement = PlacementFactory.create()
    _update(Placement, placement, starts_on=None)


def upn_twice() -> None:
    ChildFactory.create(upn="H801200001001", upn_unknown="")
    ChildFactory.create(upn="H801200001001", upn_unknown="")


def upn_and_reason() -> None:
    ChildFactory.create(upn="H801200001001", upn_unknown="UN5")


def reference_twice() -> None:
    ChildFactory.create(reference="999-2025-00001")
    ChildFactory.create(reference="999-2025-00001")


def urn_twice() -> None:
    Establishment.objects.create(urn="100001", name="A", kind="mainstream")
    Establishment.objects.create(urn="100001", name="B", kind="mainstream")


def urn_not_six_digits() -> None:
    Establishment.objects.create(urn="10001", name="A", kind="mainstream")


def ukprn_not_eight_digits() -> None:
    Establishment.objects.create(ukprn="1000123", name="A", kind="further_education")


VIOLATIONS: dict[str, Callable[[], None]] = {
    "request_one_open_per_child": second_open_request,
    "request_decision_not_before_receipt": decision_before_receipt,
    "request_decision_with_its_date (no date)": decision_without_date,
    "request_decision_with_its_date (no decision)": date_without_decision,
    "request_issue_decision_with_its_date": issue_decision_without_date,
    "request_issue_decision_needs_assessment": issue_decision_without_assessment,
    "request_issue_decision_after_decision": issue_decision_before_decision,
    "request_draft_after_issue_decision (before)": draft_before_issue_decision,
    "request_draft_after_issue_decision (none)": draft_without_issue_decision,
    "request_final_after_draft_window (inside)": final_inside_draft_window,
    "request_final_after_draft_window (no draft)": final_without_draft,
    "request_final_after_draft_window (not issuing)": final_after_decision_not_to_issue,
    "request_withdrawal_not_before_receipt": withdrawal_before_receipt,
    "advice_received_after_requested": advice_received_before_requested,
    "advice_returned_after_received (before)": advice_returned_before_received,
    "advice_returned_after_received (never received)": advice_returned_never_received,
    "advice_re_received_after_return": advice_re_received_before_return,
    "exception_ends_after_start": exception_ends_before_start,
    "exception_unique": exception_twice,
    "exception_excuses_its_rule": missed_appointment_excusing_the_councils_20_weeks,
    "consultation_reply_after_sent": consultation_reply_before_sent,
    "plan_one_active_per_child": second_active_plan,
    "plan_secondary_need_differs": secondary_need_same_as_primary,
    "plan_ceased_with_date_and_reason (no reason)": ceased_without_reason,
    "plan_ceased_with_date_and_reason (active)": active_with_cease_date,
    "plan_ceased_after_issue": ceased_before_issue,
    "plan_version_number_unique": version_number_twice,
    "named_setting_rank_unique": named_setting_rank_twice,
    "named_setting_one_kind_of_setting (both)": named_setting_both_kinds,
    "named_setting_one_kind_of_setting (none)": named_setting_no_kind,
    "placement_ends_after_start": placement_ends_before_start,
    "placement_one_kind_of_setting": placement_both_kinds,
    "placement_has_start_unless_awaiting": placement_no_start,
    "child_upn_unique": upn_twice,
    "child_upn_or_reason_not_both": upn_and_reason,
    "child reference unique": reference_twice,
    "establishment_urn_unique": urn_twice,
    "establishment_urn_6_digits": urn_not_six_digits,
    "establishment_ukprn_8_digits": ukprn_not_eight_digits,
}


@pytest.mark.parametrize("make_violation", VIOLATIONS.values(), ids=VIOLATIONS.keys())
def test_the_database_refuses(make_violation: Callable[[], None]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_violation()


def test_the_final_plan_on_the_first_day_after_the_window_is_accepted() -> None:
    """Draft Mon 8 Dec 2025: the window ends Mon 22 Dec, so Tue 23 Dec is allowed, on both
    databases (the `AddDays` expression is each database's own date arithmetic)."""
    request = AssessmentRequestFactory.create(final_issued=True)
    _update(AssessmentRequest, request, final_issued_on=dt.date(2025, 12, 23))
    request.refresh_from_db()
    assert request.final_issued_on == dt.date(2025, 12, 23)
    assert connection.vendor in {"postgresql", "sqlite"}


def test_the_window_spans_a_month_and_a_year_end() -> None:
    request = AssessmentRequestFactory.create(
        draft_issued=True,
        issue_decided_on=dt.date(2025, 12, 20),
        draft_issued_on=dt.date(2025, 12, 20),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        _update(
            AssessmentRequest,
            request,
            status="final_issued",
            final_issued_on=dt.date(2026, 1, 3),
        )
    _update(AssessmentRequest, request, status="final_issued", final_issued_on=dt.date(2026, 1, 4))


def test_the_constraint_needs_no_django_function_on_sqlite() -> None:
    """The table can be written by any SQLite client: the CHECK uses SQLite's own date()."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conname = 'request_final_after_draft_window'"
            )
            definition = cursor.fetchone()[0]
        assert "+ 15" in definition
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name = %s", [AssessmentRequest._meta.db_table]
        )
        ddl = cursor.fetchone()[0]
    assert "date(\"draft_issued_on\", '+15 days')" in ddl
    assert "django_" not in ddl


def test_a_valid_journey_passes_every_constraint() -> None:
    plan = PlanFactory.create()
    PlacementFactory.create(plan=plan)
    AdviceRequestFactory.create(
        request=plan.request,
        received_on=dt.date(2025, 11, 20),
        returned_for_quality_on=dt.date(2025, 11, 21),
        re_received_on=dt.date(2025, 11, 28),
    )
    assert Child.objects.count() == 1


def test_timeline_entries_cannot_change_or_be_deleted(caseworker: Any) -> None:
    child = ChildFactory.create()
    entry = TimelineEntry.objects.create(
        child=child,
        event="child.created",
        title="Case opened",
        occurred_on=dt.date(2025, 9, 8),
        recorded_by=caseworker,
        recorded_by_name="Sam Okafor",
    )
    entry.title = "Something else"
    with pytest.raises(ValueError, match="cannot change"):
        entry.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        entry.delete()


def test_the_model_refuses_an_exception_the_law_does_not_allow() -> None:
    exception = TimescaleExceptionFactory.build(
        request=AssessmentRequestFactory.create(assessing=True), kind="missed_appointment"
    )
    with pytest.raises(ValidationError) as refused:
        exception.full_clean()
    assert refused.value.message_dict["kind"] == [
        "Missed appointment cannot excuse the time limit: Final EHC plan due."
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "snow_day"}, "kind", "Choose the kind of exception."),
        ({"rule": "no_such_rule"}, "rule", "Choose a time limit this exception can excuse."),
    ],
)
def test_an_unknown_kind_or_rule_is_a_field_error(
    fields: dict[str, str], field: str, message: str
) -> None:
    exception = TimescaleExceptionFactory.build(
        request=AssessmentRequestFactory.create(assessing=True), **fields
    )
    with pytest.raises(ValidationError) as refused:
        exception.full_clean()
    assert message in refused.value.message_dict[field]
