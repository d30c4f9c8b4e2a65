"""Children: references, identifiers, duplicate detection, updates, reallocation history."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.models import Allocation, Child, TimelineEntry
from cases.references import next_reference
from cases.services import DuplicateChild
from cases.validators import UPN_CHECK_LETTER
from send_cms.accounts.models import User
from send_cms.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_a_new_child_gets_the_next_reference_of_the_year(
    new_child: Callable[..., Child],
) -> None:
    first = new_child()
    second = new_child()
    year = timezone.localdate().year
    assert first.reference == f"999-{year}-00001"
    assert second.reference == f"999-{year}-00002"
    assert next_reference() == f"999-{year}-00003"
    assert next_reference(skip=1) == f"999-{year}-00004"


def test_a_reference_given_is_kept_and_must_be_free(new_child: Callable[..., Child]) -> None:
    assert new_child(reference="OLD-1234").reference == "OLD-1234"
    with pytest.raises(ValidationError) as caught:
        new_child(reference="OLD-1234")
    assert caught.value.message_dict == {"reference": [services.REFERENCE_TAKEN]}


def test_creating_a_child_opens_the_case_allocates_it_and_audits(
    caseworker: User, new_child: Callable[..., Child]
) -> None:
    child = new_child(first_name="  Ava ", last_name="Okoro ", postcode="ab1 2cd")
    assert (child.first_name, child.last_name, child.postcode) == ("Ava", "Okoro", "AB1 2CD")
    allocation = Allocation.objects.get(child=child)
    assert allocation.caseworker == caseworker
    assert allocation.allocated_by == caseworker
    entry = TimelineEntry.objects.get(child=child)
    assert (entry.event, entry.title, entry.recorded_by_name) == (
        "child.created",
        "Case opened",
        "Sam Okafor",
    )
    event = AuditEvent.objects.get(action="child.created")
    assert event.child_id == child.pk
    assert event.changes["reference"] == child.reference


def test_same_name_and_birth_date_is_a_possible_duplicate(
    new_child: Callable[..., Child],
) -> None:
    existing = new_child(first_name="Ava", last_name="Okoro")
    with pytest.raises(DuplicateChild) as caught:
        new_child(first_name="AVA", last_name="okoro")
    assert caught.value.matches == [existing]
    assert caught.value.message_dict == {"__all__": [services.DUPLICATE_CHILD]}
    assert isinstance(caught.value, ValidationError)
    assert Child.objects.count() == 1


def test_confirming_it_is_a_different_child_creates_it(new_child: Callable[..., Child]) -> None:
    new_child(first_name="Ava", last_name="Okoro")
    twin = new_child(first_name="Ava", last_name="Okoro", confirm_not_duplicate=True)
    assert Child.objects.count() == 2
    assert AuditEvent.objects.get(object_id=str(twin.pk)).changes["confirmed_not_duplicate"]


def test_the_same_upn_is_always_refused(new_child: Callable[..., Child]) -> None:
    holder = new_child(upn="H801200001001", upn_unknown="")
    for confirm in (False, True):
        with pytest.raises(DuplicateChild) as caught:
            new_child(
                first_name="Someone",
                last_name="Else",
                upn="h801200001001",
                upn_unknown="",
                confirm_not_duplicate=confirm,
            )
        assert caught.value.matches == [holder]
        assert caught.value.message_dict == {
            "upn": [services.DUPLICATE_UPN.format(reference=holder.reference)]
        }


def test_a_different_birth_date_is_not_a_duplicate(new_child: Callable[..., Child]) -> None:
    new_child(first_name="Ava", last_name="Okoro", date_of_birth=dt.date(2015, 3, 1))
    new_child(first_name="Ava", last_name="Okoro", date_of_birth=dt.date(2016, 3, 1))
    assert Child.objects.count() == 2


def test_identifiers_and_birth_date_are_checked(new_child: Callable[..., Child]) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(
            upn="Z801200001001",
            uln="1234567890",
            upn_unknown="UN2",
            date_of_birth=dt.date(2026, 3, 3),
        )
    assert caught.value.message_dict == {
        "date_of_birth": [services.DATE_OF_BIRTH_IN_FUTURE],
        "upn": [UPN_CHECK_LETTER],
        "uln": ["The ULN's check digit is wrong: check the ULN has been copied correctly"],
        "upn_unknown": [services.UPN_AND_REASON],
    }


def test_un1_is_only_for_a_child_under_six(new_child: Callable[..., Child]) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(upn_unknown="UN1", date_of_birth=dt.date(2020, 3, 2))  # 6 today
    assert caught.value.message_dict == {"upn_unknown": [services.UN1_ONLY_UNDER_SIX]}
    assert new_child(upn_unknown="UN1", date_of_birth=dt.date(2020, 3, 3)).upn_unknown == "UN1"


def test_a_caseworker_must_hold_the_caseworker_role(
    new_child: Callable[..., Child], manager: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        new_child(caseworker=manager)
    assert caught.value.message_dict == {
        "caseworker": [services.NOT_A_CASEWORKER.format(name="Chris Evans")]
    }


def test_updating_a_child_audits_old_and_new_values(caseworker: User, child: Child) -> None:
    services.child_update(actor=caseworker, child=child, postcode="ZZ9 9ZZ", ethnicity="WIRI")
    child.refresh_from_db()
    assert child.postcode == "ZZ9 9ZZ"
    event = AuditEvent.objects.get(action="child.updated")
    assert event.changes == {"postcode": ["", "ZZ9 9ZZ"], "ethnicity": ["NOBT", "WIRI"]}


def test_an_update_that_changes_nothing_records_nothing(caseworker: User, child: Child) -> None:
    services.child_update(actor=caseworker, child=child, first_name=child.first_name)
    assert not AuditEvent.objects.filter(action="child.updated").exists()


def test_an_update_cannot_take_another_childs_upn(
    caseworker: User, new_child: Callable[..., Child]
) -> None:
    holder = new_child(upn="H801200001001", upn_unknown="")
    other = new_child()
    with pytest.raises(ValidationError) as caught:
        services.child_update(actor=caseworker, child=other, upn="H801200001001", upn_unknown="")
    assert caught.value.message_dict == {
        "upn": [services.DUPLICATE_UPN.format(reference=holder.reference)]
    }


def test_only_a_childs_details_can_be_updated(caseworker: User, child: Child) -> None:
    with pytest.raises(ValidationError) as caught:
        services.child_update(actor=caseworker, child=child, id="x")
    assert caught.value.message_dict == {"id": [services.CHILD_FIELD_NOT_EDITABLE]}


def test_reallocation_keeps_the_history(
    caseworker: User, other_caseworker: User, manager: User, child: Child
) -> None:
    services.child_reallocate(
        actor=manager, child=child, caseworker=other_caseworker, reason="Sam is on leave"
    )
    child.refresh_from_db()
    assert child.caseworker == other_caseworker
    history = list(
        Allocation.objects.filter(child=child)
        .order_by("created_at")
        .values_list("caseworker__username", "allocated_by__username", "reason")
    )
    assert history == [
        ("caseworker", "caseworker", "Case opened"),
        ("caseworker2", "manager", "Sam is on leave"),
    ]
    entry = TimelineEntry.objects.get(child=child, event="child.reallocated")
    assert entry.title == "Case reallocated from Sam Okafor to Olu Ade"
    assert entry.detail == "Sam is on leave"
    assert AuditEvent.objects.get(action="child.reallocated").changes["caseworker"] == [
        str(caseworker.pk),
        str(other_caseworker.pk),
    ]


def test_reallocating_to_the_same_caseworker_is_refused(caseworker: User, child: Child) -> None:
    with pytest.raises(ValidationError) as caught:
        services.child_reallocate(actor=caseworker, child=child, caseworker=caseworker)
    assert caught.value.message_dict == {
        "caseworker": [services.ALREADY_ALLOCATED.format(name="Sam Okafor")]
    }
    assert Allocation.objects.filter(child=child).count() == 1


def test_a_caseworker_given_to_update_goes_through_reallocation(
    caseworker: User, other_caseworker: User, child: Child
) -> None:
    services.child_update(actor=caseworker, child=child, caseworker=other_caseworker)
    assert Allocation.objects.filter(child=child).count() == 2


def test_a_contact_needs_the_details_of_their_preferred_contact(
    caseworker: User, child: Child
) -> None:
    for preference, message in (
        ("email", services.CONTACT_NEEDS_EMAIL),
        ("phone", services.CONTACT_NEEDS_PHONE),
        ("post", services.CONTACT_NEEDS_ADDRESS),
    ):
        with pytest.raises(ValidationError) as caught:
            services.contact_add(
                actor=caseworker,
                child=child,
                name="Grace Okoro",
                relationship="Mother",
                preferred_contact=preference,
            )
        field = {"email": "email", "phone": "phone", "post": "address"}[preference]
        assert caught.value.message_dict == {field: [message]}
    contact = services.contact_add(
        actor=caseworker,
        child=child,
        name="Grace Okoro",
        relationship="Mother",
        phone="07700 900123",
        preferred_contact="phone",
    )
    assert contact.parental_responsibility
    assert AuditEvent.objects.get(action="contact.added").child_id == child.pk
