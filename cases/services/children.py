"""Children and young people: create (with duplicate detection), update, reallocate, contacts."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from cases import messages as msg
from cases.codes import ContactPreference, Ethnicity, UpnUnknown
from cases.models import Allocation, Child, Contact, Establishment
from cases.references import next_reference
from cases.services.common import (
    Errors,
    _deadlines_changed,
    add_error,
    check_not_future,
    fmt,
    lock,
    raise_if,
    timeline_record,
    today,
)
from cases.services.steps import save_new
from cases.validators import (
    REFERENCE_FORMAT,
    normalise_postcode,
    normalise_uln,
    normalise_upn,
    postcode_error,
    reference_error,
    uln_error,
    upn_error,
)
from send_cms.accounts.actor import Actor, account_of
from send_cms.accounts.roles import Role
from send_cms.audit.services import record
from send_cms.common.versioning import lock_at_version

#: Fields `child_update` may change (the caseworker changes through `child_reallocate`).
EDITABLE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "upn",
        "uln",
        "upn_unknown",
        "postcode",
        "current_setting",
        "reference",
    }
)
REFERENCE_ATTEMPTS = 5
#: No child or young person on a caseload was born before this.
EARLIEST_BIRTH = dt.date(1900, 1, 1)


class DuplicateChild(ValidationError):
    """The child looks already known. `matches` are the existing records, to link to."""

    def __init__(self, message: Any, matches: list[Child]) -> None:
        super().__init__(message)
        self.matches = matches


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (a 29 February birthday turns over on 1 March)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def _check_identity(
    errors: Errors, *, date_of_birth: dt.date, upn: str, uln: str, upn_unknown: str
) -> None:
    if date_of_birth > today():
        add_error(errors, "date_of_birth", msg.DATE_OF_BIRTH_IN_FUTURE)
    elif date_of_birth < EARLIEST_BIRTH:
        add_error(errors, "date_of_birth", msg.DATE_OF_BIRTH_TOO_EARLY)
    if upn:
        problem = upn_error(upn)
        if problem:
            add_error(errors, "upn", problem)
    if uln:
        problem = uln_error(uln)
        if problem:
            add_error(errors, "uln", problem)
    if upn and upn_unknown:
        add_error(errors, "upn_unknown", msg.UPN_AND_REASON)
    if upn_unknown == UpnUnknown.UN1 and age_on(date_of_birth, today()) >= 6:
        add_error(errors, "upn_unknown", msg.UN1_ONLY_UNDER_SIX)


def _check_postcode_and_reference(errors: Errors, *, postcode: str, reference: str) -> None:
    problem = postcode_error(postcode)
    if problem:
        add_error(errors, "postcode", problem)
    problem = reference_error(reference)
    if problem:
        add_error(errors, "reference", problem)


def _upn_holder(upn: str, exclude: Child | None = None) -> Child | None:
    if not upn:
        return None
    found = Child.objects.filter(upn=upn)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def find_possible_duplicates(
    *, first_name: str, last_name: str, date_of_birth: dt.date, upn: str = ""
) -> list[Child]:
    """Children with the same name (any case) and date of birth, or the same UPN."""
    same_person = Q(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    if upn:
        same_person |= Q(upn=upn)
    return list(Child.objects.filter(same_person).order_by("reference")[:10])


def _save_with_reference(child: Child) -> None:
    """Insert the child, generating a reference when blank; retries past a racing insert."""
    if child.reference:
        save_new(child)
        return
    for attempt in range(REFERENCE_ATTEMPTS):
        child.reference = next_reference(skip=attempt)
        child.full_clean(exclude=["reference"])
        try:
            with transaction.atomic():
                child.save(force_insert=True)
        except IntegrityError:
            if Child.objects.filter(reference=child.reference).exists():
                continue
            raise
        return
    raise ValidationError({"reference": [msg.REFERENCE_TAKEN]})


@transaction.atomic
def child_create(
    *,
    actor: Actor | None,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    sex: str,
    ethnicity: str = Ethnicity.NOBT,
    upn: str = "",
    uln: str = "",
    upn_unknown: str = "",
    postcode: str = "",
    current_setting: Establishment | None = None,
    caseworker: Any = None,
    reference: str = "",
    confirm_not_duplicate: bool = False,
    opened_on: dt.date | None = None,
) -> Child:
    """Open a case for a child or young person.

    Refuses with `DuplicateChild` when a child with the same name and date of birth, or the
    same UPN, is already known; `confirm_not_duplicate=True` creates anyway after a person has
    checked, except for the same UPN, which always belongs to one child. `opened_on` dates the
    "Case opened" step (today unless the case is older than its record here, as in the demo's
    history), so the timeline starts where the case did.
    """
    upn, uln = normalise_upn(upn), normalise_uln(uln)
    first_name, last_name = first_name.strip(), last_name.strip()
    errors: Errors = {}
    _check_identity(errors, date_of_birth=date_of_birth, upn=upn, uln=uln, upn_unknown=upn_unknown)
    reference = reference.strip()
    _check_postcode_and_reference(errors, postcode=postcode, reference=reference)
    if reference and Child.objects.filter(reference=reference).exists():
        add_error(errors, "reference", msg.REFERENCE_TAKEN)
    if caseworker is not None:
        _check_caseworker(errors, caseworker)
    check_not_future(errors, "opened_on", opened_on, "The date the case opened")
    holder = _upn_holder(upn)
    if holder is not None:
        raise DuplicateChild(
            {"upn": [msg.DUPLICATE_UPN.format(reference=holder.reference)]}, matches=[holder]
        )
    raise_if(errors)
    if not confirm_not_duplicate:
        matches = find_possible_duplicates(
            first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
        )
        if matches:
            raise DuplicateChild({"__all__": [msg.DUPLICATE_CHILD]}, matches=matches)

    child = Child(
        reference=reference,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        sex=sex,
        ethnicity=ethnicity,
        upn=upn,
        uln=uln,
        upn_unknown=upn_unknown,
        postcode=normalise_postcode(postcode),
        current_setting=current_setting,
        caseworker=caseworker,
    )
    _save_with_reference(child)
    if caseworker is not None:
        Allocation.objects.create(
            child=child, caseworker=caseworker, allocated_by=account_of(actor), reason="Case opened"
        )
    record(
        actor=actor,
        action="child.created",
        obj=child,
        child_id=child.pk,
        changes={
            "reference": child.reference,
            "caseworker": caseworker,
            "confirmed_not_duplicate": confirm_not_duplicate,
        },
    )
    timeline_record(
        actor=actor,
        child=child,
        event="child.created",
        title="Case opened",
        occurred_on=opened_on or today(),
        detail=f"LA reference {child.reference}",
    )
    _deadlines_changed(child.pk)
    return child


def _check_caseworker(errors: Errors, caseworker: Any) -> None:
    if not caseworker.has_role(Role.CASEWORKER):
        add_error(errors, "caseworker", msg.NOT_A_CASEWORKER.format(name=caseworker))


@transaction.atomic
def child_update(
    *, actor: Actor | None, child: Child, expected_version: int | None = None, **fields: Any
) -> Child:
    """Change a child's details; a new caseworker goes through `child_reallocate`.

    `expected_version` is the version the person's page or API read showed: if someone has
    changed the child since, `StaleVersion` is raised and nothing is saved.
    """
    caseworker_given = "caseworker" in fields
    caseworker = fields.pop("caseworker", None)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: [msg.CHILD_FIELD_NOT_EDITABLE] for name in sorted(unknown)})
    child = lock_at_version(child, expected_version)
    if "upn" in fields:
        fields["upn"] = normalise_upn(fields["upn"])
    if "uln" in fields:
        fields["uln"] = normalise_uln(fields["uln"])
    if "postcode" in fields:
        fields["postcode"] = normalise_postcode(fields["postcode"])
    for name in ("first_name", "last_name", "reference"):
        if name in fields:
            fields[name] = fields[name].strip()
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(child, name)
        if old != value:
            changes[name] = [old, value]
            setattr(child, name, value)

    errors: Errors = {}
    _check_identity(
        errors,
        date_of_birth=child.date_of_birth,
        upn=child.upn if "upn" in changes else "",
        uln=child.uln if "uln" in changes else "",
        upn_unknown=child.upn_unknown,
    )
    _check_postcode_and_reference(
        errors,
        postcode=child.postcode if "postcode" in changes else "",
        reference=child.reference if "reference" in changes else "",
    )
    if "reference" in changes and not child.reference:
        add_error(errors, "reference", REFERENCE_FORMAT)
    if child.upn and child.upn_unknown and "upn_unknown" not in errors:
        add_error(errors, "upn_unknown", msg.UPN_AND_REASON)
    if "upn" in changes:
        holder = _upn_holder(child.upn, exclude=child)
        if holder is not None:
            add_error(errors, "upn", msg.DUPLICATE_UPN.format(reference=holder.reference))
    if (
        "reference" in changes
        and Child.objects.filter(reference=child.reference).exclude(pk=child.pk).exists()
    ):
        add_error(errors, "reference", msg.REFERENCE_TAKEN)
    raise_if(errors)
    if changes:
        child.full_clean()
        child.save()
        record(actor=actor, action="child.updated", obj=child, child_id=child.pk, changes=changes)
        _deadlines_changed(child.pk)
    if caseworker_given and caseworker is not None and caseworker != child.caseworker:
        child = child_reallocate(actor=actor, child=child, caseworker=caseworker)
    return child


@transaction.atomic
def child_reallocate(
    *, actor: Actor | None, child: Child, caseworker: Any, reason: str = ""
) -> Child:
    """Give the case to another caseworker; the allocation history keeps every holder."""
    child = lock(child)
    errors: Errors = {}
    _check_caseworker(errors, caseworker)
    if child.caseworker_id == caseworker.pk:
        add_error(errors, "caseworker", msg.ALREADY_ALLOCATED.format(name=caseworker))
    raise_if(errors)
    previous = child.caseworker
    child.caseworker = caseworker
    child.full_clean()
    child.save(update_fields=["caseworker", "updated_at"])
    Allocation.objects.create(
        child=child, caseworker=caseworker, allocated_by=account_of(actor), reason=reason.strip()
    )
    record(
        actor=actor,
        action="child.reallocated",
        obj=child,
        child_id=child.pk,
        changes={"caseworker": [previous, caseworker], "reason": reason},
    )
    title = f"Case allocated to {caseworker}"
    if previous is not None:
        title = f"Case reallocated from {previous} to {caseworker}"
    timeline_record(
        actor=actor,
        child=child,
        event="child.reallocated",
        title=title,
        occurred_on=today(),
        detail=reason.strip(),
    )
    _deadlines_changed(child.pk)
    return child


@transaction.atomic
def contact_add(
    *,
    actor: Actor | None,
    child: Child,
    name: str,
    relationship: str,
    email: str = "",
    phone: str = "",
    address: str = "",
    preferred_contact: str = ContactPreference.EMAIL,
    parental_responsibility: bool = True,
) -> Contact:
    """Add a parent, carer or other contact, with how they prefer to be contacted."""
    errors: Errors = {}
    needs = {
        ContactPreference.EMAIL: ("email", email, msg.CONTACT_NEEDS_EMAIL),
        ContactPreference.PHONE: ("phone", phone, msg.CONTACT_NEEDS_PHONE),
        ContactPreference.POST: ("address", address, msg.CONTACT_NEEDS_ADDRESS),
    }
    if preferred_contact in needs:
        field, value, message = needs[ContactPreference(preferred_contact)]
        if not value.strip():
            add_error(errors, field, message)
    raise_if(errors)
    contact = Contact(
        child=child,
        name=name.strip(),
        relationship=relationship.strip(),
        email=email.strip(),
        phone=phone.strip(),
        address=address.strip(),
        preferred_contact=preferred_contact,
        parental_responsibility=parental_responsibility,
    )
    save_new(contact)
    record(
        actor=actor,
        action="contact.added",
        obj=contact,
        child_id=child.pk,
        changes={"name": contact.name, "relationship": contact.relationship},
    )
    return contact


def describe_matches(matches: list[Child]) -> str:
    """'Alex Jones (999-2025-00012, born 1 Mar 2014)' for each match, for messages and logs."""
    return "; ".join(f"{c.full_name} ({c.reference}, born {fmt(c.date_of_birth)})" for c in matches)
